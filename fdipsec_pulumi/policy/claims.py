"""What the API gives out once per Frontdoor or per tunnel, asked for twice in one stack.

The API refuses a second tunnel at a Frontdoor's location or load-balancer address, and a second share on
a tunnel's ingress port. Found at preview, the conflict costs a line in review; found by the API, it
stops ``pulumi up`` halfway, with the first of the two already made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fdipsec_pulumi.policy.frontdoors import frontdoor_of, phrase
from fdipsec_pulumi.policy.records import (
    Record,
    Unknown,
    defer,
    dependency_urns,
    exempt,
    in_order,
    is_share,
    is_tunnel,
    label,
    read,
)

Report = Callable[[str, str | None], None]

TUNNEL_CLAIMS = {
    "locationId": "only one tunnel is allowed per Frontdoor and location",
    "nlbPrivateIp": "a load-balancer address belongs to one tunnel",
}


def tunnel_of(share: Record) -> str | Unknown | None:
    """The tunnel a share is published on: the resource its id comes from, or the literal id."""
    sources = sorted(dependency_urns(share, "ipsecTunnelId"))
    if sources:
        return sources[0]
    value = read(share, "ipsecTunnelId")
    return value if isinstance(value, Unknown | str) else None


def port(value: Any) -> int | None:
    """An ingress port as the provider's check reads it: a number, or digits in a string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and int(value) == value:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def check(
    resources: Sequence[Record], config: Mapping[str, Any], default_frontdoor: str | None, report: Report
) -> None:
    unknowns: list[Unknown] = []
    claimed: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    tunnels = [r for r in in_order(resources) if is_tunnel(r) and not exempt(r, config)]
    for tunnel in tunnels:
        frontdoor = frontdoor_of(tunnel, default_frontdoor)
        for key in TUNNEL_CLAIMS:
            value = read(tunnel, key)
            if isinstance(value, Unknown) or isinstance(frontdoor, Unknown):
                unknowns += [v for v in (value, frontdoor) if isinstance(v, Unknown)]
            elif isinstance(value, str) and value.strip():
                claimed[(frontdoor, key, value.strip())].append(tunnel)
    for (frontdoor, key, value), holders in claimed.items():
        for later in holders[1:]:
            report(
                f"{label(holders[0])} and {label(later)} both ask for {key} {value} in "
                f"{phrase(frontdoor)}, and {TUNNEL_CLAIMS[key]}: the API will refuse the second. Give one "
                f"of them another {key}, or leave it out so the API chooses.",
                later.urn,
            )

    ports: dict[tuple[str, int], list[Record]] = defaultdict(list)
    shares = [r for r in in_order(resources) if is_share(r) and not exempt(r, config)]
    for share in shares:
        on, wanted = tunnel_of(share), read(share, "ingressPort")
        if isinstance(on, Unknown) or isinstance(wanted, Unknown):
            unknowns += [v for v in (on, wanted) if isinstance(v, Unknown)]
        elif on is not None and (number := port(wanted)) is not None:
            ports[(on, number)].append(share)
    names = {r.urn: label(r) for r in resources}
    for (on, number), holders in ports.items():
        where = names.get(on, f"IPsec tunnel {on}")
        for later in holders[1:]:
            report(
                f"{label(holders[0])} and {label(later)} both listen on ingressPort {number} of {where}, and "
                f"an ingress port belongs to one share per tunnel: the API will refuse the second. Give one "
                f"of them another ingressPort.",
                later.urn,
            )
    if len(tunnels) > 1 or len(shares) > 1:
        defer(unknowns)
