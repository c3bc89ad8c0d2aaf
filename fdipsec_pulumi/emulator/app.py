"""Assembles the emulator's ASGI application around a backend.

Layers, outermost first: ``Edge`` (request ids, logs, faults), ``Guard`` (token and Frontdoor),
then FastAPI's routing with handlers that give every error, including FastAPI's and Starlette's own
(422, 404, 405), the seeds' ``{"error", "message"}`` shape.
"""

from __future__ import annotations

import http
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from fdipsec_pulumi.emulator import openapi
from fdipsec_pulumi.emulator.api import public_router
from fdipsec_pulumi.emulator.backend import Backend
from fdipsec_pulumi.emulator.control import control_router
from fdipsec_pulumi.emulator.edge import Edge
from fdipsec_pulumi.emulator.errors import ApiError
from fdipsec_pulumi.emulator.guard import Guard
from fdipsec_pulumi.emulator.oauth import oauth_router
from fdipsec_pulumi.emulator.validation import api_error

logger = logging.getLogger("fdipsec_pulumi.emulator")
_METHODS = ("DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")


def create_app(backend: Backend) -> FastAPI:
    app = FastAPI(
        title="NetFoundry Frontdoor V2 IPsec API (fdipsec emulator)",
        version="2",
        description="IPsec tunnels and shares under /frontdoor/v2/{frontdoorId}, as emulated locally.",
    )
    app.state.backend = backend
    app.include_router(public_router(backend))
    app.include_router(oauth_router(backend))
    app.include_router(control_router(backend))
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _server_error)
    app.add_middleware(Guard, backend=backend)
    app.add_middleware(Edge, backend=backend)
    openapi.install(app)
    return app


def _render(error: ApiError) -> JSONResponse:
    return JSONResponse(error.body(), status_code=error.status, headers=error.headers)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return _render(exc)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return _render(api_error(exc.errors(), request.url.path))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 404:
        error = ApiError(404, "not_found", f"No resource at {request.method} {request.url.path}")
    elif exc.status_code == 405:
        allowed = ", ".join(_allowed_methods(request))
        message = f"Method {request.method} is not allowed on {request.url.path}; allowed: {allowed}"
        error = ApiError(405, "method_not_allowed", message, {**headers, "Allow": allowed})
    elif exc.status_code == 400:
        error = ApiError(400, "invalid_request", f"Value for body must be of type JSON: {exc.detail}")
    else:
        phrase = http.HTTPStatus(exc.status_code).phrase
        error = ApiError(exc.status_code, phrase.lower().replace(" ", "_"), str(exc.detail), headers)
    return _render(error)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves on this path; Starlette's Allow names only the first route's."""
    routes = request.app.router.routes
    return [
        method
        for method in _METHODS
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes)
    ]


async def _server_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("Unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return JSONResponse({"error": "internal_error", "message": "The emulator failed; see its log"}, 500)
