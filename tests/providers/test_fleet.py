"""A fleet through the providers, as the widened host runs it: many calls at once (issue 9).

What a fleet costs is counted on the emulator's request log: waiters and reads on one Frontdoor share
its list requests, and nothing is read staler than a GET of its own would be.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from pulumi.dynamic import CreateResult

from fdipsec_pulumi.providers.share import ShareProvider
from fdipsec_pulumi.providers.tunnel import TunnelProvider

from .conftest import FD, Control, share_props, tunnel_props

TUNNEL_LIST = re.compile(rf"/v2/{FD}/ipsec-tunnels$")
SHARE_LIST = re.compile(rf"/v2/{FD}/ipsec-shares$")
ONE_OBJECT = re.compile(r"/ipsec-(tunnels|shares)/[^/]+$")
T = TypeVar("T")


def at_once(calls: list[Callable[[], T]]) -> list[T]:
    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(lambda call: call(), calls))


def gets(control: Control, pattern: re.Pattern[str]) -> list[dict[str, Any]]:
    return [e for e in control.requests("GET") if pattern.search(e["path"])]


def create_tunnels(tunnels: TunnelProvider, count: int) -> list[CreateResult]:
    props = [tunnels.check({}, tunnel_props(n)).inputs for n in range(1, count + 1)]
    return at_once([lambda p=p: tunnels.create(p) for p in props])  # type: ignore[misc]


def test_waiters_on_one_frontdoor_share_their_polls(tunnels: TunnelProvider, control: Control) -> None:
    control.call("PUT", "/config", {"tunnelDelay": 3})
    created = create_tunnels(tunnels, 6)

    assert {result.outs["status"] for result in created} == {"DEPLOYED"}
    # One waiter alone polls about 4 times in 3 s; six of them share those polls instead of six-fold.
    lists = gets(control, TUNNEL_LIST)
    assert len(lists) <= 10, lists
    assert gets(control, ONE_OBJECT) == []


def test_concurrent_reads_share_a_listing(
    tunnels: TunnelProvider, shares: ShareProvider, control: Control
) -> None:
    [tunnel] = create_tunnels(tunnels, 1)
    made = [shares.create(shares.check({}, share_props(tunnel.id, port=8000 + n)).inputs) for n in range(8)]
    control.clear_requests()

    reads = at_once([lambda share=share: shares.read(share.id, share.outs) for share in made])  # type: ignore[misc]

    assert [read.id for read in reads] == [share.id for share in made]
    assert len(gets(control, SHARE_LIST)) <= 2
    assert gets(control, ONE_OBJECT) == []


def test_a_read_right_after_an_out_of_band_change_sees_it(
    shares: ShareProvider, tunnels: TunnelProvider, control: Control
) -> None:
    [tunnel] = create_tunnels(tunnels, 1)
    share = shares.create(shares.check({}, share_props(tunnel.id)).inputs)
    assert shares.read(share.id, share.outs).outs["target"] == "10.20.100.1:8443"

    control.call("PATCH", f"/resources/shares/{share.id}", {"target": "10.20.100.9:8443"})

    assert shares.read(share.id, share.outs).outs["target"] == "10.20.100.9:8443"


def test_refresh_sees_a_changed_sample_config(tunnels: TunnelProvider, control: Control) -> None:
    [created] = create_tunnels(tunnels, 1)
    control.call("PATCH", f"/resources/tunnels/{created.id}", {"peerPublicIp": "198.51.100.77"})

    read = tunnels.read(created.id, created.outs)

    assert read.outs["sampleConfig"] != created.outs["sampleConfig"]
    assert "198.51.100.77" in read.outs["sampleConfig"]


def test_a_tunnel_read_costs_a_shared_listing_and_its_two_documents(
    tunnels: TunnelProvider, control: Control
) -> None:
    created = create_tunnels(tunnels, 4)
    control.clear_requests()

    at_once([lambda tunnel=tunnel: tunnels.read(tunnel.id, tunnel.outs) for tunnel in created])  # type: ignore[misc]

    paths = [e["path"] for e in control.requests("GET")]
    assert sum(p.endswith("/tunnel-config") for p in paths) == 4
    assert sum(p.endswith("/sample-config") for p in paths) == 4
    assert len(gets(control, TUNNEL_LIST)) <= 2
