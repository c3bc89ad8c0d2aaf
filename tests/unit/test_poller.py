"""The shared poller (client/poller.py): its schedule's promises and its listings' freshness."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import pytest

from fdipsec_pulumi.client import poller
from fdipsec_pulumi.client.errors import NotFound, WaitFailed
from fdipsec_pulumi.client.models import Status
from fdipsec_pulumi.client.poller import (
    FEW_LISTED,
    FIRST_POLL_GRID,
    FLEET_FIRST_POLL_GRID,
    Burst,
    FleetSchedule,
    Snapshots,
    fleet_schedule,
    shared,
)
from fdipsec_pulumi.client.waiter import wait_for


@pytest.fixture(autouse=True)
def small_listings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a process whose listings are small (the first poll's fine grid)."""
    monkeypatch.setattr(poller, "_largest_listing", 0)


def polls_until(done_at: float, started: float = 0.3) -> list[float]:
    """The poll times of a wait that started at ``started`` for something done at ``done_at``."""
    polls: list[float] = []
    previous = started
    while not polls or polls[-1] < done_at:
        previous = fleet_schedule(started, previous)
        polls.append(previous)
    return polls


@pytest.mark.parametrize("started", [0.0, 0.3, 0.55, 0.99, 3.99, 17.77, 1234.567])
def test_a_ten_minute_provisioning_costs_one_poll_at_once_and_at_most_40_more(started: float) -> None:
    polls = polls_until(started + 600, started)
    assert polls[0] - started <= FIRST_POLL_GRID
    assert len(polls[1:]) <= 40


@pytest.mark.parametrize("done_after", [0.2, 1.0, 3.3, 8.0, 10.0, 47.0, 130.0, 599.0])
def test_completion_is_noticed_within_max_1s_or_15_percent(done_after: float) -> None:
    started = 0.3
    noticed = polls_until(started + done_after, started)[-1] - started
    assert noticed - done_after <= max(1.0, 0.15 * done_after) + 1e-9


def test_waiters_started_apart_poll_together() -> None:
    """Ten waiters that started within 1.5 s of each other, over the 10 s of a tunnel's provisioning:
    a quarter of the polls they would make alone, so a fleet's listings are shared."""
    starts = [0.05 + 0.15 * n for n in range(10)]
    alone = [[p for p in polls_until(start + 10, start) if p <= start + 10] for start in starts]
    together = set().union(*map(set, alone))
    assert len(together) <= sum(map(len, alone)) / 3


def test_a_poll_moved_up_to_the_deadline_asks_for_nothing_from_the_future() -> None:
    plan = FleetSchedule(clock=lambda: 5.0)
    assert plan(0.0, 0.0) == FIRST_POLL_GRID and plan.not_before() == FIRST_POLL_GRID
    assert plan(0.0, FIRST_POLL_GRID) == 1.0 and plan.not_before() == 1.0
    plan.planned = 9.0
    assert plan.not_before() == 5.0


@dataclass(frozen=True)
class Item:
    id: str
    status: Status = Status.NEW
    status_message: str | None = None


class Lister:
    """A fake list endpoint that counts its requests and can be held mid-request."""

    def __init__(self) -> None:
        self.calls = 0
        self.items = [Item("a"), Item("b")]
        self.gate = threading.Event()
        self.gate.set()
        self.fail: Exception | None = None

    def __call__(self) -> Iterable[Item]:
        self.calls += 1
        self.gate.wait(5)
        if self.fail is not None:
            raise self.fail
        return list(self.items)


def test_a_listing_sent_before_the_caller_asked_is_never_served() -> None:
    lister = Lister()
    snapshots = Snapshots(lister)
    snapshots.snapshot(time.monotonic())
    lister.items = [Item("a", Status.DEPLOYED)]
    assert snapshots.snapshot(time.monotonic())["a"].status == Status.DEPLOYED
    assert lister.calls == 2


