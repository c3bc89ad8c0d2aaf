from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def no_stack_frontdoor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pack reads the stack's Frontdoor from the engine's config; none unless a test sets one."""
    for name in ("PULUMI_CONFIG", "PULUMI_CONFIG_FDIPSEC_FRONTDOORID", "FDIPSEC_FRONTDOOR_ID"):
        monkeypatch.delenv(name, raising=False)
