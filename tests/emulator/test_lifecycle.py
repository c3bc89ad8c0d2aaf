"""Lifecycle over HTTP: delays, the clock, deletes, re-provisioning, and the control API's levers."""

from __future__ import annotations

import pytest

from .conftest import Api


@pytest.fixture
def slow(api: Api) -> Api:
    api.control("PUT", "/config", {"tunnelDelay": 60, "shareDelay": 20, "deleteDelay": 10})
    return api


def advance(api: Api, seconds: float) -> None:
    api.control("POST", "/advance", {"seconds": seconds})


def test_tunnel_is_new_until_its_delay_passes(slow: Api) -> None:
    tunnel = slow.create_tunnel()
    assert tunnel["status"] == "NEW"
    advance(slow, 59)
    body = slow.get(f"/ipsec-tunnels/{tunnel['id']}").json()
    assert body["status"] == "NEW"
    assert "nlbDnsName" not in body and "vpnConnectionId" not in body
    advance(slow, 1)
    body = slow.get(f"/ipsec-tunnels/{tunnel['id']}").json()
    assert body["status"] == "DEPLOYED"
    assert body["nlbDnsName"] and body["vpnConnectionId"]


def test_share_on_a_new_tunnel_waits_for_it(slow: Api) -> None:
    tunnel = slow.create_tunnel()["id"]
    share = slow.create_share(tunnel)["id"]
    advance(slow, 59)
    assert slow.status("shares", share) == "NEW"
    advance(slow, 1 + 19)
    assert (slow.status("tunnels", tunnel), slow.status("shares", share)) == ("DEPLOYED", "NEW")
    advance(slow, 1)
    assert slow.status("shares", share) == "DEPLOYED"


def test_delete_runs_deleting_deleted_then_404(slow: Api) -> None:
    tunnel = slow.create_tunnel()["id"]
    response = slow.delete(f"/ipsec-tunnels/{tunnel}")
    assert (response.status_code, response.json()["status"]) == (202, "DELETING")
    advance(slow, 10)
    assert slow.status("tunnels", tunnel) == "DELETED"
    advance(slow, 10)
    assert slow.status("tunnels", tunnel) == 404


def test_with_zero_delays_a_deleted_resource_is_gone_at_the_next_read(api: Api) -> None:
    tunnel = api.create_tunnel()["id"]
    assert api.delete(f"/ipsec-tunnels/{tunnel}").json()["status"] == "DELETING"
    assert api.status("tunnels", tunnel) == 404


def test_a_deleting_tunnel_holds_its_location_a_deleted_one_does_not(slow: Api) -> None:
    tunnel = slow.create_tunnel(locationId="eu-west-1")["id"]
    slow.delete(f"/ipsec-tunnels/{tunnel}")
    refused = slow.post("/ipsec-tunnels", json={**tunnel_body(2), "locationId": "eu-west-1"})
    assert refused.status_code == 400 and "locationId" in refused.json()["message"]
    advance(slow, 10)
    assert slow.status("tunnels", tunnel) == "DELETED"
    assert slow.create_tunnel(2, locationId="eu-west-1")["locationId"] == "eu-west-1"


def test_delete_is_idempotent(slow: Api) -> None:
    tunnel = slow.create_tunnel()["id"]
    first = slow.delete(f"/ipsec-tunnels/{tunnel}")
    again = slow.delete(f"/ipsec-tunnels/{tunnel}")
    assert (again.status_code, again.json()) == (202, first.json())


def test_tunnel_delete_waits_for_its_shares(api: Api) -> None:
    tunnel = api.create_tunnel()["id"]
    shares = [api.create_share(tunnel, port)["id"] for port in (1, 2)]
    refused = api.delete(f"/ipsec-tunnels/{tunnel}")
    assert refused.status_code == 400
    assert all(share in refused.json()["message"] for share in shares)
    for share in shares:
        api.delete(f"/ipsec-shares/{share}")
    assert api.delete(f"/ipsec-tunnels/{tunnel}").status_code == 202


def test_server_picks_a_free_location_and_address(api: Api) -> None:
    first = api.create_tunnel(1)
    second = api.create_tunnel(2)
    assert (first["locationId"], second["locationId"]) == ("us-east-1", "us-east-2")
    assert first["nlbPrivateIp"] != second["nlbPrivateIp"]
    assert all(t["nlbPrivateIp"].startswith("10.1.") for t in (first, second))
    pinned = api.create_tunnel(3, locationId="lab-7", nlbPrivateIp="172.16.5.10")
    assert (pinned["locationId"], pinned["nlbPrivateIp"]) == ("lab-7", "172.16.5.10")


def test_put_and_patch_reprovision_under_the_same_id(slow: Api) -> None:
    tunnel = slow.create_tunnel()["id"]
    share = slow.create_share(tunnel)
    advance(slow, 80)
    assert slow.status("shares", share["id"]) == "DEPLOYED"
    patched = slow.request("PATCH", f"/ipsec-shares/{share['id']}", json={"target": "10.9.9.9:80"})
    assert patched.status_code == 202
    assert (patched.json()["id"], patched.json()["status"], patched.json()["target"]) == (
        share["id"],
        "NEW",
        "10.9.9.9:80",
    )
    assert patched.json()["ingressPort"] == share["ingressPort"]
    advance(slow, 20)
    assert slow.status("shares", share["id"]) == "DEPLOYED"
    body = {k: share[k] for k in ("name", "ipsecTunnelId", "target", "ingressPort")}
    put = slow.request(
        "PUT", f"/ipsec-shares/{share['id']}", json={**body, "envId": "env-2", "ingressPort": 99}
    )
    assert put.status_code == 202
    assert (put.json()["envZId"], put.json()["ingressPort"], put.json()["status"]) == ("env-2", 99, "NEW")
    assert put.json()["target"] == share["target"]


