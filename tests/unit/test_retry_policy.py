"""Backoff arithmetic; the retries themselves are exercised against the emulator in tests/client."""

from __future__ import annotations

from fdipsec_pulumi.client.transport import RetryPolicy


def test_backoff_doubles_caps_and_keeps_half_fixed() -> None:
    policy = RetryPolicy()
    assert [policy.backoff(n, rng=lambda: 1.0) for n in range(1, 7)] == [0.5, 1, 2, 4, 5, 5]
    assert [policy.backoff(n, rng=lambda: 0.0) for n in range(1, 5)] == [0.25, 0.5, 1, 2]


def test_the_default_budget_rides_out_thirty_seconds_of_trouble() -> None:
    # Retries stop on the clock, never on a count: the default budget covers a 30 s outage with room for
    # the last backoff, and a Retry-After at its cap is honoured within it.
    policy = RetryPolicy()
    assert policy.max_elapsed >= 30 + policy.backoff_cap
    assert policy.max_retry_after < policy.max_elapsed
