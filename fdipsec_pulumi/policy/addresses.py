"""Addresses that cannot be what the user meant: a peer nobody can reach, a share target on the internet.

A tunnel's peer is dialled over the internet, so a private, loopback or carrier-grade NAT address is the
inside address of the device, copied by mistake. A share exists to reach a private service through the
hosting agent; a public target is reachable without it, and sending it through a share usually means the
wrong address (the service's public name instead of its private one).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fdipsec_pulumi.policy.networks import address, is_public, network, target_host, unreachable_block
from fdipsec_pulumi.policy.records import Record, exempt, is_share, is_tunnel, label, read

Report = Callable[[str, str | None], None]

ALLOWED_TARGETS_KEY = "allowedTargets"


def check_peer(record: Record, config: Mapping[str, Any], report: Report) -> None:
    if not is_tunnel(record) or exempt(record, config):
        return
    peer = address(read(record, "peerPublicIp"))
    block = unreachable_block(peer) if peer is not None else None
    if block is None:
        return
    report(
        f"{label(record)} has peerPublicIp {peer}, in {block}, which cannot be reached from the internet: "
        f"IPsec to the remote site would never come up. Use the public address the site's IPsec device "
        f"answers on (its outside interface or its NAT's public address).",
        None,
    )


def check_share_target(record: Record, config: Mapping[str, Any], report: Report) -> None:
    if not is_share(record) or exempt(record, config):
        return
    target = read(record, "target")
    host = address(target_host(target))
    if host is None or not is_public(host):
        return
    allowed = [block for text in config.get(ALLOWED_TARGETS_KEY) or () if (block := network(text))]
    if any(host.version == block.version and host in block for block in allowed):
        return
    report(
        f"{label(record)} has target {target}, a public address: shares exist to reach private services "
        f"through the hosting agent, and this one is reachable without it. Use the service's private "
        f"address, or add its network to this policy's {ALLOWED_TARGETS_KEY} if it is meant.",
        None,
    )
