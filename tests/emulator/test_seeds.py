"""Every request example of seeds 000 (tunnels) and 001 (shares), replayed against the emulator.

The examples are data: method, path, body, Accept, the documented status and the documented fields
(with their values where the seed's value is determined by the request). ``{tunnel}`` and ``{share}``
stand for the ids the emulator gave the resources created earlier in the replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .conftest import FD, Api

JSON = "application/json"
TUNNEL_FIELDS = ("id", "name", "frontdoorId", "locationId", "status", "peerPublicIp", "peerCidr")
SHARE_FIELDS = ("id", "name", "frontdoorId", "ipsecTunnelId", "envZId", "target", "ingressPort", "status")
PAGE_FIELDS = ("content", "pageable", "totalElements", "totalPages")
ENDPOINT_FIELDS = (
    "outsideIpAddress",
    "status",
    "statusMessage",
    "insideCidr",
    "ikeVersions",
    "phase1EncryptionAlgorithms",
    "phase1IntegrityAlgorithms",
    "phase1DHGroupNumbers",
    "phase1LifetimeSeconds",
    "phase2EncryptionAlgorithms",
    "phase2IntegrityAlgorithms",
    "phase2DHGroupNumbers",
    "phase2LifetimeSeconds",
    "rekeyMarginTimeSeconds",
    "rekeyFuzzPercentage",
    "dpdTimeoutSeconds",
    "dpdTimeoutAction",
)
TUNNEL_BODY = {"name": "customer-a-dc1", "peerPublicIp": "203.0.113.1", "peerCidr": "172.31.0.0/16"}
SHARE_BODY = {
    "name": "app-db",
    "ipsecTunnelId": "{tunnel}",
    "envZId": "ijcrWb-ZOq",
    "target": "10.20.100.1:8443",
    "ingressPort": 8443,
}
CREATED_TUNNEL = {**TUNNEL_BODY, "frontdoorId": FD, "locationId": "us-east-1", "status": "NEW"}
SHARE_VALUES = {**SHARE_BODY, "frontdoorId": FD}


@dataclass(frozen=True)
class Example:
    name: str
    method: str
    path: str
    status: int
    fields: tuple[str, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)
    absent: tuple[str, ...] = ()
    body: dict[str, Any] | None = None
    accept: str = JSON
    content_type: str = JSON
    total: int | None = None


EXAMPLES = [
    # seed 000: tunnels
    Example("list tunnels (empty)", "GET", "/ipsec-tunnels?page=0&size=20", 200, PAGE_FIELDS, total=0),
    Example(
        "create tunnel",
        "POST",
        "/ipsec-tunnels",
        202,
        TUNNEL_FIELDS,
        CREATED_TUNNEL,
        absent=("nlbDnsName", "vpnConnectionId"),
        body=TUNNEL_BODY,
    ),
    Example(
        "get tunnel",
        "GET",
        "/ipsec-tunnels/{tunnel}",
        200,
        (*TUNNEL_FIELDS, "nlbPrivateIp", "nlbDnsName", "vpnConnectionId"),
        {**CREATED_TUNNEL, "id": "{tunnel}", "status": "DEPLOYED"},
    ),
    Example(
        "list tunnels", "GET", "/ipsec-tunnels?page=0&size=20", 200, PAGE_FIELDS, {"totalPages": 1}, total=1
    ),
    Example("filter status", "GET", "/ipsec-tunnels?status=DEPLOYED", 200, PAGE_FIELDS, total=1),
    Example("filter name", "GET", "/ipsec-tunnels?name=customer-a-dc1", 200, PAGE_FIELDS, total=1),
    Example("filter peer", "GET", "/ipsec-tunnels?peerPublicIp=203.0.113.1", 200, PAGE_FIELDS, total=1),
    Example("sort", "GET", "/ipsec-tunnels?sort=name,asc", 200, PAGE_FIELDS, total=1),
    Example("tunnel config", "GET", "/ipsec-tunnels/{tunnel}/tunnel-config", 200, ("state", "tunnels")),
    Example(
        "sample config",
        "GET",
        "/ipsec-tunnels/{tunnel}/sample-config",
        200,
        accept="text/plain",
        content_type="text/plain",
    ),
    Example(
        "tunnel metrics",
        "GET",
        "/ipsec-tunnels/{tunnel}/metrics?window=1h",
        200,
        ("id", "window"),
        {"window": "1h"},
    ),
    # seed 001: shares
    Example("list shares (empty)", "GET", "/ipsec-shares?page=0&size=20", 200, PAGE_FIELDS, total=0),
    Example(
        "create share",
        "POST",
        "/ipsec-shares",
        202,
        SHARE_FIELDS,
        {**SHARE_VALUES, "status": "NEW"},
        body=SHARE_BODY,
    ),
    Example(
        "get share",
        "GET",
        "/ipsec-shares/{share}",
        200,
        SHARE_FIELDS,
        {**SHARE_VALUES, "id": "{share}", "status": "DEPLOYED"},
    ),
    Example("list shares", "GET", "/ipsec-shares?page=0&size=20", 200, PAGE_FIELDS, total=1),
    Example("filter statuses", "GET", "/ipsec-shares?status=DEPLOYED&status=NEW", 200, PAGE_FIELDS, total=1),
    Example("filter target", "GET", "/ipsec-shares?target=10.20.100.1:8443", 200, PAGE_FIELDS, total=1),
    Example("filter envZId", "GET", "/ipsec-shares?envZId=ijcrWb-ZOq", 200, PAGE_FIELDS, total=1),
    Example("sort shares", "GET", "/ipsec-shares?sort=name,asc", 200, PAGE_FIELDS, total=1),
    Example(
        "patch share",
        "PATCH",
        "/ipsec-shares/{share}",
        202,
        SHARE_FIELDS,
        {**SHARE_VALUES, "target": "10.20.100.2:8443", "status": "NEW"},
        body={"target": "10.20.100.2:8443"},
    ),
    Example(
        "put share",
        "PUT",
        "/ipsec-shares/{share}",
        202,
        SHARE_FIELDS,
        {**SHARE_VALUES, "status": "NEW"},
        body=SHARE_BODY,
    ),
    Example(
        "share metrics",
        "GET",
        "/ipsec-shares/{share}/metrics?duration=1h",
        200,
        ("id", "duration"),
        {"duration": "1h"},
    ),
    Example("delete share", "DELETE", "/ipsec-shares/{share}", 202, SHARE_FIELDS, {"status": "DELETING"}),
    Example(
        "delete tunnel",
        "DELETE",
        "/ipsec-tunnels/{tunnel}",
        202,
        TUNNEL_FIELDS,
        {**CREATED_TUNNEL, "status": "DELETING"},
    ),
    Example(
        "deleted tunnel is gone",
        "GET",
        "/ipsec-tunnels/{tunnel}",
        404,
        ("error", "message"),
        {"error": "not_found"},
    ),
]


def fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


def test_seed_examples_replay(api: Api) -> None:
    ids: dict[str, str] = {}
    for example in EXAMPLES:
        response = api.request(
            example.method,
            fill(example.path, ids),
            json=fill(example.body, ids),
            headers={"Accept": example.accept},
        )
        where = f"{example.name}: {example.method} {example.path} -> {response.status_code} {response.text}"
        assert response.status_code == example.status, where
        assert response.headers["content-type"].startswith(example.content_type), where
        if example.content_type != JSON:
            assert "PSK" in response.text, where
            continue
        doc = response.json()
        assert set(example.fields) <= set(doc), where
        assert fill(example.values, ids).items() <= doc.items(), where
        assert not set(example.absent) & set(doc), where
        if example.total is not None:
            assert doc["totalElements"] == len(doc["content"]) == example.total, where
            assert doc["pageable"] == {"pageNumber": 0, "pageSize": 20}, where
        if example.name == "tunnel config":
            assert set(ENDPOINT_FIELDS) <= set(doc["tunnels"][0]), where
        if example.method == "POST":
            ids["tunnel" if "tunnels" in example.path else "share"] = doc["id"]
