"""Injected faults over real sockets: statuses, Retry-After, latency, dropped connections, odds."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from .conftest import Api

TUNNEL = {"name": "dc", "peerPublicIp": "203.0.113.7", "peerCidr": "10.7.0.0/16"}


def fault(api: Api, **spec: Any) -> str:
    fault_id: str = api.control("POST", "/faults", spec)["id"]
    return fault_id


def test_429_with_retry_after_and_no_side_effect(api: Api) -> None:
    fault(api, method="POST", path=r"/ipsec-tunnels$", status=429, retryAfter=1.5, count=1)
    refused = api.post("/ipsec-tunnels", json=TUNNEL)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1.5"
    assert refused.json()["error"] == "too_many_requests"
    assert api.resources()["tunnels"] == []
    assert api.post("/ipsec-tunnels", json=TUNNEL).status_code == 202


def test_503_for_a_count_then_normal(api: Api) -> None:
    fault(api, method="GET", path="/ipsec-tunnels", status=503, count=2)
    statuses = [api.get("/ipsec-tunnels").status_code for _ in range(3)]
    assert statuses == [503, 503, 200]
    assert [entry["status"] for entry in api.control("GET", "/requests")] == statuses


def test_faults_match_method_and_path(api: Api) -> None:
    fault(api, method="POST", path=r"/ipsec-shares$", status=503)
    assert api.get("/ipsec-shares").status_code == 200
    assert api.post("/ipsec-tunnels", json=TUNNEL).status_code == 202
    assert api.post("/ipsec-shares", json={}).status_code == 503


def test_clearing_faults(api: Api) -> None:
    fault(api, path=".*", status=500)
    assert api.get("/ipsec-tunnels").status_code == 500
    api.control("DELETE", "/faults")
    assert api.get("/ipsec-tunnels").status_code == 200


def test_control_api_is_never_faulted(api: Api) -> None:
    fault(api, path=".*", drop="before")
    assert api.resources() == {"tunnels": [], "shares": []}


def test_drop_before_closes_the_connection_and_changes_nothing(api: Api) -> None:
    fault(api, method="POST", path=r"/ipsec-tunnels$", drop="before", count=1)
    with pytest.raises(requests.ConnectionError):
        api.post("/ipsec-tunnels", json=TUNNEL)
    assert api.resources()["tunnels"] == []
    assert api.control("GET", "/requests")[-1]["status"] is None


def test_drop_after_closes_the_connection_but_the_request_took_effect(api: Api) -> None:
    fault(api, method="POST", path=r"/ipsec-tunnels$", drop="after", count=1)
    with pytest.raises(requests.ConnectionError):
        api.post("/ipsec-tunnels", json=TUNNEL)
    assert [t["name"] for t in api.resources()["tunnels"]] == ["dc"]
    # The session recovers on a fresh connection.
    assert api.get("/ipsec-tunnels").json()["totalElements"] == 1


def test_latency_delays_the_answer(api: Api) -> None:
    fault(api, method="GET", path="/ipsec-tunnels", latency=0.3, count=1)
    started = time.monotonic()
    assert api.get("/ipsec-tunnels").status_code == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    api.get("/ipsec-tunnels")
    assert time.monotonic() - started < 0.3


def test_latency_combines_with_a_status(api: Api) -> None:
    fault(api, path="/ipsec-tunnels", latency=0.2, status=503, count=1)
    started = time.monotonic()
    assert api.get("/ipsec-tunnels").status_code == 503
    assert time.monotonic() - started >= 0.2


@pytest.mark.parametrize(("probability", "expected"), [(0.0, 200), (1.0, 503)])
def test_probability_zero_never_fires_one_always_does(api: Api, probability: float, expected: int) -> None:
    fault(api, path="/ipsec-tunnels", status=503, probability=probability)
    assert {api.get("/ipsec-tunnels").status_code for _ in range(20)} == {expected}


def test_a_fault_needs_an_effect_and_a_valid_regex(api: Api) -> None:
    for spec in ({"path": "x"}, {"path": "(", "status": 503}, {"status": 503, "bogus": 1}):
        response = requests.post(f"{api.server.root_url}/_emulator/faults", json=spec, timeout=10)
        assert response.status_code == 400, spec


def test_request_log_records_calls_but_not_control_calls(api: Api) -> None:
    api.get("/ipsec-tunnels?status=NEW")
    api.resources()
    log = api.control("GET", "/requests")
    assert len(log) == 1
    entry = log[0]
    assert set(entry) == {"method", "path", "query", "status", "time", "durationMs"}
    assert (entry["method"], entry["path"], entry["query"], entry["status"]) == (
        "GET",
        "/frontdoor/v2/3d6d2b6e-6c7a-4a7f-8c3d-9a9d2e1f0b1c/ipsec-tunnels",
        "status=NEW",
        200,
    )
    api.control("DELETE", "/requests")
    assert api.control("GET", "/requests") == []
