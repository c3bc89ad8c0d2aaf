"""The create policy (docs/adoption.md): adopt what this very resource's lost create POSTed (the journal),
refuse to take over a look-alike or a place another object holds, and send a POST again, a bounded
number of times, when its outcome is unknown and it made nothing."""

from __future__ import annotations

import time
from collections.abc import Callable

from fdipsec_pulumi.client.errors import NotFound, ServerError, TransportError
from fdipsec_pulumi.client.models import RequestModel, Status
from fdipsec_pulumi.providers.adoption import (
    LIVE,
    Remote,
    RemoteT,
    journaled_mismatch,
    lookalike_conflict,
    lookalikes,
)
from fdipsec_pulumi.providers.journal import JournalSlot

# POSTs whose outcome was unknown (a 5xx, a lost answer) and that created nothing are sent again.
POST_ATTEMPTS = 3
POST_RETRY_DELAY = 1.0


def journaled(
    remote: Remote[RemoteT],
    body: RequestModel,
    slot: JournalSlot | None,
    remove: Callable[[RemoteT], None],
) -> RemoteT | None:
    """The object an earlier, lost create of this resource POSTed, if it can still be adopted. One it
    left in ERROR is removed (``remove`` deletes it and waits), as that create would have done had it
    lived to see it."""
    if slot is None or (remote_id := slot.lookup()) is None:
        return None
    try:
        found = remote.get(remote_id)
    except NotFound:
        slot.forget()
        return None
    if found.status == Status.ERROR:
        print(
            f"{remote.kind} {found.name}: removing {remote.noun} {found.id}, which an earlier create "
            "of this resource left in ERROR",
            flush=True,
        )
        remove(found)
    if found.status not in LIVE:
        slot.forget()
        return None
    mismatch = journaled_mismatch(remote, body, found)
    if mismatch is not None:
        raise mismatch
    print(
        f"{remote.kind} {found.name}: adopting {remote.noun} {found.id} ({found.status.value}), "
        "which an earlier, interrupted create of this resource made",
        flush=True,
    )
    return found


def post(remote: Remote[RemoteT], body: RequestModel, slot: JournalSlot | None) -> RemoteT:
    """POST, unless a look-alike exists or another object holds the location or port the POST would
    claim (the API would refuse it, after a write); journal what the POST made before anything else.

    A POST that got a 5xx or lost its answer may or may not have created the object, so the transport
    never repeats it. Here we can tell: a look-alike that was not there before is what it made, and
    when there is none the POST is sent again, a bounded number of times, so that one 503 does not
    fail a whole ``pulumi up``.
    """
    existing = lookalikes(remote, body)
    if existing:
        raise lookalike_conflict(remote, body, existing)
    conflict = remote.claimed()
    if conflict is not None:
        raise conflict
    for attempt in range(1, POST_ATTEMPTS + 1):
        try:
            created = remote.post()
            break
        except (ServerError, TransportError) as exc:
            if isinstance(exc, TransportError) and not exc.ambiguous:
                raise  # the transport already retried what certainly never arrived
            made = lookalikes(remote, body)
            if len(made) == 1:
                created = made[0]
                break
            if made or attempt == POST_ATTEMPTS:
                raise
            print(
                f"{remote.kind} {getattr(body, 'name', '')}: create not confirmed ({exc}); trying again",
                flush=True,
            )
            time.sleep(POST_RETRY_DELAY * attempt)
    if slot is not None:
        slot.record(created.id)
    return created
