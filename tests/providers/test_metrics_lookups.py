"""get_ipsec_tunnel_metrics / get_ipsec_share_metrics and their _output forms, against the emulator."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from fdipsec_pulumi import (
    GetIpsecShareMetricsResult,
    GetIpsecTunnelMetricsResult,
    get_ipsec_share_metrics,
    get_ipsec_share_metrics_output,
    get_ipsec_tunnel_metrics,
    get_ipsec_tunnel_metrics_output,
)
from fdipsec_pulumi.client.errors import NotFound

from .conftest import Control

pytestmark = pytest.mark.usefixtures("env")


def test_tunnel_metrics_over_a_window(deployed: dict[str, Any], control: Control) -> None:
    tunnel_id = deployed["tunnel"].id
    control.clear_requests()

    result = get_ipsec_tunnel_metrics(tunnel_id, window="1d")

    assert isinstance(result, GetIpsecTunnelMetricsResult)
    assert (result.id, result.window) == (tunnel_id, "1d")
    assert result.step_seconds > 0 and result.datapoints
    assert all(p.bytes_in >= 0 and p.bytes_out >= 0 for p in result.datapoints)
    [request] = control.requests("GET", "/metrics")
    assert request["query"] == "window=1d"


def test_tunnel_metrics_refuse_a_window_the_api_does_not_offer(control: Control) -> None:
    with pytest.raises(ValueError, match=r"window='2h' is not one of 30m, 1h, 1d, 7d"):
        get_ipsec_tunnel_metrics("tnl-any", window="2h")
    assert control.requests() == []


def test_share_metrics_with_and_without_a_duration(deployed: dict[str, Any], control: Control) -> None:
    share_id = deployed["share"].id

    given = get_ipsec_share_metrics(share_id, duration="15m")
    default = get_ipsec_share_metrics(share_id)

    assert isinstance(given, GetIpsecShareMetricsResult)
    assert (given.id, given.duration) == (share_id, "15m") and given.datapoints
    assert default.id == share_id and default.duration
    assert [r["query"] for r in control.requests("GET", "/metrics")] == ["duration=15m", ""]


def test_metrics_of_a_missing_object_raise_not_found(control: Control) -> None:
    with pytest.raises(NotFound):
        get_ipsec_tunnel_metrics("tnl-does-not-exist")
    with pytest.raises(NotFound):
        get_ipsec_share_metrics("shr-does-not-exist")


@pulumi.runtime.test
def test_metrics_output_forms_resolve(mocked: None, deployed: dict[str, Any]) -> Any:
    tunnel = get_ipsec_tunnel_metrics_output(pulumi.Output.from_input(deployed["tunnel"].id), window="30m")
    share = get_ipsec_share_metrics_output(deployed["share"].id, duration=pulumi.Output.from_input("1h"))

    def check(args: list[Any]) -> None:
        tunnel_result, share_result = args
        assert (tunnel_result.id, tunnel_result.window) == (deployed["tunnel"].id, "30m")
        assert (share_result.id, share_result.duration) == (deployed["share"].id, "1h")

    return pulumi.Output.all(tunnel, share).apply(check)
