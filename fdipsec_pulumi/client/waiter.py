"""Polling an asynchronous tunnel or share until it settles, in the style of Terraform's StateChangeConf.

Poll schedule: the first poll comes 0.5 s after the call (a create already answered NEW, so an immediate
poll would learn nothing, but a fast deploy should be seen fast), then the gaps double, 1, 2, 4, 8 s,
and stay at ``max_interval`` (15 s by default). Polls therefore happen at 0.5, 1.5, 3.5, 7.5, 15.5,
30.5, 45.5, ... s: a provisioning that takes 10 minutes is seen done at 600.5 s after 44 GETs (5 while
backing off, then one every 15 s), well under the budget of 60, while at worst 15 s late. The last poll
is made at the deadline, so an object that arrives just in time is not declared timed out. There is no
jitter: each resource waits on its own thread, and the gaps are long enough not to bunch up.

That schedule is the default for a caller waiting on one object. The providers pass ``schedule`` instead:
``poller.fleet_schedule`` notices a completion within max(1 s, 15 % of the time waited), and its polls
fall on a grid shared by every waiter of the process, so a fleet's waiters share one list request per
tick (client/poller.py).

What ends a wait:

- a ``target`` status returns the object;
- a ``failure`` status (ERROR by default) raises ``WaitFailed`` at once, with the API's status message;
- any status in neither ``pending`` nor ``target`` raises ``WaitFailed`` too: someone else is changing
  the object (a DELETING tunnel will never become DEPLOYED), or the API grew a status this code does not
  understand, and failing loudly beats waiting out the timeout;
- 404 returns None when ``gone_is_target`` (a deletion is done when the object is gone or DELETED);
  otherwise it is tolerated for ``not_found_grace`` seconds, since a just-created object can take a
  moment to become readable, and then raises ``WaitFailed``;
- the deadline raises ``WaitTimeout``.

Up to three failed polls in a row (connection errors, 5xx, 429 left over after the transport's own
retries) are skipped, so a blip during a ten-minute wait does not abort a deploy. The exceptions keep the
last object seen in ``.last``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar, overload

from fdipsec_pulumi.client.errors import (
    NotFound,
    RateLimited,
    ServerError,
    TransportError,
    WaitFailed,
    WaitTimeout,
)
from fdipsec_pulumi.client.models import Status

__all__ = ["Progress", "WaitFailed", "WaitTimeout", "poll_intervals", "wait_for"]

FIRST_INTERVALS = (0.5, 1.0, 2.0, 4.0, 8.0)
MAX_INTERVAL = 15.0
NOT_FOUND_GRACE = 30.0
MAX_CONSECUTIVE_ERRORS = 3

StatusSet = Collection[Status | str]


class Observed(Protocol):
    @property
    def id(self) -> str: ...

    @property
    def status(self) -> Status: ...

    @property
    def status_message(self) -> str | None: ...


ObservedT = TypeVar("ObservedT", bound=Observed)


@dataclass(frozen=True)
class Progress:
    """One poll's outcome; ``status`` is None while the object answers 404."""

    resource: str
    status: Status | None
    elapsed: float
    polls: int


def poll_intervals(max_interval: float = MAX_INTERVAL) -> Iterator[float]:
    """The gaps before each poll; endless, the deadline ends the wait."""
    for interval in FIRST_INTERVALS:
        yield min(interval, max_interval)
    while True:
        yield max_interval


@overload
def wait_for(
    refresh: Callable[[], ObservedT],
    *,
    pending: StatusSet,
    target: StatusSet,
    timeout: float,
    describe: str,
    failure: StatusSet = ...,
    clock: Callable[[], float] = ...,
    sleep: Callable[[float], None] = ...,
    on_progress: Callable[[Progress], None] | None = ...,
    gone_is_target: Literal[False] = ...,
    not_found_grace: float = ...,
    max_interval: float = ...,
    schedule: Callable[[float, float], float] | None = ...,
) -> ObservedT: ...


