"""Runs the emulator in a background thread of the current process.

This is how tests and the CLI get a real HTTP server (real sockets, so clients, retries and dropped
connections behave as in production) without a subprocess. The pattern follows httpx's own test
server: a ``uvicorn.Server`` in a thread, polled until ``started``. uvicorn only installs signal
handlers in the main thread, so the embedding process keeps its own.

Sockets are bound here rather than by uvicorn so that port 0 works and ``url`` is known at once.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import TracebackType
from typing import Any, Self

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from fdipsec_pulumi.emulator.app import create_app
from fdipsec_pulumi.emulator.backend import Backend
from fdipsec_pulumi.emulator.edge import TRANSPORT_KEY

_START_TIMEOUT = 10.0


class _EmulatorH11(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, adapted to the emulator.

    It puts the connection's transport into each request's scope state, so ``Edge`` can drop the
    connection, and it leaves access logging to ``Edge`` alone: uvicorn logs whenever its access
    logger has handlers (pytest adds some), which would double every line.
    """

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.app_state = {**self.app_state, TRANSPORT_KEY: transport}
        self.access_log = False


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
            http=_EmulatorH11,
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
        if self._thread.is_alive():
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
        deadline = time.monotonic() + _START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the emulator did not start on {self.root_url}")
            time.sleep(0.01)


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
