"""Token caching and refresh timing on a fake clock, the Authorization header of each scheme, and what a
refusal says; the live paths are in tests/client."""

from __future__ import annotations

import base64
import json

import pytest
import requests

from fdipsec_pulumi.client.auth import ClientCredentials, StaticToken
from fdipsec_pulumi.client.errors import (
    Endpoint,
    Forbidden,
    FrontdoorError,
    NotFound,
    ServerError,
    TransportError,
    Unauthorized,
    error_from_response,
)


class TokenEndpoint:
    def __init__(
        self, expires_in: float | None = 3600, status: int = 200, body: dict[str, object] | None = None
    ) -> None:
        self.refusal = body or {"error": "invalid_client"}
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
            body = self.refusal
        response = requests.Response()
        response.status_code = self.status
        response._content = json.dumps(body).encode()
        response.headers["Content-Type"] = "application/json"
        return response


def credentials(endpoint: TokenEndpoint, *, derived: bool = False) -> ClientCredentials:
    return ClientCredentials(
        "cid", "s3cr3t", "https://idp/oauth/token", endpoint.post, endpoint.clock, token_url_derived=derived
    )


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


@pytest.mark.parametrize("status", [400, 401, 403, 404, 302])
def test_a_token_endpoint_refusal_names_its_url_and_the_settings(status: int) -> None:
    """RFC 6749 refuses with 400 or 401; a 404 or a redirect means the token URL is wrong."""
    body = {"error": "invalid_client", "error_description": "Client authentication failed"}
    with pytest.raises(Unauthorized) as caught:
        credentials(TokenEndpoint(status=status, body=body)).token()
    text = str(caught.value)
    assert text.startswith(
        f"OAuth2 token endpoint rejected POST https://idp/oauth/token ({status} invalid_client)"
    )
    assert "Client authentication failed" in text
    assert (
        "client id 'cid' (fdipsec:clientId/fdipsec:clientSecret or FDIPSEC_CLIENT_ID/FDIPSEC_CLIENT_SECRET)"
        in text
    )
    assert "the token URL (fdipsec:tokenUrl or FDIPSEC_TOKEN_URL)" in text
    assert "derived" not in text  # the token URL was set explicitly
    assert caught.value.origin == "https://idp" and "s3cr3t" not in text + repr(caught.value)


def test_a_derived_token_url_is_said_to_be_derived_with_how_to_set_it() -> None:
    with pytest.raises(Unauthorized) as caught:
        credentials(TokenEndpoint(status=401), derived=True).token()
    text = str(caught.value)
    assert "which is not set, so https://idp/oauth/token was derived from fdipsec:apiUrl" in text
    assert "pulumi config set fdipsec:tokenUrl https://" in text


def test_token_endpoint_failure_is_a_server_error_naming_the_endpoint() -> None:
    with pytest.raises(ServerError) as caught:
        credentials(TokenEndpoint(status=503)).token()
    assert "OAuth2 token endpoint failed on POST https://idp/oauth/token (503" in str(caught.value)


def test_an_unreachable_token_endpoint_names_its_url_not_the_api_url() -> None:
    def unreachable(url: str, form: dict[str, str], auth: tuple[str, str]) -> requests.Response:
        raise TransportError("no response to POST /oauth/token", ambiguous=False, method="POST", path="/x")

    source = ClientCredentials("cid", "s3cr3t", "https://idp/oauth/token", unreachable, lambda: 0.0)
    with pytest.raises(TransportError) as caught:
        source.token()
    text = str(caught.value)
    assert "The OAuth2 token endpoint is https://idp/oauth/token" in text
    assert "fdipsec:tokenUrl or FDIPSEC_TOKEN_URL" in text and "fdipsec:apiUrl" not in text


# --- a static token: Bearer, or HTTP Basic with a username ------------------------------------------


def test_a_static_token_alone_is_sent_as_bearer() -> None:
    assert StaticToken("tok").authorization("tok") == "Bearer tok"


def test_a_static_token_with_a_username_is_sent_as_basic() -> None:
    source = StaticToken("tök", "alice")
    scheme, _, encoded = source.authorization("tök").partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded, validate=True).decode("utf-8") == "alice:tök"
    assert encoded in source.secrets() and "tök" in source.secrets()  # both spellings get scrubbed


def api_refusal(status: int, source: StaticToken) -> FrontdoorError:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps({"error": "unauthorized", "message": "Bearer token is missing"}).encode()
    response.headers["Content-Type"] = "application/json"
    endpoint = Endpoint(origin="https://api.example.com", check=source.check)
    return error_from_response(
        response,
        method="GET",
        path="/frontdoor/v2/fd/ipsec-tunnels",
        secrets=source.secrets(),
        endpoint=endpoint,
    )


def test_an_api_401_names_the_api_url_and_the_static_token_settings() -> None:
    basic = str(api_refusal(401, StaticToken("tok", "alice")))
    assert basic.startswith(
        "Frontdoor API rejected GET https://api.example.com/frontdoor/v2/fd/ipsec-tunnels (401 unauthorized)"
    )
    for named in ("fdipsec:username or FDIPSEC_USERNAME", "fdipsec:token or FDIPSEC_TOKEN", "fdipsec:apiUrl"):
        assert named in basic
    assert "username 'alice'" in basic and "HTTP Basic" in basic and "system clock" in basic
    bearer = str(api_refusal(401, StaticToken("tok")))
    assert "Check the token (fdipsec:token or FDIPSEC_TOKEN), sent as a Bearer token" in bearer


def test_an_api_403_keeps_the_frontdoor_hint_and_names_the_credentials() -> None:
    error = api_refusal(403, StaticToken("tok", "alice"))
    assert isinstance(error, Forbidden)
    assert "fdipsec:frontdoorId" in str(error) and "fdipsec:username" in str(error)
    assert "https://api.example.com/frontdoor" in str(error)


def test_other_api_errors_are_unchanged_by_the_endpoint() -> None:
    error = api_refusal(404, StaticToken("tok"))
    assert isinstance(error, NotFound)
    assert str(error).startswith("Frontdoor API rejected GET /frontdoor/v2/fd/ipsec-tunnels (404")
    assert "fdipsec:token" not in str(error)


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
    basic = StaticToken("tok-SECRET", "alice")
    assert "SECRET" not in repr(basic) and basic.secrets()[1] not in repr(basic)
