"""The uvicorn internals ``emulator/server.py`` uses, checked against the installed uvicorn, and the one
log line and stock behaviour it falls back to when one of them is not as expected.

The internals: the HTTP/1.1 protocol class in ``uvicorn.protocols.http.h11_impl`` (subclassed so that
each request's scope carries its connection's transport, and access logging is left to the emulator),
and ``uvicorn.Server``'s ``started`` and ``should_exit`` flags.
"""

from __future__ import annotations

import importlib
import logging
import socket
import time
import types
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import uvicorn

from fdipsec_pulumi import shapes
from fdipsec_pulumi.emulator import EmulatorServer, server

from .conftest import FD, TOKEN

TUNNEL = {"name": "dc", "peerPublicIp": "203.0.113.7", "peerCidr": "10.7.0.0/16"}


@pytest.fixture(autouse=True)
def fresh(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Each test sees the once-per-process lines afresh, and the emulator's log at INFO."""
    monkeypatch.setattr(shapes, "_said", set())
    caplog.set_level(logging.INFO, logger="fdipsec_pulumi.emulator")
    server.http_protocol.cache_clear()
    yield
    server.http_protocol.cache_clear()


def shape_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith(shapes.PREFIX)]


def post_tunnel(emulator: EmulatorServer) -> requests.Response:
    return requests.post(
        f"{emulator.url}/v2/{FD}/ipsec-tunnels",
        json=TUNNEL,
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    )


def drop_next_post(emulator: EmulatorServer) -> None:
    spec = {"method": "POST", "path": r"/ipsec-tunnels$", "drop": "before", "count": 1}
    requests.post(f"{emulator.root_url}/_emulator/faults", json=spec, timeout=10).raise_for_status()


