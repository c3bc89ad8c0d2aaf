"""The emulated Frontdoor: records, rules, lifecycle, credentials and faults, with no HTTP in it.

Like a moto backend, it is what tests drive and inspect directly, and what the routes translate to and
from HTTP. One lock serialises every operation, so parallel requests never lose an update, and every
operation first lets the state machine catch up with the clock, so what a caller sees is always as of
"now".
"""

from __future__ import annotations

import os
import random
import secrets
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from fdipsec_pulumi.client.models import (
    DEFAULT_FRONTDOOR_ID,
    ShareCreate,
    ShareMetrics,
    SharePatch,
    Status,
    TunnelConfig,
    TunnelCreate,
    TunnelMetrics,
)
from fdipsec_pulumi.emulator import artifacts, metrics, queries, rules
from fdipsec_pulumi.emulator.auth import DEFAULT_CLIENTS, DEFAULT_TOKEN, Credentials, IssuedToken
from fdipsec_pulumi.emulator.clock import Clock
from fdipsec_pulumi.emulator.errors import conflict, invalid, not_found
from fdipsec_pulumi.emulator.faults import Faults
from fdipsec_pulumi.emulator.records import FIELDS, Kind, Record
from fdipsec_pulumi.emulator.requestlog import RequestLog
from fdipsec_pulumi.emulator.state import Delays, Lifecycle
from fdipsec_pulumi.emulator.store import Store

_PREFIX = {Kind.TUNNEL: "tnl", Kind.SHARE: "shr"}
_GOING_AWAY = (Status.DELETING, Status.DELETED)


@dataclass(frozen=True)
class RuntimeConfig:
    """The knobs the control API may turn at run time; ``reset`` restores the start-up values."""

    tunnel_delay: float = 0.0
    share_delay: float = 0.0
    delete_delay: float = 0.0
    token_ttl: float = 3600.0

    @property
    def delays(self) -> Delays:
        return Delays(tunnel=self.tunnel_delay, share=self.share_delay, delete=self.delete_delay)


