"""``check``: the inputs are validated before any API call, one failure per field, unknowns left alone."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from fdipsec_pulumi.providers.inputs import UNKNOWN
from fdipsec_pulumi.providers.share import ShareProvider
from fdipsec_pulumi.providers.tunnel import TunnelProvider

from .conftest import share_props, tunnel_props

# check never reaches the API, so these providers need no emulator and no configure().
TUNNELS = TunnelProvider()
SHARES = ShareProvider()


def failures(result: Any) -> dict[str, str]:
    found = {f.property: f.reason for f in result.failures}
    assert len(found) == len(result.failures), f"more than one failure for a field: {result.failures}"
    return found


def test_valid_tunnel_passes_and_keeps_inputs() -> None:
    props = tunnel_props()
    result = TUNNELS.check({}, props)
    assert result.failures == []
    assert result.inputs == props


def test_tunnel_failures_one_per_field_with_the_value() -> None:
    props = tunnel_props(
        name="", peerPublicIp="10.0.0.1", peerCidr="172.31.0.1/16", nlbPrivateIp="8.8.8.8", locationId=""
    )
    found = failures(TUNNELS.check({}, props))
    assert set(found) == {"name", "peerPublicIp", "peerCidr", "nlbPrivateIp", "locationId"}
    assert "'10.0.0.1'" in found["peerPublicIp"] and "publicly routable" in found["peerPublicIp"]
    assert "'172.31.0.1/16'" in found["peerCidr"] and "172.31.0.0/16" in found["peerCidr"]
    assert "'8.8.8.8'" in found["nlbPrivateIp"]


def test_missing_required_tunnel_inputs_are_named() -> None:
    found = failures(TUNNELS.check({}, tunnel_props(name=None, peerCidr=None)))
    assert found == {"name": "name is required", "peerCidr": "peerCidr is required"}


def test_wrong_type_shows_the_value() -> None:
    found = failures(TUNNELS.check({}, tunnel_props(peerPublicIp=42)))
    assert set(found) == {"peerPublicIp"}
    assert "42" in found["peerPublicIp"]


def test_empty_frontdoor_id_is_refused() -> None:
    assert set(failures(TUNNELS.check({}, tunnel_props(frontdoorId="  ")))) == {"frontdoorId"}


@pytest.mark.parametrize("unknown", [Unknown(), UNKNOWN], ids=["Unknown()", "UNKNOWN-string"])
def test_unknown_tunnel_inputs_skip_validation(unknown: object) -> None:
    props = tunnel_props(name=unknown, peerPublicIp=unknown, peerCidr=unknown, frontdoorId=unknown)
    assert TUNNELS.check({}, props).failures == []


@pytest.mark.parametrize("unknown", [Unknown(), UNKNOWN], ids=["Unknown()", "UNKNOWN-string"])
def test_unknown_skips_only_that_field(unknown: object) -> None:
    found = failures(TUNNELS.check({}, tunnel_props(peerPublicIp=unknown, peerCidr="not-a-cidr")))
    assert set(found) == {"peerCidr"}
    assert "'not-a-cidr'" in found["peerCidr"]


def test_valid_share_passes() -> None:
    result = SHARES.check({}, share_props("tnl-1"))
    assert result.failures == []


def test_share_port_as_float_is_accepted_and_normalized() -> None:
    # Numbers cross the engine's protobuf Struct as doubles.
    result = SHARES.check({}, share_props("tnl-1", ingressPort=8443.0))
    assert result.failures == []
    assert result.inputs["ingressPort"] == 8443
    assert isinstance(result.inputs["ingressPort"], int)


@pytest.mark.parametrize(
    ("port", "shown"), [(8443.5, "8443.5"), (0, "0"), (70000.0, "70000"), ("8443", "'8443'")]
)
def test_bad_share_port_is_refused_with_its_value(port: object, shown: str) -> None:
    found = failures(SHARES.check({}, share_props("tnl-1", ingressPort=port)))
    assert set(found) == {"ingressPort"}
    assert f"({shown})" in found["ingressPort"]


def test_share_failures_one_per_field() -> None:
    props = share_props("", name="-bad-", target="10.20.100.1", envZId=" ")
    found = failures(SHARES.check({}, props))
    assert set(found) == {"ipsecTunnelId", "name", "target", "envZId"}
    assert "'-bad-'" in found["name"]
    assert "'10.20.100.1'" in found["target"]


@pytest.mark.parametrize("unknown", [Unknown(), UNKNOWN], ids=["Unknown()", "UNKNOWN-string"])
def test_unknown_tunnel_id_of_a_share_skips_validation(unknown: object) -> None:
    # The usual case in a first preview: the share's tunnel does not exist yet.
    assert SHARES.check({}, share_props("x", ipsecTunnelId=unknown, ingressPort=unknown)).failures == []


def test_timeouts_are_checked() -> None:
    assert TUNNELS.check({}, tunnel_props(__timeouts={"create": 3600.0, "delete": None})).failures == []
    found = failures(SHARES.check({}, share_props("tnl-1", __timeouts={"create": -1})))
    assert set(found) == {"__timeouts"}
    assert "-1" in found["__timeouts"]
    found = failures(SHARES.check({}, share_props("tnl-1", __timeouts="10m")))
    assert "'10m'" in found["__timeouts"]
