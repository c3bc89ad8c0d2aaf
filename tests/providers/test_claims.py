"""providers/claims.py: a place declared twice in one deployment, and one already held before a POST."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from fdipsec_pulumi.client.errors import InvalidRequest
from fdipsec_pulumi.client.models import ShareCreate, Status
from fdipsec_pulumi.providers import claims
from fdipsec_pulumi.providers.share_impl import ShareProviderImpl

CLAIM = ShareProviderImpl.operations.claim
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


def declare(owner: str, settled: bool = False, **changes: Any) -> str | None:
    return claims.declared_twice(
        CLAIM, "IpsecShare", "fd-1", {**SHARE, **changes}, f"o/p/s/t::{owner}", settled
    )


@pytest.mark.parametrize("order", [("a", "b"), ("b", "a")])
def test_between_two_newcomers_the_second_checked_is_refused_naming_both_in_name_order(
    order: tuple[str, str],
) -> None:
    first, second = order
    assert declare(first) is None
    assert declare(first) is None  # the engine checks a replaced resource twice
    assert declare(second) == (
        "ingressPort 5432 is declared by IpsecShare 'a' and 'b' in this program; "
        "the API allows one share per tunnel and ingress port"
    )


def test_a_resource_in_state_keeps_its_port_and_the_newcomer_is_refused() -> None:
    assert declare("first", settled=True) is None
    reason = declare("second")
    assert reason == (
        "ingressPort 5432 is held by IpsecShare 'first', already deployed with it, so IpsecShare 'second' "
        "cannot have it; the API allows one share per tunnel and ingress port"
    )
    assert declare("first", settled=True) is None  # checked again, in the same process: still its own


def test_a_resource_in_state_checked_after_the_newcomer_is_not_refused() -> None:
    # The newcomer could not know yet; the Frontdoor's listing refuses it (providers/base.py).
    assert declare("second") is None
    assert declare("first", settled=True) is None


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
