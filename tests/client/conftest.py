"""A real emulator for the client tests: one server per session, reset before every test.

Faults are injected through the emulator's control API (/_emulator/*), never by mocking HTTP, so the
client is tested over real sockets against real dropped connections.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from fdipsec_pulumi.client import FrontdoorClient, RetryPolicy, Settings, TunnelCreate, wait_for
from fdipsec_pulumi.client.models import DEFAULT_FRONTDOOR_ID, Tunnel
from fdipsec_pulumi.emulator.server import EmulatorServer

TOKEN = "fdipsec-local-token"
CLIENT_ID = "fdipsec-local"
CLIENT_SECRET = "fdipsec-local-secret"
FRONTDOOR_ID = DEFAULT_FRONTDOOR_ID
FAST = {"tunnelDelay": 0.3, "shareDelay": 0.3, "deleteDelay": 0.3, "tokenTtl": 3600}
# Short waits so a failing retry test fails in seconds, not minutes.
QUICK_RETRIES = RetryPolicy(max_elapsed=1.0, backoff_base=0.05, backoff_cap=0.2)


class Control:
    """The emulator's control API; no auth, not logged by the emulator."""

    def __init__(self, root_url: str) -> None:
        self.root = root_url + "/_emulator"
        self.http = requests.Session()

    def call(self, method: str, path: str, body: Any = None) -> Any:
        response = self.http.request(method, self.root + path, json=body, timeout=10)
        response.raise_for_status()
        return response.json() if response.content else None

    def fault(self, **fault: Any) -> None:
        self.call("POST", "/faults", fault)

    def configure(self, **config: float) -> None:
        self.call("PUT", "/config", config)

    def requests(self, method: str | None = None, path_contains: str = "") -> list[dict[str, Any]]:
        log: list[dict[str, Any]] = self.call("GET", "/requests")
        return [
            entry
            for entry in log
            if (method is None or entry["method"] == method) and path_contains in entry["path"]
        ]

    def clear_requests(self) -> None:
        self.call("DELETE", "/requests")


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0) as server:
        yield server


@pytest.fixture
def control(emulator: EmulatorServer) -> Iterator[Control]:
    control = Control(emulator.root_url)
    control.call("POST", "/reset")
    control.configure(**FAST)
    yield control
    control.http.close()


def make_client(
    emulator: EmulatorServer, retry: RetryPolicy | None = None, **settings: str
) -> FrontdoorClient:
    options = {"api_url": emulator.url, "frontdoor_id": FRONTDOOR_ID, **settings}
    if "client_id" not in settings:
        options.setdefault("token", TOKEN)
    return FrontdoorClient(Settings(**options), retry=retry)


@pytest.fixture
def client(emulator: EmulatorServer, control: Control) -> Iterator[FrontdoorClient]:
    with make_client(emulator) as client:
        yield client


@pytest.fixture
def oauth_client(emulator: EmulatorServer, control: Control) -> Iterator[FrontdoorClient]:
    with make_client(emulator, client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client:
        yield client


def tunnel_request(n: int = 1, **overrides: str) -> TunnelCreate:
    fields = {
        "name": f"site-{n}",
        "peer_public_ip": f"203.0.113.{n}",
        "peer_cidr": f"172.{16 + n % 16}.0.0/16",
        "location_id": f"loc-{n}",
        **overrides,
    }
    return TunnelCreate.model_validate(fields)


def deployed_tunnel(client: FrontdoorClient, n: int = 1) -> Tunnel:
    created = client.create_tunnel(tunnel_request(n))
    return wait_for(
        lambda: client.get_tunnel(created.id),
        pending={"NEW"},
        target={"DEPLOYED"},
        timeout=30,
        describe=f"IPsec tunnel {created.id}",
    )
