"""A state file carries tunnels, shares, statuses and keys across restarts, embedded or via the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from fdipsec_pulumi.emulator import EmulatorServer

from .conftest import FD, TOKEN, Api

TEXT = {"Accept": "text/plain"}


def test_restart_on_the_same_state_file_keeps_everything(
    tmp_path: Path, emulator_factory: Callable[..., EmulatorServer]
) -> None:
    state = tmp_path / "state.sqlite"
    first = Api(emulator_factory(state_file=state))
    deployed = first.create_tunnel(1)["id"]
    share = first.create_share(deployed)["id"]
    failed = first.create_tunnel(2)["id"]
    first.control("POST", f"/resources/tunnels/{failed}/status", {"status": "ERROR", "reason": "peer down"})
    first.control("PUT", "/config", {"tunnelDelay": 3600})
    pending = first.create_tunnel(3)["id"]
    psk = first.get(f"/ipsec-tunnels/{deployed}/sample-config", headers=TEXT).text
    before = first.resources()
    first.server.stop()

    second = Api(emulator_factory(state_file=state, tunnel_delay=3600))
    assert second.resources() == before
    assert second.get(f"/ipsec-tunnels/{deployed}/sample-config", headers=TEXT).text == psk
    assert second.get(f"/ipsec-tunnels/{failed}").json()["statusMessage"] == "peer down"
    assert second.status("tunnels", pending) == "NEW"
    assert second.status("shares", share) == "DEPLOYED"
    # New records continue after the old ones, and the old location claims still hold.
    fourth = second.create_tunnel(4)
    assert fourth["locationId"] == "us-west-2"
    assert second.get("/ipsec-tunnels").json()["content"][-1]["id"] == fourth["id"]


def test_state_file_is_private(tmp_path: Path, emulator_factory: Callable[..., EmulatorServer]) -> None:
    state = tmp_path / "nested" / "state.sqlite"
    emulator_factory(state_file=state)
    assert state.stat().st_mode & 0o077 == 0


def test_memory_is_the_default(emulator_factory: Callable[..., EmulatorServer]) -> None:
    Api(emulator_factory()).create_tunnel()
    assert Api(emulator_factory()).resources()["tunnels"] == []


@contextmanager
def cli(*args: str) -> Iterator[str]:
    """Runs the real CLI on a free port; yields the API base URL it announces."""
    process = subprocess.Popen(
        [sys.executable, "-m", "fdipsec_pulumi.emulator", "--port", "0", *args],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stderr is not None
        deadline = time.monotonic() + 20
        url = None
        while url is None and time.monotonic() < deadline:
            line = process.stderr.readline()
            assert line, "the emulator exited before announcing its URL"
            if found := re.search(r"API base URL (\S+)", line):
                url = found.group(1)
        assert url, "the emulator did not announce its URL in time"
        yield url
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0


def test_cli_restart_keeps_the_state(tmp_path: Path) -> None:
    state = str(tmp_path / "cli.sqlite")
    headers = {"Authorization": "Bearer cli-token", "Accept": "application/json"}
    body = {"name": "dc1", "peerPublicIp": "203.0.113.1", "peerCidr": "172.31.0.0/16"}
    other = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
    args = ("--state-file", state, "--token", "cli-token", "--frontdoor-id", other, "--tunnel-delay", "3600")
    with cli(*args) as url:
        created = requests.post(f"{url}/v2/{other}/ipsec-tunnels", json=body, headers=headers, timeout=10)
        assert created.status_code == 202
        assert requests.get(f"{url}/v2/{FD}/ipsec-tunnels", headers=headers, timeout=10).status_code == 403
        default_token = {"Authorization": f"Bearer {TOKEN}"}
        assert (
            requests.get(f"{url}/v2/{other}/ipsec-tunnels", headers=default_token, timeout=10).status_code
            == 401
        )
    with cli(*args) as url:
        again = requests.get(
            f"{url}/v2/{other}/ipsec-tunnels/{created.json()['id']}", headers=headers, timeout=10
        )
        assert again.status_code == 200
        assert again.json() == created.json()
