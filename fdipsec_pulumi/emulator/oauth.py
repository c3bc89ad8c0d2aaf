"""The OAuth2 client-credentials token endpoint that stands in for NetFoundry's identity provider.

It is what lets client token handling be tested end to end: credentials as form fields or HTTP Basic,
RFC 6749 error codes, and tokens that really expire (on the emulator's clock). It is not part of the
Frontdoor API, so it stays out of the API's OpenAPI document.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qs, unquote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from fdipsec_pulumi.emulator.backend import Backend

TOKEN_PATH = "/oauth/token"  # noqa: S105 - a path
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _refuse(status: int, error: str, description: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"error": error, "error_description": description, "message": description}
    return JSONResponse(body, status_code=status, headers={**_NO_STORE, **(headers or {})})


def _basic(authorization: str | None) -> tuple[str, str] | None:
    scheme, _, encoded = (authorization or "").strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, sep, secret = decoded.partition(":")
    # RFC 6749 2.3.1: both parts are form-urlencoded before being joined.
    return (unquote(client_id), unquote(secret)) if sep else None


def oauth_router(backend: Backend) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.post(TOKEN_PATH)
    async def token(request: Request) -> JSONResponse:
        form = {k: v[0] for k, v in parse_qs((await request.body()).decode("utf-8", "replace")).items()}
        if form.get("grant_type") != "client_credentials":
            return _refuse(400, "unsupported_grant_type", "grant_type must be client_credentials")
        credentials = _basic(request.headers.get("authorization")) or (
            form.get("client_id", ""),
            form.get("client_secret", ""),
        )
        issued = backend.issue_token(*credentials)
        if issued is None:
            return _refuse(
                401, "invalid_client", "Unknown client or wrong secret", {"WWW-Authenticate": "Basic"}
            )
        body = {"access_token": issued.access_token, "token_type": "Bearer", "expires_in": issued.expires_in}
        return JSONResponse(body, headers=_NO_STORE)

    return router