class Backend:
    def __init__(
        self,
        *,
        tokens: Iterable[str] | None = None,
        clients: Mapping[str, str] | None = None,
        frontdoor_ids: Iterable[str] | None = None,
        tunnel_delay: float = 0.0,
        share_delay: float = 0.0,
        delete_delay: float = 0.0,
        token_ttl: float = 3600.0,
        state_file: str | os.PathLike[str] | None = None,
        clock: Clock | None = None,
        locations: Sequence[str] = rules.LOCATIONS,
        rng: random.Random | None = None,
    ) -> None:
        """``tokens``/``clients``/``frontdoor_ids`` left as None get the documented local defaults."""
        self.clock = clock or Clock()
        self.frontdoor_ids = frozenset(frontdoor_ids or (DEFAULT_FRONTDOOR_ID,))
        self.locations = tuple(locations)
        self._initial = RuntimeConfig(tunnel_delay, share_delay, delete_delay, token_ttl)
        self._config = self._initial
        self.credentials = Credentials(
            (DEFAULT_TOKEN,) if tokens is None else tokens,
            DEFAULT_CLIENTS if clients is None else clients,
            token_ttl,
            self.clock,
        )
        self.faults = Faults(rng)
        self.requests = RequestLog()
        self._store = Store(state_file)
        self._lifecycle = Lifecycle()
        self._fail_next: dict[Kind, str] = {}
        self._lock = threading.RLock()

    # --- access ------------------------------------------------------------------------------------

    def knows_frontdoor(self, frontdoor_id: str) -> bool:
        return frontdoor_id in self.frontdoor_ids

    def accepts_token(self, token: str) -> bool:
        return self.credentials.accepts(token)

    def issue_token(self, client_id: str, client_secret: str) -> IssuedToken | None:
        return self.credentials.issue(client_id, client_secret)

    # --- the public API ----------------------------------------------------------------------------

    def query(
        self, kind: Kind, frontdoor_id: str, query: queries.ListQuery
    ) -> tuple[list[dict[str, Any]], int]:
        queries.check_filters(kind, query.filters)
        with self._lock:
            self._settle()
            docs = [r.wire() for r in self._store.all(kind) if r.frontdoor_id == frontdoor_id]
        return queries.apply(docs, query)

    def get(self, kind: Kind, frontdoor_id: str, record_id: str) -> dict[str, Any]:
        with self._lock:
            self._settle()
            return self._find(kind, frontdoor_id, record_id).wire()

    def create_tunnel(self, frontdoor_id: str, spec: TunnelCreate) -> dict[str, Any]:
        with self._lock:
            self._settle()
            holding = rules.holding(self._store.all(Kind.TUNNEL), frontdoor_id)
            location = rules.location_for(holding, spec.location_id, self.locations)
            nlb_ip = rules.nlb_ip_for(holding, spec.nlb_private_ip)
            record = self._new_record(
                Kind.TUNNEL,
                frontdoor_id,
                {
                    **spec.model_dump(by_alias=True, exclude_none=True),
                    "locationId": location,
                    "nlbPrivateIp": nlb_ip,
                    "nlbDnsName": f"nlb-{uuid.uuid4().hex[:16]}.elb.{location}.amazonaws.com",
                    "vpnConnectionId": f"vpn-{uuid.uuid4().hex[:17]}",
                },
                secret=secrets.token_urlsafe(24),
            )
            return record.wire()

    def create_share(self, frontdoor_id: str, spec: ShareCreate) -> dict[str, Any]:
        with self._lock:
            self._settle()
            fields = self._checked_share_fields(frontdoor_id, spec.model_dump(by_alias=True), None)
            return self._new_record(Kind.SHARE, frontdoor_id, fields).wire()

    def replace_share(self, frontdoor_id: str, share_id: str, spec: ShareCreate) -> dict[str, Any]:
        """PUT: every field as given, optional ones cleared when absent; provisioning starts over."""
        with self._lock:
            self._settle()
            return self._reprovision(frontdoor_id, share_id, spec.model_dump(by_alias=True))

    def update_share(self, frontdoor_id: str, share_id: str, patch: SharePatch) -> dict[str, Any]:
        """PATCH: only the fields given change; provisioning starts over."""
        changes = patch.model_dump(by_alias=True, exclude_none=True)
        with self._lock:
            self._settle()
            current = self._find(Kind.SHARE, frontdoor_id, share_id)
            return self._reprovision(frontdoor_id, share_id, {**current.fields, **changes})

    def delete(self, kind: Kind, frontdoor_id: str, record_id: str) -> dict[str, Any]:
        """Starts teardown. Deleting what is already going away answers its state, so retries are safe."""
        with self._lock:
            self._settle()
            record = self._find(kind, frontdoor_id, record_id)
            if record.status in _GOING_AWAY:
                return record.wire()
            if kind is Kind.TUNNEL:
                shares = [s for s in self._store.all(Kind.SHARE) if s.status != Status.DELETED]
                rules.check_no_shares(shares, record_id)
            self._move(record, Status.DELETING, None)
            return record.wire()

    def tunnel_config(self, frontdoor_id: str, tunnel_id: str) -> TunnelConfig:
        with self._lock:
            return artifacts.tunnel_config(self._deployed_tunnel(frontdoor_id, tunnel_id, "tunnel-config"))

    def sample_config(self, frontdoor_id: str, tunnel_id: str) -> str:
        with self._lock:
            return artifacts.sample_config(self._deployed_tunnel(frontdoor_id, tunnel_id, "sample-config"))

    def tunnel_metrics(self, frontdoor_id: str, tunnel_id: str, window: str) -> TunnelMetrics:
        with self._lock:
            self._settle()
            record = self._find(Kind.TUNNEL, frontdoor_id, tunnel_id)
            return metrics.tunnel_metrics(record, window, self.clock.now())

    def share_metrics(self, frontdoor_id: str, share_id: str, duration: str) -> ShareMetrics:
        with self._lock:
            self._settle()
            record = self._find(Kind.SHARE, frontdoor_id, share_id)
            return metrics.share_metrics(record, duration, self.clock.now())

    # --- the control API ---------------------------------------------------------------------------

    @property
    def config(self) -> RuntimeConfig:
        return self._config

    def configure(self, **changes: float) -> RuntimeConfig:
        with self._lock:
            self._settle()
            self._config = replace(self._config, **changes)
            self.credentials.ttl = self._config.token_ttl
            return self._config

    def reset(self) -> None:
        """Back to a fresh start: no records, faults, logged requests or planned failures; start-up
        settings; clock offset cleared. Issued tokens stay valid, as a reset is not a logout."""
        with self._lock:
            self._store.clear()
            self._fail_next.clear()
            self._config = self._initial
            self.credentials.ttl = self._initial.token_ttl
            self.faults.clear()
            self.requests.clear()
            self.clock.reset()

    def fail_next(self, kind: Kind, reason: str) -> None:
        with self._lock:
            self._fail_next[kind] = reason

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.clock.advance(seconds)
            self._settle()

    def set_status(
        self, kind: Kind, record_id: str, status: Status, reason: str | None = None
    ) -> dict[str, Any]:
        with self._lock:
            self._settle()
            record = self._find_any(kind, record_id)
            self._move(record, status, reason)
            return record.wire()

    def drift(self, kind: Kind, record_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """An out-of-band change, as if someone edited the resource behind the client's back."""
        allowed = {"name", "frontdoorId", "status", "statusMessage", *FIELDS[kind]}
        for prop in changes:
            if prop not in allowed:
                raise invalid(prop, f"a {kind.noun} property", f"one of {', '.join(sorted(allowed))}")
        with self._lock:
            self._settle()
            record = self._find_any(kind, record_id)
            for prop, value in changes.items():
                if prop == "frontdoorId":
                    record.frontdoor_id = str(value)
                elif prop == "status":
                    record.status, record.since = Status(str(value)), self.clock.now()
                elif prop == "statusMessage":
                    record.status_message = None if value is None else str(value)
                else:
                    record.fields[prop] = value
            self._store.put(record)
            return record.wire()

    def purge(self, kind: Kind, record_id: str) -> None:
        with self._lock:
            self._settle()
            self._store.remove(self._find_any(kind, record_id))

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        with self._lock:
            self._settle()
            return {kind.value: [r.wire() for r in self._store.all(kind)] for kind in Kind}

    def close(self) -> None:
        with self._lock:
            self._store.close()

    # --- internals ---------------------------------------------------------------------------------

    def _settle(self) -> None:
        settled = self._lifecycle.settle(self._store.all(), self.clock.now(), self._config.delays)
        self._store.put(*settled.changed.values())
        self._store.remove(*settled.purged)

    def _find(self, kind: Kind, frontdoor_id: str, record_id: str) -> Record:
        record = self._store.get(kind, record_id)
        if record is None or record.frontdoor_id != frontdoor_id:
            raise not_found(kind.noun, record_id)
        return record

    def _find_any(self, kind: Kind, record_id: str) -> Record:
        record = self._store.get(kind, record_id)
        if record is None:
            raise not_found(kind.noun, record_id)
        return record

    def _new_record(
        self, kind: Kind, frontdoor_id: str, fields: dict[str, Any], secret: str | None = None
    ) -> Record:
        record = Record(
            kind=kind,
            id=f"{_PREFIX[kind]}-{uuid.uuid4().hex[:16]}",
            frontdoor_id=frontdoor_id,
            status=Status.NEW,
            since=self.clock.now(),
            seq=self._store.next_seq(),
            fields=fields,
            planned_failure=self._fail_next.pop(kind, None),
            secret=secret,
        )
        self._store.put(record)
        return record

    def _move(self, record: Record, status: Status, reason: str | None) -> None:
        record.status, record.status_message, record.since = status, reason, self.clock.now()
        self._store.put(record)

    def _checked_share_fields(
        self, frontdoor_id: str, fields: dict[str, Any], share_id: str | None
    ) -> dict[str, Any]:
        tunnel_id = fields["ipsecTunnelId"]
        rules.live_tunnel(self._store.get(Kind.TUNNEL, tunnel_id), frontdoor_id, tunnel_id)
        holding = rules.holding(self._store.all(Kind.SHARE), frontdoor_id)
        rules.check_ingress_port(holding, tunnel_id, fields["ingressPort"], share_id)
        return {name: fields.get(name) for name in FIELDS[Kind.SHARE] if fields.get(name) is not None}

    def _reprovision(self, frontdoor_id: str, share_id: str, fields: dict[str, Any]) -> dict[str, Any]:
        record = self._find(Kind.SHARE, frontdoor_id, share_id)
        if record.status in _GOING_AWAY:
            raise conflict(f"IPsec share {share_id} is {record.status.value} and cannot be updated")
        record.fields = self._checked_share_fields(frontdoor_id, fields, share_id)
        record.planned_failure = None
        self._move(record, Status.NEW, None)
        return record.wire()

    def _deployed_tunnel(self, frontdoor_id: str, tunnel_id: str, what: str) -> Record:
        """Configs exist only for a DEPLOYED tunnel; before that the answer is 409, as waiting helps."""
        self._settle()
        record = self._find(Kind.TUNNEL, frontdoor_id, tunnel_id)
        if record.status != Status.DEPLOYED:
            raise conflict(
                f"IPsec tunnel {tunnel_id} is {record.status.value}; its {what} is available once it"
                " is DEPLOYED"
            )
        return record
