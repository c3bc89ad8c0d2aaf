"""One exception tree for everything the client can raise, and the one place responses become exceptions.

Callers (the providers, users' scripts) catch by meaning, not by HTTP status: ``NotFound`` means "gone",
``Conflict`` means "exists already", ``TransportError(ambiguous=True)`` means "look before you POST again".
Every message is a sentence a user can act on, and none may carry a credential or a pre-shared key, so
messages are built only from the API's JSON ``error``/``message`` fields (never raw bodies or headers),
and known secrets are scrubbed from them as a last line of defence.

A refusal of credentials (401/403, or any refusal from the OAuth2 token endpoint) is only actionable when
it says which server refused and which settings chose that server and those credentials, so such errors
carry the full URL and a hint from the ``Endpoint`` the request went to. Other API errors show only the
path: the host is the configured API URL and repeating it would bury the API's message.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests

_REDACTED = "[redacted]"
# Shorter than any token or client secret an identity provider issues.
MIN_SECRET_LENGTH = 8
_MAX_API_MESSAGE = 500


API = "Frontdoor API"
TOKEN_ENDPOINT = "OAuth2 token endpoint"  # noqa: S105 - a name, not a credential


@dataclass(frozen=True)
class Endpoint:
    """The server a request went to, and the settings to check when it refuses the credentials.

    Built by the credentials themselves (client/auth.py), which know which settings chose them; it holds
    a URL and setting names, never a credential.
    """

    origin: str  # scheme://host[:port]
    check: str  # a sentence naming the settings that choose this server and these credentials
    service: str = API

    @property
    def issues_tokens(self) -> bool:
        return self.service == TOKEN_ENDPOINT


class FrontdoorError(Exception):
    """Base of the tree. ``message`` is the API's own message when there was one."""

    hint = ""
    # What a user does about it, for docs/reference.md; ``hint`` is also appended to the message.
    remedy = ""
    verb = "rejected"

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        code: str | None = None,
        method: str | None = None,
        path: str | None = None,
        request_id: str | None = None,
        origin: str | None = None,
        service: str = API,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.http_status = http_status
        self.code = code
        self.method = method
        self.path = path
        self.request_id = request_id
        self.origin = origin
        self.service = service
        if hint is not None:
            self.hint = hint
        super().__init__(self._sentence())

    def _sentence(self) -> str:
        if self.http_status is None:
            text = self.message
        else:
            detail = " ".join(str(part) for part in (self.http_status, self.code) if part)
            where = f"{self.origin or ''}{self.path}"
            text = f"{self.service} {self.verb} {self.method} {where} ({detail}): {self.message}"
        if self.hint:
            text = f"{text.rstrip('.')}. {self.hint}"
        if self.request_id:
            text = f"{text} [request id {self.request_id}]"
        return text

    def add_hint(self, words: str) -> None:
        """Append to the hint, such as how long a create was retried before it was given up."""
        self.hint = f"{self.hint.rstrip('.')}; {words}" if self.hint else words
        self.args = (self._sentence(),)

    def __repr__(self) -> str:
        fields = ("http_status", "code", "method", "origin", "path", "request_id")
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in fields if getattr(self, name))
        return f"{type(self).__name__}({shown})" if shown else f"{type(self).__name__}({self.message!r})"


class ConfigurationError(FrontdoorError):
    """Settings are missing or malformed; raised before any request is sent."""

    remedy = "Set what the message names: the fdipsec:* stack config or the FDIPSEC_* environment"


class InvalidRequest(FrontdoorError):
    """400 (and 422): the request itself is wrong and will fail again unchanged."""

    remedy = "Change the input the API's message names; retrying unchanged fails the same way"


class Unauthorized(FrontdoorError):
    """401 after one token refresh, or the token endpoint refused the client credentials.

    The hint here is the fallback; a request sent by the transport gets its ``Endpoint``'s, which names
    the one kind of credentials in use."""

    hint = (
        "Check the token (fdipsec:token or FDIPSEC_TOKEN) or the client credentials "
        "(fdipsec:clientId/fdipsec:clientSecret), and that the system clock is right"
    )


class Forbidden(FrontdoorError):
    """403: the credentials do not reach this Frontdoor, or the Frontdoor does not exist."""

    hint = (
        "Check that the Frontdoor id (fdipsec:frontdoorId or FDIPSEC_FRONTDOOR_ID) exists, "
        "that IPsec is enabled for it, and that the credentials grant access to it"
    )


class NotFound(FrontdoorError):
    """404: the object does not exist (any more)."""

    remedy = (
        "Check the id; a resource whose object is gone drops out of state on `pulumi refresh`, "
        "and `up` creates it again"
    )


class Conflict(FrontdoorError):
    """409, or an existing object a create must not take over (providers/adoption.py)."""

    remedy = (
        "An object of the same name, location or port exists that this resource did not create: "
        "import it (`import_`), delete it, or choose another name, location or port (docs/adoption.md)"
    )


