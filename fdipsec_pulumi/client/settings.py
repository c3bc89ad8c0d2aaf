"""Where the client's settings come from, decided in one place so every entry point agrees.

Each setting is taken from the first source that has it: explicit arguments, then the stack's
``fdipsec:*`` config (full keys, as a dynamic provider's ``configure`` receives them), then
``FDIPSEC_*`` environment variables. Empty and blank values count as unset, because an exported-but-empty
variable is a common accident.

Credentials are one choice, not a merge: a static token or a client id/secret pair. When both are
available, the one from the higher-priority source wins (a token set in the stack beats client
credentials in the environment, and the reverse); at the same priority the token wins. The loser is
dropped, so ``Settings`` always shows the credentials that will actually be used.

A ``username`` belongs to the static token: with it the token is sent as HTTP Basic
(``base64(username:token)``, the seeds' second scheme), without it as Bearer. It means nothing to client
credentials, so it is dropped with a losing token when it comes from a lower source than the client
credentials that won (a stray ``FDIPSEC_USERNAME``); set at the same or a higher priority it is kept, and
the first request fails naming both keys (client/auth.py), since the user asked for two schemes at once.

Without ``tokenUrl``, the OAuth2 token URL is derived from the API URL as ``scheme://host/oauth/token``.
That is where the emulator serves it; production users of client credentials must set ``tokenUrl`` to
their identity provider's token endpoint.

``retryTimeout`` is the time, in seconds, that one request (and a create's repeated POST) may spend riding
out 5xx answers and dropped connections before the error is raised: long enough for an API gateway's own
deploy, short enough that a real outage fails the run with the API's message rather than hanging it.

Nothing here checks that credentials exist: a client can be built during a preview without them, and
the first request that needs them raises a ``ConfigurationError`` naming the keys to set.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import urlsplit

from fdipsec_pulumi.client.errors import ConfigurationError

DEFAULT_API_URL = "https://gateway.production.netfoundry.io/frontdoor"

# field name -> (stack config key, environment variable)
SOURCES: dict[str, tuple[str, str]] = {
    "api_url": ("fdipsec:apiUrl", "FDIPSEC_API_URL"),
    "token": ("fdipsec:token", "FDIPSEC_TOKEN"),
    "frontdoor_id": ("fdipsec:frontdoorId", "FDIPSEC_FRONTDOOR_ID"),
    "client_id": ("fdipsec:clientId", "FDIPSEC_CLIENT_ID"),
    "client_secret": ("fdipsec:clientSecret", "FDIPSEC_CLIENT_SECRET"),
    "token_url": ("fdipsec:tokenUrl", "FDIPSEC_TOKEN_URL"),
    "username": ("fdipsec:username", "FDIPSEC_USERNAME"),
    "retry_timeout": ("fdipsec:retryTimeout", "FDIPSEC_RETRY_TIMEOUT"),
}
_SECRET_FIELDS = frozenset({"token", "client_secret"})

# Seconds of 5xx answers and dropped connections one request rides out; twice the 30 s a gateway's own
# deploy is allowed to take.
DEFAULT_RETRY_TIMEOUT = 60.0

MISSING_CREDENTIALS = (
    "no Frontdoor credentials: set fdipsec:token (pulumi config set --secret fdipsec:token ...) "
    "or FDIPSEC_TOKEN (with fdipsec:username or FDIPSEC_USERNAME for HTTP Basic), "
    "or fdipsec:clientId/fdipsec:clientSecret or FDIPSEC_CLIENT_ID/FDIPSEC_CLIENT_SECRET"
)
MISSING_FRONTDOOR_ID = (
    "no Frontdoor id: set fdipsec:frontdoorId (pulumi config set fdipsec:frontdoorId ...) "
    "or FDIPSEC_FRONTDOOR_ID, or pass frontdoor_id"
)


@dataclass(frozen=True)
class Settings:
    api_url: str = DEFAULT_API_URL
    token: str | None = None
    frontdoor_id: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    token_url: str | None = None
    username: str | None = None
    retry_timeout: float = DEFAULT_RETRY_TIMEOUT

    def __post_init__(self) -> None:
        object.__setattr__(self, "api_url", _checked_url(self.api_url, "api_url").rstrip("/"))
        if self.token_url is not None:
            _checked_url(self.token_url, "token_url")
        if self.username is not None and ":" in self.username:
            # The value is not quoted: a colon suggests "username:token" was pasted whole.
            raise ConfigurationError(
                f"the username must not contain ':' (HTTP Basic joins username and token with one); "
                f"fix {names('username')}, and keep the token in {names('token')}"
            )
        object.__setattr__(self, "retry_timeout", _seconds(self.retry_timeout, "retry_timeout"))

    def __repr__(self) -> str:
        shown = []
        for field in fields(self):
            value = getattr(self, field.name)
            if field.name in _SECRET_FIELDS and value is not None:
                shown.append(f"{field.name}=<redacted>")
            else:
                shown.append(f"{field.name}={value!r}")
        return f"Settings({', '.join(shown)})"

    @classmethod
    def resolve(
        cls,
        explicit: Mapping[str, str | None] | None = None,
        config: Mapping[str, str] | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Settings:
        """Build settings from the three sources; ``environ=None`` means the process environment."""
        unknown = set(explicit or {}) - set(SOURCES)
        if unknown:
            raise TypeError(f"unknown setting(s) {sorted(unknown)}; expected some of {sorted(SOURCES)}")
        layers = [
            {name: (explicit or {}).get(name) for name in SOURCES},
            {name: (config or {}).get(key) for name, (key, _) in SOURCES.items()},
            {
                name: (os.environ if environ is None else environ).get(var)
                for name, (_, var) in SOURCES.items()
            },
        ]
        values: dict[str, str | None] = {}
        rank: dict[str, int] = {}
        for name in SOURCES:
            for priority, layer in enumerate(layers):
                value = _clean(layer[name])
                if value is not None:
                    values[name], rank[name] = value, priority
                    break
        if values.get("client_id") and values.get("client_secret"):
            pair_rank = min(rank["client_id"], rank["client_secret"])
            if values.get("token") and rank["token"] <= pair_rank:
                dropped: tuple[str, ...] = ("client_id", "client_secret")
            else:
                dropped = ("token",) + (("username",) if rank.get("username", 0) > pair_rank else ())
            for name in dropped:
                values.pop(name, None)
        chosen: dict[str, Any] = {name: value for name, value in values.items() if value is not None}
        return cls(**chosen)

    @property
    def token_url_derived(self) -> bool:
        """True when ``effective_token_url`` is a guess from the API URL, which messages must say."""
        return not self.token_url

    @property
    def effective_token_url(self) -> str:
        if self.token_url:
            return self.token_url
        parts = urlsplit(self.api_url)
        return f"{parts.scheme}://{parts.netloc}/oauth/token"

    def require_frontdoor_id(self, frontdoor_id: str | None = None) -> str:
        """The Frontdoor an operation acts on: the argument, else the settings', else a clear error."""
        chosen = _clean(frontdoor_id) or self.frontdoor_id
        if chosen is None:
            raise ConfigurationError(MISSING_FRONTDOOR_ID)
        return chosen


def names(field: str) -> str:
    """``fdipsec:key or FDIPSEC_VAR``: how messages tell users where a setting comes from."""
    config_key, env_var = SOURCES[field]
    return f"{config_key} or {env_var}"


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _checked_url(url: str, name: str) -> str:
    parts = urlsplit(url)
    if "@" in parts.netloc:
        # Credentials in a URL would reach every message that names the server; the URL is not echoed.
        raise ConfigurationError(
            f"the {name} holds credentials (user:password@host); remove them from {names(name)} and set "
            f"{names('token')}, or {names('client_id')} and {names('client_secret')}, instead"
        )
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigurationError(f"{url!r} is not an http(s) URL; fix {names(name)}")
    return url


def _seconds(value: object, name: str) -> float:
    """A positive, finite number of seconds; a string as it comes from config or the environment."""
    try:
        seconds = float(str(value))
    except (TypeError, ValueError):
        seconds = float("nan")
    if not 0 < seconds < float("inf"):
        raise ConfigurationError(f"{value!r} is not a positive number of seconds; fix {names(name)}")
    return seconds
