"""providers/claims.py: a place declared twice in one deployment, and one already held before a POST."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from fdipsec_pulumi.client.errors import InvalidRequest
from fdipsec_pulumi.client.models import ShareCreate, Status
from fdipsec_pulumi.providers import claims
from fdipsec_pulumi.providers.share import ShareProvider

CLAIM = ShareProvider.operations.claim
SHARE = {
    "name": "db",
    "ipsecTunnelId": "tnl-1",
    "envZId": "z",
    "target": "10.0.0.1:5432",
    "ingressPort": 5432,
}


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    """The registry is per provider process; each test starts with an empty one."""
    claims._declared.clear()
    claims._places.clear()
    yield
    claims._declared.clear()
    claims._places.clear()


def declare(owner: str, **changes: Any) -> str | None:
    return claims.declared_twice(CLAIM, "IpsecShare", "fd-1", {**SHARE, **changes}, f"o/p/s/t::{owner}")


def test_the_second_resource_declaring_a_port_is_refused_naming_the_first() -> None:
    assert declare("a") is None
    assert declare("a") is None  # the engine checks a replaced resource twice
    reason = declare("b")
    assert reason is not None and reason.startswith("ingressPort 5432 is also declared by IpsecShare 'a'")


def test_a_port_is_free_again_once_its_resource_declares_another() -> None:
    assert declare("a") is None
    assert declare("a", ingressPort=8443) is None
    assert declare("b") is None
    assert declare("c", ingressPort=8443) is not None


def test_other_tunnels_and_unknown_values_claim_nothing_in_common() -> None:
    assert declare("a") is None
    assert declare("b", ipsecTunnelId="tnl-2") is None
    assert declare("c", ipsecTunnelId=None) is None  # a tunnel not created yet: unknown at preview


def listing(*found: Any) -> claims.Listing:
    return lambda filters: [item for item in found if item.filters == filters]


def held(status: Status) -> Any:
    filters = {"ipsecTunnelId": "tnl-1", "ingressPort": "5432"}
    return SimpleNamespace(id="shr-9", name="theirs", status=status, filters=filters)


def test_a_port_held_by_another_share_refuses_the_create_before_its_post() -> None:
    body = ShareCreate.model_validate(SHARE)
    refusal = claims.claim_conflict(CLAIM, "IpsecShare", "share", body, listing(held(Status.ERROR)))
    assert isinstance(refusal, InvalidRequest)
    assert "ingressPort 5432 is already taken by share shr-9 ('theirs', ERROR)" in str(refusal)
    assert "Nothing was written" in str(refusal)


def test_a_deleted_share_holds_nothing() -> None:
    body = ShareCreate.model_validate(SHARE)
    assert claims.claim_conflict(CLAIM, "IpsecShare", "share", body, listing(held(Status.DELETED))) is None
