"""OAuth2 client credentials: lazy fetch, refresh before expiry, refresh once on a 401, shared by threads."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from fdipsec_pulumi.client import FrontdoorClient, Unauthorized
from fdipsec_pulumi.emulator.server import EmulatorServer
from tests.client.conftest import CLIENT_ID, CLIENT_SECRET, Control, make_client


def token_fetches(control: Control) -> int:
    return len(control.requests("POST", "/oauth/token"))


def test_token_is_fetched_lazily_once_and_reused(oauth_client: FrontdoorClient, control: Control) -> None:
    assert token_fetches(control) == 0
    for _ in range(3):
        assert list(oauth_client.list_tunnels()) == []
    assert token_fetches(control) == 1


def test_token_is_refreshed_before_it_expires(oauth_client: FrontdoorClient, control: Control) -> None:
    control.configure(tokenTtl=1)
    list(oauth_client.list_tunnels())
    time.sleep(1.0)
    list(oauth_client.list_tunnels())
    assert token_fetches(control) == 2
    assert all(entry["status"] == 200 for entry in control.requests("GET"))  # refreshed ahead, no 401


def test_token_is_refreshed_once_after_a_401(oauth_client: FrontdoorClient, control: Control) -> None:
    list(oauth_client.list_tunnels())
    # The emulator's clock jumps past the token's life while the client still trusts its own.
    control.call("POST", "/advance", {"seconds": 7200})
    assert list(oauth_client.list_tunnels()) == []
    assert token_fetches(control) == 2
    assert [entry["status"] for entry in control.requests("GET")] == [200, 401, 200]


def test_a_second_401_is_raised(oauth_client: FrontdoorClient, control: Control) -> None:
    control.fault(method="GET", path="ipsec-tunnels", status=401, count=2)
    with pytest.raises(Unauthorized):
        list(oauth_client.list_tunnels())
    assert token_fetches(control) == 2
    assert len(control.requests("GET")) == 2


def test_wrong_client_secret_is_unauthorized(emulator: EmulatorServer, control: Control) -> None:
    client = make_client(emulator, client_id=CLIENT_ID, client_secret="wrong-secret")
    with client, pytest.raises(Unauthorized) as caught:
        client.get_tunnel("x")
    text = str(caught.value)
    assert "token endpoint refused the client credentials of client id 'fdipsec-local'" in text
    assert "wrong-secret" not in text and "wrong-secret" not in repr(caught.value)


def test_threads_share_one_token(emulator: EmulatorServer, control: Control) -> None:
    client = make_client(emulator, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    with client, ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: list(client.list_tunnels()), range(16)))
    assert results == [[]] * 16
    assert token_fetches(control) == 1
