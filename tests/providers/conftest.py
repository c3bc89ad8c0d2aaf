"""The providers, called directly as the dynamic-provider host would, against a real in-process emulator.

Calling ``check``/``diff``/``create``/... without the engine keeps each case to a fraction of a second
while still going over real sockets to the same emulator the end-to-end tests use. Props are built the
way the resource classes send them: every input and output key present, unset ones as None, plus the
hidden ``__timeouts`` input.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config

from fdipsec_pulumi.client.models import DEFAULT_FRONTDOOR_ID
from fdipsec_pulumi.emulator import EmulatorServer
from fdipsec_pulumi.providers.share import ShareProvider
from fdipsec_pulumi.providers.tunnel import TunnelProvider

TOKEN = "fdipsec-local-token"
FD = DEFAULT_FRONTDOOR_ID
# Zero delays: a create is seen DEPLOYED on the waiter's first poll (0.5 s), a delete seen gone likewise.
INSTANT = {"tunnelDelay": 0, "shareDelay": 0, "deleteDelay": 0}
TUNNEL_OUTPUTS = ("status", "nlbDnsName", "vpnConnectionId", "tunnelConfig", "sampleConfig")


class Control:
    """The emulator's control API (no auth, and its calls are not in the request log)."""

    def __init__(self, server: EmulatorServer) -> None:
        self.root = f"{server.root_url}/_emulator"
        self.http = requests.Session()

    def call(self, method: str, path: str, body: Any = None) -> Any:
        response = self.http.request(method, self.root + path, json=body, timeout=10)
        response.raise_for_status()
        return response.json() if response.content else None

    def requests(self, method: str | None = None, path_contains: str = "") -> list[dict[str, Any]]:
        log: list[dict[str, Any]] = self.call("GET", "/requests")
        return [e for e in log if (method is None or e["method"] == method) and path_contains in e["path"]]

    def clear_requests(self) -> None:
        self.call("DELETE", "/requests")

    def resources(self, kind: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.call("GET", "/resources")[kind]
        return found


@pytest.fixture(scope="session")
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer() as server:
        yield server


@pytest.fixture
def control(server: EmulatorServer) -> Iterator[Control]:
    control = Control(server)
    control.call("POST", "/reset")
    control.call("PUT", "/config", INSTANT)
    yield control
    control.http.close()


def configure_request(server: EmulatorServer, **extra: str) -> ConfigureRequest:
    raw = {"fdipsec:apiUrl": server.url, "fdipsec:token": TOKEN, "fdipsec:frontdoorId": FD, **extra}
    return ConfigureRequest(Config(raw, "proj"))


@pytest.fixture
def tunnels(server: EmulatorServer, control: Control) -> TunnelProvider:
    provider = TunnelProvider()
    provider.configure(configure_request(server))
    return provider


@pytest.fixture
def shares(server: EmulatorServer, control: Control) -> ShareProvider:
    provider = ShareProvider()
    provider.configure(configure_request(server))
    return provider


def tunnel_props(n: int = 1, **overrides: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "name": f"site-{n}",
        "peerPublicIp": f"203.0.113.{n}",
        "peerCidr": f"172.{16 + n % 16}.0.0/16",
        "locationId": None,
        "nlbPrivateIp": None,
        "frontdoorId": None,
        **dict.fromkeys(TUNNEL_OUTPUTS),
        "__timeouts": None,
    }
    props.update(overrides)
    return props


def share_props(tunnel_id: str, port: int = 8443, **overrides: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "name": f"app-{port}",
        "ipsecTunnelId": tunnel_id,
        "envZId": "ijcrWb-ZOq",
        "target": f"10.20.100.1:{port}",
        "ingressPort": port,
        "locationId": None,
        "frontdoorId": None,
        "status": None,
        "__timeouts": None,
    }
    props.update(overrides)
    return props
