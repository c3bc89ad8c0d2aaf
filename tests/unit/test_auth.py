"""Token caching and refresh timing on a fake clock; the live refresh paths are in tests/client."""

from __future__ import annotations

import json

import pytest
import requests

from fdipsec_pulumi.client.auth import ClientCredentials
from fdipsec_pulumi.client.errors import FrontdoorError, ServerError, Unauthorized


class TokenEndpoint:
    def __init__(self, expires_in: float | None = 3600, status: int = 200) -> None:
        self.expires_in = expires_in
        self.status = status
        self.calls: list[tuple[str, dict[str, str], tuple[str, str]]] = []
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def post(self, url: str, form: dict[str, str], auth: tuple[str, str]) -> requests.Response:
        self.calls.append((url, form, auth))
        body: dict[str, object] = {"access_token": f"tok-{len(self.calls)}", "token_type": "Bearer"}
        if self.expires_in is not None:
            body["expires_in"] = self.expires_in
        if self.status != 200:
            body = {"error": "invalid_client"}
        response = requests.Response()
        response.status_code = self.status
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        return response


def credentials(endpoint: TokenEndpoint) -> ClientCredentials:
    return ClientCredentials("cid", "s3cr3t", "https://idp/oauth/token", endpoint.post, endpoint.clock)


def test_fetched_lazily_with_client_credentials_grant() -> None:
    endpoint = TokenEndpoint()
    source = credentials(endpoint)
    assert endpoint.calls == []
    assert source.token() == "tok-1"
    assert endpoint.calls == [
        ("https://idp/oauth/token", {"grant_type": "client_credentials"}, ("cid", "s3cr3t"))
    ]


@pytest.mark.parametrize(("expires_in", "refresh_at"), [(3600, 3540), (300, 270), (10, 9)])
def test_refreshed_a_margin_before_expiry(expires_in: float, refresh_at: float) -> None:
    endpoint = TokenEndpoint(expires_in)
    source = credentials(endpoint)
    source.token()
    endpoint.now = refresh_at - 0.01
    assert source.token() == "tok-1"
    endpoint.now = refresh_at
    assert source.token() == "tok-2"


def test_missing_expires_in_means_an_hour() -> None:
    endpoint = TokenEndpoint(expires_in=None)
    source = credentials(endpoint)
    source.token()
    endpoint.now = 3539
    assert source.token() == "tok-1"


def test_invalidate_only_drops_the_token_that_failed() -> None:
    endpoint = TokenEndpoint()
    source = credentials(endpoint)
    source.invalidate(source.token())
    assert source.token() == "tok-2"
    source.invalidate("tok-1")  # a second thread's late 401 with the old token
    assert source.token() == "tok-2"


def test_refused_credentials_are_unauthorized_without_the_secret() -> None:
    source = credentials(TokenEndpoint(status=401))
    with pytest.raises(Unauthorized) as caught:
        source.token()
    assert caught.value.code == "invalid_client" and caught.value.path == "/oauth/token"
    assert "s3cr3t" not in str(caught.value) + repr(caught.value)
    assert "'cid'" in str(caught.value)


def test_token_endpoint_failure_is_a_server_error() -> None:
    with pytest.raises(ServerError):
        credentials(TokenEndpoint(status=503)).token()


def test_answer_without_access_token_is_an_error() -> None:
    endpoint = TokenEndpoint()

    def no_token(url: str, form: dict[str, str], auth: tuple[str, str]) -> requests.Response:
        response = endpoint.post(url, form, auth)
        response._content = b'{"token_type": "Bearer"}'
        return response

    with pytest.raises(FrontdoorError, match="without an access_token"):
        ClientCredentials("cid", "sec", "https://idp/t", no_token, endpoint.clock).token()


def test_repr_shows_no_secret() -> None:
    source = credentials(TokenEndpoint())
    source.token()
    assert "s3cr3t" not in repr(source) and "tok-1" not in repr(source)
