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
        wire = body.to_wire()
        keys = (*self.scope, self.held)
        if any(wire.get(key) is None for key in keys):
            return None
        return {key: str(wire[key]) for key in keys}


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


# The places the resources this provider process has checked declare, and who declared each. The engine
# checks every resource of a deployment in this one process, so two resources of the same program that
# declare the same place meet here, at preview, before either is created.
_declared: dict[tuple[Any, ...], str] = {}
_places: dict[str, tuple[Any, ...]] = {}
_declared_lock = threading.Lock()


def declared_twice(
    claim: Claim | None, kind: str, frontdoor_id: Any, known: Mapping[str, Any], owner: Any
) -> str | None:
    """Why this resource cannot have the place its inputs claim, when another resource of the same
    deployment declared it first; else None. ``known`` holds only the inputs known now: a share of a
    tunnel not created yet claims nothing checkable at preview, and is checked again once it is."""
    if claim is None or not isinstance(owner, str) or not owner or frontdoor_id is None:
        return None
    values = [known.get(key) for key in (*claim.scope, claim.held)]
    if any(value is None for value in values):
        return None
    place = (kind, frontdoor_id, *values)
    with _declared_lock:
        first = _declared.setdefault(place, owner)
        if first == owner:
            # A resource whose inputs changed since its last check (within this process) frees its old place.
            previous = _places.get(owner)
            if previous is not None and previous != place and _declared.get(previous) == owner:
                del _declared[previous]
            _places[owner] = place
            return None
    other = first.rsplit("::", 1)[-1]
    return f"{claim.held} {values[-1]!r} is also declared by {kind} '{other}' in this program; {claim.rule}"
