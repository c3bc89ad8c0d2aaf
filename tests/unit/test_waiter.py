"""The waiter on a fake clock: schedule, poll budget, and every way a wait can end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from fdipsec_pulumi.client.errors import NotFound, ServerError, TransportError, WaitFailed, WaitTimeout
from fdipsec_pulumi.client.models import Status
from fdipsec_pulumi.client.waiter import Progress, poll_intervals, wait_for


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.now += seconds


@dataclass
class Obj:
    id: str
    status: Status
    status_message: str | None = None


class Remote:
    """A remote object whose status follows a timeline of (seconds after start, status or None=404)."""

    def __init__(
        self, clock: FakeClock, timeline: list[tuple[float, Status | None]], message: str | None = None
    ):
        self.clock = clock
        self.start = clock.now
        self.timeline = timeline
        self.message = message
        self.polls: list[float] = []

    def __call__(self) -> Obj:
        elapsed = self.clock.now - self.start
        self.polls.append(elapsed)
        status = [s for at, s in self.timeline if at <= elapsed][-1]
        if status is None:
            raise NotFound("gone", http_status=404, method="GET", path="/x")
        return Obj("tnl-1", status, self.message if status == Status.ERROR else None)


def wait(remote: Remote, clock: FakeClock, **kwargs: object) -> Obj | None:
    options: dict[str, object] = {
        "pending": {Status.NEW},
        "target": {Status.DEPLOYED},
        "timeout": 1800,
        "describe": "IPsec tunnel tnl-1",
        "clock": clock,
        "sleep": clock.sleep,
    }
    options.update(kwargs)
    return wait_for(remote, **options)  # type: ignore[call-overload,no-any-return]


def test_ten_minute_provisioning_costs_44_polls() -> None:
    clock = FakeClock()
    remote = Remote(clock, [(0, Status.NEW), (600, Status.DEPLOYED)])
    result = wait(remote, clock)
    assert result is not None and result.status == Status.DEPLOYED
    assert len(remote.polls) == 44
    assert len(remote.polls) <= 60
    assert remote.polls[:6] == [0.5, 1.5, 3.5, 7.5, 15.5, 30.5]
    assert remote.polls[-1] == pytest.approx(600.5)


def test_schedule_grows_then_caps() -> None:
    intervals = poll_intervals()
    assert [next(intervals) for _ in range(8)] == [0.5, 1, 2, 4, 8, 15, 15, 15]
    capped = poll_intervals(max_interval=3)
    assert [next(capped) for _ in range(6)] == [0.5, 1, 2, 3, 3, 3]


def test_fast_deploy_is_seen_after_half_a_second() -> None:
    clock = FakeClock()
    remote = Remote(clock, [(0, Status.DEPLOYED)])
    wait(remote, clock)
    assert remote.polls == [0.5]


def test_error_fails_fast_with_id_status_and_reason() -> None:
    clock = FakeClock()
    remote = Remote(clock, [(0, Status.NEW), (5, Status.ERROR)], message="peer unreachable")
    with pytest.raises(WaitFailed) as caught:
        wait(remote, clock)
    assert clock.now - remote.start < 10
    text = str(caught.value)
    assert "tnl-1" in text and "ERROR" in text and "peer unreachable" in text
    assert isinstance(caught.value.last, Obj) and caught.value.last.status == Status.ERROR


def test_unexpected_status_fails() -> None:
    clock = FakeClock()
    remote = Remote(clock, [(0, Status.NEW), (2, Status.DELETING)])
    with pytest.raises(WaitFailed, match="DELETING"):
        wait(remote, clock)


def test_unknown_status_value_fails_loudly_not_at_timeout() -> None:
    clock = FakeClock()
    remote = Remote(clock, [(0, Status("UPGRADING"))])
    with pytest.raises(WaitFailed, match="UPGRADING"):
        wait(remote, clock)
    assert len(remote.polls) == 1


def test_timeout_names_id_and_last_status_and_polls_at_deadline() -> None:
    clock = FakeClock()
    remote = Remote(clock, [(0, Status.NEW)])
    with pytest.raises(WaitTimeout) as caught:
        wait(remote, clock, timeout=60)
    assert str(caught.value) == (
        "timed out after 60 s waiting for IPsec tunnel tnl-1 to reach DEPLOYED; last status NEW"
    )
    assert remote.polls[-1] == 60
    assert caught.value.last is not None


def test_object_arriving_at_the_deadline_is_not_a_timeout() -> None:
    clock = FakeClock()
    remote = Remote(clock, [(0, Status.NEW), (60, Status.DEPLOYED)])
    assert wait(remote, clock, timeout=60) is not None


def test_brief_404_after_create_is_tolerated() -> None:
    clock = FakeClock()
    remote = Remote(clock, [(0, None), (3, Status.NEW), (20, Status.DEPLOYED)])
    assert wait(remote, clock) is not None


def test_404_beyond_grace_fails() -> None:
    clock = FakeClock()
    remote = Remote(clock, [(0, Status.NEW), (10, None)])
    with pytest.raises(WaitFailed, match=r"tnl-1 disappeared \(404\)"):
        wait(remote, clock, not_found_grace=5)


def test_deletion_done_on_404() -> None:
    clock = FakeClock()
    remote = Remote(clock, [(0, Status.DELETING), (4, None)])
    result = wait(remote, clock, pending={Status.DELETING}, target={Status.DELETED}, gone_is_target=True)
    assert result is None


def test_deletion_done_on_deleted() -> None:
    clock = FakeClock()
    remote = Remote(clock, [(0, Status.DELETING), (4, Status.DELETED)])
    result = wait(remote, clock, pending={"DELETING"}, target={"DELETED"}, gone_is_target=True)
    assert result is not None and result.status == Status.DELETED


def test_progress_reports_resource_status_elapsed() -> None:
    clock = FakeClock()
    remote = Remote(clock, [(0, None), (1, Status.NEW), (3, Status.DEPLOYED)])
    seen: list[Progress] = []
    wait(remote, clock, on_progress=seen.append)
    assert [(p.resource, p.status, p.elapsed, p.polls) for p in seen] == [
        ("IPsec tunnel tnl-1", None, 0.5, 1),
        ("IPsec tunnel tnl-1", Status.NEW, 1.5, 2),
        ("IPsec tunnel tnl-1", Status.DEPLOYED, 3.5, 3),
    ]


def flaky(clock: FakeClock, failures: int) -> Callable[[], Obj]:
    calls = {"n": 0}

    def refresh() -> Obj:
        calls["n"] += 1
        if calls["n"] <= failures:
            if calls["n"] % 2:
                raise TransportError("dropped", ambiguous=False)
            raise ServerError("boom", http_status=503, method="GET", path="/x")
        return Obj("tnl-1", Status.DEPLOYED)

    return refresh


def test_a_few_failed_polls_are_skipped() -> None:
    clock = FakeClock()
    result = wait_for(
        flaky(clock, 3),
        pending={Status.NEW},
        target={Status.DEPLOYED},
        timeout=600,
        describe="t",
        clock=clock,
        sleep=clock.sleep,
    )
    assert result.status == Status.DEPLOYED


def test_persistent_failure_is_raised() -> None:
    clock = FakeClock()
    with pytest.raises(ServerError):
        wait_for(
            flaky(clock, 4),
            pending={Status.NEW},
            target={Status.DEPLOYED},
            timeout=600,
            describe="t",
            clock=clock,
            sleep=clock.sleep,
        )
