"""The providers, called directly as the dynamic-provider host would, against a real in-process emulator.

Calling ``check``/``diff``/``create``/... without the engine keeps each case to a fraction of a second
while still going over real sockets to the same emulator the end-to-end tests use. Props are built the
way the engine sends them: the SDK drops None-valued properties, so an unset input or output is absent,
not None; the hidden ``__owner`` input is there, as the resource classes always send it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from fdipsec_pulumi.client.models import DEFAULT_FRONTDOOR_ID
from fdipsec_pulumi.emulator import EmulatorServer
from fdipsec_pulumi.emulator.control_client import ControlClient as Control
from fdipsec_pulumi.providers import base
from fdipsec_pulumi.providers.share import ShareProvider
from fdipsec_pulumi.providers.tunnel import TunnelProvider
from tests import pulumi_mocks

TOKEN = "fdipsec-local-token"
FD = DEFAULT_FRONTDOOR_ID
# Zero delays: a create is seen DEPLOYED on the waiter's first poll (within 1 s), a delete seen gone likewise.
INSTANT = {"tunnelDelay": 0, "shareDelay": 0, "deleteDelay": 0}
OWNER = "organization/proj/test/pulumi-python:dynamic/fdipsec:{kind}::{name}"


@pytest.fixture(scope="session")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as server:
        yield server


@pytest.fixture
def control(server: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Control]:
    # The reset removes every object out of band: no test reads another's listings (providers/base.py).
    monkeypatch.setattr(base, "_clients", {})
    with Control(server.root_url) as control:
        control.reset()
        control.configure(**INSTANT)
        yield control


def configure_request(server: EmulatorServer, **extra: str) -> ConfigureRequest:
    raw = {"fdipsec:apiUrl": server.url, "fdipsec:token": TOKEN, "fdipsec:frontdoorId": FD, **extra}
    return ConfigureRequest(Config(raw, "proj"))


@pytest.fixture
def journal(tmp_path: Path) -> Path:
    """Each test's own create journal, so no test adopts what another one journaled."""
    return tmp_path / "journal"


@pytest.fixture
def tunnels(server: EmulatorServer, control: Control, journal: Path) -> TunnelProvider:
    provider = TunnelProvider()
    provider.configure(configure_request(server, **{"fdipsec:journalDir": str(journal)}))
    return provider


@pytest.fixture
def shares(server: EmulatorServer, control: Control, journal: Path) -> ShareProvider:
    provider = ShareProvider()
    provider.configure(configure_request(server, **{"fdipsec:journalDir": str(journal)}))
    return provider


def engine_props(props: dict[str, Any]) -> dict[str, Any]:
    """What the engine sends: the SDK drops None-valued properties before they reach it."""
    return {key: value for key, value in props.items() if value is not None}


def tunnel_props(n: int = 1, **overrides: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "name": f"site-{n}",
        "peerPublicIp": f"203.0.113.{n}",
        "peerCidr": f"172.{16 + n % 16}.0.0/16",
        "__owner": OWNER.format(kind="IpsecTunnel", name=f"tunnel-{n}"),
    }
    props.update(overrides)
    return engine_props(props)


def share_props(tunnel_id: str, port: int = 8443, **overrides: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "name": f"app-{port}",
        "ipsecTunnelId": tunnel_id,
        "envZId": "ijcrWb-ZOq",
        "target": f"10.20.100.1:{port}",
        "ingressPort": port,
        "__owner": OWNER.format(kind="IpsecShare", name=f"share-{port}"),
    }
    props.update(overrides)
    return engine_props(props)


# --- lookups: they run in the program process, configured by environment variables or stack config ---


@pytest.fixture
def env(server: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FDIPSEC_API_URL", server.url)
    monkeypatch.setenv("FDIPSEC_TOKEN", TOKEN)
    monkeypatch.setenv("FDIPSEC_FRONTDOOR_ID", FD)


@pytest.fixture
def deployed(tunnels: TunnelProvider, shares: ShareProvider) -> dict[str, Any]:
    tunnel = tunnels.create(tunnel_props(locationId="eu-west-1"))
    share = shares.create(share_props(tunnel.id))
    return {"tunnel": tunnel, "share": share}


@pytest.fixture
def mocked() -> Iterator[None]:
    pulumi_mocks.install(pulumi_mocks.RecordingMocks(), project="lookups")
    yield
    pulumi_mocks.uninstall()
