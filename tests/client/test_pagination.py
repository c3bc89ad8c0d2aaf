"""Lists walk every page, in both page shapes, with filters and sort on the wire."""

from __future__ import annotations

from typing import Any

import pytest

from fdipsec_pulumi.client import FrontdoorClient, Status, pagination
from tests.client.conftest import Control, tunnel_request


@pytest.fixture
def seven_tunnels(client: FrontdoorClient, control: Control) -> list[str]:
    control.configure(tunnelDelay=3600)  # all stay NEW unless a test moves them
    return [client.create_tunnel(tunnel_request(n)).id for n in range(1, 8)]


@pytest.mark.parametrize("hal", [False, True], ids=["json", "hal"])
def test_walks_more_than_two_pages(
    client: FrontdoorClient, control: Control, seven_tunnels: list[str], hal: bool
) -> None:
    control.clear_requests()
    assert sorted(t.id for t in client.list_tunnels(page_size=2, hal=hal)) == sorted(seven_tunnels)
    pages = control.requests("GET", "ipsec-tunnels")
    assert len(pages) == 4
    assert "page=3" in pages[-1]["query"] and "size=2" in pages[-1]["query"]


@pytest.mark.parametrize(("hal", "shape_key"), [(False, "content"), (True, "_embedded")])
def test_hal_flag_chooses_the_page_shape(
    client: FrontdoorClient,
    seven_tunnels: list[str],
    monkeypatch: pytest.MonkeyPatch,
    hal: bool,
    shape_key: str,
) -> None:
    bodies: list[dict[str, Any]] = []
    read_page = pagination._read_page

    def spy(body: Any, collection: str) -> tuple[list[Any], int]:
        bodies.append(body)
        return read_page(body, collection)

    monkeypatch.setattr(pagination, "_read_page", spy)
    assert len(list(client.list_tunnels(page_size=3, hal=hal))) == 7
    assert len(bodies) == 3 and all(shape_key in body for body in bodies)


def test_empty_list_in_both_shapes(client: FrontdoorClient) -> None:
    assert list(client.list_tunnels()) == []
    assert list(client.list_tunnels(hal=True)) == []
    assert list(client.list_shares(hal=True)) == []


def test_filters_repeat_values_and_sort(
    client: FrontdoorClient, control: Control, seven_tunnels: list[str]
) -> None:
    control.call("POST", f"/resources/tunnels/{seven_tunnels[0]}/status", {"status": "DEPLOYED"})
    control.call("POST", f"/resources/tunnels/{seven_tunnels[1]}/status", {"status": "ERROR", "reason": "x"})
    control.clear_requests()

    chosen = list(client.list_tunnels(filters={"status": [Status.DEPLOYED, "ERROR"]}, sort="name,desc"))
    assert [t.name for t in chosen] == ["site-2", "site-1"]
    query = control.requests("GET", "ipsec-tunnels")[0]["query"]
    assert (
        "status=DEPLOYED" in query
        and "status=ERROR" in query
        and "sort=name%2Cdesc" in query.replace(",", "%2C")
    )

    by_snake_case = list(client.list_tunnels(filters={"peer_public_ip": "203.0.113.3"}, hal=True))
    assert [t.name for t in by_snake_case] == ["site-3"]
    names = [t.name for t in client.list_tunnels(sort=["name,asc"], page_size=3)]
    assert names == sorted(names) and len(names) == 7