def refuses(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


# --- the installed uvicorn --------------------------------------------------------------------------


def test_the_protocol_is_built_on_the_installed_uvicorns_h11() -> None:
    protocol = server.http_protocol()
    base = getattr(importlib.import_module(server.H11_MODULE), server.H11_CLASS)
    assert isinstance(protocol, type) and issubclass(protocol, base)


def test_on_the_installed_uvicorn_drops_are_real_and_nothing_falls_back(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Port 0, the bound port known at once, a drop that closes the connection (the transport reached the
    scope), one access line per request (uvicorn's own is off), and a stop that ends the server."""
    with EmulatorServer(port=0) as emulator:
        assert emulator.port != 0
        assert emulator.url == f"http://127.0.0.1:{emulator.port}/frontdoor"
        drop_next_post(emulator)
        with pytest.raises(requests.ConnectionError):
            post_tunnel(emulator)
        assert post_tunnel(emulator).status_code == 202
    assert not emulator._thread.is_alive()
    assert refuses(emulator.port)
    assert shape_lines(caplog) == []
    assert [r for r in caplog.records if r.name == "uvicorn.access"] == []
    assert len([r for r in caplog.records if "/ipsec-tunnels -> 202" in r.getMessage()]) == 1


# --- another shape: one log line, and the stock behaviour -------------------------------------------


def test_an_h11_module_that_moved_serves_with_the_stock_h11_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    moved = "uvicorn.protocols.http.h11_moved"
    monkeypatch.setattr(server, "H11_MODULE", moved)  # a uvicorn release that renamed the module
    with EmulatorServer(port=0) as emulator:
        assert server.http_protocol() == "h11"
        drop_next_post(emulator)
        assert post_tunnel(emulator).status_code == 500  # the drop cannot be real: an error answer
        assert post_tunnel(emulator).status_code == 202
    [line] = shape_lines(caplog)
    assert line.startswith(
        f"{shapes.PREFIX}{server.H11_MODULE}.{server.H11_CLASS}: {server.H11_MODULE} is not "
    )
    assert line.endswith("; serving with uvicorn's stock h11; dropped-connection faults answer 500")


def test_an_h11_module_without_the_class_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(server, "H11_CLASS", "HTTP11Protocol")  # a uvicorn release that renamed the class
    assert server.http_protocol() == "h11"
    assert server.http_protocol() == "h11"
    assert shape_lines(caplog) == [
        f"{shapes.PREFIX}{server.H11_MODULE}.HTTP11Protocol: {server.H11_MODULE} has no protocol class "
        "HTTP11Protocol; serving with uvicorn's stock h11; dropped-connection faults answer 500"
    ]


def test_connections_whose_app_state_is_not_a_dict_serve_without_real_drops(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A uvicorn that keeps each connection's state in another type: the transport is not added."""
    base = getattr(importlib.import_module(server.H11_MODULE), server.H11_CLASS)
    stock_init = base.__init__

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        stock_init(self, *args, **kwargs)
        self.app_state = types.MappingProxyType(self.app_state)

    monkeypatch.setattr(base, "__init__", init)
    with EmulatorServer(port=0) as emulator:
        drop_next_post(emulator)
        assert post_tunnel(emulator).status_code == 500
        assert post_tunnel(emulator).status_code == 202
    assert shape_lines(caplog) == [
        f"{shapes.PREFIX}{server.H11_CLASS}.app_state: its connections have no app_state dict; "
        "dropped-connection faults answer 500 instead of closing the connection"
    ]


def test_connections_without_an_access_log_flag_say_so_and_never_raise(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Bare:
        """A protocol of another shape: none of the attributes the adaptation sets."""

        def connection_made(self, transport: object) -> None:
            pass

    adapted: Any = type("Adapted", (server._TransportInState, Bare), {})
    connection = adapted()
    connection.connection_made(object())
    connection.connection_made(object())
    assert shape_lines(caplog) == [
        f"{shapes.PREFIX}{server.H11_CLASS}.app_state: its connections have no app_state dict; "
        "dropped-connection faults answer 500 instead of closing the connection",
        f"{shapes.PREFIX}{server.H11_CLASS}.access_log: its connections have no access_log flag; "
        "uvicorn may log each request a second time beside the emulator's own line",
    ]


class NoStartedFlag(uvicorn.Server):
    """A uvicorn whose ``started`` is not a boolean attribute."""

    @property  # type: ignore[override]
    def started(self) -> None:
        return None

    @started.setter
    def started(self, value: object) -> None:
        pass


class NoExitFlag(uvicorn.Server):
    """A uvicorn whose ``should_exit`` is not a boolean attribute (``ended`` stops it, for cleanup)."""

    ended = False

    @property  # type: ignore[override]
    def should_exit(self) -> bool | None:
        return True if self.ended else None

    @should_exit.setter
    def should_exit(self, value: object) -> None:
        pass


def test_a_server_without_started_is_used_once_its_socket_listens(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(uvicorn, "Server", NoStartedFlag)
    with EmulatorServer(port=0) as emulator:
        assert post_tunnel(emulator).status_code == 202  # queued on the socket until uvicorn is up
    assert not emulator._thread.is_alive()
    assert shape_lines(caplog) == [
        f"{shapes.PREFIX}uvicorn.Server.started: uvicorn.Server has no boolean started; "
        f"{server.START_INSTEAD}"
    ]


# Ending it for cleanup makes uvicorn close the socket stop() already closed, in its own thread.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_server_without_should_exit_is_left_to_end_with_the_process(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(uvicorn, "Server", NoExitFlag)
    emulator = EmulatorServer(port=0)
    try:
        assert post_tunnel(emulator).status_code == 202
        began = time.monotonic()
        emulator.stop()  # does not wait for a thread it cannot stop
        assert time.monotonic() - began < 1
        assert refuses(emulator.port)
        assert shape_lines(caplog) == [
            f"{shapes.PREFIX}uvicorn.Server.should_exit: uvicorn.Server has no boolean should_exit; "
            f"{server.STOP_INSTEAD}"
        ]
    finally:
        emulator._server.ended = True  # type: ignore[attr-defined]
        emulator._thread.join(timeout=10)
