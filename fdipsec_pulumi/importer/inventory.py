"""What of a Frontdoor to import, and what to leave out and why.

Only a ``NEW`` or ``DEPLOYED`` object can stand for a resource: ``import_`` refuses the others
(providers/adoption.py), and an object in ``ERROR`` or ``DELETING`` is no longer what anybody would
declare. Those are left out and named, with the API's reason, so that nobody takes the module for the
whole Frontdoor. A share on such a tunnel goes with it. ``DELETED`` objects are gone (the API lists them
only briefly) and are not mentioned, or the module would change from one run to the next.

Filters narrow what is read: by name pattern (shell-style, on the API name), by tunnel (name or id: the
tunnel and its shares) and by status. A share whose tunnel the filters left out names it by id.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from fdipsec_pulumi.client import FrontdoorClient
from fdipsec_pulumi.client.models import Share, Status, Tunnel

FoundT = TypeVar("FoundT", Tunnel, Share)

IMPORTABLE = frozenset({Status.NEW, Status.DEPLOYED})
PAGE_SIZE = 100


@dataclass(frozen=True)
class Filters:
    """Empty means everything; several values of one filter mean any of them."""

    names: Sequence[str] = ()
    tunnels: Sequence[str] = ()
    statuses: Sequence[str] = ()

    def named(self, name: str) -> bool:
        return not self.names or any(fnmatch.fnmatchcase(name, pattern) for pattern in self.names)

    def on_tunnel(self, tunnel: Tunnel | None, tunnel_id: str) -> bool:
        if not self.tunnels:
            return True
        return tunnel_id in self.tunnels or (tunnel is not None and tunnel.name in self.tunnels)

    def in_status(self, status: Status) -> bool:
        return not self.statuses or status.value in {wanted.upper() for wanted in self.statuses}


@dataclass(frozen=True)
class LeftOut:
    kind: str
    id: str
    name: str
    reason: str


@dataclass(frozen=True)
class Inventory:
    """The objects to declare, in the module's order, and the ones left out."""

    frontdoor_id: str
    tunnels: list[Tunnel] = field(default_factory=list)
    shares: list[Share] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    # Every live tunnel of the Frontdoor by id, for shares whose tunnel the filters left out.
    all_tunnels: dict[str, Tunnel] = field(default_factory=dict)


class UnknownTunnel(ValueError):
    """A ``--tunnel`` that names no tunnel of the Frontdoor: a typo should not give an empty module."""


def read(client: FrontdoorClient, frontdoor_id: str, filters: Filters) -> Inventory:
    tunnels = list(client.list_tunnels(frontdoor_id, page_size=PAGE_SIZE))
    shares = list(client.list_shares(frontdoor_id, page_size=PAGE_SIZE))
    return select(frontdoor_id, tunnels, shares, filters)


def select(
    frontdoor_id: str, listed_tunnels: Iterable[Tunnel], listed_shares: Iterable[Share], filters: Filters
) -> Inventory:
    """``read``'s choice among objects already listed, in any order."""
    tunnels, shares = _present(listed_tunnels), _present(listed_shares)
    by_id = {tunnel.id: tunnel for tunnel in tunnels}
    unknown = [
        wanted
        for wanted in filters.tunnels
        if wanted not in by_id and all(tunnel.name != wanted for tunnel in tunnels)
    ]
    if unknown:
        raise UnknownTunnel(
            f"Frontdoor {frontdoor_id} has no tunnel named or with id {', '.join(map(repr, unknown))}"
        )
    chosen_tunnels = [
        tunnel
        for tunnel in tunnels
        if filters.on_tunnel(tunnel, tunnel.id)
        and filters.named(tunnel.name)
        and filters.in_status(tunnel.status)
    ]
    chosen_shares = [
        share
        for share in shares
        if filters.on_tunnel(by_id.get(share.ipsec_tunnel_id), share.ipsec_tunnel_id)
        and filters.named(share.name)
        and filters.in_status(share.status)
    ]
    left_out = [_left_out("tunnel", tunnel) for tunnel in chosen_tunnels if tunnel.status not in IMPORTABLE]
    kept_tunnels = sorted(
        (tunnel for tunnel in chosen_tunnels if tunnel.status in IMPORTABLE),
        key=lambda t: (t.name.casefold(), t.name, t.id),
    )
    kept_shares = []
    for share in chosen_shares:
        tunnel = by_id.get(share.ipsec_tunnel_id)
        if share.status not in IMPORTABLE:
            left_out.append(_left_out("share", share))
        elif tunnel is not None and tunnel.status not in IMPORTABLE:
            left_out.append(
                LeftOut(
                    "share",
                    share.id,
                    share.name,
                    f"its tunnel {tunnel.name} ({tunnel.id}) is {tunnel.status.value}",
                )
            )
        else:
            kept_shares.append(share)
    position = {tunnel.id: index for index, tunnel in enumerate(kept_tunnels)}
    kept_shares.sort(
        key=lambda s: (
            position.get(s.ipsec_tunnel_id, len(position)),
            s.ipsec_tunnel_id,
            s.name.casefold(),
            s.name,
            s.id,
        )
    )
    left_out.sort(key=lambda item: (item.kind != "tunnel", item.name.casefold(), item.name, item.id))
    live = {tunnel.id: tunnel for tunnel in tunnels if tunnel.status in IMPORTABLE}
    return Inventory(frontdoor_id, kept_tunnels, kept_shares, left_out, live)


def _present(objects: Iterable[FoundT]) -> list[FoundT]:
    return [found for found in objects if found.status != Status.DELETED]


def _left_out(kind: str, found: Tunnel | Share) -> LeftOut:
    reason = found.status.value
    message = " ".join((found.status_message or "").split())
    return LeftOut(kind, found.id, found.name, f"{reason}: {message}" if message else reason)
