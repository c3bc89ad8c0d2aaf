"""The provisioning state machine, as data.

The API is eventually consistent: a create answers NEW and a later read shows DEPLOYED; a delete answers
DELETING, then DELETED, then 404. Rather than timers, each record carries the time it entered its status
and ``settle`` catches every record up to "now" whenever the backend is touched. That makes the
behaviour a pure function of (records, clock, delays): deterministic under an injected clock, identical
after a restart, and a delay of 0 means "already done on the next read".

Transitions are stamped with the moment they became due, not the moment they were observed, so a share
waiting for its tunnel starts its own delay exactly when the tunnel reached DEPLOYED.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from fdipsec_pulumi.client.models import Status
from fdipsec_pulumi.emulator.records import Kind, Record

DelayName = Literal["tunnel", "share", "delete"]


@dataclass(frozen=True)
class Delays:
    """Seconds each automatic transition takes."""

    tunnel: float = 0.0
    share: float = 0.0
    delete: float = 0.0


@dataclass(frozen=True)
class Transition:
    """Where a status goes next. ``target=None`` means the record is purged: reads answer 404."""

    target: Status | None
    delay: DelayName
    # A share is only provisioned once the tunnel it is published on is DEPLOYED.
    needs_deployed_tunnel: bool = False
    # Where a create planned to fail (control API fail-next) ends instead of ``target``.
    failure: Status | None = None


TRANSITIONS: Mapping[tuple[Kind, Status], Transition] = {
    (Kind.TUNNEL, Status.NEW): Transition(Status.DEPLOYED, "tunnel", failure=Status.ERROR),
    (Kind.SHARE, Status.NEW): Transition(
        Status.DEPLOYED, "share", needs_deployed_tunnel=True, failure=Status.ERROR
    ),
    (Kind.TUNNEL, Status.DELETING): Transition(Status.DELETED, "delete"),
    (Kind.SHARE, Status.DELETING): Transition(Status.DELETED, "delete"),
    (Kind.TUNNEL, Status.DELETED): Transition(None, "delete"),
    (Kind.SHARE, Status.DELETED): Transition(None, "delete"),
}


@dataclass
class Settled:
    """What ``settle`` moved: records to write back and records to drop (never both)."""

    changed: dict[tuple[Kind, str], Record] = field(default_factory=dict)
    purged: list[Record] = field(default_factory=list)


class Lifecycle:
    def __init__(self, transitions: Mapping[tuple[Kind, Status], Transition] = TRANSITIONS) -> None:
        self._transitions = transitions

    def due(self, record: Record, delays: Delays, tunnel: Record | None) -> float | None:
        """When ``record`` leaves its status, or None if nothing will move it."""
        transition = self._transitions.get((record.kind, record.status))
        if transition is None:
            return None
        start = record.since
        if transition.needs_deployed_tunnel:
            if tunnel is None or tunnel.status != Status.DEPLOYED:
                return None
            start = max(start, tunnel.since)
        delay: float = getattr(delays, transition.delay)
        return start + delay

    def settle(self, records: Iterable[Record], now: float, delays: Delays) -> Settled:
        """Apply, in order, every transition due by ``now``; mutates the records it moves."""
        records = list(records)
        settled = Settled()
        pending = [r for r in records if (r.kind, r.status) in self._transitions]
        if not pending:
            return settled
        tunnels = {r.id: r for r in records if r.kind is Kind.TUNNEL}
        while True:
            steps = sorted(
                (
                    (at, record)
                    for record in pending
                    if (at := self.due(record, delays, self._tunnel_of(record, tunnels))) is not None
                    and at <= now
                ),
                key=lambda step: (step[0], step[1].seq),
            )
            if not steps:
                return settled
            for at, record in steps:
                transition = self._transitions[(record.kind, record.status)]
                key = (record.kind, record.id)
                if transition.target is None:
                    settled.changed.pop(key, None)
                    settled.purged.append(record)
                    if record.kind is Kind.TUNNEL:
                        del tunnels[record.id]
                    continue
                if record.planned_failure is not None and transition.failure is not None:
                    record.status, record.status_message = transition.failure, record.planned_failure
                    record.planned_failure = None
                else:
                    record.status, record.status_message = transition.target, None
                record.since = at
                settled.changed[key] = record
            gone = {id(r) for r in settled.purged}
            pending = [r for r in pending if id(r) not in gone and (r.kind, r.status) in self._transitions]

    @staticmethod
    def _tunnel_of(record: Record, tunnels: Mapping[str, Record]) -> Record | None:
        if record.kind is not Kind.SHARE:
            return None
        return tunnels.get(record.fields.get("ipsecTunnelId", ""))
