"""Paging, sorting and filtering, in both the seed's JSON page shape and Spring HATEOAS' HAL."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import requests

from fdipsec_pulumi.emulator import EmulatorServer

from .conftest import Api

HAL = "application/hal+json"


def names(response: requests.Response) -> list[str]:
    body = response.json()
    items = body["content"] if "content" in body else body["_embedded"]["ipsecTunnels"]
    return [item["name"] for item in items]


def seed_tunnels(api: Api, count: int) -> list[dict[str, Any]]:
    # Names in reverse creation order, so sorting by name differs from the default order.
    return [api.create_tunnel(n, name=f"site-{chr(ord('z') - n)}") for n in range(1, count + 1)]


def test_pages_cover_every_item_once(api: Api) -> None:
    seed_tunnels(api, 5)
    pages = [api.get(f"/ipsec-tunnels?page={page}&size=2").json() for page in range(4)]
    assert [len(p["content"]) for p in pages] == [2, 2, 1, 0]
    assert {p["totalElements"] for p in pages} == {5}
    assert {p["totalPages"] for p in pages} == {3}
    assert pages[1]["pageable"] == {"pageNumber": 1, "pageSize": 2}
    seen = [t["id"] for p in pages for t in p["content"]]
    assert len(seen) == len(set(seen)) == 5


def test_default_order_is_creation_order(api: Api) -> None:
    created = seed_tunnels(api, 3)
    assert [t["id"] for t in api.get("/ipsec-tunnels").json()["content"]] == [t["id"] for t in created]


def test_sort_ascending_and_descending(api: Api) -> None:
    seed_tunnels(api, 3)
    assert names(api.get("/ipsec-tunnels?sort=name,asc")) == ["site-w", "site-x", "site-y"]
    assert names(api.get("/ipsec-tunnels?sort=name,desc")) == ["site-y", "site-x", "site-w"]
    assert names(api.get("/ipsec-tunnels?sort=name")) == ["site-w", "site-x", "site-y"]


def test_sort_by_several_properties(api: Api) -> None:
    tunnel = api.create_tunnel()["id"]
    for port, name in [(3, "b"), (1, "a"), (2, "b")]:
        api.create_share(tunnel, port, name=name)
    response = api.get("/ipsec-shares?sort=name,desc&sort=ingressPort,asc")
    assert [(s["name"], s["ingressPort"]) for s in response.json()["content"]] == [
        ("b", 2),
        ("b", 3),
        ("a", 1),
    ]
    # Ports sort as numbers, not as text.
    response = api.get("/ipsec-shares", params={"sort": "ingressPort,desc"})
    assert [s["ingressPort"] for s in response.json()["content"]] == [3, 2, 1]


def test_filter_on_any_property(api: Api) -> None:
    first, second, _ = seed_tunnels(api, 3)
    assert names(api.get(f"/ipsec-tunnels?peerPublicIp={second['peerPublicIp']}")) == [second["name"]]
    assert names(api.get(f"/ipsec-tunnels?locationId={first['locationId']}")) == [first["name"]]
    assert names(api.get("/ipsec-tunnels?status=NEW")) == []
    assert len(names(api.get("/ipsec-tunnels?status=DEPLOYED"))) == 3


def test_repeated_filter_means_or_and_different_filters_mean_and(api: Api) -> None:
    first, _, third = seed_tunnels(api, 3)
    response = api.get("/ipsec-tunnels", params={"name": [first["name"], third["name"]]})
    assert sorted(names(response)) == sorted([first["name"], third["name"]])
    response = api.get(
        "/ipsec-tunnels", params={"name": [first["name"], third["name"]], "locationId": "us-east-1"}
    )
    assert names(response) == [first["name"]]


def test_filter_on_numbers_compares_their_text(api: Api) -> None:
    tunnel = api.create_tunnel()["id"]
    api.create_share(tunnel, 8443)
    api.create_share(tunnel, 9443)
    response = api.get("/ipsec-shares?ingressPort=9443&ingressPort=1")
    assert [s["ingressPort"] for s in response.json()["content"]] == [9443]


def test_filter_paging_and_sort_combine(api: Api) -> None:
    seed_tunnels(api, 5)
    body = api.get("/ipsec-tunnels?status=DEPLOYED&sort=name,asc&page=1&size=2").json()
    assert [t["name"] for t in body["content"]] == ["site-w", "site-x"]
    assert (body["totalElements"], body["totalPages"]) == (5, 3)


def test_hal_page_shape_and_links(api: Api) -> None:
    seed_tunnels(api, 5)
    response = api.get("/ipsec-tunnels?page=1&size=2&status=DEPLOYED", headers={"Accept": HAL})
    assert response.headers["content-type"] == HAL
    body = response.json()
    assert body["page"] == {"size": 2, "totalElements": 5, "totalPages": 3, "number": 1}
    items = body["_embedded"]["ipsecTunnels"]
    assert len(items) == 2
    assert items[0]["_links"]["self"]["href"] == f"{api.base}/ipsec-tunnels/{items[0]['id']}"
    links = {rel: link["href"] for rel, link in body["_links"].items()}
    assert set(links) == {"self", "first", "prev", "next", "last"}
    assert "page=2" in links["next"] and "page=0" in links["prev"] and "page=2" in links["last"]
    assert all("status=DEPLOYED" in href and "size=2" in href for href in links.values())
    following = api.http.get(links["next"], headers={"Accept": HAL}, timeout=10).json()
    assert following["page"]["number"] == 2
    assert "next" not in following["_links"]


def test_hal_for_shares_and_empty_pages(api: Api) -> None:
    body = api.get("/ipsec-shares", headers={"Accept": HAL}).json()
    assert body["_embedded"] == {"ipsecShares": []}
    assert body["page"] == {"size": 20, "totalElements": 0, "totalPages": 0, "number": 0}
    assert set(body["_links"]) == {"self", "first", "last"}


def test_hal_single_resource_has_a_self_link(api: Api) -> None:
    tunnel = api.create_tunnel()
    response = api.get(f"/ipsec-tunnels/{tunnel['id']}", headers={"Accept": HAL})
    assert response.headers["content-type"] == HAL
    assert response.json()["_links"]["self"]["href"] == f"{api.base}/ipsec-tunnels/{tunnel['id']}"


def test_json_is_the_default_representation(api: Api) -> None:
    for accept in ("*/*", "application/*", ""):
        response = api.get("/ipsec-tunnels", headers={"Accept": accept})
        assert response.headers["content-type"] == "application/json"
        assert "content" in response.json()
    preferred = api.get("/ipsec-tunnels", headers={"Accept": "application/json;q=0.5, application/hal+json"})
    assert preferred.headers["content-type"] == HAL


def test_lists_are_scoped_to_their_frontdoor(emulator_factory: Callable[..., EmulatorServer]) -> None:
    other = "11111111-2222-3333-4444-555555555555"
    server = emulator_factory(frontdoor_ids=["3d6d2b6e-6c7a-4a7f-8c3d-9a9d2e1f0b1c", other])
    api = Api(server)
    api.create_tunnel()
    response = requests.get(
        f"{server.url}/v2/{other}/ipsec-tunnels", headers=dict(api.http.headers), timeout=10
    )
    assert response.json()["totalElements"] == 0
    # The same location is free on another Frontdoor.
    other_api = Api(server)
    other_api.base = f"{server.url}/v2/{other}"
    assert other_api.create_tunnel()["locationId"] == "us-east-1"
