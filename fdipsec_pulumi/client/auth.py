"""Credentials for every request: a fixed token, sent as Bearer or (with a username) as HTTP Basic, or
OAuth2 client credentials fetched lazily, cached and refreshed.

The provider host serves up to ``fdipsec:maxConcurrency`` engine calls at once (providers/hostpool.py),
and all their threads share one token source, so the cache sits behind a lock and only one thread
fetches while the others wait for its result. A token is refreshed a margin before it expires (10% of
its lifetime, at most 60 s) so a request never leaves with a token that dies in flight, and once more
when the API answers 401 anyway (clock skew, revocation).

Each source also says which settings chose it (``check``, ``token_endpoint``): a refusal is only
actionable when it names the server that refused and the keys that would fix it. Those sentences hold
setting names, URLs and identifiers (username, client id), never a secret.
"""

from __future__ import annotations

import base64
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import requests

from fdipsec_pulumi.client.errors import (
    TOKEN_ENDPOINT,
    ConfigurationError,
    Endpoint,
    FrontdoorError,
    TransportError,
    error_from_response,
)
from fdipsec_pulumi.client.settings import MISSING_CREDENTIALS, Settings, names

MAX_REFRESH_MARGIN = 60.0
REFRESH_MARGIN_FRACTION = 0.1
DEFAULT_EXPIRES_IN = 3600.0
CLOCK = "and that the system clock is right"
API_URL = f"the API URL ({names('api_url')})"
CLIENT_CREDENTIALS = "fdipsec:clientId/fdipsec:clientSecret or FDIPSEC_CLIENT_ID/FDIPSEC_CLIENT_SECRET"

# Sends the token request; the transport supplies it so token fetches get the same retries and logging.
TokenPost = Callable[[str, dict[str, str], tuple[str, str]], requests.Response]


class TokenSource(Protocol):
    refreshable: bool

    @property
    def check(self) -> str:
        """What to check when the API refuses these credentials: the settings that chose them."""
        ...

    def token(self) -> str: ...

    def authorization(self, token: str) -> str:
        """The ``Authorization`` header's value that carries ``token``."""
        ...

    def invalidate(self, token: str) -> None: ...

    def secrets(self) -> tuple[str, ...]: ...


@dataclass
class StaticToken:
    value: str
    username: str | None = None
    refreshable = False

    def __repr__(self) -> str:
        scheme = f"Basic, username={self.username!r}" if self.username else "Bearer"
        return f"StaticToken({scheme}, <redacted>)"

    @property
    def check(self) -> str:
        if self.username:
            return (
                f"Check the username {self.username!r} ({names('username')}) and the token "
                f"({names('token')}), sent as HTTP Basic, and {API_URL}, {CLOCK}"
            )
        return (
            f"Check the token ({names('token')}), sent as a Bearer token (set {names('username')} "
            f"to send it as HTTP Basic instead), and {API_URL}, {CLOCK}"
        )

    def token(self) -> str:
        return self.value

    def authorization(self, token: str) -> str:
        if self.username:
            return f"Basic {_basic(self.username, token)}"
        return f"Bearer {token}"

    def invalidate(self, token: str) -> None:
        """A fixed token cannot be replaced; the 401 reaches the caller as Unauthorized."""

    def secrets(self) -> tuple[str, ...]:
        # The Basic credentials are the token in another spelling; scrub that spelling too.
        return (self.value, _basic(self.username, self.value)) if self.username else (self.value,)


