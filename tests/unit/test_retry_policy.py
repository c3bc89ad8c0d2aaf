"""Backoff arithmetic; the retries themselves are exercised against the emulator in tests/client."""

from __future__ import annotations

from fdipsec_pulumi.client.transport import RetryPolicy


def test_backoff_doubles_caps_and_keeps_half_fixed() -> None:
    policy = RetryPolicy()
    assert [policy.backoff(n, rng=lambda: 1.0) for n in range(1, 7)] == [0.5, 1, 2, 4, 8, 8]
    assert [policy.backoff(n, rng=lambda: 0.0) for n in range(1, 5)] == [0.25, 0.5, 1, 2]


def test_defaults_are_bounded() -> None:
    policy = RetryPolicy()
    assert policy.max_attempts == 5
    assert policy.max_elapsed == 60
    assert policy.max_retry_after == 30
