"""Addresses and networks as IPsec reviewers read them: what overlaps, what is reachable from where."""

from __future__ import annotations

import ipaddress
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Addresses a remote site's IPsec device cannot be reached at from the internet. The documentation
# blocks (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) are left out on purpose: examples use them.
UNREACHABLE_PEERS: tuple[Network, ...] = tuple(
    ipaddress.ip_network(block)
    for block in (
        "0.0.0.0/8",  # this network
        "10.0.0.0/8",  # private use (RFC 1918)
        "100.64.0.0/10",  # carrier-grade NAT (RFC 6598)
        "127.0.0.0/8",  # loopback
        "169.254.0.0/16",  # link local
        "172.16.0.0/12",  # private use (RFC 1918)
        "192.168.0.0/16",  # private use (RFC 1918)
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
    )
)


def network(value: Any) -> Network | None:
    """A CIDR as the API reads it, host bits allowed (the API keeps what was typed); None if not one."""
    if not isinstance(value, str):
        return None
    try:
        return ipaddress.ip_network(value.strip(), strict=False)
    except ValueError:
        return None


def address(value: Any) -> Address | None:
    if not isinstance(value, str):
        return None
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def shared(a: Network, b: Network) -> Network | None:
    """The addresses two networks have in common: CIDR blocks either nest or are disjoint."""
    if a.version != b.version or not a.overlaps(b):
        return None
    return a if a.prefixlen >= b.prefixlen else b


def unreachable_block(peer: Address) -> Network | None:
    """The block that makes a peer address unreachable from the internet, if any."""
    for block in UNREACHABLE_PEERS:
        if peer.version == block.version and peer in block:
            return block
    return None


def target_host(target: Any) -> str | None:
    """The host of a share's ``host:port`` target (``[v6]:port`` too)."""
    if not isinstance(target, str) or ":" not in target:
        return None
    host = target.strip().rsplit(":", 1)[0]
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def is_public(host: Address) -> bool:
    """Globally routable: not private, shared, loopback, link local, documentation or reserved."""
    return host.is_global and not host.is_multicast
