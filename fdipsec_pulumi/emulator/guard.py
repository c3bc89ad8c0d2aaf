"""Authentication and Frontdoor access, checked before any route or body parsing runs.

Doing this ahead of routing gives the API's precedence: a request without a valid token is a 401 even
when its body is malformed or its path unknown, and a Frontdoor the caller cannot see is a 403 before
anything about the tunnel is revealed.
"""

from __future__ import annotations

import base64
import binascii

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from fdipsec_pulumi.emulator.asgi import send_json
from fdipsec_pulumi.emulator.backend import Backend
from fdipsec_pulumi.emulator.errors import UNAUTHORIZED, ApiError, unknown_frontdoor

API_PREFIX = "/frontdoor/"
_FRONTDOOR_PREFIX = "/frontdoor/v2/"


class Guard:
    def __init__(self, app: ASGIApp, backend: Backend) -> None:
        self.app = app
        self.backend = backend

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(API_PREFIX):
            refusal = self._check(scope)
            if refusal is not None:
                await send_json(send, refusal.status, refusal.body(), refusal.headers)
                return
        await self.app(scope, receive, send)

    def _check(self, scope: Scope) -> ApiError | None:
        token = bearer_token(Headers(scope=scope).get("authorization"))
        if token is None or not self.backend.accepts_token(token):
            return UNAUTHORIZED
        path: str = scope["path"]
        if path.startswith(_FRONTDOOR_PREFIX):
            frontdoor_id = path[len(_FRONTDOOR_PREFIX) :].split("/", 1)[0]
            if frontdoor_id and not self.backend.knows_frontdoor(frontdoor_id):
                return unknown_frontdoor(frontdoor_id)
        return None


def bearer_token(authorization: str | None) -> str | None:
    """The token from ``Bearer <token>``, or from ``Basic base64(<username>:<token>)`` as the seeds allow."""
    if not authorization:
        return None
    scheme, _, credentials = authorization.strip().partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer":
        return credentials or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        _, sep, token = decoded.partition(":")
        return token if sep and token else None
    return None
