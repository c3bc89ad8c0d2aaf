"""The state machine and the backend on an injected clock: no HTTP, no sleeping."""

from __future__ import annotations

from typing import Any

import pytest

from fdipsec_pulumi.client.models import ShareCreate, Status, TunnelCreate
from fdipsec_pulumi.emulator import Backend
from fdipsec_pulumi.emulator.clock import Clock
from fdipsec_pulumi.emulator.errors import ApiError
from fdipsec_pulumi.emulator.records import Kind, Record
from fdipsec_pulumi.emulator.state import Delays, Lifecycle

from .conftest import FD

T0 = 1_000_000.0


def record(kind: Kind, status: Status, since: float = T0, seq: int = 1, **fields: Any) -> Record:
    return Record(
        kind=kind,
        id=f"{kind.value}-{seq}",
        frontdoor_id=FD,
        status=status,
        since=since,
        seq=seq,
        fields=dict(fields),
    )


def test_tunnel_deploys_when_its_delay_has_passed() -> None:
    tunnel = record(Kind.TUNNEL, Status.NEW)
    lifecycle, delays = Lifecycle(), Delays(tunnel=5)
    assert not lifecycle.settle([tunnel], T0 + 4.99, delays).changed
    settled = lifecycle.settle([tunnel], T0 + 60, delays)
    assert tunnel.status == Status.DEPLOYED
    # Stamped with when it became due, not when it was observed.
    assert tunnel.since == T0 + 5
    assert list(settled.changed.values()) == [tunnel]


def test_zero_delay_means_done_at_the_next_settle() -> None:
    tunnel = record(Kind.TUNNEL, Status.NEW)
    Lifecycle().settle([tunnel], T0, Delays())
    assert tunnel.status == Status.DEPLOYED


def test_share_waits_for_its_tunnel_then_runs_its_own_delay() -> None:
    tunnel = record(Kind.TUNNEL, Status.NEW, seq=1)
    share = record(Kind.SHARE, Status.NEW, seq=2, ipsecTunnelId=tunnel.id)
    lifecycle, delays = Lifecycle(), Delays(tunnel=10, share=3)
    lifecycle.settle([tunnel, share], T0 + 9, delays)
    assert (tunnel.status, share.status) == (Status.NEW, Status.NEW)
    lifecycle.settle([tunnel, share], T0 + 12, delays)
    assert (tunnel.status, share.status) == (Status.DEPLOYED, Status.NEW)
    lifecycle.settle([tunnel, share], T0 + 13, delays)
    assert share.status == Status.DEPLOYED
    assert share.since == T0 + 13


def test_share_without_a_deployed_tunnel_never_deploys() -> None:
    share = record(Kind.SHARE, Status.NEW, ipsecTunnelId="tunnels-404")
    Lifecycle().settle([share], T0 + 10_000, Delays())
    assert share.status == Status.NEW


def test_delete_goes_through_deleted_then_is_purged() -> None:
    tunnel = record(Kind.TUNNEL, Status.DELETING)
    lifecycle, delays = Lifecycle(), Delays(delete=2)
    lifecycle.settle([tunnel], T0 + 2, delays)
    assert tunnel.status == Status.DELETED
    settled = lifecycle.settle([tunnel], T0 + 3.9, delays)
    assert not settled.purged
    settled = lifecycle.settle([tunnel], T0 + 4, delays)
    assert settled.purged == [tunnel]
    assert not settled.changed


def test_catch_up_runs_the_whole_chain_in_one_settle() -> None:
    share = record(Kind.SHARE, Status.DELETING, ipsecTunnelId="x")
    settled = Lifecycle().settle([share], T0 + 100, Delays(delete=1))
    assert settled.purged == [share]


def test_planned_failure_ends_in_error_with_the_reason() -> None:
    tunnel = record(Kind.TUNNEL, Status.NEW)
    tunnel.planned_failure = "quota exceeded"
    Lifecycle().settle([tunnel], T0, Delays())
    assert (tunnel.status, tunnel.status_message) == (Status.ERROR, "quota exceeded")
    # A failure is planned for one create only.
    assert tunnel.to_row()["planned_failure"] is None


@pytest.mark.parametrize("status", [Status.DEPLOYED, Status.ERROR])
def test_settled_statuses_stay(status: Status) -> None:
    tunnel = record(Kind.TUNNEL, status)
    assert not Lifecycle().settle([tunnel], T0 + 10**6, Delays()).changed


# --- the backend on a frozen clock -------------------------------------------------------------------


@pytest.fixture
def backend() -> Backend:
    return Backend(clock=Clock(source=lambda: T0), tunnel_delay=30, share_delay=10, delete_delay=5)


def tunnel_spec(**overrides: str) -> TunnelCreate:
    return TunnelCreate.model_validate(
        {"name": "dc1", "peerPublicIp": "203.0.113.1", "peerCidr": "172.31.0.0/16", **overrides}
    )


def test_backend_lifecycle_follows_the_clock(backend: Backend) -> None:
    tunnel = backend.create_tunnel(FD, tunnel_spec())
    share_spec = ShareCreate.model_validate(
        {"name": "db", "ipsecTunnelId": tunnel["id"], "envZId": "e", "target": "h:1", "ingressPort": 1}
    )
    share = backend.create_share(FD, share_spec)
    assert "nlbDnsName" not in backend.get(Kind.TUNNEL, FD, tunnel["id"])
    backend.advance(30)
    deployed = backend.get(Kind.TUNNEL, FD, tunnel["id"])
    assert deployed["status"] == "DEPLOYED"
    assert deployed["nlbDnsName"].endswith(".elb.us-east-1.amazonaws.com")
    assert deployed["vpnConnectionId"].startswith("vpn-")
    assert backend.get(Kind.SHARE, FD, share["id"])["status"] == "NEW"
    backend.advance(10)
    assert backend.get(Kind.SHARE, FD, share["id"])["status"] == "DEPLOYED"
    backend.delete(Kind.SHARE, FD, share["id"])
    backend.advance(5)
    assert backend.get(Kind.SHARE, FD, share["id"])["status"] == "DELETED"
    backend.advance(5)
    with pytest.raises(ApiError) as caught:
        backend.get(Kind.SHARE, FD, share["id"])
    assert caught.value.status == 404


def test_backend_refusals_change_nothing(backend: Backend) -> None:
    backend.create_tunnel(FD, tunnel_spec(locationId="us-east-1"))
    before = backend.dump()
    with pytest.raises(ApiError, match="locationId"):
        backend.create_tunnel(FD, tunnel_spec(locationId="us-east-1"))
    assert backend.dump() == before


def test_reset_restores_start_up_settings(backend: Backend) -> None:
    backend.configure(tunnel_delay=1)
    backend.create_tunnel(FD, tunnel_spec())
    backend.reset()
    assert backend.config.tunnel_delay == 30
    assert backend.dump() == {"tunnels": [], "shares": []}


def test_record_repr_hides_the_psk() -> None:
    tunnel = record(Kind.TUNNEL, Status.NEW)
    tunnel.secret = "super-secret-psk"
    assert "super-secret-psk" not in repr(tunnel)
    assert "super-secret-psk" not in str(tunnel.wire())
