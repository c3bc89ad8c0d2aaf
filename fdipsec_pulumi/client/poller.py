"""One list request per tick for every waiter on a Frontdoor: polling whose cost does not grow with a fleet.

A fleet of 40 tunnels waiting on their own would poll 40 times per tick. The list endpoint returns every
tunnel (or share) of a Frontdoor with its status, so all waiters on one Frontdoor can share one list
request instead. ``Snapshots`` is that sharing, for one kind of object in one Frontdoor:

- ``snapshot(not_before)`` answers with a listing whose request was *sent* at or after ``not_before``,
  never an older one, so a caller sees nothing staler than if it had sent its own GET at that moment.
  Callers that ask while such a request is in flight (or about to be sent) join it; one that asks later
  starts the next one. A failed request is raised to every caller that was waiting for it, and cached
  for nobody.
- ``gather`` delays the request a little so callers arriving together (creates checking for
  look-alikes, the reads of a refresh) share it; waiters do not need it, as their polls fall on a common
  grid (``fleet_schedule``).

``fleet_schedule`` is the waiters' schedule: a first poll at once (on a 1/64 s grid, 1/4 s in a fleet),
then a completion is noticed within max(1 s, 15 % of the time waited so far), and a 10-minute
provisioning costs that first poll and at most 40 more for a lone waiter; with company it costs its
share of one list per tick. Poll times fall on a 0.5 s grid of the process's monotonic clock so that
waiters that started at different moments still poll together.

``Burst`` is the reads' sharing: the reads of a refresh overlap (the engine sends them all at once, the
host serves many together), and every read of one unbroken run of overlapping reads accepts a listing sent
at or after the run began, so one listing per Frontdoor and kind answers a whole refresh, however long
its reads take to arrive. A read alone starts its own run: it sees nothing older than itself.

``wait_for`` (client/waiter.py) keeps doing the waiting, in the StateChangeConf style (pending, target
and failure sets, fail fast on ERROR, the last state seen kept): this module only changes when it polls
and what a poll costs.
"""

from __future__ import annotations

import math
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from fdipsec_pulumi.client.errors import NotFound

__all__ = ["Burst", "FleetSchedule", "Snapshots", "fleet_schedule", "shared"]

MIN_INTERVAL = 1.0
FRACTION = 0.15
# While polls are a second apart they fall on this grid, so waiters of a fleet poll at the same moments.
FIRST_GRID = 0.5
# Later, gaps are rounded down to a power of two no larger than 1/16 of the gap: fine enough to keep a
# 10-minute wait within 40 polls, coarse enough that waiters with similar gaps still meet.
GRID_DIVISOR = 16
# The first poll comes at the next tick of a grid: an API that finishes at once (or a repeat the API
# answers as done) is seen without the second of a full interval, and waiters that began together share
# that poll's listing. While this process's listings are small (a small stack, the inner loop) the grid
# is fine, 1/64 s, as such a listing costs next to nothing: a quarter second was a tenth of such a
# stack's `up` (once for the tunnel, once for its shares). Once a listing holds more than FEW_LISTED
# objects, each costs the API and us more and answers more waiters, so the first polls fall on the
# coarser grid. Both are exact in binary, so the ticks fall where they should.
FIRST_POLL_GRID = 0.015625
FLEET_FIRST_POLL_GRID = 0.25
FEW_LISTED = 32
_largest_listing = 0
# How long a list waits for company before it is sent, when its callers are not on the grid: enough for
# the calls the engine sends in one burst (a fleet's creates, a refresh's reads) to meet.
GATHER = 0.1


class Listed(Protocol):
    @property
    def id(self) -> str: ...


ListedT = TypeVar("ListedT", bound=Listed)


def grid(interval: float) -> float:
    if interval <= MIN_INTERVAL:
        return FIRST_GRID
    return float(2.0 ** math.floor(math.log2(interval / GRID_DIVISOR)))


def fleet_schedule(started: float, previous: float, first_grid: float = FIRST_POLL_GRID) -> float:
    """When to poll next (monotonic seconds), given when the wait started and the previous poll.

    The gap is at most max(1 s, 15 % of the time waited at the previous poll), so a completion between
    two polls is noticed within max(1 s, 15 %) of the time waited when it happened. It is rounded down
    onto a grid of the process's clock (``grid``), which keeps that promise and lets waiters that started
    at different moments poll at the same ones.
    """
    if previous <= started:
        return (math.floor(started / first_grid) + 1) * first_grid
    interval = max(MIN_INTERVAL, FRACTION * (previous - started))
    step = grid(interval)
    return math.floor((previous + interval) / step) * step


