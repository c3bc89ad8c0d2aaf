"""``diff``: what forces a replacement, what updates in place, and what must never cause a diff."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.output import Unknown

from fdipsec_pulumi.providers.inputs import UNKNOWN
from fdipsec_pulumi.providers.share import ShareProvider
from fdipsec_pulumi.providers.tunnel import TunnelProvider

from .conftest import FD, TOKEN, share_props, tunnel_props

# diff makes no API call; it only needs the stack's Frontdoor, so nothing listens at this URL.
CONFIG = ConfigureRequest(
    Config(
        {"fdipsec:apiUrl": "http://127.0.0.1:9/frontdoor", "fdipsec:token": TOKEN, "fdipsec:frontdoorId": FD},
        "p",
    )
)
OTHER_FD = "11111111-2222-3333-4444-555555555555"


def configured(provider: Any) -> Any:
    provider.configure(CONFIG)
    return provider


TUNNELS: TunnelProvider = configured(TunnelProvider())
SHARES: ShareProvider = configured(ShareProvider())


def tunnel_state(**overrides: Any) -> dict[str, Any]:
    """Outputs as create records them: the inputs given plus what the server filled in."""
    state = tunnel_props(
        locationId="us-east-1",
        nlbPrivateIp="10.1.0.10",
        frontdoorId=FD,
        status="DEPLOYED",
        nlbDnsName="nlb-1.elb.us-east-1.amazonaws.com",
        vpnConnectionId="vpn-1",
        tunnelConfig={"state": "available", "tunnels": []},
        sampleConfig="psk...",
    )
    state.update(overrides)
    return state


def share_state(**overrides: Any) -> dict[str, Any]:
    state = share_props("tnl-1", frontdoorId=FD, status="DEPLOYED", locationId="us-east-1")
    state.update(overrides)
    return state


def test_unchanged_tunnel_with_server_filled_fields_omitted() -> None:
    result = TUNNELS.diff("tnl-1", tunnel_state(), tunnel_props())
    assert result.changes is False


def test_unchanged_tunnel_with_server_filled_fields_given() -> None:
    news = tunnel_props(locationId="us-east-1", nlbPrivateIp="10.1.0.10", frontdoorId=FD)
    assert TUNNELS.diff("tnl-1", tunnel_state(), news).changes is False


def test_timeouts_and_provider_are_never_diffed() -> None:
    news = tunnel_props(__timeouts={"create": 3600.0}, __provider="other-pickle")
    assert TUNNELS.diff("tnl-1", tunnel_state(__provider="pickle"), news).changes is False
    news = share_props("tnl-1", __timeouts={"delete": 60.0}, __provider="other-pickle")
    assert SHARES.diff("shr-1", share_state(), news).changes is False


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("name", "site-renamed"),
        ("peerPublicIp", "198.51.100.9"),
        ("peerCidr", "172.30.0.0/16"),
        ("nlbPrivateIp", "10.1.0.99"),
        ("locationId", "eu-west-1"),
        ("frontdoorId", OTHER_FD),
    ],
)
def test_every_tunnel_input_replaces(key: str, value: str) -> None:
    result = TUNNELS.diff("tnl-1", tunnel_state(), tunnel_props(**{key: value}))
    assert result.changes is True
    assert result.replaces == [key]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("name", "x"),
        ("peerPublicIp", "198.51.100.9"),
        ("peerCidr", "172.30.0.0/16"),
        ("nlbPrivateIp", "10.1.0.99"),
    ],
)
def test_replacement_in_the_same_location_deletes_first(key: str, value: str) -> None:
    # One tunnel per Frontdoor and location: the new one could not be created beside the old one.
    result = TUNNELS.diff("tnl-1", tunnel_state(), tunnel_props(**{key: value}))
    assert result.replaces == [key]
    assert result.delete_before_replace is True


def test_replacement_with_the_location_pinned_to_the_same_place_deletes_first() -> None:
    result = TUNNELS.diff("tnl-1", tunnel_state(), tunnel_props(name="x", locationId="us-east-1"))
    assert result.delete_before_replace is True


def test_replacement_into_another_location_creates_first() -> None:
    result = TUNNELS.diff("tnl-1", tunnel_state(), tunnel_props(name="x", locationId="eu-west-1"))
    assert sorted(result.replaces) == ["locationId", "name"]
    assert result.delete_before_replace is False


def test_replacement_onto_another_frontdoor_creates_first() -> None:
    result = TUNNELS.diff("tnl-1", tunnel_state(), tunnel_props(frontdoorId=OTHER_FD))
    assert result.delete_before_replace is False


@pytest.mark.parametrize("unknown", [Unknown(), UNKNOWN], ids=["Unknown()", "UNKNOWN-string"])
def test_unknown_tunnel_input_counts_as_a_replacement(unknown: object) -> None:
    result = TUNNELS.diff("tnl-1", tunnel_state(), tunnel_props(peerPublicIp=unknown))
    assert result.changes is True
    assert result.replaces == ["peerPublicIp"]


def test_unchanged_share() -> None:
    assert SHARES.diff("shr-1", share_state(), share_props("tnl-1")).changes is False


def test_share_port_recorded_as_double_is_unchanged() -> None:
    olds = share_state(ingressPort=8443.0)
    assert SHARES.diff("shr-1", olds, share_props("tnl-1", ingressPort=8443)).changes is False
    assert SHARES.diff("shr-1", share_state(), share_props("tnl-1", ingressPort=8443.0)).changes is False


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("name", "app-renamed"),
        ("envZId", "other-env"),
        ("target", "10.20.100.9:8443"),
        ("ingressPort", 9443),
        ("locationId", "eu-west-1"),
    ],
)
def test_share_fields_that_update_in_place(key: str, value: Any) -> None:
    result = SHARES.diff("shr-1", share_state(), share_props("tnl-1", **{key: value}))
    assert result.changes is True
    assert not result.replaces
    assert not result.delete_before_replace


@pytest.mark.parametrize(("key", "value"), [("ipsecTunnelId", "tnl-2"), ("frontdoorId", OTHER_FD)])
def test_share_fields_that_replace(key: str, value: Any) -> None:
    result = SHARES.diff("shr-1", share_state(), share_props("tnl-1", **{key: value}))
    assert result.changes is True
    assert result.replaces == [key]
    # Ingress ports are unique per tunnel: the old share must go before its successor takes the port.
    assert result.delete_before_replace is True


def test_share_on_a_tunnel_being_replaced() -> None:
    result = SHARES.diff("shr-1", share_state(), share_props(UNKNOWN, target="10.20.100.9:8443"))
    assert result.replaces == ["ipsecTunnelId"]


def test_a_tunnel_a_refresh_found_in_error_is_replaced_in_place_of_its_old_self() -> None:
    result = TUNNELS.diff("tnl-1", tunnel_state(status="ERROR"), tunnel_props())
    assert result.changes is True
    assert result.replaces == ["status"] and result.delete_before_replace is True


def test_a_share_a_refresh_found_in_error_is_replaced_delete_first() -> None:
    result = SHARES.diff("shr-1", share_state(status="ERROR"), share_props("tnl-1"))
    assert result.changes is True
    assert result.replaces == ["status"] and result.delete_before_replace is True
    # With an input change too, both are named.
    both = SHARES.diff("shr-1", share_state(status="ERROR"), share_props("tnl-1", target="10.0.0.9:8443"))
    assert both.replaces == ["status"] and both.changes is True


@pytest.mark.parametrize("status", ["NEW", "DEPLOYED"])
def test_a_live_object_is_not_replaced_for_its_status(status: str) -> None:
    assert TUNNELS.diff("tnl-1", tunnel_state(status=status), tunnel_props()).changes is False
    assert SHARES.diff("shr-1", share_state(status=status), share_props("tnl-1")).changes is False
