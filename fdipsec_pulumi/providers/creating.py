"""The create policy (docs/adoption.md): adopt what this very resource's lost create POSTed (the journal),
refuse to take over a look-alike or a place another object holds, and send a POST again, within the
client's retry budget, when its outcome is unknown and it made nothing."""

from __future__ import annotations

import time
from collections.abc import Callable

from fdipsec_pulumi.client import FrontdoorClient
from fdipsec_pulumi.client.errors import NotFound, ServerError, TransportError
from fdipsec_pulumi.client.models import RequestModel, Status
from fdipsec_pulumi.client.transport import RetryPolicy
from fdipsec_pulumi.providers.adoption import (
    LIVE,
    Remote,
    RemoteT,
    journaled_mismatch,
    lookalike_conflict,
    lookalikes,
)
from fdipsec_pulumi.providers.journal import JournalSlot
from fdipsec_pulumi.providers.waiting import say

# POSTs whose outcome was unknown (a 5xx, a lost answer) and that created nothing are sent again, spaced
# as the transport spaces its retries, within the same retry budget (fdipsec:retryTimeout).
POST_BACKOFF = RetryPolicy()


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


def post(
    remote: Remote[RemoteT], body: RequestModel, slot: JournalSlot | None, client: FrontdoorClient
) -> RemoteT:
    """POST, unless a look-alike exists or another object holds the location or port the POST would
    claim (the API would refuse it, after a write); journal what the POST made before anything else.

    A POST that got a 5xx or lost its answer may or may not have created the object, so the transport
    never repeats it. Here we can tell: a look-alike that was not there before is what it made, and
    when there is none the POST is sent again, backing off as the transport does and within the same
    retry budget, so that an outage any GET would ride out does not fail a whole ``pulumi up``.
    """
    existing = lookalikes(remote, body, remote.listed_since)
    if existing:
        raise lookalike_conflict(remote, body, existing)
    conflict = remote.claimed()
    if conflict is not None:
        raise conflict
    budget = client.retry_budget
    started = time.monotonic()
    attempt = 0
    while True:
        attempt += 1
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
            if made:
                raise
            elapsed = time.monotonic() - started
            delay = POST_BACKOFF.backoff(attempt)
            if elapsed + delay > budget:
                exc.add_hint(client.budget_spent(attempt, elapsed))
                raise
            why = f"HTTP {exc.http_status}" if exc.http_status else "its answer was lost"
            say(
                f"{remote.kind} {getattr(body, 'name', '')}: create not confirmed ({why}) and nothing was "
                f"made; sending it again in {delay:.1f} s ({budget - elapsed:.0f} s of the retry budget left)"
            )
            time.sleep(delay)
    if slot is not None:
        slot.record(created.id)
    return created
