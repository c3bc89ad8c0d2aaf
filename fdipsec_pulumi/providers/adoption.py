"""What create may take as its own, and what it must refuse (docs/adoption.md).

Three ways an existing object can meet a create, and one rule each:
- ``import_`` names it: read it, never write to it, and refuse it unless it is live and matches the
  declared inputs;
- the resource's own journal entry names it (a POST of this very resource whose create was lost): adopt
  it, if it still matches;
- it only looks the same (a live object whose every declared field matches): it cannot be told apart
  from somebody else's, so refuse, naming it and the ways forward. Sharing only a name is no match:
  names are not unique in the API.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fdipsec_pulumi.client.errors import Conflict, InvalidRequest, NotFound
from fdipsec_pulumi.client.models import RequestModel, Share, Status, Tunnel
from fdipsec_pulumi.contract import IMPORT_KEY, OWNER_KEY
from fdipsec_pulumi.providers.claims import Claim

RemoteT = TypeVar("RemoteT", Tunnel, Share)

# Statuses in which an object stands for a resource: adoptable, and a look-alike when not ours.
LIVE = frozenset({Status.NEW, Status.DEPLOYED})


@dataclass(frozen=True)
class Operations(Generic[RemoteT]):
    """The client's calls for one kind of object, unbound, so a provider class can name them as data."""

    get: Callable[..., RemoteT]
    create: Callable[..., RemoteT]
    delete: Callable[..., Any]
    list: Callable[..., Iterable[RemoteT]]
    # The fields the list is filtered on to find look-alikes: where two objects can look the same.
    same_name_fields: tuple[str, ...]
    # The place only one object may hold (providers/claims.py), checked before a POST.
    claim: Claim | None = None


@dataclass(frozen=True)
class Remote(Generic[RemoteT]):
    """One kind of object in one Frontdoor, as create reaches it; ``same_named(not_before)`` lists the
    objects that share the request's name (and, for shares, its tunnel), the only place look-alikes can
    be, from a listing sent at or after that clock time (None: from one sent now). ``watch`` reads one
    object for a waiter's poll from the Frontdoor's shared listing (client/poller.py), as listed by a
    request sent at or after the given clock time. ``listed_since`` is the oldest listing the checks
    before a first POST accept."""

    kind: str
    noun: str
    frontdoor_id: str
    get: Callable[[str], RemoteT]
    post: Callable[[], RemoteT]
    delete: Callable[[str], Any]
    same_named: Callable[[float | None], Iterable[RemoteT]]
    watch: Callable[[str, float], RemoteT]
    listed_since: float = -math.inf
    # The refusal for a create whose location or port another object holds, else None.
    claimed: Callable[[], Exception | None] = lambda: None


# (owner, import id) of resources this provider process has seen in state; see without_settled_import.
_imports_in_state: set[tuple[Any, Any]] = set()
_imports_lock = threading.Lock()


def without_settled_import(olds: Mapping[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    """The inputs without ``import_`` once the resource is in state, as the engine treats its own.

    Check sees the recorded inputs (``olds``) only the first time: when the engine goes on to replace the
    resource, it checks the program's inputs again without them, then creates (``step_generator.go``,
    v3.276.0). Both checks run in this process, in that order, within one deployment; so the first one
    remembers that this resource's import is settled, and the second one drops it too. A replacement then
    creates a new object instead of re-importing the one it is replacing.
    """
    if IMPORT_KEY not in news:
        return news
    key = (news.get(OWNER_KEY), news.get(IMPORT_KEY))
    with _imports_lock:
        if olds:
            _imports_in_state.add(key)
        elif key not in _imports_in_state:
            return news
    return {name: value for name, value in news.items() if name != IMPORT_KEY}


def mismatches(body: RequestModel, found: RemoteT) -> dict[str, Any]:
    """The declared fields whose value differs on ``found``, with ``found``'s value. Fields the program
    left to the API (a location, an NLB address) match whatever the API chose."""
    actual = found.to_wire()
    return {key: actual.get(key) for key, wanted in body.to_wire().items() if actual.get(key) != wanted}


def describe(values: dict[str, Any]) -> str:
    return ", ".join(f"{key}={value!r}" for key, value in values.items())


def imported(remote: Remote[RemoteT], body: RequestModel, import_id: str) -> RemoteT:
    """The object ``import_`` names, if it can stand for the declared resource. Import only reads."""
    name = getattr(body, "name", import_id)
    try:
        found = remote.get(import_id)
    except NotFound:
        raise NotFound(
            f"cannot import {remote.kind} {name}: there is no {remote.noun} {import_id} in Frontdoor "
            f"{remote.frontdoor_id}. Import never creates: fix the id given to import_, or remove import_ "
            f"to create a new {remote.noun}."
        ) from None
    if found.status not in LIVE:
        reason = f" ({found.status_message})" if found.status_message else ""
        raise InvalidRequest(
            f"cannot import {remote.kind} {name}: {remote.noun} {found.id} ({found.name!r}) is "
            f"{found.status.value}{reason}. Import never writes, so it neither repairs nor removes it: "
            f"delete it yourself (or wait until it is gone), then remove import_ to create a new "
            f"{remote.noun}."
        )
    differences = mismatches(body, found)
    if differences:
        raise InvalidRequest(
            f"cannot import {remote.kind} {name}: {remote.noun} {found.id} ({found.name!r}) does not match "
            f"the declared inputs: it has {describe(differences)}. Change the program to match, or import "
            f"another {remote.noun}."
        )
    print(f"{remote.kind} {name}: importing {remote.noun} {found.id} ({found.status.value})", flush=True)
    return found


def lookalikes(remote: Remote[RemoteT], body: RequestModel, not_before: float | None = None) -> list[RemoteT]:
    """Live objects that match every declared field: a create cannot tell them from its own. Listed by a
    request sent at or after ``not_before``; None asks for one sent now, as after a POST whose outcome
    is unknown, where only a listing sent after it can show what it made."""
    return [
        found
        for found in remote.same_named(not_before)
        if found.status in LIVE and not mismatches(body, found)
    ]


def lookalike_conflict(remote: Remote[RemoteT], body: RequestModel, found: list[RemoteT]) -> Conflict:
    """The refusal to create beside live objects this resource cannot tell from its own."""
    name = getattr(body, "name", "")
    first = found[0]
    objects = ", ".join(f"{item.id} ({item.status.value})" for item in found)
    return Conflict(
        f"will not create {remote.kind} {name}: {remote.noun} {objects} in Frontdoor {remote.frontdoor_id} "
        f"already matches every declared input ({describe(body.to_wire())}), and nothing shows that this "
        f"resource created it, so it may belong to another stack. To manage it here, set "
        f'import_="{first.id}" in the resource options; if nobody needs it, delete it; otherwise change '
        f"the inputs (for example the name) so that the two can be told apart."
    )


def journaled_mismatch(remote: Remote[RemoteT], body: RequestModel, found: RemoteT) -> Conflict | None:
    """Our own leftover that the program has since changed: adopting it would deploy the old inputs."""
    differences = mismatches(body, found)
    if not differences:
        return None
    name = getattr(body, "name", "")
    return Conflict(
        f"{remote.kind} {name}: an earlier, interrupted create of this resource left {remote.noun} "
        f"{found.id} ({found.status.value}), which no longer matches the declared inputs: it has "
        f"{describe(differences)}. Delete it, or restore those inputs so that it is adopted, then run "
        f"pulumi up again."
    )
