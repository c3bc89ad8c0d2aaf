"""A real emulator for the client tests: one server per session, reset before every test.

Faults are injected through the emulator's control API (/_emulator/*), never by mocking HTTP, so the
client is tested over real sockets against real dropped connections.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fdipsec_pulumi.client import FrontdoorClient, RetryPolicy, Settings, TunnelCreate, wait_for
from fdipsec_pulumi.client.models import DEFAULT_FRONTDOOR_ID, Tunnel
from fdipsec_pulumi.emulator.control_client import ControlClient as Control
from fdipsec_pulumi.emulator.server import EmulatorServer

TOKEN = "fdipsec-local-token"
CLIENT_ID = "fdipsec-local"
CLIENT_SECRET = "fdipsec-local-secret"
FRONTDOOR_ID = DEFAULT_FRONTDOOR_ID
FAST = {"tunnelDelay": 0.3, "shareDelay": 0.3, "deleteDelay": 0.3, "tokenTtl": 3600}
# Short waits so a failing retry test fails in seconds, not minutes.
QUICK_RETRIES = RetryPolicy(max_elapsed=1.0, backoff_base=0.05, backoff_cap=0.2)


@pytest.fixture(scope="session")
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(port=0) as server:
        yield server


@pytest.fixture
def control(emulator: EmulatorServer) -> Iterator[Control]:
    with Control(emulator.root_url) as control:
        control.reset()
        control.configure(**FAST)
        yield control


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
