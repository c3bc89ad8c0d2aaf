"""Which Frontdoor a tunnel belongs to, as its provider will decide at create.

A tunnel without ``frontdoorId`` goes to the stack's ``fdipsec:frontdoorId`` (or ``FDIPSEC_FRONTDOOR_ID``,
as the provider reads it); the pack is given the stack's config, so it can place those tunnels too, and
two tunnels compare as of one Frontdoor when either names it.
"""

from __future__ import annotations

import os

import pulumi.runtime

from fdipsec_pulumi.policy.records import Record, Unknown, read

STACK_DEFAULT = ""
"""The key of tunnels that go to a Frontdoor the pack is not told (no ``frontdoorId``, no stack config)."""


def stack_default() -> str | None:
    """The stack's own Frontdoor: the pack's process is given the stack's config by the engine."""
    configured = pulumi.runtime.get_config("fdipsec:frontdoorId") or os.environ.get("FDIPSEC_FRONTDOOR_ID")
    if not isinstance(configured, str):
        return None
    return configured.strip() or None


def frontdoor_of(record: Record, default: str | None) -> str | Unknown:
    """The Frontdoor's id, or ``STACK_DEFAULT`` when neither the tunnel nor the stack names one."""
    explicit = read(record, "frontdoorId")
    if isinstance(explicit, Unknown):
        return explicit
    if isinstance(explicit, str) and explicit.strip():
        return explicit.strip()
    return default or STACK_DEFAULT


def phrase(frontdoor: str) -> str:
    return (
        f"Frontdoor {frontdoor}"
        if frontdoor != STACK_DEFAULT
        else "the stack's Frontdoor (fdipsec:frontdoorId)"
    )
