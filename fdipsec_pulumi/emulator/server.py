"""Runs the emulator in a background thread of the current process.

This is how tests and the CLI get a real HTTP server (real sockets, so clients, retries and dropped
connections behave as in production) without a subprocess. The pattern follows httpx's own test
server: a ``uvicorn.Server`` in a thread, polled until ``started``. uvicorn only installs signal
handlers in the main thread, so the embedding process keeps its own.

Three of uvicorn's internals are used: its HTTP/1.1 protocol class (``uvicorn.protocols.http.h11_impl``,
with ``app_state`` and ``access_log`` on each connection) and the server's ``started`` and
``should_exit`` flags. Where one is not as expected the emulator runs without what it gave and logs one
info line saying so (``fdipsec_pulumi.shapes``); ``tests/emulator/test_server_shape.py`` checks them
against the installed uvicorn.

Sockets are bound here rather than by uvicorn so that port 0 works and ``url`` is known at once.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import logging
import socket
import threading
import time
from types import TracebackType
from typing import Any, Self

import uvicorn

from fdipsec_pulumi.emulator.app import create_app
from fdipsec_pulumi.emulator.backend import Backend
from fdipsec_pulumi.emulator.edge import TRANSPORT_KEY
from fdipsec_pulumi.shapes import PREFIX, shape_differs

_START_TIMEOUT = 10.0
# uvicorn's HTTP/1.1 protocol, which the emulator's is built on: a private module of uvicorn.
H11_MODULE = "uvicorn.protocols.http.h11_impl"
H11_CLASS = "H11Protocol"
logger = logging.getLogger("fdipsec_pulumi.emulator")


def _differs(place: str, problem: str, instead: str) -> None:
    """The emulator's line goes to its log, where its other lines are."""
    shape_differs(place, problem, instead, emit=lambda line: logger.info("%s%s", PREFIX, line))


class _TransportInState:
    """Mixed into uvicorn's HTTP/1.1 protocol to adapt it to the emulator.

    It puts the connection's transport into each request's scope state, so ``Edge`` can drop the
    connection, and it leaves access logging to ``Edge`` alone: uvicorn logs whenever its access
    logger has handlers (pytest adds some), which would double every line.
    """

    def connection_made(self, transport: asyncio.Transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        state = getattr(self, "app_state", None)
        if isinstance(state, dict):
            self.app_state = {**state, TRANSPORT_KEY: transport}
        else:
            _differs(
                f"{H11_CLASS}.app_state",
                "its connections have no app_state dict",
                "dropped-connection faults answer 500 instead of closing the connection",
            )
        if hasattr(self, "access_log"):
            self.access_log = False
        else:
            _differs(
                f"{H11_CLASS}.access_log",
                "its connections have no access_log flag",
                "uvicorn may log each request a second time beside the emulator's own line",
            )


@functools.cache
def http_protocol() -> type[asyncio.Protocol] | str:
    """The protocol class the emulator serves with, or uvicorn's stock ``"h11"`` when the class it is
    built on is not where it was (a uvicorn release that moved it)."""
    return _adapted(_h11_protocol())


def _h11_protocol() -> type[Any] | None:
    try:
        base = getattr(importlib.import_module(H11_MODULE), H11_CLASS, None)
    except ImportError as exc:
        problem = f"{H11_MODULE} is not importable ({exc})"
    else:
        if isinstance(base, type) and issubclass(base, asyncio.Protocol):
            return base
        problem = f"{H11_MODULE} has no protocol class {H11_CLASS}"
    _differs(
        f"{H11_MODULE}.{H11_CLASS}",
        problem,
        "serving with uvicorn's stock h11; dropped-connection faults answer 500",
    )
    return None


def _adapted(base: type[Any] | None) -> type[asyncio.Protocol] | str:
    if base is None:
        return "h11"
    adapted: type[asyncio.Protocol] = type("_EmulatorH11", (_TransportInState, base), {})
    return adapted


class EmulatorServer:
    def __init__(
        self, backend: Backend | None = None, *, host: str = "127.0.0.1", port: int = 0, **backend_kwargs: Any
    ) -> None:
        if backend is not None and backend_kwargs:
            raise TypeError("pass either a backend or backend keyword arguments, not both")
        self._owns_backend = backend is None
        self.backend = backend if backend is not None else Backend(**backend_kwargs)
        self._socket = _listen(host, port)
        self.host, self.port = host, self._socket.getsockname()[1]
        config = uvicorn.Config(
            create_app(self.backend),
            http=http_protocol(),
            ws="none",
            lifespan="off",
            log_config=None,
            access_log=False,
            timeout_graceful_shutdown=2,
            # uvicorn's 5 s default closes idle keep-alive connections while a client may be sending on
            # one (a test waiting on `pulumi up`, a provider between polls): the request then dies with
            # "Remote end closed connection". Gateways keep idle connections for a minute or more.
            timeout_keep_alive=75,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="fdipsec-emulator", daemon=True
        )
        self._thread.start()
        self._wait_started()

    @property
    def root_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        """The API base URL, as a client's ``api_url`` expects it."""
        return f"{self.root_url}/frontdoor"

    @property
    def token_url(self) -> str:
        return f"{self.root_url}/oauth/token"

    def stop(self) -> None:
        if self._thread.is_alive() and _has(self._server, "should_exit", STOP_INSTEAD):
            self._server.should_exit = True
            self._thread.join(timeout=_START_TIMEOUT)
        self._socket.close()
        if self._owns_backend:
            self.backend.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"EmulatorServer(url={self.url!r})"

    def _wait_started(self) -> None:
        if not _has(self._server, "started", START_INSTEAD):
            return
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the emulator did not start on {self.root_url}")
            time.sleep(0.01)


START_INSTEAD = "the emulator is used as soon as its socket listens; uvicorn answers once it is up"
STOP_INSTEAD = "stop() closes the socket and leaves uvicorn's daemon thread to end with the process"


def _has(server: uvicorn.Server, flag: str, instead: str) -> bool:
    """uvicorn.Server's ``started`` and ``should_exit`` are attributes, not documented API."""
    if isinstance(getattr(server, flag, None), bool):
        return True
    _differs(f"uvicorn.Server.{flag}", f"uvicorn.Server has no boolean {flag}", instead)
    return False


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # The explicit IPPROTO_TCP matters: asyncio only sets TCP_NODELAY on connections of sockets that
    # name their protocol, and without it keep-alive requests stall ~40 ms on delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)
    return sock
