"""TunnelProvider create/read/delete against the emulator: idempotency, failure cleanup, refresh, 404s."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest
from pulumi.dynamic import CreateResult

from fdipsec_pulumi.client.errors import (
    Conflict,
    InvalidRequest,
    NotFound,
    ServerError,
    TransportError,
    WaitFailed,
    WaitTimeout,
)
from fdipsec_pulumi.emulator import EmulatorServer
from fdipsec_pulumi.providers import base, claims
from fdipsec_pulumi.providers.share import ShareProvider
from fdipsec_pulumi.providers.tunnel import TunnelProvider

from .conftest import FD, Control, configure_request, share_props, tunnel_props

TUNNELS_PATH = f"/frontdoor/v2/{FD}/ipsec-tunnels"


def create(provider: TunnelProvider, n: int = 1, **overrides: object) -> CreateResult:
    props = provider.check({}, tunnel_props(n, **overrides)).inputs
    return provider.create(props)


def live_tunnels(control: Control) -> list[dict[str, object]]:
    return [t for t in control.resources("tunnels") if t["status"] not in ("DELETING", "DELETED")]


def test_create_waits_for_deployed_and_records_server_values(
    tunnels: TunnelProvider, control: Control
) -> None:
    result = create(tunnels)
    outs = result.outs
    assert result.id.startswith("tnl-")
    assert outs["status"] == "DEPLOYED"
    assert outs["locationId"] and outs["nlbPrivateIp"] and outs["nlbDnsName"] and outs["vpnConnectionId"]
    assert outs["frontdoorId"] == FD
    assert outs["tunnelConfig"]["tunnels"]
    assert "pre-shared" in outs["sampleConfig"].lower() or "psk" in outs["sampleConfig"].lower()
    assert "__timeouts" not in outs and "__owner" not in outs
    assert len(control.requests("POST", TUNNELS_PATH)) == 1


def test_a_create_right_after_its_check_posts_on_the_checks_listing(
    tunnels: TunnelProvider, control: Control
) -> None:
    # The engine sends a resource's create a moment after its check: the look-alike and claim checks
    # before the POST use the listing the check read, so the POST waits for no listing of its own.
    control.clear_requests()
    create(tunnels)
    sent = [(entry["method"], entry["path"]) for entry in control.requests()]
    posted = sent.index(("POST", TUNNELS_PATH))
    assert sent[:posted] == [("GET", TUNNELS_PATH)]


def test_create_adopts_what_its_own_lost_create_posted(tunnels: TunnelProvider, control: Control) -> None:
    # The first create's wait times out: its tunnel is journaled, so this resource's next create adopts it.
    control.call("PUT", "/config", {"tunnelDelay": 60})
    with pytest.raises(WaitTimeout):
        create(tunnels, __timeouts={"create": 0.5})
    [left] = live_tunnels(control)
    control.call("PUT", "/config", {"tunnelDelay": 0})
    control.clear_requests()

    again = create(tunnels)

    assert again.id == left["id"]
    assert control.requests("POST") == []
    assert len(live_tunnels(control)) == 1


def test_create_refuses_a_look_alike_it_did_not_create(tunnels: TunnelProvider, control: Control) -> None:
    # Another stack's tunnel (another owner) with the very same inputs: it cannot be told apart, so no
    # adoption, no POST, and an error naming it and the ways forward.
    theirs = create(tunnels, __owner="org/other-project/prod/pulumi-python:dynamic/fdipsec:IpsecTunnel::dc")
    control.clear_requests()

    with pytest.raises(Conflict) as raised:
        create(tunnels)

    message = str(raised.value)
    assert theirs.id in message and "DEPLOYED" in message
    assert "peerCidr='172.17.0.0/16'" in message and f'import_="{theirs.id}"' in message
    assert "delete it" in message and "change the inputs" in message
    assert control.requests("POST") == []
    assert [t["id"] for t in live_tunnels(control)] == [theirs.id]


def test_a_same_named_tunnel_does_not_block_a_create(tunnels: TunnelProvider, control: Control) -> None:
    # Names are not unique in the API: only a match on every declared input is a look-alike.
    first = create(tunnels)
    control.clear_requests()

    second = create(tunnels, peerPublicIp="198.51.100.7", peerCidr="10.99.0.0/16")

    assert second.id != first.id
    assert len(control.requests("POST", TUNNELS_PATH)) == 1
    assert {t["name"] for t in live_tunnels(control)} == {"site-1"}
    assert len(live_tunnels(control)) == 2


def test_journaled_tunnel_that_no_longer_matches_is_refused(
    tunnels: TunnelProvider, control: Control
) -> None:
    control.call("PUT", "/config", {"tunnelDelay": 60})
    with pytest.raises(WaitTimeout):
        create(tunnels, __timeouts={"create": 0.5})
    [left] = live_tunnels(control)
    control.clear_requests()

    with pytest.raises(Conflict) as raised:
        create(tunnels, peerCidr="10.99.0.0/16")

    message = str(raised.value)
    assert left["id"] in message and "peerCidr='172.17.0.0/16'" in message and "interrupted" in message
    assert control.requests("POST") == [] and control.requests("DELETE") == []


def test_ambiguous_create_adopts_instead_of_posting_twice(tunnels: TunnelProvider, control: Control) -> None:
    # The POST is applied but its answer is lost: the provider must look before posting again.
    control.call("POST", "/faults", {"method": "POST", "path": "ipsec-tunnels$", "drop": "after", "count": 1})

    result = create(tunnels)

    assert [t["id"] for t in live_tunnels(control)] == [result.id]
    assert len(control.requests("POST", TUNNELS_PATH)) == 1


def test_a_503_on_create_is_survived_without_a_duplicate(tunnels: TunnelProvider, control: Control) -> None:
    control.call("POST", "/faults", {"method": "POST", "path": "ipsec-tunnels$", "status": 503, "count": 1})

    result = create(tunnels)

    assert [t["id"] for t in live_tunnels(control)] == [result.id]
    assert [e["status"] for e in control.requests("POST", TUNNELS_PATH)] == [503, 202]


def test_create_that_ends_in_error_removes_the_tunnel_and_reports_why(
    tunnels: TunnelProvider, control: Control
) -> None:
    control.call("POST", "/fail-next", {"kind": "tunnel", "reason": "customer gateway quota exceeded"})

    with pytest.raises(WaitFailed) as raised:
        create(tunnels)

    assert "customer gateway quota exceeded" in str(raised.value)
    assert live_tunnels(control) == []
    assert len(control.requests("DELETE", TUNNELS_PATH)) == 1
    # The location is free again: the next attempt succeeds.
    assert create(tunnels).outs["status"] == "DEPLOYED"


def test_custom_create_timeout_is_honoured(tunnels: TunnelProvider, control: Control) -> None:
    control.call("PUT", "/config", {"tunnelDelay": 60})
    started = time.monotonic()
    with pytest.raises(WaitTimeout):
        create(tunnels, __timeouts={"create": 1.0})
    assert time.monotonic() - started < 10


def test_read_on_refresh_keeps_recorded_inputs(tunnels: TunnelProvider, control: Control) -> None:
    created = create(tunnels)
    control.call("PATCH", f"/resources/tunnels/{created.id}", {"peerCidr": "172.30.0.0/16"})

    result = tunnels.read(created.id, created.outs)

    assert result.id == created.id
    assert result.outs["peerCidr"] == "172.30.0.0/16"
    assert result.inputs is None


def test_read_for_get_derives_inputs(tunnels: TunnelProvider, control: Control) -> None:
    created = create(tunnels)

    result = tunnels.read(created.id, {"frontdoorId": None})

    assert result.outs["status"] == "DEPLOYED"
    assert result.inputs is not None
    assert result.inputs["name"] == "site-1"
    assert "locationId" not in result.inputs  # not given, so left to the server


@pytest.mark.parametrize("how", ["never-existed", "deleted-out-of-band"])
def test_read_of_a_missing_tunnel_is_empty(tunnels: TunnelProvider, control: Control, how: str) -> None:
    if how == "never-existed":
        tunnel_id, props = "tnl-does-not-exist", tunnel_props()
    else:
        created = create(tunnels)
        control.call("DELETE", f"/resources/tunnels/{created.id}")
        tunnel_id, props = created.id, created.outs

    result = tunnels.read(tunnel_id, props)

    assert (result.id, result.outs) == ("", {})


def test_delete_waits_until_gone(tunnels: TunnelProvider, control: Control) -> None:
    created = create(tunnels)

    tunnels.delete(created.id, created.outs)

    assert live_tunnels(control) == []
    assert tunnels.read(created.id, created.outs).id == ""


def test_delete_tolerates_a_tunnel_already_gone(tunnels: TunnelProvider, control: Control) -> None:
    created = create(tunnels)
    control.call("DELETE", f"/resources/tunnels/{created.id}")
    control.clear_requests()

    tunnels.delete(created.id, created.outs)
    tunnels.delete("tnl-never-existed", tunnel_props())

    # Each delete asked once, heard 404, and took it as done: no wait, no retry, nothing else touched.
    assert [(e["method"], e["status"]) for e in control.requests()] == [("DELETE", 404), ("DELETE", 404)]
    assert live_tunnels(control) == []


def test_delete_blocked_by_an_unmanaged_share_names_it(
    tunnels: TunnelProvider, shares: ShareProvider, control: Control
) -> None:
    created = create(tunnels)
    share = shares.create(share_props(created.id))

    with pytest.raises(InvalidRequest) as raised:
        tunnels.delete(created.id, created.outs)

    message = str(raised.value)
    assert share.id in message
    assert "None" not in message, message
    assert [t["id"] for t in live_tunnels(control)] == [created.id]


def test_transport_failure_before_the_request_is_not_adopted(
    server: EmulatorServer, control: Control, journal: Path
) -> None:
    # Dropped before handling, for longer than the budget: nothing was created, and nothing is made up.
    tunnels = TunnelProvider()
    tunnels.configure(
        configure_request(server, **{"fdipsec:journalDir": str(journal), "fdipsec:retryTimeout": "1"})
    )
    control.call("POST", "/faults", {"method": "POST", "path": "ipsec-tunnels$", "drop": "before"})
    with pytest.raises(TransportError) as raised:
        create(tunnels)
    assert "the retry budget of 1 s (fdipsec:retryTimeout or FDIPSEC_RETRY_TIMEOUT)" in str(raised.value)
    assert live_tunnels(control) == []


def test_a_burst_of_503s_on_create_is_ridden_out_and_said(
    tunnels: TunnelProvider, control: Control, capsys: pytest.CaptureFixture[str]
) -> None:
    control.call("POST", "/faults", {"method": "POST", "path": "ipsec-tunnels$", "status": 503, "count": 4})

    result = create(tunnels)

    assert [t["id"] for t in live_tunnels(control)] == [result.id]
    assert [e["status"] for e in control.requests("POST", TUNNELS_PATH)] == [503] * 4 + [202]
    said = [line for line in capsys.readouterr().out.splitlines() if "create not confirmed" in line]
    assert len(said) == 4 and all(
        line.startswith(
            "IpsecTunnel site-1: create not confirmed (HTTP 503) and nothing was made; sending it again in "
        )
        for line in said
    ), said


def test_an_outage_longer_than_the_budget_fails_the_create_once_and_leaves_nothing(
    server: EmulatorServer, control: Control, journal: Path
) -> None:
    tunnels = TunnelProvider()
    tunnels.configure(
        configure_request(server, **{"fdipsec:journalDir": str(journal), "fdipsec:retryTimeout": "2"})
    )
    control.call("POST", "/faults", {"method": "*", "path": "ipsec-", "status": 503})

    with pytest.raises(ServerError) as raised:
        create(tunnels)

    control.call("DELETE", "/faults")
    message = str(raised.value)
    # The look-up before the POST meets the outage first, and gives up on the budget.
    assert message.startswith(
        f"IpsecTunnel site-1: create failed: Frontdoor API failed on GET {TUNNELS_PATH}"
    )
    assert "(503" in message and "try again later; gave up after " in message
    assert "the retry budget of 2 s (fdipsec:retryTimeout or FDIPSEC_RETRY_TIMEOUT)" in message
    assert live_tunnels(control) == []


# --- import_ only reads ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["ERROR", "DELETING", "DELETED"])
def test_import_of_a_tunnel_that_is_not_live_writes_nothing(
    tunnels: TunnelProvider, control: Control, status: str
) -> None:
    existing = create(tunnels)
    control.call("PUT", "/config", {"deleteDelay": 60})  # DELETING and DELETED stay as they are
    control.call("POST", f"/resources/tunnels/{existing.id}/status", {"status": status})
    control.clear_requests()

    with pytest.raises(InvalidRequest) as raised:
        create(tunnels, __importId=existing.id)

    assert f"tunnel {existing.id} ('site-1') is {status}" in str(raised.value)
    assert "Import never writes" in str(raised.value)
    assert {e["method"] for e in control.requests()} == {"GET"}


def test_import_of_a_missing_id_never_creates(tunnels: TunnelProvider, control: Control) -> None:
    with pytest.raises(NotFound) as raised:
        create(tunnels, __importId="tnl-nope")

    assert "there is no tunnel tnl-nope" in str(raised.value) and "Import never creates" in str(raised.value)
    assert {e["method"] for e in control.requests()} == {"GET"}
    assert live_tunnels(control) == []


def test_import_of_a_matching_live_tunnel_reads_it(tunnels: TunnelProvider, control: Control) -> None:
    existing = create(tunnels, __owner="org/elsewhere/prod/pulumi-python:dynamic/fdipsec:IpsecTunnel::x")
    control.clear_requests()

    imported = create(tunnels, __importId=existing.id)

    assert imported.id == existing.id
    assert {e["method"] for e in control.requests()} == {"GET"}


def test_a_settled_import_is_dropped_even_from_the_replacement_check(tunnels: TunnelProvider) -> None:
    # The engine checks a resource in state with its recorded inputs, then, to replace it, once more
    # without them: neither check may keep import_, or the replacement would re-import what it replaces.
    news = tunnel_props(7, __importId="tnl-settled")
    assert tunnels.check({}, news).inputs["__importId"] == "tnl-settled"  # a first create imports

    in_state = tunnels.check(tunnel_props(7), news).inputs
    replacement = tunnels.check({}, news).inputs

    assert "__importId" not in in_state and "__importId" not in replacement


# --- a taken location: the newcomer is refused at check, the deployed tunnel keeps it --------------------


def test_a_newcomer_in_a_deployed_tunnels_location_is_refused_at_check_and_the_holder_is_not(
    tunnels: TunnelProvider, control: Control
) -> None:
    first = create(tunnels, 1, locationId="eu-west-1", __owner=tunnel_props(1)["__owner"])
    recorded = tunnel_props(1, locationId="eu-west-1")
    # The next preview runs in a new provider process, which has seen no claim yet.
    claims._declared.clear()
    claims._places.clear()
    control.clear_requests()
    # The engine checks in an order it does not fix: here the newcomer first, then the one in state.
    newcomer = tunnels.check({}, tunnel_props(2, locationId="eu-west-1"))
    holder = tunnels.check(recorded, recorded)

    assert holder.failures == []
    [failure] = newcomer.failures
    assert failure.property == "locationId"
    assert failure.reason == (
        f"locationId 'eu-west-1' is already taken by tunnel {first.id} ('site-1', DEPLOYED); "
        "the API allows one tunnel per Frontdoor and location"
    )
    assert [e for e in control.requests() if e["method"] != "GET"] == []  # no write


def test_a_check_that_cannot_read_the_frontdoor_passes_and_leaves_the_place_to_create(
    server: EmulatorServer, journal: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(base, "_UNREADABLE", set())
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    tunnels = TunnelProvider()
    config = {"fdipsec:journalDir": str(journal), "fdipsec:retryTimeout": "0.5"}
    tunnels.configure(configure_request(server, **config))
    tunnels._stack_config["fdipsec:apiUrl"] = f"http://127.0.0.1:{port}/frontdoor"
    claims._declared.clear()
    claims._places.clear()

    assert tunnels.check({}, tunnel_props(7, locationId="eu-west-9")).failures == []
    # The other checks of that preview do not wait out the retry budget again.
    assert ("IpsecTunnel", FD) in base._UNREADABLE
