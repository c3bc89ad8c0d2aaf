"""The engine watch of the dynamic-provider host process: guarded, and ending the process when it should.

In the installed SDK's real host it is checked in ``tests/providers/test_sdk_shapes.py``, which starts
the host as the engine does and ends it by closing the engine's port."""

from __future__ import annotations

import socket

from fdipsec_pulumi.providers import hostprocess


def test_not_active_outside_the_dynamic_provider_host() -> None:
    # Importing the providers (as every program and test does) starts nothing.
    assert not hostprocess.in_dynamic_provider_host()
    assert hostprocess.activate() is False


def test_engine_address_is_the_first_argument() -> None:
    assert hostprocess.engine_address(["__main__.py", "127.0.0.1:4321"]) == ("127.0.0.1", 4321)
    assert hostprocess.engine_address(["__main__.py", "[::1]:4321"]) == ("::1", 4321)
    assert hostprocess.engine_address(["__main__.py"]) is None
    assert hostprocess.engine_address(["__main__.py", "--flag"]) is None


def test_engine_gone_only_when_its_port_refuses() -> None:
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        address = listening.getsockname()
        assert hostprocess.engine_gone(address) is False
    assert hostprocess.engine_gone(address) is True


def run_watch(gone: list[bool], parents: list[int]) -> int:
    """Runs the watch over scripted checks; returns how many checks it made before stopping."""
    checks = iter(zip(gone, parents, strict=True))
    made: list[int] = []
    current: list[bool] = []

    def is_gone(_: tuple[str, int]) -> bool:
        return current[-1]

    def parent() -> int:
        engine_gone, parent_pid = next(checks)
        current.append(engine_gone)
        made.append(1)
        return parent_pid

    stopped: list[bool] = []
    hostprocess.watch(
        ("127.0.0.1", 1),
        100,
        is_gone=is_gone,
        get_parent_pid=parent,
        sleep=lambda _: None,
        stop=lambda: stopped.append(True),
    )
    assert stopped == [True]
    return len(made)


def test_watch_stops_the_process_when_the_engine_is_gone() -> None:
    assert run_watch(gone=[False, False, True], parents=[100, 100, 100]) == 3


def test_watch_stops_the_process_when_its_parent_died() -> None:
    assert run_watch(gone=[False, False], parents=[100, 1]) == 2