def test_callers_that_ask_together_share_one_request() -> None:
    lister = Lister()
    snapshots = Snapshots(lister)
    asked = time.monotonic()
    results: list[str] = []
    threads = [
        threading.Thread(target=lambda: results.append(snapshots.get("a", asked, gather=0.2).id))
        for _ in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["a"] * 20
    assert lister.calls == 1


def test_a_caller_arriving_mid_request_waits_for_the_next_one() -> None:
    lister = Lister()
    snapshots = Snapshots(lister)
    lister.gate.clear()
    early = threading.Thread(target=lambda: snapshots.snapshot(time.monotonic()))
    early.start()
    while lister.calls == 0:
        time.sleep(0.01)
    late: list[int] = []
    late_thread = threading.Thread(target=lambda: late.append(len(snapshots.snapshot(time.monotonic()))))
    late_thread.start()
    time.sleep(0.1)
    lister.gate.set()
    early.join()
    late_thread.join()
    assert late == [2] and lister.calls == 2


def test_a_failed_request_reaches_its_callers_and_is_not_cached() -> None:
    lister = Lister()
    snapshots = Snapshots(lister)
    lister.fail = NotFound("Frontdoor gone")
    with pytest.raises(NotFound, match="Frontdoor gone"):
        snapshots.snapshot(time.monotonic())
    lister.fail = None
    assert set(snapshots.snapshot(time.monotonic())) == {"a", "b"}


def test_an_object_missing_from_the_listing_is_not_found() -> None:
    snapshots = Snapshots(Lister())
    with pytest.raises(NotFound):
        snapshots.get("zzz", time.monotonic())


def test_one_snapshots_per_owner_kind_and_frontdoor() -> None:
    owner, other = Lister(), Lister()
    first = shared(owner, "IpsecTunnel", "fd-1", owner)
    assert shared(owner, "IpsecTunnel", "fd-1", owner) is first
    assert shared(owner, "IpsecShare", "fd-1", owner) is not first
    assert shared(owner, "IpsecTunnel", "fd-2", owner) is not first
    assert shared(other, "IpsecTunnel", "fd-1", other) is not first


def test_wait_for_with_the_fleet_schedule_keeps_failing_fast() -> None:
    lister = Lister()
    snapshots = Snapshots(lister)
    lister.items = [Item("a", Status.ERROR, "BGP down")]
    with pytest.raises(WaitFailed, match="BGP down") as failed:
        wait_for(
            lambda: snapshots.get("a", time.monotonic()),
            pending={Status.NEW},
            target={Status.DEPLOYED},
            timeout=10,
            describe="IpsecTunnel a",
            schedule=fleet_schedule,
        )
    assert failed.value.last is not None and failed.value.last.status == Status.ERROR


def test_overlapping_reads_share_the_time_their_run_began_and_a_lone_read_starts_its_own() -> None:
    now = [10.0]
    burst = Burst(clock=lambda: now[0])
    with burst.joined() as first:
        now[0] = 14.0
        with burst.joined() as second:
            pass
        now[0] = 18.0
        with burst.joined() as third:  # the first is still being served: the run is unbroken
            pass
    now[0] = 20.0
    with burst.joined() as alone:
        pass
    assert (first, second, third, alone) == (10.0, 10.0, 10.0, 20.0)


def test_the_first_poll_waits_longer_once_listings_are_large() -> None:
    # A small stack sees its objects on the next 1/64 s tick; once a listing holds more than FEW_LISTED
    # objects, first polls share the coarser ticks, as each listing costs more and answers more waiters.
    assert FleetSchedule(clock=lambda: 0.0)(0.01, 0.01) == FIRST_POLL_GRID
    listing = Snapshots(lambda: [Item(f"shr-{n}") for n in range(FEW_LISTED)])
    listing.snapshot(-math.inf)
    assert FleetSchedule(clock=lambda: 0.0)(0.01, 0.01) == FIRST_POLL_GRID
    listing = Snapshots(lambda: [Item(f"shr-{n}") for n in range(FEW_LISTED + 1)])
    listing.snapshot(-math.inf)
    assert FleetSchedule(clock=lambda: 0.0)(0.01, 0.01) == FLEET_FIRST_POLL_GRID
