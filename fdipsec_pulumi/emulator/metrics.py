"""Synthetic traffic series for the metrics endpoints.

Numbers are a hash of (id, time bucket): stable across reads so a client test can assert on them, and
zero unless the resource is DEPLOYED, since traffic only flows through a provisioned tunnel or share.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from fdipsec_pulumi.client.models import (
    TUNNEL_METRIC_WINDOWS,
    MetricPoint,
    ShareMetrics,
    Status,
    TunnelMetrics,
)
from fdipsec_pulumi.emulator.errors import invalid
from fdipsec_pulumi.emulator.records import Record

DURATION_PATTERN = r"^\d+[mhd]$"
DURATION_TYPE = "type duration (<n>m, <n>h or <n>d, from 1m to 90d)"
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400}
_MAX_SECONDS = 90 * 86400
# Steps are chosen so a series has at most this many points.
_MAX_POINTS = 200
_WINDOW_STEPS = {"30m": 60, "1h": 60, "1d": 900, "7d": 3600}


def duration_seconds(duration: str) -> int:
    if not re.fullmatch(DURATION_PATTERN, duration):
        raise invalid("duration", DURATION_TYPE, f"{duration!r} is not a duration")
    seconds = int(duration[:-1]) * _UNIT_SECONDS[duration[-1]]
    if not 0 < seconds <= _MAX_SECONDS:
        raise invalid("duration", DURATION_TYPE, f"{duration!r} is out of range")
    return seconds


def tunnel_metrics(record: Record, window: str, now: float) -> TunnelMetrics:
    if window not in TUNNEL_METRIC_WINDOWS:
        raise invalid("window", "one of " + ", ".join(TUNNEL_METRIC_WINDOWS), f"{window!r} is not supported")
    step = _WINDOW_STEPS[window]
    span = duration_seconds(window)
    return TunnelMetrics(
        id=record.id, window=window, step_seconds=step, datapoints=_series(record, span, step, now)
    )


def share_metrics(record: Record, duration: str, now: float) -> ShareMetrics:
    span = duration_seconds(duration)
    step = max(60, -(-span // _MAX_POINTS // 60) * 60)
    return ShareMetrics(
        id=record.id, duration=duration, step_seconds=step, datapoints=_series(record, span, step, now)
    )


def _series(record: Record, span: int, step: int, now: float) -> list[MetricPoint]:
    end = int(now) // step * step
    points = []
    for bucket in range(end - span + step, end + step, step):
        sample = hashlib.sha256(f"{record.id}:{bucket}".encode()).digest()
        scale = 1 if record.status == Status.DEPLOYED else 0
        bytes_in = int.from_bytes(sample[:3]) * scale
        bytes_out = int.from_bytes(sample[3:6]) * scale
        points.append(
            MetricPoint(
                timestamp=datetime.fromtimestamp(bucket, UTC).isoformat().replace("+00:00", "Z"),
                bytes_in=bytes_in,
                bytes_out=bytes_out,
                packets_in=bytes_in // 1200,
                packets_out=bytes_out // 1200,
            )
        )
    return points