class RateLimited(FrontdoorError):
    """429 that outlasted the retries; ``retry_after`` is the server's last hint in seconds."""

    remedy = "Run again later, or with a lower --parallel"

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kwargs)


class ServerError(FrontdoorError):
    """5xx that outlasted the retries (or a POST, which is never retried on 5xx)."""

    hint = "This is a problem on the Frontdoor side; try again later"
    verb = "failed on"


class TransportError(FrontdoorError):
    """No HTTP response at all. ``ambiguous`` is True when the request may have reached the server."""

    hint = "Check that the API URL (fdipsec:apiUrl or FDIPSEC_API_URL) is right and reachable from here"

    def __init__(self, message: str, *, ambiguous: bool, **kwargs: Any) -> None:
        self.ambiguous = ambiguous
        super().__init__(message, **kwargs)


class WaitFailed(FrontdoorError):
    """The object reached a failure or unexpected status, or vanished; ``last`` is the last one seen."""

    remedy = (
        "Read the API's reason in the message; a create that ends in ERROR removes the failed object, "
        "so fix the input and run `up` again"
    )

    def __init__(self, message: str, *, last: object = None) -> None:
        self.last = last
        super().__init__(message)


class WaitTimeout(FrontdoorError):
    """The object did not reach its target in time; ``last`` is the last one seen."""

    remedy = (
        "Run `up` again: the next create adopts the object this one started (docs/adoption.md); "
        "raise custom_timeouts if the API is slow"
    )

    def __init__(self, message: str, *, last: object = None) -> None:
        self.last = last
        super().__init__(message)


_BY_STATUS: dict[int, type[FrontdoorError]] = {
    400: InvalidRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: InvalidRequest,
    429: RateLimited,
}


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """Scrub every known secret from text that came from outside (an API message, an exception).

    One pass, longest secret first, so each occurrence is replaced once and a marker is never scrubbed
    again. A value shorter than ``MIN_SECRET_LENGTH`` is no credential anyone issues, and replacing it
    would only shred the words around it (a token ``t`` in ``ConnectionError``), so it is left alone.
    """
    wanted = sorted({s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True)
    if not wanted:
        return text
    return re.sub("|".join(re.escape(secret) for secret in wanted), _REDACTED, text)


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds from a Retry-After header: delay-seconds, or an HTTP date (RFC 9110 allows both, and
    gateways in front of APIs send dates). A date in the past means "now"."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - now()
        except (TypeError, ValueError, IndexError):
            return None
    return max(seconds, 0.0)


def error_from_response(
    response: requests.Response,
    *,
    method: str,
    path: str,
    secrets: Iterable[str | None] = (),
    endpoint: Endpoint | None = None,
    retried: str | None = None,
) -> FrontdoorError:
    """Map any non-2xx response to its exception; the single place statuses gain a meaning.

    With an ``endpoint``, a refusal of credentials names the server's URL and the settings to check. A
    token endpoint refuses wrong client credentials with 400 or 401 (RFC 6749 5.2), and a redirect or 404
    there means a wrong token URL, so every 3xx and 4xx but 429 from it is ``Unauthorized``. ``retried``
    says how long the transport tried before giving up, when it tried more than once.
    """
    status = response.status_code
    code, message = _error_fields(response)
    code = redact(code, secrets)[:_MAX_API_MESSAGE] if code else None
    kwargs: dict[str, Any] = {
        "http_status": status,
        "code": code,
        "method": method,
        "path": path,
        "request_id": response.headers.get("X-Request-Id"),
    }
    text = redact(message, secrets)[:_MAX_API_MESSAGE]
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else FrontdoorError)
    if endpoint is not None and endpoint.issues_tokens and 300 <= status < 500 and status != 429:
        cls = Unauthorized
    if endpoint is not None and (endpoint.issues_tokens or cls in (Unauthorized, Forbidden)):
        kwargs.update(origin=endpoint.origin, service=endpoint.service)
        if cls is Unauthorized:
            kwargs["hint"] = endpoint.check
        elif cls is Forbidden:
            kwargs["hint"] = f"{Forbidden.hint}. {endpoint.check}"
    if cls is RateLimited:
        error: FrontdoorError = RateLimited(
            text, retry_after=parse_retry_after(response.headers.get("Retry-After")), **kwargs
        )
    else:
        error = cls(text, **kwargs)
    if retried is not None:
        error.add_hint(retried)
    return error


def _error_fields(response: requests.Response) -> tuple[str | None, str]:
    """The API's ``error`` and ``message`` (a token endpoint's ``error_description``, RFC 6749 5.2); any
    other body is described, never quoted."""
    content_type = response.headers.get("Content-Type", "unknown content type").split(";")[0]
    try:
        body = json.loads(response.content) if "json" in content_type else None
    except ValueError:
        body = None
    code = body.get("error") if isinstance(body, dict) else None
    code = code if isinstance(code, str) else None
    if isinstance(body, dict):
        for field in ("message", "error_description"):
            if isinstance(body.get(field), str):
                return code, body[field]
    reason = response.reason or "no reason given"
    return code, f"{reason} (the {content_type} body is not shown)"