@overload
def wait_for(
    refresh: Callable[[], ObservedT],
    *,
    pending: StatusSet,
    target: StatusSet,
    timeout: float,
    describe: str,
    failure: StatusSet = ...,
    clock: Callable[[], float] = ...,
    sleep: Callable[[float], None] = ...,
    on_progress: Callable[[Progress], None] | None = ...,
    gone_is_target: bool,
    not_found_grace: float = ...,
    max_interval: float = ...,
    schedule: Callable[[float, float], float] | None = ...,
) -> ObservedT | None: ...


def wait_for(
    refresh: Callable[[], ObservedT],
    *,
    pending: StatusSet,
    target: StatusSet,
    timeout: float,
    describe: str,
    failure: StatusSet = (Status.ERROR,),
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    on_progress: Callable[[Progress], None] | None = None,
    gone_is_target: bool = False,
    not_found_grace: float = NOT_FOUND_GRACE,
    max_interval: float = MAX_INTERVAL,
    schedule: Callable[[float, float], float] | None = None,
) -> ObservedT | None:
    """Poll ``refresh`` until the object reaches ``target``; ``describe`` names it in messages.

    ``describe`` should carry the remote id, e.g. ``"IPsec tunnel tnl-1"``. See the module docstring
    for the schedule and for what ends the wait. ``schedule(started, previous)``, when given, replaces
    that schedule: the clock time of the next poll, given the wait's start and the previous poll's
    planned time (the providers use ``poller.fleet_schedule``).
    """
    pending_set, target_set, failure_set = _values(pending), _values(target), _values(failure)
    started = clock()
    deadline = started + timeout
    last: ObservedT | None = None
    polls = errors = 0
    intervals = poll_intervals(max_interval)
    planned = started
    while True:
        now = clock()
        remaining = deadline - now
        if remaining <= 0:
            raise WaitTimeout(_timeout_message(describe, timeout, target_set, last), last=last)
        if schedule is None:
            sleep(min(next(intervals), remaining))
        else:
            planned = min(schedule(started, planned), deadline)
            sleep(max(0.0, planned - now))
        polls += 1
        try:
            current: ObservedT | None = refresh()
        except NotFound:
            current = None
        except (TransportError, ServerError, RateLimited):
            errors += 1
            if errors > MAX_CONSECUTIVE_ERRORS:
                raise
            continue
        errors = 0
        elapsed = clock() - started
        if on_progress is not None:
            on_progress(Progress(describe, current.status if current else None, elapsed, polls))
        if current is None:
            if gone_is_target:
                return None
            if elapsed <= not_found_grace:
                continue
            raise WaitFailed(
                f"{_name(describe, last)} disappeared (404) while waiting for it to reach "
                f"{_join(target_set)}",
                last=last,
            )
        last = current
        status = current.status.value
        if status in target_set:
            return current
        if status in failure_set or status not in pending_set:
            raise WaitFailed(_failure_message(describe, current, target_set), last=current)


def _values(statuses: StatusSet) -> frozenset[str]:
    return frozenset(Status(status).value for status in statuses)


def _join(statuses: frozenset[str]) -> str:
    return " or ".join(sorted(statuses))


def _name(describe: str, obj: Observed | None) -> str:
    if obj is None or obj.id in describe:
        return describe
    return f"{describe} ({obj.id})"


def _status_text(obj: Observed) -> str:
    if obj.status_message:
        return f"{obj.status.value}: {obj.status_message}"
    return obj.status.value


def _failure_message(describe: str, obj: Observed, target: frozenset[str]) -> str:
    return f"{_name(describe, obj)} reached status {_status_text(obj)} while waiting for {_join(target)}"


def _timeout_message(describe: str, timeout: float, target: frozenset[str], last: Observed | None) -> str:
    seen = f"last status {_status_text(last)}" if last else "it was never seen (404)"
    return (
        f"timed out after {timeout:g} s waiting for {_name(describe, last)} to reach {_join(target)}; {seen}"
    )
