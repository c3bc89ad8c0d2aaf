"""Fixtures for the resource e2e tests: a fresh emulator per test and stacks of ``stack_program``.

The emulator runs in this process (a uvicorn thread); the pulumi CLI and its dynamic-provider process
reach it over HTTP like any client would, and the tests steer and inspect it through ``/_emulator``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from fdipsec_pulumi.client.models import DEFAULT_FRONTDOOR_ID
from fdipsec_pulumi.emulator import ControlClient, EmulatorServer
from tests.e2e.harness import Project, new_project

TOKEN = "fdipsec-local-token"
FRONTDOOR_ID = DEFAULT_FRONTDOOR_ID
TUNNEL_TYPE = "pulumi-python:dynamic/fdipsec:IpsecTunnel"
SHARE_TYPE = "pulumi-python:dynamic/fdipsec:IpsecShare"
PROGRAM = """\
from tests.e2e.stack_program import main

main()
"""


class Emulator(ControlClient):
    """An in-process emulator: its control API (the package's client) plus the authenticated API."""

    def __init__(self, server: EmulatorServer) -> None:
        super().__init__(server.root_url)
        self.server = server

    def wait_until(self, condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
        """Deletions end in DELETED, which the emulator keeps listing for one delete delay."""
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"timed out waiting until {what}: {self.dump()}"
            time.sleep(0.1)

    def wait_empty(self) -> None:
        self.wait_until(lambda: self.dump() == {"tunnels": [], "shares": []}, "the emulator is empty")

    # --- the public API, with the token ---------------------------------------------------------

    def api(
        self, method: str, path: str, body: Any = None, accept: str = "application/json"
    ) -> requests.Response:
        response = self.http.request(
            method,
            f"{self.server.url}/v2/{FRONTDOOR_ID}/{path}",
            json=body,
            headers={"Authorization": f"Bearer {TOKEN}", "Accept": accept},
            timeout=10,
        )
        assert response.ok, f"{method} {path}: {response.status_code} {response.text}"
        return response

    def create_deployed(self, collection: str, body: dict[str, Any]) -> dict[str, Any]:
        created: dict[str, Any] = self.api("POST", collection, body).json()
        deadline = time.monotonic() + 10
        while (found := self.api("GET", f"{collection}/{created['id']}").json())["status"] != "DEPLOYED":
            assert time.monotonic() < deadline, f"{created['id']} never deployed: {found}"
            time.sleep(0.1)
        return dict(found)

    def sample_config(self, tunnel_id: str) -> str:
        return str(self.api("GET", f"ipsec-tunnels/{tunnel_id}/sample-config", accept="text/plain").text)


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    server = EmulatorServer(tunnel_delay=0.5, share_delay=0.3, delete_delay=0.2)
    try:
        yield Emulator(server)
    finally:
        server.stop()


StackFactory = Callable[..., Project]


def config_value(value: Any) -> str:
    """Strings go to config as they are; anything else as JSON, for ``Config.get_object``."""
    return value if isinstance(value, str) else json.dumps(value)


def set_config(project: Project, values: dict[str, Any]) -> None:
    """Several keys in one CLI call: every pulumi invocation costs about a second even for config."""
    args = [arg for key, value in values.items() for arg in ("--plaintext", f"{key}={config_value(value)}")]
    project.run("config", "set-all", "--stack", project.stack, *args)


def init_stack(project: Project, api_url: str, config: dict[str, Any]) -> Project:
    """A new stack pointed at an emulator, the token as a secret, and the program's own config."""
    (project.root / ".state").mkdir(exist_ok=True)
    project.run("stack", "init", project.stack)
    project.run(
        "config",
        "set-all",
        "--stack",
        project.stack,
        "--plaintext",
        f"fdipsec:apiUrl={api_url}",
        "--plaintext",
        f"fdipsec:frontdoorId={FRONTDOOR_ID}",
        "--secret",
        f"fdipsec:token={TOKEN}",
        *[arg for key, value in config.items() for arg in ("--plaintext", f"{key}={config_value(value)}")],
    )
    return project


@pytest.fixture
def make_stack(tmp_path: Path, emulator: Emulator) -> StackFactory:
    """A new project and stack running ``stack_program`` against this test's emulator."""

    def make(name: str = "stack", **config: Any) -> Project:
        project = new_project(tmp_path / name, PROGRAM, name=f"fdipsec-e2e-{name}")
        return init_stack(project, emulator.server.url, config)

    return make
