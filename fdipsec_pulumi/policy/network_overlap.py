"""A tunnel's peer network overlapping a VPC or subnet of the same stack: two routes to one address.

The stack routes the tunnel's peer network into its VPC; when the peer network overlaps the VPC's own
addresses, a packet for one of them matches the VPC's local route and the tunnel's, and the VPC's wins,
so the remote hosts at those addresses are unreachable. The exception is the peer's own network: a
tunnel whose ``peerCidr`` is computed from a VPC (``peer_cidr=vpc.cidr_block``, the aws-vpc example)
says that VPC is the network behind the peer, and it and its subnets are not compared with it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fdipsec_pulumi.policy.networks import Network, network, shared
from fdipsec_pulumi.policy.records import (
    EXEMPT_KEY,
    Record,
    Unknown,
    defer,
    dependency_urns,
    depends_on,
    exempt,
    in_order,
    is_tunnel,
    label,
    parent_urn,
    read,
)

Report = Callable[[str, str | None], None]

NETWORK_TYPES: dict[str, tuple[str, ...]] = {
    # AWS Classic (pulumi-aws)
    "aws:ec2/vpc:Vpc": ("cidrBlock",),
    "aws:ec2/subnet:Subnet": ("cidrBlock",),
    "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation": ("cidrBlock",),
    "aws:ec2/defaultVpc:DefaultVpc": ("cidrBlock",),
    "aws:ec2/defaultSubnet:DefaultSubnet": ("cidrBlock",),
    # AWS Crosswalk (pulumi-awsx 1.x and later, and the classic 0.x components)
    "awsx:ec2:Vpc": ("cidrBlock",),
    "awsx:x:ec2:Vpc": ("cidrBlock",),
    "awsx:x:ec2:Subnet": ("cidrBlock",),
    # AWS Cloud Control (pulumi-aws-native)
    "aws-native:ec2:Vpc": ("cidrBlock",),
    "aws-native:ec2:Subnet": ("cidrBlock",),
    "aws-native:ec2:VpcCidrBlock": ("cidrBlock",),
}
"""Resource types holding a VPC's or subnet's addresses, and the properties that hold them."""

EXTRA_TYPES_KEY = "additionalNetworkTypes"
# A VPC given an IPAM pool instead of a CIDR gets its block at create: unknown at preview.
IPAM_KEYS = ("ipv4IpamPoolId",)


def network_types(config: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    extra = config.get(EXTRA_TYPES_KEY) or {}
    return {**NETWORK_TYPES, **{token: tuple(keys) for token, keys in extra.items()}}


def cidr_values(record: Record, keys: Sequence[str]) -> list[Any]:
    values = [read(record, key) for key in keys]
    if all(value is None for value in values) and any(read(record, key) is not None for key in IPAM_KEYS):
        return [Unknown(f"{record.name}.{keys[0]}")]
    return values


def own_network(record: Record, own: set[str]) -> bool:
    """The tunnel's own peer network: the one its peerCidr came from, or one built from that."""
    return record.urn in own or depends_on(record, own)


def check(resources: Sequence[Record], config: Mapping[str, Any], report: Report) -> None:
    types = network_types(config)
    networks: list[tuple[Record, str, Network]] = []
    tunnels: list[tuple[Record, Network]] = []
    unknown_peers: list[tuple[Record, Unknown]] = []
    unknown_blocks: list[tuple[Record, Unknown]] = []
    for record in in_order(resources):
        if exempt(record, config):
            continue
        if is_tunnel(record):
            cidr = read(record, "peerCidr")
            if isinstance(cidr, Unknown):
                unknown_peers.append((record, cidr))
            elif (peer := network(cidr)) is not None:
                tunnels.append((record, peer))
        elif (keys := types.get(record.resource_type)) is not None:
            for key, value in zip(keys, cidr_values(record, keys), strict=True):
                if isinstance(value, Unknown):
                    unknown_blocks.append((record, value))
                elif (block := network(value)) is not None:
                    networks.append((record, key, block))
    # A component (awsx's Vpc) and the VPC it made hold the same block: name the component only.
    held: set[tuple[str | None, Network]] = {(record.urn, block) for record, _, block in networks}
    networks = [(r, k, b) for r, k, b in networks if (parent_urn(r), b) not in held]
    for tunnel, peer in tunnels:
        own = dependency_urns(tunnel, "peerCidr")
        for record, key, block in networks:
            if own_network(record, own):
                continue
            common = shared(peer, block)
            if common is None:
                continue
            report(
                f"{label(tunnel)} has peerCidr {peer}, which overlaps {label(record, f'{key} {block}')} in "
                f"{common}: the VPC's local route and the tunnel's both match those addresses, so hosts "
                f"behind the peer there cannot be reached. Use a peer network outside the stack's VPCs, "
                f"or, if this VPC is the peer's own network, set peer_cidr from it "
                f"(peer_cidr=vpc.cidr_block) or list one of the two in this policy's {EXEMPT_KEY}.",
                tunnel.urn,
            )
    # What was not known only matters where there was something to compare it with: a peerCidr taken
    # from a VPC still to be allocated (from an IPAM pool, say) is that VPC's, and meets nothing else.
    every_network = [record for record, _, _ in networks] + [record for record, _ in unknown_blocks]
    every_tunnel = [record for record, _ in tunnels] + [record for record, _ in unknown_peers]
    unseen = [
        value
        for tunnel, value in unknown_peers
        if any(not own_network(r, dependency_urns(tunnel, "peerCidr")) for r in every_network)
    ] + [
        value
        for record, value in unknown_blocks
        if any(not own_network(record, dependency_urns(t, "peerCidr")) for t in every_tunnel)
    ]
    defer(unseen)
