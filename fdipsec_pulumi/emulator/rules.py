"""The API's rules that span records: what the request models alone cannot check.

Each function either answers or raises the 400 the API documents, and none of them changes anything, so
the backend can run them all before it writes and a refused request leaves no trace.

A record keeps its claims (location, load-balancer address, ingress port) until it reaches DELETED:
a tunnel that is still DELETING occupies its location, as teardown has not finished.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

from fdipsec_pulumi.client.models import Status
from fdipsec_pulumi.emulator.errors import ApiError, invalid
from fdipsec_pulumi.emulator.records import Record

LOCATIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "eu-west-1",
    "eu-west-2",
    "eu-central-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-northeast-1",
    "sa-east-1",
)
# Load balancers get addresses from this block when the request does not pin one.
NLB_POOL = ipaddress.IPv4Network("10.1.0.0/16")
_LIVE_TUNNEL = (Status.NEW, Status.DEPLOYED)


def holding(records: Iterable[Record], frontdoor_id: str) -> list[Record]:
    """Records of one Frontdoor that still hold their claims."""
    return [r for r in records if r.frontdoor_id == frontdoor_id and r.status != Status.DELETED]


def location_for(tunnels: Sequence[Record], wanted: str | None, locations: Sequence[str]) -> str:
    taken = {t.fields.get("locationId"): t for t in tunnels}
    if wanted is not None:
        if wanted in taken:
            owner = taken[wanted]
            raise invalid(
                "locationId",
                "a location without a tunnel",
                f"IPsec tunnel {owner.id} ({owner.status.value}) already uses {wanted!r} on this Frontdoor;"
                " only one tunnel is allowed per Frontdoor and location",
            )
        return wanted
    for location in locations:
        if location not in taken:
            return location
    raise invalid("locationId", "a location without a tunnel", "every location already has a tunnel")


def nlb_ip_for(tunnels: Sequence[Record], wanted: str | None) -> str:
    taken = {t.fields.get("nlbPrivateIp"): t for t in tunnels}
    if wanted is not None:
        if wanted in taken:
            raise invalid(
                "nlbPrivateIp",
                "type free private IPv4 address",
                f"{wanted!r} is already used by IPsec tunnel {taken[wanted].id}",
            )
        return wanted
    for address in NLB_POOL.hosts():
        if address.packed[-1] >= 10 and str(address) not in taken:
            return str(address)
    raise invalid("nlbPrivateIp", "type free private IPv4 address", f"{NLB_POOL} is exhausted")


def live_tunnel(tunnel: Record | None, frontdoor_id: str, tunnel_id: str) -> Record:
    """The tunnel a share may be published on: one of this Frontdoor that is not failed or going away."""
    expected = "an IPsec tunnel of this Frontdoor"
    if tunnel is None or tunnel.frontdoor_id != frontdoor_id:
        raise invalid("ipsecTunnelId", expected, f"IPsec tunnel {tunnel_id} not found")
    if tunnel.status not in _LIVE_TUNNEL:
        raise invalid("ipsecTunnelId", expected, f"IPsec tunnel {tunnel_id} is {tunnel.status.value}")
    return tunnel


def check_ingress_port(shares: Iterable[Record], tunnel_id: str, port: int, share_id: str | None) -> None:
    for share in shares:
        if (
            share.id != share_id
            and share.fields.get("ipsecTunnelId") == tunnel_id
            and share.fields.get("ingressPort") == port
        ):
            raise invalid(
                "ingressPort",
                "type integer from 1 to 65535, unique per tunnel",
                f"{port} is already used by IPsec share {share.id} on IPsec tunnel {tunnel_id}",
            )


def check_no_shares(shares: Iterable[Record], tunnel_id: str) -> None:
    blocking = [s.id for s in shares if s.fields.get("ipsecTunnelId") == tunnel_id]
    if blocking:
        raise ApiError(
            400,
            "invalid_request",
            f"IPsec tunnel {tunnel_id} still has IPsec shares {', '.join(blocking)}; delete them first",
        )
