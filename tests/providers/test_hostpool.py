"""The executor widening (providers/hostpool.py): its mechanics on a gRPC server's executor, and its guards.

The installed SDK's own host (``python -m pulumi.dynamic``) is widened in ``test_sdk_shapes.py``; the
real-engine proof is ``tests/e2e/test_fleet.py::test_eight_creates_run_in_one_wave``.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import grpc
import pytest

from fdipsec_pulumi import shapes
from fdipsec_pulumi.providers import hostpool


@pytest.fixture
def host_server() -> Iterator[grpc.Server]:
    """A gRPC server on a four-worker executor, as the SDK's host serves from."""
    server = grpc.server(ThreadPoolExecutor(max_workers=hostpool.STOCK_WORKERS))
    server.add_insecure_port("127.0.0.1:0")
    server.start()
    yield server
    server.stop(0)


def host_executor_of(server: grpc.Server) -> ThreadPoolExecutor | str:
    state = server._state  # type: ignore[attr-defined]
    return hostpool.host_executor([state, object()])


def run_on(pool: ThreadPoolExecutor, workers: int) -> str:
    """widen_executor called from one of the pool's own threads, as configure is in the host."""
    return pool.submit(hostpool.widen_executor, pool, workers).result(timeout=10)


def concurrency(pool: ThreadPoolExecutor, calls: int) -> int:
    """How many of ``calls`` blocking calls ran at once."""
    running = 0
    peak = 0
    lock = threading.Lock()
    release = threading.Event()

    def call() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        release.wait(0.5)
        with lock:
            running -= 1

    futures = [pool.submit(call) for _ in range(calls)]
    for future in futures:
        future.result(timeout=30)
    return peak


def test_widened_executor_runs_that_many_calls_at_once(host_server: grpc.Server) -> None:
    pool = host_executor_of(host_server)
    assert isinstance(pool, ThreadPoolExecutor)
    assert run_on(pool, 16) == ""
    assert concurrency(pool, 16) == 16


def test_four_is_exactly_stock(host_server: grpc.Server) -> None:
    pool = host_executor_of(host_server)
    assert isinstance(pool, ThreadPoolExecutor)
    assert run_on(pool, 4) == ""
    assert pool._max_workers == 4  # type: ignore[attr-defined]
    assert concurrency(pool, 8) == 4


def test_only_the_executor_running_the_caller_is_widened(host_server: grpc.Server) -> None:
    pool = host_executor_of(host_server)
    assert isinstance(pool, ThreadPoolExecutor)
    assert "not one of" in hostpool.widen_executor(pool, 64)  # called from the test's own thread
    assert pool._max_workers == 4  # type: ignore[attr-defined]


def test_a_changed_shape_is_recognised() -> None:
    other = ThreadPoolExecutor(max_workers=8)
    try:
        fake_state = type("_ServerState", (), {"__module__": "grpc._server", "thread_pool": other})()
        assert "expected the stock 4" in str(hostpool.host_executor([fake_state]))
        assert "found 0" in str(hostpool.host_executor([other]))
    finally:
        other.shutdown()


def test_outside_the_host_nothing_happens(monkeypatch: pytest.MonkeyPatch) -> None:
    scanned: list[bool] = []
    monkeypatch.setattr(gc, "get_objects", lambda: scanned.append(True) or [])
    hostpool.widen({hostpool.CONFIG_KEY: "128"})
    assert not hostpool.in_host_process()
    assert scanned == []


def test_inside_a_changed_host_it_warns_once_and_never_raises(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(hostpool, "in_host_process", lambda: True)
    monkeypatch.setattr(hostpool, "_done", False)
    monkeypatch.setattr(shapes, "_said", set())

    def broken(objects: object = None) -> ThreadPoolExecutor | str:
        raise AttributeError("the SDK moved things")

    monkeypatch.setattr(hostpool, "host_executor", broken)
    hostpool.widen({})
    hostpool.widen({})
    assert capsys.readouterr().out.splitlines() == [
        "fdipsec-pulumi: fdipsec:maxConcurrency: AttributeError: the SDK moved things; "
        "not applied, this host serves at most 4 calls at once, as stock"
    ]


@pytest.mark.parametrize(
    ("config", "environ", "expected"),
    [
        ({}, {}, 64),
        ({hostpool.CONFIG_KEY: "4"}, {}, 4),
        ({hostpool.CONFIG_KEY: None}, {hostpool.ENV_VAR: "100"}, 100),
        ({hostpool.CONFIG_KEY: "32"}, {hostpool.ENV_VAR: "100"}, 32),
        ({}, {hostpool.ENV_VAR: " "}, 64),
        ({hostpool.CONFIG_KEY: "0"}, {}, 1),
    ],
)
def test_max_concurrency_sources(
    config: dict[str, str | None], environ: dict[str, str], expected: int
) -> None:
    assert hostpool.max_concurrency(config, environ) == expected
