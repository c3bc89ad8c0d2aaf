"""Ends Pulumi's dynamic-provider host process when the engine that started it is gone.

Why: the engine starts ``pulumi-resource-pulumi-python`` (a shell script that runs
``python -m pulumi.dynamic <engine address>``) in its own process group, and that host then waits forever
(``Event().wait()``). A CLI that is SIGKILLed mid-deployment never tells it to stop, so it is reparented
to init and lives on, still holding its gRPC port and any create it was polling. Nothing in the SDK
watches for that, so the host process watches for it itself once our package is loaded in it: the first
provider call unpickles one of our providers, which imports this package.

Activation is guarded: it happens only when ``__main__`` is the SDK's ``pulumi.dynamic`` module (never in
a program, a test or a REPL), at most once, and a failure to start the watch is one info line
(``fdipsec_pulumi.shapes``), never an exception: watching is a courtesy, and the provider must work
without it. ``tests/providers/test_sdk_shapes.py`` starts the installed SDK's host as the engine does and
ends it by closing the engine's port.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import PurePath

from fdipsec_pulumi.shapes import shape_differs

# The module that `python -m pulumi.dynamic` runs as __main__, and the end of its file's path.
DYNAMIC_HOST_MAIN = "pulumi.dynamic.__main__"
DYNAMIC_HOST_FILE = ("pulumi", "dynamic", "__main__.py")
WATCH_THREAD = "fdipsec-engine-watch"
# How often the watch looks. The engine's address answering a TCP connect is the liveness signal, as the
# stock plugins' gRPC health check is; a local connect costs microseconds.
CHECK_INTERVAL = 1.0
CONNECT_TIMEOUT = 5.0

_started = False
_lock = threading.Lock()


def in_dynamic_provider_host(main: object | None = None) -> bool:
    """True only in the process that `python -m pulumi.dynamic` started (``main``: its ``__main__``
    module, the running process's when not given).

    ``python -m`` gives ``__main__`` the module's spec, which names it. A host started another way, by
    the module's path, has no spec; it is recognised by its file, and says so once.
    """
    module = main if main is not None else sys.modules.get("__main__")
    spec = getattr(module, "__spec__", None)
    if getattr(spec, "name", None) == DYNAMIC_HOST_MAIN:
        return True
    file = getattr(module, "__file__", None)
    if spec is None and isinstance(file, str) and PurePath(file).parts[-3:] == DYNAMIC_HOST_FILE:
        shape_differs(
            "host detection",
            f"__main__ has no module spec naming {DYNAMIC_HOST_MAIN}",
            f"recognised as the dynamic-provider host by its file, {file}",
        )
        return True
    return False


def engine_address(argv: Sequence[str]) -> tuple[str, int] | None:
    """The engine's ``host:port``, which the engine passes every plugin as its first argument."""
    if len(argv) < 2:
        return None
    host, sep, port = argv[1].rpartition(":")
    if not sep or not host or not port.isdigit():
        return None
    return host.strip("[]"), int(port)


def engine_gone(address: tuple[str, int]) -> bool:
    """The engine's port refuses connections: the CLI process has exited. A slow or busy engine is alive."""
    try:
        with socket.create_connection(address, timeout=CONNECT_TIMEOUT):
            return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False


def watch(
    address: tuple[str, int] | None,
    parent_pid: int,
    *,
    interval: float = CHECK_INTERVAL,
    is_gone: Callable[[tuple[str, int]], bool] = engine_gone,
    get_parent_pid: Callable[[], int] = os.getppid,
    sleep: Callable[[float], None] = time.sleep,
    stop: Callable[[], None] | None = None,
) -> None:
    """Loops until the engine is gone or our parent (the launcher script) has died, then stops the process.

    ``os._exit`` because there is no one left to report to: the engine's pipes are gone, and a normal exit
    would wait for the gRPC server's non-daemon threads and for provider calls that may poll for minutes.
    """
    end: Callable[[], None] = stop if stop is not None else (lambda: os._exit(0))
    while True:
        sleep(interval)
        if get_parent_pid() != parent_pid or (address is not None and is_gone(address)):
            end()
            return


def activate() -> bool:
    """Starts the watch in the dynamic-provider host, once; returns whether it runs. Never raises."""
    global _started
    try:
        if not in_dynamic_provider_host():
            return False
        with _lock:
            if _started:
                return True
            address = engine_address(sys.argv)
            if address is None:
                shape_differs(
                    "engine watch",
                    f"the host's first argument is not the engine's host:port ({sys.argv[1:2]!r})",
                    "the host ends itself only when its parent process exits",
                )
            thread = threading.Thread(
                target=watch, args=(address, os.getppid()), name=WATCH_THREAD, daemon=True
            )
            thread.start()
            _started = True
            return True
    except Exception as exc:
        shape_differs(
            "engine watch",
            f"it did not start ({type(exc).__name__}: {exc})",
            "the host may outlive a killed CLI, as stock",
        )
        return False
