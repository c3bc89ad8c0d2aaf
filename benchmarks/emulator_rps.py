"""Requests per second the emulator sustains on loopback, for GET and POST.

Starts the emulator CLI in its own process (so client and server do not share a GIL), drives it from
a pool of threads that each own a ``requests.Session`` (keep-alive, as a real client), and reports
throughput and latency percentiles. The run is bounded by ``--requests`` per phase and stops by itself.

    .venv/bin/python benchmarks/emulator_rps.py [--requests 2000] [--threads 8] [--url URL]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import requests

FRONTDOOR = "3d6d2b6e-6c7a-4a7f-8c3d-9a9d2e1f0b1c"
TOKEN = "fdipsec-local-token"


@dataclass
class Result:
    name: str
    count: int
    seconds: float
    latencies_ms: list[float]
    errors: int

    def line(self) -> str:
        quantiles = statistics.quantiles(self.latencies_ms, n=100)
        return (
            f"{self.name:<22} {self.count / self.seconds:>8.0f} req/s   "
            f"p50 {quantiles[49]:6.2f} ms   p95 {quantiles[94]:6.2f} ms   "
            f"p99 {quantiles[98]:6.2f} ms   errors {self.errors}"
        )


@contextmanager
def emulator() -> Iterator[str]:
    """The CLI on a free port; yields the API base URL it announces."""
    process = subprocess.Popen(
        [sys.executable, "-m", "fdipsec_pulumi.emulator", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stderr is not None
    stderr = process.stderr
    try:
        for line in stderr:
            if found := re.search(r"API base URL (\S+)", line):
                break
        else:
            raise RuntimeError("the emulator exited before announcing its URL")
        # Its per-request log lines must be drained, or the pipe fills and the server blocks.
        threading.Thread(target=lambda: [None for _ in stderr], daemon=True).start()
        yield found.group(1)
    finally:
        process.terminate()
        process.wait(timeout=10)


def run(
    name: str, count: int, threads: int, make: Callable[[requests.Session, int], requests.Response]
) -> Result:
    local = threading.local()
    sessions: list[requests.Session] = []

    def one(i: int) -> tuple[float, bool]:
        if not hasattr(local, "session"):
            local.session = requests.Session()
            local.session.headers.update({"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"})
            sessions.append(local.session)
        started = time.perf_counter()
        ok = make(local.session, i).status_code < 400
        return (time.perf_counter() - started) * 1000, ok

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        outcomes = list(pool.map(one, range(count)))
    elapsed = time.perf_counter() - started
    for session in sessions:
        session.close()
    return Result(name, count, elapsed, [ms for ms, _ in outcomes], sum(not ok for _, ok in outcomes))


def benchmark(url: str, count: int, threads: int) -> list[Result]:
    base = f"{url}/v2/{FRONTDOOR}"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    body = {"name": "bench", "peerPublicIp": "203.0.113.1", "peerCidr": "10.0.0.0/8", "locationId": "bench-1"}
    tunnel = requests.post(f"{base}/ipsec-tunnels", json=body, headers=headers, timeout=10).json()["id"]

    def share(i: int) -> dict[str, object]:
        return {
            "name": f"s{i}",
            "ipsecTunnelId": tunnel,
            "envZId": "bench",
            "target": "h:1",
            "ingressPort": i + 1,
        }

    return [
        run("GET tunnel", count, threads, lambda s, i: s.get(f"{base}/ipsec-tunnels/{tunnel}", timeout=10)),
        run("GET tunnels (list)", count, threads, lambda s, i: s.get(f"{base}/ipsec-tunnels", timeout=10)),
        run(
            "POST share",
            count,
            threads,
            lambda s, i: s.post(f"{base}/ipsec-shares", json=share(i), timeout=10),
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=2000, help="requests per phase (at most 65535)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--url", help="an emulator's API base URL; default: start one")
    args = parser.parse_args()
    count = min(args.requests, 65535)
    if args.url:
        results = benchmark(args.url, count, args.threads)
    else:
        with emulator() as url:
            results = benchmark(url, count, args.threads)
    print(f"{count} requests per phase, {args.threads} threads, loopback")
    for result in results:
        print(result.line())
    return 0 if all(result.errors == 0 for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