@dataclass
class MissingCredentials:
    """Stands in until a request needs a token, so building a client never fails."""

    reason: str
    refreshable = False
    check = ""

    def token(self) -> str:
        raise ConfigurationError(self.reason)

    def authorization(self, token: str) -> str:
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
        *,
        token_url_derived: bool = False,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._token_url = token_url
        self._post = post
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._refresh_at = 0.0
        parts = urlsplit(token_url)
        self._path = parts.path or "/"
        credentials = f"the client credentials of client id {client_id!r} ({CLIENT_CREDENTIALS})"
        where = f"the token URL ({names('token_url')})"
        if token_url_derived:
            where += (
                f", which is not set, so {token_url} was derived from fdipsec:apiUrl; if your identity "
                "provider's token endpoint is elsewhere, set it: pulumi config set fdipsec:tokenUrl "
                "https://<host>/<path>"
            )
        self.check = f"Check {credentials}, whose tokens come from {token_url}, and {API_URL}, {CLOCK}"
        self.token_endpoint = Endpoint(
            origin=f"{parts.scheme}://{parts.netloc}",
            check=f"Check {credentials} and {where}",
            service=TOKEN_ENDPOINT,
        )

    def __repr__(self) -> str:
        return f"ClientCredentials(client_id={self._client_id!r}, token_url={self._token_url!r})"

    def token(self) -> str:
        with self._lock:
            if self._token is None or self._clock() >= self._refresh_at:
                self._token = self._fetch()
            return self._token

    def authorization(self, token: str) -> str:
        return f"Bearer {token}"

    def invalidate(self, token: str) -> None:
        with self._lock:
            # Only the first of several threads that saw a 401 with this token forces a new fetch.
            if self._token == token:
                self._token = None

    def secrets(self) -> tuple[str, ...]:
        return tuple(s for s in (self._client_secret, self._token) if s)

    def _fetch(self) -> str:
        started = self._clock()
        try:
            response = self._post(
                self._token_url,
                {"grant_type": "client_credentials"},
                (self._client_id, self._client_secret),
            )
        except TransportError as exc:
            # The transport's hint names the API URL; this request went to the token endpoint.
            raise TransportError(
                exc.message,
                ambiguous=exc.ambiguous,
                method=exc.method,
                path=exc.path,
                hint=f"The {TOKEN_ENDPOINT} is {self._token_url}. {self.token_endpoint.check}",
            ) from None
        if not 200 <= response.status_code < 300:
            raise error_from_response(
                response,
                method="POST",
                path=self._path,
                secrets=self.secrets(),
                endpoint=self.token_endpoint,
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


def _basic(username: str, token: str) -> str:
    """RFC 7617's credentials, UTF-8 encoded: the seeds' ``Basic base64(<username>:<token>)``."""
    return base64.b64encode(f"{username}:{token}".encode()).decode("ascii")


def token_source_for(settings: Settings, post: TokenPost, clock: Callable[[], float]) -> TokenSource:
    """The credentials ``settings`` chose (settings.py decided which), or the reason there are none."""
    has_pair = bool(settings.client_id and settings.client_secret)
    if settings.token:
        return StaticToken(settings.token, settings.username)
    if settings.username and (has_pair or settings.client_id or settings.client_secret):
        return MissingCredentials(
            f"both a username ({names('username')}) and client credentials ({CLIENT_CREDENTIALS}) are "
            f"set: a username goes with a static token ({names('token')}) for HTTP Basic, client "
            "credentials fetch Bearer tokens; remove one (pulumi config rm fdipsec:username, or "
            "pulumi config rm fdipsec:clientId and fdipsec:clientSecret)"
        )
    if has_pair:
        return ClientCredentials(
            settings.client_id or "",
            settings.client_secret or "",
            settings.effective_token_url,
            post,
            clock,
            token_url_derived=settings.token_url_derived,
        )
    if settings.client_id or settings.client_secret:
        missing = names("client_id") if settings.client_secret else names("client_secret")
        return MissingCredentials(f"incomplete Frontdoor client credentials: also set {missing}")
    if settings.username:
        return MissingCredentials(
            f"a username is set ({names('username')}) but no token: HTTP Basic sends the username with "
            f"the token, so set fdipsec:token (pulumi config set --secret fdipsec:token ...) or "
            "FDIPSEC_TOKEN"
        )
    return MissingCredentials(MISSING_CREDENTIALS)
