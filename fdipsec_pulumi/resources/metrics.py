"""Traffic metrics lookups, in the generated-SDK shape of the other lookups (``get_x``/``get_x_output``).

Metrics are read-only time series, so they are data sources, never resource outputs: an output would
change on every refresh and show as drift. Like the other lookups they run in the program's process.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pulumi

from fdipsec_pulumi.resources.lookups import lookup_client, run_in_thread

if TYPE_CHECKING:
    from fdipsec_pulumi.client.models import MetricPoint

__all__ = [
    "GetIpsecShareMetricsResult",
    "GetIpsecTunnelMetricsResult",
    "IpsecMetricPoint",
    "get_ipsec_share_metrics",
    "get_ipsec_share_metrics_output",
    "get_ipsec_tunnel_metrics",
    "get_ipsec_tunnel_metrics_output",
]


@dataclass(frozen=True)
class IpsecMetricPoint:
    timestamp: str
    bytes_in: int
    bytes_out: int
    packets_in: int | None
    packets_out: int | None


@dataclass(frozen=True)
class GetIpsecTunnelMetricsResult:
    id: str
    window: str
    step_seconds: int
    datapoints: tuple[IpsecMetricPoint, ...]


@dataclass(frozen=True)
class GetIpsecShareMetricsResult:
    id: str
    duration: str
    step_seconds: int
    datapoints: tuple[IpsecMetricPoint, ...]


def get_ipsec_tunnel_metrics(
    id: str, window: str = "1h", frontdoor_id: str | None = None
) -> GetIpsecTunnelMetricsResult:
    """A tunnel's traffic over ``window``: one of 30m, 1h (the API's default), 1d or 7d."""
    from fdipsec_pulumi.client.models import TUNNEL_METRIC_WINDOWS  # loaded by a lookup, not by a program

    if window not in TUNNEL_METRIC_WINDOWS:
        raise ValueError(f"window={window!r} is not one of {', '.join(TUNNEL_METRIC_WINDOWS)}")
    with lookup_client() as client:
        metrics = client.get_tunnel_metrics(id, window=window, frontdoor_id=frontdoor_id)
    return GetIpsecTunnelMetricsResult(
        id=metrics.id,
        window=metrics.window,
        step_seconds=metrics.step_seconds,
        datapoints=_points(metrics.datapoints),
    )


def get_ipsec_share_metrics(
    id: str, duration: str | None = None, frontdoor_id: str | None = None
) -> GetIpsecShareMetricsResult:
    """A share's traffic over ``duration`` (for example 15m or 1h; the API's default when omitted)."""
    with lookup_client() as client:
        metrics = client.get_share_metrics(id, duration=duration, frontdoor_id=frontdoor_id)
    return GetIpsecShareMetricsResult(
        id=metrics.id,
        duration=metrics.duration,
        step_seconds=metrics.step_seconds,
        datapoints=_points(metrics.datapoints),
    )


def get_ipsec_tunnel_metrics_output(
    id: pulumi.Input[str], window: pulumi.Input[str] = "1h", frontdoor_id: pulumi.Input[str | None] = None
) -> pulumi.Output[GetIpsecTunnelMetricsResult]:
    """``get_ipsec_tunnel_metrics`` over Outputs."""
    return pulumi.Output.all(id, window, frontdoor_id).apply(
        lambda args: run_in_thread(get_ipsec_tunnel_metrics, *args)
    )


def get_ipsec_share_metrics_output(
    id: pulumi.Input[str],
    duration: pulumi.Input[str | None] = None,
    frontdoor_id: pulumi.Input[str | None] = None,
) -> pulumi.Output[GetIpsecShareMetricsResult]:
    """``get_ipsec_share_metrics`` over Outputs."""
    return pulumi.Output.all(id, duration, frontdoor_id).apply(
        lambda args: run_in_thread(get_ipsec_share_metrics, *args)
    )


def _points(points: list[MetricPoint]) -> tuple[IpsecMetricPoint, ...]:
    return tuple(
        IpsecMetricPoint(
            timestamp=p.timestamp,
            bytes_in=p.bytes_in,
            bytes_out=p.bytes_out,
            packets_in=p.packets_in,
            packets_out=p.packets_out,
        )
        for p in points
    )