class FleetSchedule:
    """``fleet_schedule`` for one wait, remembering the planned time of the poll it scheduled last, so
    that the poll can ask for a listing sent at or after it (and share it with other waiters). Its first
    poll's grid follows the size of this process's listings (``FEW_LISTED``)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.planned = -math.inf
        self.first_grid = FIRST_POLL_GRID if _largest_listing <= FEW_LISTED else FLEET_FIRST_POLL_GRID

    def __call__(self, started: float, previous: float) -> float:
        self.planned = fleet_schedule(started, previous, self.first_grid)
        return self.planned

    def not_before(self) -> float:
        """The planned time, never later than now: a poll moved up to the deadline asks for no
        listing from the future."""
        return min(self.planned, self._clock())


class Burst:
    """Overlapping calls as one run (see the module docstring); ``joined`` yields when the run began."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._active = 0
        self._began = -math.inf

    @contextmanager
    def joined(self) -> Iterator[float]:
        with self._lock:
            if self._active == 0:
                self._began = self._clock()
            self._active += 1
            began = self._began
        try:
            yield began
        finally:
            with self._lock:
                self._active -= 1


@dataclass(eq=False)
class _Fetch(Generic[ListedT]):
    sent: float = math.inf
    done: threading.Event = field(default_factory=threading.Event)
    items: dict[str, ListedT] | None = None
    error: BaseException | None = None


class Snapshots(Generic[ListedT]):
    """The shared listings of one kind of object in one Frontdoor (see the module docstring)."""

    def __init__(
        self,
        fetch: Callable[[], Iterable[ListedT]],
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._fetch = fetch
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._latest: _Fetch[ListedT] | None = None
        self._inflight: _Fetch[ListedT] | None = None
        # When this process last removed or changed one of the listed objects (``changed``).
        self.changed_at = -math.inf

    def changed(self) -> None:
        """A DELETE or PATCH of ours was answered: a listing sent before now shows that object as it was,
        so the checks that accept a recent listing (a create's) no longer accept those."""
        with self._lock:
            self.changed_at = self._clock()

    def snapshot(self, not_before: float, *, gather: float = 0.0) -> Mapping[str, ListedT]:
        """Every object by id, as listed by a request sent at or after ``not_before``."""
        while True:
            with self._lock:
                latest = self._latest
                if latest is not None and latest.items is not None and latest.sent >= not_before:
                    return latest.items
                fetch = self._inflight
                leader = fetch is None
                if fetch is None:
                    fetch = self._inflight = _Fetch()
            if leader:
                self._lead(fetch, gather)
            else:
                fetch.done.wait()
            if fetch.sent >= not_before:
                if fetch.error is not None:
                    raise fetch.error
                assert fetch.items is not None
                return fetch.items
            # That request left before we asked: the next one is ours.

    def get(self, object_id: str, not_before: float, *, gather: float = 0.0) -> ListedT:
        """One object from a fresh enough listing; ``NotFound`` when the listing does not hold it."""
        found = self.snapshot(not_before, gather=gather).get(object_id)
        if found is None:
            raise NotFound(f"{object_id} is not listed")
        return found

    def _lead(self, fetch: _Fetch[ListedT], gather: float) -> None:
        try:
            if gather > 0:
                self._sleep(gather)
            with self._lock:
                fetch.sent = self._clock()
            fetch.items = {item.id: item for item in self._fetch()}
            _listed(len(fetch.items))
        except BaseException as exc:
            fetch.error = exc
        finally:
            with self._lock:
                self._inflight = None
                if fetch.items is not None and (self._latest is None or fetch.sent > self._latest.sent):
                    self._latest = fetch
            fetch.done.set()


def _listed(count: int) -> None:
    global _largest_listing
    _largest_listing = max(_largest_listing, count)


_registry: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], Any]] = weakref.WeakKeyDictionary()
_registry_lock = threading.Lock()


def shared(
    owner: object, kind: str, frontdoor_id: str, fetch: Callable[[], Iterable[ListedT]]
) -> Snapshots[ListedT]:
    """The one ``Snapshots`` of ``kind`` in ``frontdoor_id`` for ``owner`` (a client) in this process."""
    with _registry_lock:
        per_owner = _registry.setdefault(owner, {})
        found = per_owner.get((kind, frontdoor_id))
        if found is None:
            found = per_owner[(kind, frontdoor_id)] = Snapshots(fetch)
        snapshots: Snapshots[ListedT] = found
        return snapshots
