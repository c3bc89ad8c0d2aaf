"""Tunnels of one Frontdoor whose peer networks overlap: traffic for the shared addresses has two routes.

The Frontdoor routes by destination, so with 172.31.0.0/16 behind one tunnel and 172.31.128.0/17 behind
another, half of the first site is reached through the second. Each site needs a network of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from itertools import combinations
from typing import Any

from fdipsec_pulumi.policy.frontdoors import frontdoor_of, phrase
from fdipsec_pulumi.policy.networks import Network, network, shared
from fdipsec_pulumi.policy.records import Record, Unknown, defer, exempt, in_order, is_tunnel, label, read

Report = Callable[[str, str | None], None]


def check(
    resources: Sequence[Record], config: Mapping[str, Any], default_frontdoor: str | None, report: Report
) -> None:
    known: list[tuple[Record, str, Network]] = []
    unknowns: list[Unknown] = []
    tunnels = [r for r in in_order(resources) if is_tunnel(r) and not exempt(r, config)]
    for tunnel in tunnels:
        cidr, frontdoor = read(tunnel, "peerCidr"), frontdoor_of(tunnel, default_frontdoor)
        unknowns += [value for value in (cidr, frontdoor) if isinstance(value, Unknown)]
        peer = network(cidr)
        if peer is not None and isinstance(frontdoor, str):
            known.append((tunnel, frontdoor, peer))
    for (a, frontdoor_a, peer_a), (b, frontdoor_b, peer_b) in combinations(known, 2):
        common = shared(peer_a, peer_b)
        if frontdoor_a != frontdoor_b or common is None:
            continue
        report(
            f"{label(a, f'peerCidr {peer_a}')} and {label(b, f'peerCidr {peer_b}')} are tunnels of "
            f"{phrase(frontdoor_a)} whose peer networks overlap in {common}: traffic to those addresses "
            f"could be routed to either site. Give each tunnel the network behind its own peer (change "
            f"peerCidr on one of them), or put one in another Frontdoor.",
            b.urn,
        )
    if len(tunnels) > 1:
        defer(unknowns)