def test_updating_a_deleting_share_is_a_conflict(slow: Api) -> None:
    tunnel = slow.create_tunnel()["id"]
    share = slow.create_share(tunnel)["id"]
    slow.delete(f"/ipsec-shares/{share}")
    before = slow.resources()
    response = slow.request("PATCH", f"/ipsec-shares/{share}", json={"target": "h:1"})
    assert (response.status_code, response.json()["error"]) == (409, "conflict")
    assert slow.resources() == before


def test_a_share_needs_a_live_tunnel(slow: Api) -> None:
    tunnel = slow.create_tunnel()["id"]
    slow.delete(f"/ipsec-tunnels/{tunnel}")
    response = slow.post(
        "/ipsec-shares",
        json={"name": "a", "ipsecTunnelId": tunnel, "envZId": "e", "target": "h:1", "ingressPort": 1},
    )
    assert response.status_code == 400
    assert "ipsecTunnelId" in response.json()["message"] and "DELETING" in response.json()["message"]


@pytest.mark.parametrize("artifact", ["tunnel-config", "sample-config"])
def test_configs_are_a_conflict_until_deployed(slow: Api, artifact: str) -> None:
    tunnel = slow.create_tunnel()["id"]
    response = slow.get(f"/ipsec-tunnels/{tunnel}/{artifact}", headers={"Accept": "*/*"})
    assert response.status_code == 409
    assert "NEW" in response.json()["message"] and "DEPLOYED" in response.json()["message"]
    advance(slow, 60)
    assert slow.get(f"/ipsec-tunnels/{tunnel}/{artifact}", headers={"Accept": "*/*"}).status_code == 200


def test_fail_next_makes_the_next_create_end_in_error(api: Api) -> None:
    api.control("POST", "/fail-next", {"kind": "tunnel", "reason": "no capacity in us-east-1"})
    failed = api.create_tunnel(1)["id"]
    fine = api.create_tunnel(2)["id"]
    body = api.get(f"/ipsec-tunnels/{failed}").json()
    assert (body["status"], body["statusMessage"]) == ("ERROR", "no capacity in us-east-1")
    assert api.status("tunnels", fine) == "DEPLOYED"
    api.control("POST", "/fail-next", {"kind": "share", "reason": "agent offline"})
    share = api.create_share(fine)["id"]
    assert api.get(f"/ipsec-shares/{share}").json()["statusMessage"] == "agent offline"


def test_fail_next_is_not_used_up_by_a_refused_create(api: Api) -> None:
    api.control("POST", "/fail-next", {"kind": "tunnel", "reason": "boom"})
    assert api.post("/ipsec-tunnels", json={"name": "x"}).status_code == 400
    assert api.status("tunnels", api.create_tunnel()["id"]) == "ERROR"


def test_status_can_be_driven_by_hand(slow: Api) -> None:
    tunnel = slow.create_tunnel()["id"]
    driven = slow.control("POST", f"/resources/tunnels/{tunnel}/status", {"status": "DEPLOYED"})
    assert driven["status"] == "DEPLOYED"
    slow.control("POST", f"/resources/tunnels/{tunnel}/status", {"status": "ERROR", "reason": "peer down"})
    body = slow.get(f"/ipsec-tunnels/{tunnel}").json()
    assert (body["status"], body["statusMessage"]) == ("ERROR", "peer down")


def test_out_of_band_drift_and_delete(api: Api) -> None:
    tunnel = api.create_tunnel()["id"]
    share = api.create_share(tunnel)["id"]
    drifted = api.control(
        "PATCH", f"/resources/shares/{share}", {"target": "10.6.6.6:22", "ingressPort": 2222}
    )
    assert (drifted["target"], drifted["ingressPort"]) == ("10.6.6.6:22", 2222)
    assert api.get(f"/ipsec-shares/{share}").json()["target"] == "10.6.6.6:22"
    api.control("DELETE", f"/resources/shares/{share}")
    assert api.status("shares", share) == 404


def test_metrics_windows_and_durations(api: Api) -> None:
    tunnel = api.create_tunnel()["id"]
    share = api.create_share(tunnel)["id"]
    default = api.get(f"/ipsec-tunnels/{tunnel}/metrics").json()
    assert (default["window"], len(default["datapoints"])) == ("1h", 60)
    for window, points in [("30m", 30), ("1d", 96), ("7d", 168)]:
        body = api.get(f"/ipsec-tunnels/{tunnel}/metrics?window={window}").json()
        assert (body["window"], len(body["datapoints"])) == (window, points)
    body = api.get(f"/ipsec-shares/{share}/metrics?duration=15m").json()
    assert (body["duration"], body["stepSeconds"], len(body["datapoints"])) == ("15m", 60, 15)
    assert api.get(f"/ipsec-shares/{share}/metrics").json()["duration"] == "1h"
    assert api.get(f"/ipsec-shares/{share}/metrics?duration=91d").status_code == 400
    assert api.get(f"/ipsec-shares/{share}/metrics?duration=0m").status_code == 400


def test_metrics_are_zero_until_deployed(slow: Api) -> None:
    tunnel = slow.create_tunnel()["id"]
    body = slow.get(f"/ipsec-tunnels/{tunnel}/metrics?window=30m").json()
    assert {p["bytesIn"] for p in body["datapoints"]} == {0}
    advance(slow, 60)
    body = slow.get(f"/ipsec-tunnels/{tunnel}/metrics?window=30m").json()
    assert any(p["bytesIn"] for p in body["datapoints"])


def tunnel_body(n: int) -> dict[str, str]:
    return {"name": f"site-{n}", "peerPublicIp": f"203.0.113.{n}", "peerCidr": f"172.{16 + n}.0.0/16"}
