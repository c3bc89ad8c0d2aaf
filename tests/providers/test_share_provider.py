"""ShareProvider create/update/read/delete against the emulator: adoption, failure cleanup, PATCH updates."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import CreateResult

from fdipsec_pulumi.client.errors import Conflict, WaitFailed, WaitTimeout
from fdipsec_pulumi.providers.share import ShareProvider
from fdipsec_pulumi.providers.tunnel import TunnelProvider

from .conftest import FD, Control, share_props, tunnel_props

SHARES_PATH = f"/frontdoor/v2/{FD}/ipsec-shares"


@pytest.fixture
def tunnel_id(tunnels: TunnelProvider) -> str:
    return tunnels.create(tunnel_props()).id


def create(provider: ShareProvider, tunnel_id: str, port: int = 8443, **overrides: Any) -> CreateResult:
    # As the engine sends it: the port is a double on the wire.
    props = provider.check({}, share_props(tunnel_id, port, ingressPort=float(port), **overrides)).inputs
    return provider.create(props)


def live_shares(control: Control) -> list[dict[str, Any]]:
    return [s for s in control.resources("shares") if s["status"] not in ("DELETING", "DELETED")]


def test_a_burst_of_503s_on_a_share_create_is_ridden_out_and_said(
    shares: ShareProvider, control: Control, tunnel_id: str, capsys: pytest.CaptureFixture[str]
) -> None:
    control.call("POST", "/faults", {"method": "POST", "path": "ipsec-shares$", "status": 503, "count": 4})

    result = create(shares, tunnel_id)

    assert [s["id"] for s in live_shares(control)] == [result.id]
    assert [e["status"] for e in control.requests("POST", SHARES_PATH)] == [503] * 4 + [202]
    said = [line for line in capsys.readouterr().out.splitlines() if "create not confirmed" in line]
    assert len(said) == 4 and all(
        line.startswith("IpsecShare app-8443: create not confirmed (HTTP 503)") for line in said
    )


def test_a_share_replaced_delete_first_is_not_its_own_look_alike(
    shares: ShareProvider, control: Control, tunnel_id: str
) -> None:
    # A replacement that deletes first keeps the name and the port: the create comes a moment after a
    # check whose listing still showed the old share. Here the share was already gone (its DELETE gets a
    # 404 and waits for nothing), yet the answer makes that listing too old for the create's checks.
    old = create(shares, tunnel_id)
    news = shares.check({}, share_props(tunnel_id, 8443, ingressPort=8443.0)).inputs
    control.purge("shares", old.id)
    shares.delete(old.id, old.outs)

    new = shares.create(news)

    assert new.id != old.id
    assert [s["id"] for s in live_shares(control)] == [new.id]


def test_create_waits_for_deployed(shares: ShareProvider, control: Control, tunnel_id: str) -> None:
    result = create(shares, tunnel_id)
    assert result.id.startswith("shr-")
    assert result.outs["status"] == "DEPLOYED"
    assert result.outs["ingressPort"] == 8443
    assert result.outs["frontdoorId"] == FD
    assert result.outs["ipsecTunnelId"] == tunnel_id
    assert len(control.requests("POST", SHARES_PATH)) == 1


def test_create_adopts_what_its_own_lost_create_posted(
    shares: ShareProvider, control: Control, tunnel_id: str
) -> None:
    control.call("PUT", "/config", {"shareDelay": 60})
    with pytest.raises(WaitTimeout):
        create(shares, tunnel_id, __timeouts={"create": 0.5})
    [left] = live_shares(control)
    control.call("PUT", "/config", {"shareDelay": 0})
    control.clear_requests()

    again = create(shares, tunnel_id)

    assert again.id == left["id"]
    assert control.requests("POST") == []
    assert len(live_shares(control)) == 1


def test_create_refuses_a_look_alike_it_did_not_create(
    shares: ShareProvider, control: Control, tunnel_id: str
) -> None:
    theirs = create(shares, tunnel_id, __owner="org/other/prod/pulumi-python:dynamic/fdipsec:IpsecShare::db")
    control.clear_requests()

    with pytest.raises(Conflict) as raised:
        create(shares, tunnel_id)

    message = str(raised.value)
    assert theirs.id in message and "target='10.20.100.1:8443'" in message and "import_=" in message
    assert control.requests("POST") == []
    assert [s["id"] for s in live_shares(control)] == [theirs.id]


def test_a_same_named_share_with_another_target_is_not_a_look_alike(
    shares: ShareProvider, control: Control, tunnel_id: str
) -> None:
    first = create(shares, tunnel_id)
    control.clear_requests()

    second = create(shares, tunnel_id, 9443, name="app-8443", target="10.20.100.9:9443")

    assert second.id != first.id
    assert len(control.requests("POST", SHARES_PATH)) == 1
    assert {s["name"] for s in live_shares(control)} == {"app-8443"}


def test_create_that_ends_in_error_removes_the_share_and_reports_why(
    shares: ShareProvider, control: Control, tunnel_id: str
) -> None:
    control.call("POST", "/fail-next", {"kind": "share", "reason": "zrok environment is offline"})

    with pytest.raises(WaitFailed) as raised:
        create(shares, tunnel_id)

    assert "zrok environment is offline" in str(raised.value)
    assert live_shares(control) == []
    assert len(control.requests("DELETE", SHARES_PATH)) == 1


def test_update_patches_in_place_and_waits(shares: ShareProvider, control: Control, tunnel_id: str) -> None:
    created = create(shares, tunnel_id)
    news = share_props(tunnel_id, target="10.20.100.9:9443", ingressPort=9443.0, name="app-renamed")
    assert shares.diff(created.id, created.outs, news).replaces == []
    control.clear_requests()

    result = shares.update(created.id, created.outs, news)

    assert result.outs is not None
    assert (result.outs["status"], result.outs["target"], result.outs["ingressPort"]) == (
        "DEPLOYED",
        "10.20.100.9:9443",
        9443,
    )
    writes = [r["method"] for r in control.requests(path_contains=SHARES_PATH) if r["method"] != "GET"]
    assert writes == ["PATCH"]
    [share] = live_shares(control)
    assert (share["id"], share["name"], share["target"]) == (created.id, "app-renamed", "10.20.100.9:9443")


def test_read_refresh_and_get(shares: ShareProvider, control: Control, tunnel_id: str) -> None:
    created = create(shares, tunnel_id)
    control.call("PATCH", f"/resources/shares/{created.id}", {"target": "10.20.100.7:8443"})

    refreshed = shares.read(created.id, created.outs)
    assert refreshed.outs["target"] == "10.20.100.7:8443"
    assert refreshed.inputs is None

    got = shares.read(created.id, {"frontdoorId": None})
    assert got.inputs is not None
    assert got.inputs["ipsecTunnelId"] == tunnel_id
    assert "locationId" not in got.inputs


def test_read_of_a_missing_share_is_empty(shares: ShareProvider, control: Control, tunnel_id: str) -> None:
    created = create(shares, tunnel_id)
    control.call("DELETE", f"/resources/shares/{created.id}")

    assert (shares.read(created.id, created.outs).id, shares.read(created.id, created.outs).outs) == ("", {})
    assert shares.read("shr-never-existed", share_props(tunnel_id)).outs == {}


def test_delete_waits_and_tolerates_404(shares: ShareProvider, control: Control, tunnel_id: str) -> None:
    created = create(shares, tunnel_id)

    shares.delete(created.id, created.outs)
    assert live_shares(control) == []

    shares.delete(created.id, created.outs)
    shares.delete("shr-never-existed", share_props(tunnel_id))


def test_shares_then_tunnel_delete_cleanly(
    tunnels: TunnelProvider, shares: ShareProvider, control: Control, tunnel_id: str
) -> None:
    created = [create(shares, tunnel_id, port) for port in (443, 8443)]
    for share in created:
        shares.delete(share.id, share.outs)
    tunnels.delete(tunnel_id, tunnel_props())
    assert control.resources("tunnels") == [] or all(
        t["status"] == "DELETED" for t in control.resources("tunnels")
    )
