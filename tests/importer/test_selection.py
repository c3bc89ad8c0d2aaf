"""What is declared and what is left out: only NEW and DEPLOYED objects stand for resources, the rest are
named with the API's reason, and the filters narrow what is read."""

from __future__ import annotations

from typing import Any

import pytest

from fdipsec_pulumi.client.models import Share, Status, Tunnel
from fdipsec_pulumi.importer.inventory import Filters, LeftOut, UnknownTunnel, select

FRONTDOOR = "fd-1"


def tunnel(object_id: str, name: str, status: Status = Status.DEPLOYED, reason: str | None = None) -> Tunnel:
    return Tunnel(
        id=object_id,
        name=name,
        frontdoor_id=FRONTDOOR,
        status=status,
        status_message=reason,
        peer_public_ip="203.0.113.1",
        peer_cidr="10.0.0.0/16",
        location_id="us-east-1",
        nlb_private_ip="10.1.0.10",
    )


def share(object_id: str, name: str, on: str, status: Status = Status.DEPLOYED, **more: Any) -> Share:
    return Share(
        id=object_id,
        name=name,
        frontdoor_id=FRONTDOOR,
        ipsec_tunnel_id=on,
        env_z_id="env",
        target="10.0.0.1:80",
        ingress_port=80,
        status=status,
        **more,
    )


TUNNELS = [
    tunnel("tnl-1", "dc1"),
    tunnel("tnl-2", "dc2", Status.NEW),
    tunnel("tnl-3", "broken", Status.ERROR, "peer unreachable\nsince 12:00"),
    tunnel("tnl-4", "leaving", Status.DELETING),
    tunnel("tnl-5", "gone", Status.DELETED),
]
SHARES = [
    share("shr-1", "db", "tnl-1"),
    share("shr-2", "web", "tnl-1", Status.ERROR, status_message="agent offline"),
    share("shr-3", "db", "tnl-2", Status.NEW),
    share("shr-4", "cache", "tnl-3"),
    share("shr-5", "old", "tnl-1", Status.DELETING),
]


def ids(objects: list[Tunnel] | list[Share]) -> list[str]:
    return [found.id for found in objects]


def test_live_objects_are_declared_and_the_others_are_named_with_the_reason() -> None:
    found = select(FRONTDOOR, TUNNELS, SHARES, Filters())
    assert ids(found.tunnels) == ["tnl-1", "tnl-2"]
    assert ids(found.shares) == ["shr-1", "shr-3"]
    assert found.left_out == [
        LeftOut("tunnel", "tnl-3", "broken", "ERROR: peer unreachable since 12:00"),
        LeftOut("tunnel", "tnl-4", "leaving", "DELETING"),
        LeftOut("share", "shr-4", "cache", "its tunnel broken (tnl-3) is ERROR"),
        LeftOut("share", "shr-5", "old", "DELETING"),
        LeftOut("share", "shr-2", "web", "ERROR: agent offline"),
    ]


def test_deleted_objects_are_not_mentioned() -> None:
    found = select(FRONTDOOR, TUNNELS, SHARES, Filters())
    assert "tnl-5" not in repr(found.tunnels) + repr(found.left_out)


def test_the_order_of_the_listing_changes_nothing() -> None:
    forward = select(FRONTDOOR, TUNNELS, SHARES, Filters())
    backward = select(FRONTDOOR, TUNNELS[::-1], SHARES[::-1], Filters())
    assert (ids(forward.tunnels), ids(forward.shares), forward.left_out) == (
        ids(backward.tunnels),
        ids(backward.shares),
        backward.left_out,
    )


def test_a_tunnel_filter_takes_the_tunnel_and_its_shares_by_name_or_id() -> None:
    by_name = select(FRONTDOOR, TUNNELS, SHARES, Filters(tunnels=["dc2"]))
    by_id = select(FRONTDOOR, TUNNELS, SHARES, Filters(tunnels=["tnl-2"]))
    for found in (by_name, by_id):
        assert (ids(found.tunnels), ids(found.shares), found.left_out) == (["tnl-2"], ["shr-3"], [])


def test_an_unknown_tunnel_is_an_error_not_an_empty_module() -> None:
    with pytest.raises(UnknownTunnel, match="no tunnel named or with id 'dc9'"):
        select(FRONTDOOR, TUNNELS, SHARES, Filters(tunnels=["dc1", "dc9"]))


def test_a_name_pattern_narrows_both_kinds_and_a_share_keeps_its_tunnel_by_id() -> None:
    found = select(FRONTDOOR, TUNNELS, SHARES, Filters(names=["d*"]))
    assert ids(found.tunnels) == ["tnl-1", "tnl-2"]
    assert ids(found.shares) == ["shr-1", "shr-3"]
    only_shares = select(FRONTDOOR, TUNNELS, SHARES, Filters(names=["db"]))
    assert ids(only_shares.tunnels) == [] and ids(only_shares.shares) == ["shr-1", "shr-3"]
    assert set(only_shares.all_tunnels) == {"tnl-1", "tnl-2"}


def test_a_status_filter() -> None:
    found = select(FRONTDOOR, TUNNELS, SHARES, Filters(statuses=["new"]))
    assert (ids(found.tunnels), ids(found.shares), found.left_out) == (["tnl-2"], ["shr-3"], [])
    errors = select(FRONTDOOR, TUNNELS, SHARES, Filters(statuses=["ERROR"]))
    assert ids(errors.tunnels) == [] and ids(errors.shares) == []
    assert [item.id for item in errors.left_out] == ["tnl-3", "shr-2"]
