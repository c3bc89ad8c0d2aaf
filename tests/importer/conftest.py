"""An emulator holding a Frontdoor, and fdipsec-import run against it in this process (no pulumi CLI:
tests/e2e/test_importer.py runs the whole workflow on the real engine)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from fdipsec_pulumi.client.models import DEFAULT_FRONTDOOR_ID
from fdipsec_pulumi.emulator import ControlClient, EmulatorServer
from fdipsec_pulumi.importer.cli import main

TOKEN = "fdipsec-local-token"
FRONTDOOR_ID = DEFAULT_FRONTDOOR_ID
ENV_Z_ID = "ijcrWb-ZOq"


class Frontdoor(ControlClient):
    """The emulator's control API (the package's client) and its API with the token, to make objects as
    a user's scripts would."""

    def __init__(self, server: EmulatorServer) -> None:
        super().__init__(server.root_url)
        self.server = server
        self.api_http = requests.Session()
        self.api_http.headers["Authorization"] = f"Bearer {TOKEN}"

    def api(self, method: str, path: str, body: Any = None) -> Any:
        response = self.api_http.request(
            method, f"{self.server.url}/v2/{FRONTDOOR_ID}/{path}", json=body, timeout=10
        )
        assert response.ok, f"{method} {path}: {response.status_code} {response.text}"
        return response.json()

    def tunnel(self, name: str, peer: str, cidr: str, **more: str) -> dict[str, Any]:
        body = {"name": name, "peerPublicIp": peer, "peerCidr": cidr, **more}
        return self.settled("ipsec-tunnels", self.api("POST", "ipsec-tunnels", body))

    def share(self, tunnel: dict[str, Any], name: str, port: int, **more: Any) -> dict[str, Any]:
        body = {
            "name": name,
            "ipsecTunnelId": tunnel["id"],
            "envZId": ENV_Z_ID,
            "target": f"10.20.0.1:{port}",
            "ingressPort": port,
            **more,
        }
        return self.settled("ipsec-shares", self.api("POST", "ipsec-shares", body))

    def settled(self, collection: str, created: dict[str, Any]) -> dict[str, Any]:
        deadline = time.monotonic() + 10
        while (found := self.api("GET", f"{collection}/{created['id']}"))["status"] == "NEW":
            assert time.monotonic() < deadline, f"{created['id']} never settled: {found}"
            time.sleep(0.05)
        return dict(found)

    def status(self, kind: str, object_id: str, status: str, reason: str | None = None) -> None:
        self.set_status(kind, object_id, status, reason)

    def writes(self) -> list[dict[str, Any]]:
        return self.mutations()


@pytest.fixture
def frontdoor(emulator_factory: Callable[..., EmulatorServer]) -> Frontdoor:
    return Frontdoor(emulator_factory(tunnel_delay=0.05, share_delay=0.05, delete_delay=60))


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


Importer = Callable[..., Run]


@pytest.fixture
def fdipsec_import(
    frontdoor: Frontdoor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Importer]:
    """``main(argv)`` in a directory without a Pulumi project, with settings from FDIPSEC_* only."""
    for name in [name for name in os.environ if name.startswith("FDIPSEC_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("FDIPSEC_API_URL", frontdoor.server.url)
    monkeypatch.setenv("FDIPSEC_TOKEN", TOKEN)
    monkeypatch.setenv("FDIPSEC_FRONTDOOR_ID", FRONTDOOR_ID)
    monkeypatch.chdir(tmp_path)

    def run(*argv: str, **environment: str | None) -> Run:
        with monkeypatch.context() as patch:
            for name, value in environment.items():
                if value is None:
                    patch.delenv(name, raising=False)
                else:
                    patch.setenv(name, value)
            code = main(list(argv))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    yield run
