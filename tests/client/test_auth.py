"""Authentication against the emulator: OAuth2 client credentials (lazy fetch, refresh before expiry,
refresh once on a 401, shared by threads), a static token as HTTP Basic, and what a refusal says."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from fdipsec_pulumi.client import ConfigurationError, Forbidden, FrontdoorClient, Unauthorized
from fdipsec_pulumi.emulator import guard
from fdipsec_pulumi.emulator.server import EmulatorServer
from tests.client.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    FRONTDOOR_ID,
    Control,
    make_client,
    tunnel_request,
)


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
    # The endpoint that refused, by host and path, and every setting that chose it.
    assert text.startswith(
        f"OAuth2 token endpoint rejected POST {emulator.root_url}/oauth/token (401 invalid_client): "
        "Unknown client or wrong secret. Check the client credentials of client id 'fdipsec-local' "
        "(fdipsec:clientId/fdipsec:clientSecret or FDIPSEC_CLIENT_ID/FDIPSEC_CLIENT_SECRET) "
        "and the token URL (fdipsec:tokenUrl or FDIPSEC_TOKEN_URL)"
    ), text
    # No fdipsec:tokenUrl was set: the message says the URL was derived, and how to set it.
    assert f"so {emulator.root_url}/oauth/token was derived from fdipsec:apiUrl" in text
    assert "pulumi config set fdipsec:tokenUrl" in text
    assert "wrong-secret" not in text and "wrong-secret" not in repr(caught.value)
    assert token_fetches(control) == 1 and control.requests("GET") == []


def test_a_token_url_that_is_not_a_token_endpoint_is_named(
    emulator: EmulatorServer, control: Control
) -> None:
    token_url = f"{emulator.root_url}/oauth2/v1/token"
    client = make_client(emulator, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, token_url=token_url)
    with client, pytest.raises(Unauthorized) as caught:
        client.get_tunnel("x")
    text = str(caught.value)
    assert text.startswith(f"OAuth2 token endpoint rejected POST {token_url} (404"), text
    assert "fdipsec:tokenUrl or FDIPSEC_TOKEN_URL" in text and "derived" not in text
    assert control.requests("GET") == []


# --- a static token as HTTP Basic -------------------------------------------------------------------


@pytest.fixture
def schemes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, str]]]:
    """The scheme and, for Basic, the username of every Authorization header the emulator's API saw.

    The emulator's request log keeps no headers (they carry tokens), so this wraps its parser, which
    still decides; the token itself is not recorded."""
    seen: list[tuple[str, str]] = []
    parse = guard.bearer_token

    def recording(authorization: str | None) -> str | None:
        scheme, _, credentials = (authorization or "").partition(" ")
        username = ""
        if scheme == "Basic":
            username = base64.b64decode(credentials).decode().partition(":")[0]
        seen.append((scheme, username))
        return parse(authorization)

    monkeypatch.setattr(guard, "bearer_token", recording)
    yield seen


def test_a_token_with_a_username_is_sent_as_basic_and_accepted(
    emulator: EmulatorServer, control: Control, schemes: list[tuple[str, str]]
) -> None:
    with make_client(emulator, username="alice") as client:
        created = client.create_tunnel(tunnel_request())
        assert client.get_tunnel(created.id).name == "site-1"
    assert [entry["status"] for entry in control.requests()] == [202, 200]
    assert schemes == [("Basic", "alice"), ("Basic", "alice")]


def test_a_token_alone_is_still_sent_as_bearer(
    client: FrontdoorClient, schemes: list[tuple[str, str]]
) -> None:
    assert list(client.list_tunnels()) == []
    assert schemes == [("Bearer", "")]


def test_a_wrong_token_sent_as_basic_names_the_api_and_the_settings(
    emulator: EmulatorServer, control: Control, schemes: list[tuple[str, str]]
) -> None:
    wrong = "not-the-token"
    with (
        make_client(emulator, token=wrong, username="alice") as client,
        pytest.raises(Unauthorized) as caught,
    ):
        client.get_tunnel("tnl-1")
    text = str(caught.value)
    assert text.startswith(
        f"Frontdoor API rejected GET {emulator.url}/v2/{FRONTDOOR_ID}/ipsec-tunnels/tnl-1 (401 unauthorized)"
    ), text
    assert (
        "Check the username 'alice' (fdipsec:username or FDIPSEC_USERNAME) and the token "
        "(fdipsec:token or FDIPSEC_TOKEN), sent as HTTP Basic, and the API URL "
        "(fdipsec:apiUrl or FDIPSEC_API_URL)"
    ) in text
    basic = base64.b64encode(f"alice:{wrong}".encode()).decode()
    assert wrong not in text + repr(caught.value) and basic not in text + repr(caught.value)
    assert len(control.requests("GET")) == 1  # a fixed token is not retried
    assert schemes == [("Basic", "alice")]


def test_a_frontdoor_out_of_reach_names_the_frontdoor_and_the_basic_settings(
    emulator: EmulatorServer, control: Control
) -> None:
    unknown = "00000000-0000-0000-0000-000000000000"
    with make_client(emulator, username="alice") as client, pytest.raises(Forbidden) as caught:
        list(client.list_tunnels(unknown))
    text = str(caught.value)
    assert text.startswith(f"Frontdoor API rejected GET {emulator.url}/v2/{unknown}/ipsec-tunnels (403"), text
    assert "fdipsec:frontdoorId" in text and "fdipsec:username" in text and "fdipsec:apiUrl" in text


def test_username_with_client_credentials_fails_before_any_request(
    emulator: EmulatorServer, control: Control
) -> None:
    client = make_client(emulator, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, username="alice")
    with client, pytest.raises(ConfigurationError) as caught:
        client.get_tunnel("x")
    assert "fdipsec:username" in str(caught.value) and "fdipsec:clientId" in str(caught.value)
    assert control.requests() == []


def test_threads_share_one_token(emulator: EmulatorServer, control: Control) -> None:
    client = make_client(emulator, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    with client, ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: list(client.list_tunnels()), range(16)))
    assert results == [[]] * 16
    assert token_fetches(control) == 1
