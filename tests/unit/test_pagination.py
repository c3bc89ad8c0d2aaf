"""Page walking and query building, on canned page bodies in both shapes."""

from __future__ import annotations

from typing import Any

import pytest

from fdipsec_pulumi.client.errors import FrontdoorError
from fdipsec_pulumi.client.models import Status, Tunnel
from fdipsec_pulumi.client.pagination import paginate, query_params


def tunnel(n: int) -> dict[str, Any]:
    return {
        "id": f"tnl-{n}",
        "name": f"t{n}",
        "frontdoorId": "fd",
        "status": "NEW",
        "peerPublicIp": "203.0.113.1",
        "peerCidr": "10.0.0.0/16",
    }


def json_page(number: int, items: list[int], total_pages: int) -> dict[str, Any]:
    return {
        "content": [tunnel(n) for n in items],
        "pageable": {"pageNumber": number, "pageSize": 2},
        "totalElements": 5,
        "totalPages": total_pages,
    }


def hal_page(number: int, items: list[int], total_pages: int) -> dict[str, Any]:
    body: dict[str, Any] = {
        "page": {"size": 2, "totalElements": 5, "totalPages": total_pages, "number": number}
    }
    if items:
        body["_embedded"] = {"ipsecTunnels": [tunnel(n) for n in items]}
    return body


def test_json_pages_until_total_pages() -> None:
    pages = {0: json_page(0, [1, 2], 3), 1: json_page(1, [3, 4], 3), 2: json_page(2, [5], 3)}
    requested: list[int] = []

    def fetch(n: int) -> Any:
        requested.append(n)
        return pages[n]

    assert [t.id for t in paginate(fetch, Tunnel.model_validate, "ipsecTunnels")] == [
        f"tnl-{n}" for n in range(1, 6)
    ]
    assert requested == [0, 1, 2]


def test_hal_pages_and_empty_hal() -> None:
    pages = {0: hal_page(0, [1, 2], 2), 1: hal_page(1, [3], 2)}
    assert [t.id for t in paginate(pages.__getitem__, Tunnel.model_validate, "ipsecTunnels")] == [
        "tnl-1",
        "tnl-2",
        "tnl-3",
    ]
    assert list(paginate(lambda n: hal_page(n, [], 0), Tunnel.model_validate, "ipsecTunnels")) == []


def test_items_shifted_across_a_page_boundary_are_yielded_once() -> None:
    pages = {0: json_page(0, [1, 2], 2), 1: json_page(1, [2, 3], 2)}
    assert [t.id for t in paginate(pages.__getitem__, Tunnel.model_validate, "ipsecTunnels")] == [
        "tnl-1",
        "tnl-2",
        "tnl-3",
    ]


def test_an_empty_page_stops_even_if_the_total_says_more() -> None:
    assert list(paginate(lambda n: json_page(n, [], 99), Tunnel.model_validate, "ipsecTunnels")) == []


def test_query_params_repeat_values_and_camel_case_names() -> None:
    params = query_params(
        {"status": [Status.DEPLOYED, "NEW"], "peer_public_ip": "203.0.113.1", "envZId": "e"},
        ["name,asc", "status,desc"],
    )
    assert params == [
        ("status", "DEPLOYED"),
        ("status", "NEW"),
        ("peerPublicIp", "203.0.113.1"),
        ("envZId", "e"),
        ("sort", "name,asc"),
        ("sort", "status,desc"),
    ]
    assert query_params({"status": Status.ERROR}, "name,asc") == [("status", "ERROR"), ("sort", "name,asc")]
    assert query_params(None, None) == []


def test_malformed_pages_raise_a_frontdoor_error_without_quoting_the_body() -> None:
    bodies: list[Any] = [[1, 2], {"content": "x"}, {"page": {"size": "big"}}, {"_embedded": []}]
    for body in bodies:

        def fetch(number: int, page: Any = body) -> Any:
            return page

        with pytest.raises(FrontdoorError, match="malformed page") as caught:
            list(paginate(fetch, Tunnel.model_validate, "ipsecTunnels"))
        assert "big" not in str(caught.value)
