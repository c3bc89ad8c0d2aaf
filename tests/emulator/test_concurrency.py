"""Parallel requests lose no update and cannot both win a claim."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import requests

from fdipsec_pulumi.client.models import ShareCreate
from fdipsec_pulumi.emulator.records import Kind

from .conftest import Api

THREADS = 16


def test_parallel_creates_are_all_kept(api: Api) -> None:
    tunnel = api.create_tunnel()["id"]

    def create(port: int) -> int:
        with requests.Session() as http:
            http.headers.update(api.http.headers)
            body = {
                "name": f"s{port}",
                "ipsecTunnelId": tunnel,
                "envZId": "e",
                "target": "h:1",
                "ingressPort": port,
            }
            return http.post(f"{api.base}/ipsec-shares", json=body, timeout=10).status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(create, range(1, 161)))
    assert statuses == [202] * 160
    assert api.get("/ipsec-shares?size=500").json()["totalElements"] == 160


def test_parallel_claims_on_one_location_have_one_winner(api: Api) -> None:
    def create(n: int) -> int:
        body = {
            "name": f"dc{n}",
            "peerPublicIp": "203.0.113.5",
            "peerCidr": "10.0.0.0/8",
            "locationId": "eu-west-1",
        }
        return requests.post(
            f"{api.base}/ipsec-tunnels", json=body, headers=dict(api.http.headers), timeout=10
        ).status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(create, range(THREADS)))
    assert sorted(statuses) == [202] + [400] * (THREADS - 1)
    assert len(api.resources()["tunnels"]) == 1


def test_parallel_port_claims_have_one_winner(api: Api) -> None:
    tunnel = api.create_tunnel()["id"]

    def create(n: int) -> int:
        body = {"name": f"s{n}", "ipsecTunnelId": tunnel, "envZId": "e", "target": "h:1", "ingressPort": 443}
        return requests.post(
            f"{api.base}/ipsec-shares", json=body, headers=dict(api.http.headers), timeout=10
        ).status_code

    with ThreadPoolExecutor(THREADS) as pool:
        statuses = list(pool.map(create, range(THREADS)))
    assert statuses.count(202) == 1


def test_backend_is_safe_to_call_from_many_threads(api: Api) -> None:
    tunnel = api.create_tunnel()["id"]
    frontdoor = api.base.rsplit("/", 1)[-1]

    def create(port: int) -> str:
        spec = ShareCreate.model_validate(
            {"name": f"s{port}", "ipsecTunnelId": tunnel, "envZId": "e", "target": "h:1", "ingressPort": port}
        )
        return str(api.backend.create_share(frontdoor, spec)["id"])

    with ThreadPoolExecutor(THREADS) as pool:
        ids = set(pool.map(create, range(1, 201)))
    assert len(ids) == 200
    assert {s["id"] for s in api.backend.dump()[Kind.SHARE.value]} == ids
