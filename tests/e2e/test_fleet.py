"""Past the dynamic-provider host's four workers, on the real engine (issue 9, providers/hostpool.py).

The proof is in the emulator's request log, not in wall-clock time: a tunnel's ``tunnel-config`` answers
only once it is DEPLOYED, and the create asks for it as soon as it sees DEPLOYED. So when every create
runs at once, every POST comes before the first ``tunnel-config`` request and before the first tunnel
could have deployed; at the stock four workers, creates five to eight wait for a free worker, which only
frees up after a tunnel deployed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from tests.e2e.conftest import Emulator, StackFactory

pytestmark = pytest.mark.e2e

CREATES = 8
LATENCY = 3.0


def eight_tunnels() -> dict[str, Any]:
    return {
        f"wave-{n}": {
            "kind": "tunnel",
            "inputs": {
                "name": f"wave-{n}",
                "peerPublicIp": f"203.0.113.{40 + n}",
                "peerCidr": f"172.{16 + n}.0.0/16",
                "locationId": f"wave-location-{n}",
            },
        }
        for n in range(CREATES)
    }


def deploy(make_stack: StackFactory, emulator: Emulator, max_concurrency: str) -> list[dict[str, Any]]:
    emulator.configure(tunnelDelay=LATENCY)
    stack = make_stack(noTunnel=True, cases=eight_tunnels())
    # The engine's own limit (4 x cores) must not be what limits the wave.
    stack.extra_env.update(PULUMI_PARALLEL="32", FDIPSEC_MAX_CONCURRENCY=max_concurrency)
    emulator.call("DELETE", "requests")
    stack.up()
    return emulator.requests()


def posts_and_first_deployed(log: list[dict[str, Any]]) -> tuple[list[int], int]:
    posts = [i for i, e in enumerate(log) if e["method"] == "POST" and e["path"].endswith("/ipsec-tunnels")]
    configs = [i for i, e in enumerate(log) if e["path"].endswith("/tunnel-config")]
    assert len(posts) == CREATES and len(configs) == CREATES, log
    return posts, configs[0]


def at(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(entry["time"])


@pytest.mark.sdk_range
def test_eight_creates_run_in_one_wave(make_stack: StackFactory, emulator: Emulator) -> None:
    log = deploy(make_stack, emulator, "64")
    posts, first_deployed = posts_and_first_deployed(log)
    assert max(posts) < first_deployed, log
    # ... and the last POST was sent before the first tunnel could have deployed at all.
    assert (at(log[posts[-1]]) - at(log[posts[0]])).total_seconds() < LATENCY, log


def test_max_concurrency_four_is_the_stock_waves(make_stack: StackFactory, emulator: Emulator) -> None:
    log = deploy(make_stack, emulator, "4")
    posts, first_deployed = posts_and_first_deployed(log)
    assert sum(i < first_deployed for i in posts) == 4, log
