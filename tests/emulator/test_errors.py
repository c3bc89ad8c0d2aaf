"""The error responses: status, body shape and precedence, as the seeds document them."""

from __future__ import annotations

import base64
from collections.abc import Callable

import pytest
import requests

from fdipsec_pulumi.emulator import EmulatorServer

from .conftest import FD, TOKEN, Api

UNAUTHORIZED = {"error": "unauthorized", "message": "Bearer token is missing or invalid"}


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer wrong-token", f"Token {TOKEN}", f"bearer{TOKEN}", "Basic !!!"],
)
def test_missing_or_invalid_token_is_401(api: Api, authorization: str | None) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = requests.get(f"{api.base}/ipsec-tunnels", headers=headers, timeout=10)
    assert (response.status_code, response.json()) == (401, UNAUTHORIZED)
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_bearer_scheme_is_case_insensitive_and_basic_carries_the_token(api: Api) -> None:
    for authorization in (
        f"bearer {TOKEN}",
        "Basic " + base64.b64encode(f"someone:{TOKEN}".encode()).decode(),
    ):
        response = requests.get(
            f"{api.base}/ipsec-tunnels", headers={"Authorization": authorization}, timeout=10
        )
        assert response.status_code == 200, authorization


def test_401_comes_before_body_validation_and_routing(api: Api) -> None:
    assert requests.post(f"{api.base}/ipsec-tunnels", data="{", timeout=10).status_code == 401
    assert requests.get(f"{api.base}/nothing-here", timeout=10).status_code == 401


def test_unknown_frontdoor_is_403_not_found(api: Api) -> None:
    other = "00000000-0000-0000-0000-000000000000"
    response = api.http.get(f"{api.server.url}/v2/{other}/ipsec-tunnels", timeout=10)
    assert response.status_code == 403
    assert response.json() == {"error": "not_found", "message": f"Frontdoor {other} not found"}


@pytest.mark.parametrize(
    ("collection", "noun"), [("ipsec-tunnels", "IPsec tunnel"), ("ipsec-shares", "IPsec share")]
)
def test_unknown_id_is_404(api: Api, collection: str, noun: str) -> None:
    response = api.get(f"/{collection}/nope-1")
    assert (response.status_code, response.json()) == (
        404,
        {"error": "not_found", "message": f"{noun} nope-1 not found"},
    )
    assert api.delete(f"/{collection}/nope-1").status_code == 404


def test_resource_of_another_frontdoor_is_404(emulator_factory: Callable[..., EmulatorServer]) -> None:
    other = "11111111-2222-3333-4444-555555555555"
    server = emulator_factory(frontdoor_ids=[FD, other])
    api = Api(server)
    tunnel = api.create_tunnel()["id"]
    response = api.http.get(f"{server.url}/v2/{other}/ipsec-tunnels/{tunnel}", timeout=10)
    assert response.status_code == 404


def test_unknown_path_is_404_in_the_error_shape(api: Api) -> None:
    response = api.get("/ipsec-gateways")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/ipsec-tunnels/x", "DELETE, GET"),
        ("PATCH", "/ipsec-tunnels/x", "DELETE, GET"),
        ("DELETE", "/ipsec-tunnels", "GET, POST"),
        ("POST", "/ipsec-shares/x", "DELETE, GET, PATCH, PUT"),
        ("POST", "/ipsec-tunnels/x/sample-config", "GET"),
    ],
)
def test_wrong_method_is_405_with_allow(api: Api, method: str, path: str, allowed: str) -> None:
    response = api.request(method, path, json={})
    assert response.status_code == 405
    assert response.json()["error"] == "method_not_allowed"
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= set(
        allowed.replace(" ", "").split(",")
    )


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        ("/ipsec-tunnels", "application/xml"),
        ("/ipsec-tunnels", "text/plain"),
        ("/ipsec-tunnels", "application/json;q=0"),
        ("/ipsec-tunnels/{tunnel}/sample-config", "application/json"),
    ],
)
def test_unacceptable_accept_is_406(api: Api, path: str, accept: str) -> None:
    tunnel = api.create_tunnel()["id"]
    response = api.get(path.format(tunnel=tunnel), headers={"Accept": accept})
    assert response.status_code == 406
    assert response.json()["error"] == "not_acceptable"


def test_406_on_create_changes_nothing(api: Api) -> None:
    body = {"name": "x", "peerPublicIp": "203.0.113.9", "peerCidr": "10.0.0.0/8"}
    response = api.post("/ipsec-tunnels", json=body, headers={"Accept": "application/xml"})
    assert response.status_code == 406
    assert api.resources() == {"tunnels": [], "shares": []}


def test_body_without_json_content_type_is_400(api: Api) -> None:
    response = api.post("/ipsec-tunnels", data='{"name": "x"}', headers={"Content-Type": "text/plain"})
    assert response.status_code == 400
    assert "body" in response.json()["message"]


def test_every_response_has_a_request_id(api: Api) -> None:
    assert api.get("/ipsec-tunnels").headers["X-Request-Id"]
    assert api.get("/ipsec-tunnels/x").headers["X-Request-Id"]
    echoed = api.get("/ipsec-tunnels", headers={"X-Request-Id": "trace-42"})
    assert echoed.headers["X-Request-Id"] == "trace-42"
