"""Places the API lets only one object hold: a tunnel's location in its Frontdoor, a share's ingress port on
its tunnel. Checked before the POST, so that a create the API would refuse writes nothing.

The API refuses such a create with a 400, but only once it has been sent: a write request that a user
auditing the request log cannot tell from one that did something. Looking for the holders first (in the
Frontdoor's shared listing, which the look-alike check has just fetched) lets the refusal name the holder
and the ways forward. The API stays the judge: a place taken between
this check and the POST is still refused by it, with its own message.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fdipsec_pulumi.client.errors import InvalidRequest
from fdipsec_pulumi.client.models import RequestModel, Status


@dataclass(frozen=True)
class Claim:
    """The wire fields whose values together only one object may hold, and the API's rule in words.

    ``scope`` narrows the listing (a share's tunnel); ``held`` is the claimed value itself (the location,
    the ingress port). A request that leaves ``held`` to the API claims nothing we can check.
    """

    scope: tuple[str, ...]
    held: str
    rule: str
    way_out: str

    def filters(self, body: RequestModel) -> dict[str, str] | None:
        return self.filters_from(body.to_wire())

    def filters_from(self, wire: Mapping[str, Any]) -> dict[str, str] | None:
        """The claimed place as list filters, or None when the request leaves part of it to the API."""
        keys = (*self.scope, self.held)
        if any(wire.get(key) is None for key in keys):
            return None
        return {key: str(wire[key]) for key in keys}


def holds(claim: Claim, olds: Mapping[str, Any], known: Mapping[str, Any]) -> bool:
    """Whether a resource's recorded inputs already hold the place its new inputs claim."""
    place = claim.filters_from(known)
    recorded = {key: int(v) if isinstance(v, float) and v.is_integer() else v for key, v in olds.items()}
    return place is not None and claim.filters_from(recorded) == place


Listing = Callable[[dict[str, str]], Iterable[Any]]


def claim_conflict(
    claim: Claim | None, kind: str, noun: str, body: RequestModel, listing: Listing
) -> InvalidRequest | None:
    """The refusal to raise when another object holds the place ``body`` claims, else None. As in the
    API, an object keeps its claims until it is DELETED: one in ERROR or still DELETING holds them."""
    filters = claim.filters(body) if claim is not None else None
    if claim is None or filters is None:
        return None
    held_by = [found for found in listing(filters) if found.status != Status.DELETED]
    return claim_refusal(kind, noun, claim, body, held_by) if held_by else None


def claim_refusal(
    kind: str, noun: str, claim: Claim, body: RequestModel, held_by: list[Any]
) -> InvalidRequest:
    name = getattr(body, "name", "")
    value = body.to_wire()[claim.held]
    objects = ", ".join(f"{item.id} ({item.name!r}, {item.status.value})" for item in held_by)
    return InvalidRequest(
        f"will not create {kind} {name}: {claim.held} {value!r} is already taken by {noun} {objects}; "
        f"{claim.rule}. Nothing was written. {claim.way_out}"
    )


# The places the resources this provider process has checked declare: place -> {owner: settled}, where a
# settled claimant is one already in the state with that very place. The engine checks every resource of a
# deployment in this one process, one at a time and in an order it does not fix, so two resources of the
# same program that declare the same place meet here, at preview, before either is created.
_declared: dict[tuple[Any, ...], dict[str, bool]] = {}
_places: dict[str, tuple[Any, ...]] = {}
_declared_lock = threading.Lock()


def declared_twice(
    claim: Claim | None,
    kind: str,
    frontdoor_id: Any,
    known: Mapping[str, Any],
    owner: Any,
    settled: bool = False,
) -> str | None:
    """Why this resource cannot have the place its inputs claim, when another resource of the same
    deployment claims it too; else None. ``known`` holds only the inputs known now: a share of a tunnel not
    created yet claims nothing checkable at preview, and is checked again once it is.

    The newcomer is blamed: a resource already in the state with this place (``settled``) keeps it, and
    is never refused for it. Between two newcomers the engine's order decides which is checked second,
    and that one is refused; the reason names both, in name order, so it reads the same on every run.
    """
    if claim is None or not isinstance(owner, str) or not owner or frontdoor_id is None:
        return None
    values = [known.get(key) for key in (*claim.scope, claim.held)]
    if any(value is None for value in values):
        return None
    place = (kind, frontdoor_id, *values)
    with _declared_lock:
        # A resource whose inputs changed since its last check (within this process) frees its old place.
        previous = _places.get(owner)
        if previous is not None and previous != place:
            _declared.get(previous, {}).pop(owner, None)
        _places[owner] = place
        claimants = _declared.setdefault(place, {})
        claimants[owner] = settled
        others = {other: held for other, held in claimants.items() if other != owner}
    if settled or not others:
        return None
    value = f"{claim.held} {values[-1]!r}"
    holders = sorted(_name(other) for other, held in others.items() if held)
    if holders:
        return (
            f"{value} is held by {kind} '{holders[0]}', already deployed with it, so {kind} "
            f"'{_name(owner)}' cannot have it; {claim.rule}"
        )
    *rest, last = sorted({_name(owner), *map(_name, others)})
    both = f"{', '.join(repr(name) for name in rest)} and {last!r}"
    return f"{value} is declared by {kind} {both} in this program; {claim.rule}"


def _name(owner: str) -> str:
    """The resource's name, the last part of its URN."""
    return owner.rsplit("::", 1)[-1]
