"""Past the dynamic-provider host's four workers (issue 9).

Pulumi's Python dynamic-provider host (``python -m pulumi.dynamic``) serves every call of
every dynamic resource in a stack from ``grpc.server(ThreadPoolExecutor(max_workers=4))``. A create
holds its worker for its whole wait, so a fleet deploys in waves of four, whatever ``--parallel`` says.
When our providers are configured inside that host, ``widen`` raises that one executor's
``_max_workers`` to ``fdipsec:maxConcurrency`` (``FDIPSEC_MAX_CONCURRENCY``, default 64); the executor
starts the extra threads itself as calls arrive.

Guarded on purpose, as this reaches into another package's private state:
- it acts only inside the host process (``__main__`` is ``pulumi.dynamic.__main__``), never in a
  program, a test or anybody else's process; importing this module does nothing at all;
- it acts only on that host's gRPC server executor: the one ``ThreadPoolExecutor`` held by a live
  ``grpc._server`` state, still at the stock 4 workers, that runs the calling thread;
- anything unexpected (an SDK release that changed the host's shape) prints one info line
  (``fdipsec_pulumi.shapes``) and leaves the host at its stock 4; it never raises.
  ``tests/providers/test_sdk_shapes.py`` widens the real host (``python -m pulumi.dynamic``) of the
  installed SDK, so a ``pulumi`` release that breaks it fails our tests rather than users' stacks;
- ``maxConcurrency = 4`` (or less) changes nothing: exactly the stock behaviour.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fdipsec_pulumi.providers.hostprocess import in_dynamic_provider_host
from fdipsec_pulumi.shapes import shape_differs, to_stdout

CONFIG_KEY = "fdipsec:maxConcurrency"
ENV_VAR = "FDIPSEC_MAX_CONCURRENCY"
DEFAULT = 64
# What the SDK's host starts with; the shape the unit test pins.
STOCK_WORKERS = 4

_lock = threading.Lock()
_done = False


def max_concurrency(config: Mapping[str, Any], environ: Mapping[str, str]) -> int:
    """The configured width: stack config, then environment, then the default; a bad value warns (once,
    via ``widen``'s caller) and falls back to the default rather than failing a deployment."""
    for raw in (config.get(CONFIG_KEY), environ.get(ENV_VAR)):
        if raw is None or not str(raw).strip():
            continue
        try:
            value = int(float(str(raw).strip()))
        except ValueError:
            to_stdout(f"{CONFIG_KEY}={raw!r} is not a number; using {DEFAULT}")
            return DEFAULT
        return max(1, value)
    return DEFAULT


def in_host_process() -> bool:
    """True only in the SDK's dynamic-provider host, started as ``python -m pulumi.dynamic``."""
    return in_dynamic_provider_host()


def host_executor(objects: Iterable[object] | None = None) -> ThreadPoolExecutor | str:
    """The host's gRPC executor, or why it cannot be told apart with certainty.

    ``objects`` defaults to everything the garbage collector tracks: ``main()`` keeps the server in a
    local variable, so there is no other way to reach it.
    """
    pools: list[ThreadPoolExecutor] = []
    for obj in gc.get_objects() if objects is None else objects:
        kind = type(obj)
        if kind.__name__ == "_ServerState" and kind.__module__ == "grpc._server":
            pool = getattr(obj, "thread_pool", None)
            if isinstance(pool, ThreadPoolExecutor) and pool not in pools:
                pools.append(pool)
    if len(pools) != 1:
        return f"found {len(pools)} gRPC server executors, expected 1"
    pool = pools[0]
    for attribute in ("_max_workers", "_adjust_thread_count", "_work_queue", "_threads"):
        if not hasattr(pool, attribute):
            return f"the gRPC executor has no {attribute}"
    workers = getattr(pool, "_max_workers", None)
    if workers != STOCK_WORKERS:
        return f"the gRPC executor has {workers!r} workers, expected the stock {STOCK_WORKERS}"
    return pool


def widen_executor(pool: ThreadPoolExecutor, workers: int, *, current: threading.Thread | None = None) -> str:
    """Raise ``pool``'s worker limit to ``workers``; returns what was done, for the one info line.

    ``current`` (the calling thread by default) must be one of the pool's own threads: configure runs on
    a worker of the host's executor, which proves it is the executor serving our calls.
    """
    thread = current or threading.current_thread()
    # The executor records a new worker just after starting it, so its first call may arrive first.
    deadline = time.monotonic() + 1.0
    while thread not in getattr(pool, "_threads", ()):
        if time.monotonic() > deadline:
            return "the calling thread is not one of the gRPC executor's workers"
        time.sleep(0.01)
    if workers <= STOCK_WORKERS:
        return ""
    pool._max_workers = workers
    # Calls already queued behind the four busy workers get threads now, not on the next submit.
    backlog = pool._work_queue.qsize()
    for _ in range(min(backlog, workers - STOCK_WORKERS)):
        pool._adjust_thread_count()
    return ""


def widen(config: Mapping[str, Any], environ: Mapping[str, str] = os.environ) -> None:
    """Called from every provider's ``configure``: widens the host's executor once per process."""
    global _done
    if not in_host_process():
        return
    with _lock:
        if _done:
            return
        _done = True
        try:
            workers = max_concurrency(config, environ)
            if workers <= STOCK_WORKERS:
                return
            pool = host_executor()
            problem = pool if isinstance(pool, str) else widen_executor(pool, workers)
        except Exception as exc:  # never fail a deployment over a speed-up
            problem = f"{type(exc).__name__}: {exc}"
        if problem:
            shape_differs(
                CONFIG_KEY,
                problem,
                f"not applied, this host serves at most {STOCK_WORKERS} calls at once, as stock",
            )
