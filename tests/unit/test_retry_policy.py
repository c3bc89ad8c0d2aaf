"""Backoff arithmetic; the retries themselves are exercised against the emulator in tests/client."""

from __future__ import annotations

from fdipsec_pulumi.client.transport import RetryPolicy


def test_backoff_doubles_caps_and_keeps_half_fixed() -> None:
    policy = RetryPolicy()
    assert [policy.backoff(n, rng=lambda: 1.0) for n in range(1, 7)] == [0.5, 1, 2, 4, 8, 8]
    assert [policy.backoff(n, rng=lambda: 0.0) for n in range(1, 5)] == [0.25, 0.5, 1, 2]


def test_defaults_leave_every_retry_inside_the_budget() -> None:
    # Even at the top of its jitter, the default schedule sleeps through all its attempts well inside the
    # elapsed budget, so the attempt count, not the clock, is what ends a hopeless call.
    policy = RetryPolicy()
    worst = [policy.backoff(n, rng=lambda: 1.0) for n in range(1, policy.max_attempts)]
    assert worst == sorted(worst) and max(worst) <= policy.backoff_cap
    assert sum(worst) < policy.max_elapsed
    # A Retry-After at the cap is honoured once and still leaves room for another attempt.
    assert policy.max_retry_after < policy.max_elapsed
