"""Bearer tokens: a fixed one, or OAuth2 client credentials fetched lazily, cached and refreshed.

The four gRPC worker threads of a dynamic provider share one token source, so the cache sits behind a
lock and only one thread fetches while the others wait for its result. A token is refreshed a margin
before it expires (10% of its lifetime, at most 60 s) so a request never leaves with a token that dies
in flight, and once more when the API answers 401 anyway (clock skew, revocation).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import requests

from fdipsec_pulumi.client.errors import (
    ConfigurationError,
    FrontdoorError,
    Unauthorized,
    error_from_response,
)
from fdipsec_pulumi.client.settings import MISSING_CREDENTIALS, Settings

MAX_REFRESH_MARGIN = 60.0
REFRESH_MARGIN_FRACTION = 0.1
DEFAULT_EXPIRES_IN = 3600.0

# Sends the token request; the transport supplies it so token fetches get the same retries and logging.
TokenPost = Callable[[str, dict[str, str], tuple[str, str]], requests.Response]


class TokenSource(Protocol):
    refreshable: bool

    def token(self) -> str: ...

    def invalidate(self, token: str) -> None: ...

    def secrets(self) -> tuple[str, ...]: ...


@dataclass
class StaticToken:
    value: str
    refreshable = False

    def __repr__(self) -> str:
        return "StaticToken(<redacted>)"

    def token(self) -> str:
        return self.value

    def invalidate(self, token: str) -> None:
        """A fixed token cannot be replaced; the 401 reaches the caller as Unauthorized."""

    def secrets(self) -> tuple[str, ...]:
        return (self.value,)


@dataclass
class MissingCredentials:
    """Stands in until a request needs a token, so building a client never fails."""

    reason: str
    refreshable = False

    def token(self) -> str:
        raise ConfigurationError(self.reason)

    def invalidate(self, token: str) -> None:
        """Nothing was ever issued."""

    def secrets(self) -> tuple[str, ...]:
        return ()


class ClientCredentials:
    refreshable = True

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        token_url: str,
        post: TokenPost,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._token_url = token_url
        self._post = post
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._refresh_at = 0.0

    def __repr__(self) -> str:
        return f"ClientCredentials(client_id={self._client_id!r}, token_url={self._token_url!r})"

    def token(self) -> str:
        with self._lock:
            if self._token is None or self._clock() >= self._refresh_at:
                self._token = self._fetch()
            return self._token

    def invalidate(self, token: str) -> None:
        with self._lock:
            # Only the first of several threads that saw a 401 with this token forces a new fetch.
            if self._token == token:
                self._token = None

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self._client_secret, self._token) if s)

    def _fetch(self) -> str:
        started = self._clock()
        response = self._post(
            self._token_url,
            {"grant_type": "client_credentials"},
            (self._client_id, self._client_secret),
        )
        path = urlsplit(self._token_url).path
        if response.status_code >= 500:
            raise error_from_response(response, method="POST", path=path, secrets=self.secrets())
        if response.status_code != 200:
            code = _oauth_error(response)
            raise Unauthorized(
                f"the token endpoint refused the client credentials of client id {self._client_id!r}",
                http_status=response.status_code,
                code=code,
                method="POST",
                path=path,
                request_id=response.headers.get("X-Request-Id"),
            )
        try:
            body = response.json()
            token = body["access_token"]
            expires_in = float(body.get("expires_in", DEFAULT_EXPIRES_IN))
        except (ValueError, KeyError, TypeError, AttributeError):
            token = None
        if not isinstance(token, str) or not token:
            raise FrontdoorError(f"the token endpoint {self._token_url} answered without an access_token")
        margin = min(MAX_REFRESH_MARGIN, expires_in * REFRESH_MARGIN_FRACTION)
        self._refresh_at = started + expires_in - margin
        return token


def _oauth_error(response: requests.Response) -> str | None:
    """RFC 6749's ``error`` code (``invalid_client``...); the description is not needed to act."""
    try:
        code = response.json().get("error")
    except (ValueError, AttributeError):
        return None
    return code if isinstance(code, str) else None


def token_source_for(settings: Settings, post: TokenPost, clock: Callable[[], float]) -> TokenSource:
    if settings.token:
        return StaticToken(settings.token)
    if settings.client_id and settings.client_secret:
        return ClientCredentials(
            settings.client_id, settings.client_secret, settings.effective_token_url, post, clock
        )
    if settings.client_id or settings.client_secret:
        missing = "fdipsec:clientSecret or FDIPSEC_CLIENT_SECRET"
        if settings.client_secret:
            missing = "fdipsec:clientId or FDIPSEC_CLIENT_ID"
        return MissingCredentials(f"incomplete Frontdoor client credentials: also set {missing}")
    return MissingCredentials(MISSING_CREDENTIALS)
