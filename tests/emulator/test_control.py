"""The control API: loopback only, and each lever does what docs/contracts.md says."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import requests

from fdipsec_pulumi.emulator import Backend, create_app

from .conftest import Api


@pytest.mark.parametrize(
    ("client", "status"), [("10.0.0.5", 403), ("192.0.2.1", 403), ("127.0.0.1", 200), ("::1", 200)]
)
def test_only_loopback_clients_may_steer(client: str, status: int) -> None:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_app(Backend()), client=(client, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://emulator") as http:
            return await http.get("/_emulator/config")

    response = asyncio.run(call())
    assert response.status_code == status
    if status == 403:
        assert response.json()["error"] == "forbidden"


def test_config_round_trip_and_reset(api: Api) -> None:
    assert api.control("GET", "/config") == {
        "tunnelDelay": 0,
        "shareDelay": 0,
        "deleteDelay": 0,
        "tokenTtl": 3600,
    }
    changed = api.control("PUT", "/config", {"tunnelDelay": 2.5, "tokenTtl": 10})
    assert changed == {"tunnelDelay": 2.5, "shareDelay": 0, "deleteDelay": 0, "tokenTtl": 10}
    api.create_tunnel()
    api.control("POST", "/faults", {"status": 503, "path": "nothing-matches-this"})
    api.control("POST", "/reset")
    assert api.control("GET", "/config")["tunnelDelay"] == 0
    assert api.resources() == {"tunnels": [], "shares": []}
    assert api.control("GET", "/requests") == []


def test_control_refusals(api: Api) -> None:
    root = f"{api.server.root_url}/_emulator"
    cases = [
        ("PUT", "/config", {"tunnelDelay": -1}, 400),
        ("PUT", "/config", {"tunnelDelays": 1}, 400),
        ("POST", "/advance", {"seconds": "soon"}, 400),
        ("POST", "/fail-next", {"kind": "gateway"}, 400),
        ("POST", "/resources/tunnels/nope/status", {"status": "DEPLOYED"}, 404),
        ("POST", "/resources/gateways/nope/status", {"status": "DEPLOYED"}, 400),
        ("PATCH", "/resources/shares/nope", {"target": "h:1"}, 404),
        ("DELETE", "/resources/shares/nope", None, 404),
    ]
    for method, path, body, status in cases:
        response = requests.request(method, root + path, json=body, timeout=10)
        assert response.status_code == status, (method, path, response.text)
        assert set(response.json()) == {"error", "message"}


def test_drift_refuses_unknown_properties(api: Api) -> None:
    tunnel = api.create_tunnel()["id"]
    response = requests.patch(
        f"{api.server.root_url}/_emulator/resources/tunnels/{tunnel}", json={"colour": "red"}, timeout=10
    )
    assert response.status_code == 400 and "colour" in response.json()["message"]


def test_advance_moves_the_clock_forward(api: Api) -> None:
    api.control("PUT", "/config", {"tunnelDelay": 1000})
    tunnel = api.create_tunnel()["id"]
    assert api.control("POST", "/advance", {"seconds": 1000})["now"]
    assert api.status("tunnels", tunnel) == "DEPLOYED"


def test_control_api_is_not_in_the_public_schema(api: Api) -> None:
    spec = requests.get(f"{api.server.root_url}/openapi.json", timeout=10).json()
    assert all(path.startswith("/frontdoor/v2/{frontdoorId}/") for path in spec["paths"])
