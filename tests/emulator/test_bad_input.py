"""The bad-input matrix: each case is a 400 whose message names the property, and changes nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from .conftest import Api

TUNNEL = {"name": "dc2", "peerPublicIp": "198.51.100.7", "peerCidr": "10.50.0.0/16"}
SHARE = {
    "name": "web",
    "ipsecTunnelId": "{tunnel}",
    "envZId": "env-1",
    "target": "10.0.0.5:443",
    "ingressPort": 9000,
}


@dataclass(frozen=True)
class Case:
    id: str
    method: str
    path: str
    names: str
    body: Any = None
    raw: str | None = None


def tunnel(case_id: str, names: str, **changes: Any) -> Case:
    return Case(case_id, "POST", "/ipsec-tunnels", names, {**TUNNEL, **changes})


def share(case_id: str, names: str, **changes: Any) -> Case:
    return Case(case_id, "POST", "/ipsec-shares", names, {**SHARE, **changes})


def without(body: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in body.items() if k != key}


CASES = [
    tunnel("peer-ip-out-of-range", "peerPublicIp", peerPublicIp="300.1.1.1"),
    tunnel("peer-ip-not-an-ip", "peerPublicIp", peerPublicIp="not-an-ip"),
    tunnel("peer-ip-private-10", "peerPublicIp", peerPublicIp="10.0.0.1"),
    tunnel("peer-ip-private-192", "peerPublicIp", peerPublicIp="192.168.1.1"),
    tunnel("peer-ip-loopback", "peerPublicIp", peerPublicIp="127.0.0.1"),
    tunnel("peer-ip-link-local", "peerPublicIp", peerPublicIp="169.254.1.1"),
    tunnel("peer-ip-multicast", "peerPublicIp", peerPublicIp="224.0.0.1"),
    tunnel("peer-ip-cgnat", "peerPublicIp", peerPublicIp="100.64.0.1"),
    tunnel("peer-ip-ipv6", "peerPublicIp", peerPublicIp="2001:db8::1"),
    tunnel("peer-ip-number", "peerPublicIp", peerPublicIp=203),
    tunnel("cidr-host-bits", "peerCidr", peerCidr="10.50.0.1/16"),
    tunnel("cidr-no-prefix", "peerCidr", peerCidr="10.50.0.0"),
    tunnel("cidr-prefix-33", "peerCidr", peerCidr="10.50.0.0/33"),
    tunnel("nlb-ip-public", "nlbPrivateIp", nlbPrivateIp="8.8.8.8"),
    tunnel("nlb-ip-taken", "nlbPrivateIp", nlbPrivateIp="10.1.0.10"),
    tunnel("second-tunnel-same-location", "locationId", locationId="us-east-1"),
    tunnel("name-empty", "name", name=""),
    tunnel("name-wrong-type", "name", name=123),
    tunnel("name-too-long", "name", name="x" * 256),
    tunnel("unknown-property", "colour", colour="blue"),
    Case("tunnel-missing-cidr", "POST", "/ipsec-tunnels", "peerCidr", without(TUNNEL, "peerCidr")),
    Case("tunnel-malformed-json", "POST", "/ipsec-tunnels", "body", raw='{"name": "dc2",'),
    Case("tunnel-body-not-object", "POST", "/ipsec-tunnels", "body", [TUNNEL]),
    share("share-name-leading-hyphen", "name", name="-web"),
    share("share-name-trailing-hyphen", "name", name="web-"),
    share("share-name-64-chars", "name", name="a" * 64),
    share("share-name-underscore", "name", name="web_app"),
    share("port-0", "ingressPort", ingressPort=0),
    share("port-65536", "ingressPort", ingressPort=65536),
    share("port-string", "ingressPort", ingressPort="80"),
    share("port-float", "ingressPort", ingressPort=80.5),
    share("port-bool", "ingressPort", ingressPort=True),
    share("port-duplicate", "ingressPort", ingressPort=8443),
    share("target-without-port", "target", target="10.20.100.1"),
    share("target-port-0", "target", target="10.20.100.1:0"),
    share("target-without-host", "target", target=":8443"),
    share("unknown-tunnel", "ipsecTunnelId", ipsecTunnelId="tnl-does-not-exist"),
    share("env-empty", "envZId", envZId=""),
    Case("share-missing-env", "POST", "/ipsec-shares", "envZId", without(SHARE, "envZId")),
    Case("share-malformed-json", "POST", "/ipsec-shares", "body", raw="{nope"),
    Case("put-missing-name", "PUT", "/ipsec-shares/{share}", "name", without(SHARE, "name")),
    Case("patch-port-string", "PATCH", "/ipsec-shares/{share}", "ingressPort", {"ingressPort": "80"}),
    Case("patch-name-hyphen", "PATCH", "/ipsec-shares/{share}", "name", {"name": "-x"}),
    Case("patch-port-taken", "PATCH", "/ipsec-shares/{share2}", "ingressPort", {"ingressPort": 8443}),
    Case("patch-unknown-property", "PATCH", "/ipsec-shares/{share}", "colour", {"colour": "red"}),
    Case("page-negative", "GET", "/ipsec-tunnels?page=-1", "page"),
    Case("size-zero", "GET", "/ipsec-tunnels?size=0", "size"),
    Case("sort-unknown-property", "GET", "/ipsec-shares?sort=colour,asc", "sort"),
    Case("filter-unknown-property", "GET", "/ipsec-tunnels?colour=red", "colour"),
    Case("metrics-window", "GET", "/ipsec-tunnels/{tunnel}/metrics?window=2h", "window"),
    Case("metrics-duration", "GET", "/ipsec-shares/{share}/metrics?duration=1w", "duration"),
    Case("delete-tunnel-with-shares", "DELETE", "/ipsec-tunnels/{tunnel}", "{share}"),
]


def fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    return value


def test_matrix_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input_is_refused_without_side_effects(api: Api, case: Case) -> None:
    tunnel_id = api.create_tunnel(1, locationId="us-east-1")["id"]
    ids = {
        "tunnel": tunnel_id,
        "share": api.create_share(tunnel_id, 8443)["id"],
        "share2": api.create_share(tunnel_id, 8444)["id"],
    }
    before = api.resources()
    kwargs: dict[str, Any] = {"headers": {"Content-Type": "application/json"}}
    if case.raw is not None:
        kwargs["data"] = case.raw
    elif case.body is not None:
        kwargs["data"] = json.dumps(fill(case.body, ids))
    response = api.request(case.method, fill(case.path, ids), **kwargs)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == "invalid_request"
    assert fill(case.names, ids) in body["message"]
    assert api.resources() == before
