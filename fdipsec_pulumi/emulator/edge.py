"""The outermost layer: request ids, the access log, the request log and injected faults.

Faults live here, ahead of the application, because the failures worth rehearsing happen on the wire:
a gateway answering 503 or 429 before the API sees the request, a slow network, a connection that
drops before the request arrives or after it was processed (the ambiguous case a client must handle by
re-reading). Dropping needs the socket itself; the emulator's server puts the asyncio transport into
the ASGI scope state for that (see ``server.py``).

The access log line carries method, path, query, status and timing only: never a header or a body, so
no token or pre-shared key can reach a log.
"""

from __future__ import annotations

import asyncio
import http
import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from fdipsec_pulumi.emulator.asgi import send_json
from fdipsec_pulumi.emulator.backend import Backend
from fdipsec_pulumi.emulator.faults import FaultSpec

CONTROL_PREFIX = "/_emulator"
TRANSPORT_KEY = "fdipsec.transport"
logger = logging.getLogger("fdipsec_pulumi.emulator")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


class ConnectionDropped(Exception):
    """Raised where a server gives no access to its transport, so a drop cannot be a real one."""


class Edge:
    def __init__(self, app: ASGIApp, backend: Backend) -> None:
        self.app = app
        self.backend = backend

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(CONTROL_PREFIX):
            await self.app(scope, receive, send)
            return
        started, at = time.perf_counter(), time.time()
        request_id = _request_id(scope)
        status: int | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            fault = self.backend.faults.fire(scope["method"], scope["path"])
            if fault is None:
                await self.app(scope, receive, send_with_id)
            else:
                await self._inject(fault, scope, receive, send_with_id)
        except BaseException:
            status = status or 500
            raise
        finally:
            self._record(scope, status, at, (time.perf_counter() - started) * 1000, request_id)

    async def _inject(self, fault: FaultSpec, scope: Scope, receive: Receive, send: Send) -> None:
        if fault.latency:
            await asyncio.sleep(fault.latency)
        if fault.drop == "before":
            await _drop(scope, receive)
        elif fault.drop == "after":
            await self.app(scope, receive, _discard)
            await _drop(scope, receive)
        elif fault.status is not None:
            await _answer(fault.status, fault.retry_after, send)
        else:
            await self.app(scope, receive, send)

    def _record(
        self, scope: Scope, status: int | None, at: float, duration_ms: float, request_id: str
    ) -> None:
        method, path = scope["method"], scope["path"]
        query = scope.get("query_string", b"").decode("latin-1")
        self.backend.requests.record(
            method=method, path=path, query=query, status=status, at=at, duration_ms=duration_ms
        )
        target = f"{path}?{query}" if query else path
        outcome = "dropped" if status is None else str(status)
        logger.info("%s %s -> %s in %.1f ms [%s]", method, target, outcome, duration_ms, request_id)


def _request_id(scope: Scope) -> str:
    """The caller's X-Request-Id when it is a plausible one, so logs on both sides correlate."""
    for name, value in scope["headers"]:
        if name == b"x-request-id":
            candidate = bytes(value).decode("latin-1")
            if _REQUEST_ID.match(candidate):
                return candidate
    return uuid.uuid4().hex


async def _answer(status: int, retry_after: float | None, send: Send) -> None:
    phrase = _phrase(status)
    headers = {} if retry_after is None else {"Retry-After": f"{retry_after:g}"}
    body = {"error": phrase.lower().replace(" ", "_"), "message": f"Injected fault: {status} {phrase}"}
    await send_json(send, status, body, headers)


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Injected Error"


async def _discard(message: Message) -> None:
    """Swallows the response of a request whose connection is dropped after handling."""


async def _drop(scope: Scope, receive: Receive) -> None:
    """Closes the connection without a response, then waits until the server has noticed.

    Waiting for ``http.disconnect`` matters: returning earlier would make the server think the app
    forgot to respond, and it would log an error and try to send a 500 down the closed socket.
    """
    transport: Any = scope.get("state", {}).get(TRANSPORT_KEY)
    if transport is None:
        raise ConnectionDropped("this server does not expose its transport; cannot drop for real")
    transport.close()
    while (await receive())["type"] != "http.disconnect":
        pass
