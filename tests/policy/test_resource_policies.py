"""The advisory policies that judge one resource: protection, the peer's address, a share's target."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.policy.engine import UNKNOWN, VPC, policy, resource, run_resource, share, tunnel

DOCS = Path(__file__).resolve().parents[2] / "docs" / "policy.md"


def test_an_unprotected_tunnel_is_named_with_what_to_do() -> None:
    (message,) = run_resource("ipsec-tunnel-not-protected", tunnel("dc1")).messages

    assert message.startswith("IpsecTunnel 'dc1' (name 'dc1-api') is not protected")
    assert "opts=pulumi.ResourceOptions(protect=True)" in message


def test_protected_tunnels_shares_and_other_resources_pass() -> None:
    for record in (
        tunnel("dc1", protect=True),
        share("s"),
        resource(VPC, "vpc", {"cidrBlock": "10.0.0.0/16"}),
    ):
        assert run_resource("ipsec-tunnel-not-protected", record).violations == []


def test_an_exempt_tunnel_need_not_be_protected() -> None:
    outcome = run_resource("ipsec-tunnel-not-protected", tunnel("lab"), {"exemptResources": ["lab"]})

    assert outcome.violations == []


@pytest.mark.parametrize(
    ("peer", "block"),
    [("10.0.0.1", "10.0.0.0/8"), ("192.168.1.1", "192.168.0.0/16"), ("100.64.0.9", "100.64.0.0/10")],
)
def test_a_peer_address_nobody_can_reach(peer: str, block: str) -> None:
    (message,) = run_resource("ipsec-tunnel-peer-unreachable", tunnel("dc1", peerPublicIp=peer)).messages

    assert message.startswith(f"IpsecTunnel 'dc1' (name 'dc1-api') has peerPublicIp {peer}, in {block}")


@pytest.mark.parametrize("peer", ["203.0.113.10", "8.8.8.8", "not-an-address"])
def test_public_and_documentation_peers_pass(peer: str) -> None:
    assert run_resource("ipsec-tunnel-peer-unreachable", tunnel("dc1", peerPublicIp=peer)).violations == []


def test_a_public_share_target_is_named_with_what_to_do() -> None:
    (message,) = run_resource("ipsec-share-target-public", share("web", target="8.8.8.8:443")).messages

    assert message.startswith("IpsecShare 'web' has target 8.8.8.8:443, a public address")
    assert "Use the service's private address" in message


@pytest.mark.parametrize(
    "target", ["10.20.100.1:8443", "db.internal:5432", "203.0.113.5:80", "[fd00::1]:443"]
)
def test_private_documentation_and_named_targets_pass(target: str) -> None:
    assert run_resource("ipsec-share-target-public", share("s", target=target)).violations == []


def test_allowed_public_targets_come_from_config() -> None:
    config = {"allowedTargets": ["8.8.8.0/24"]}

    assert run_resource("ipsec-share-target-public", share("s", target="8.8.8.8:53"), config).violations == []
    assert (
        len(run_resource("ipsec-share-target-public", share("s", target="8.8.4.4:53"), config).violations)
        == 1
    )


def test_an_unknown_target_is_not_judged() -> None:
    assert run_resource("ipsec-share-target-public", share("s", target=UNKNOWN)).violations == []
    assert run_resource("ipsec-tunnel-peer-unreachable", tunnel("t", peerPublicIp=UNKNOWN)).violations == []


def test_levels_are_what_docs_policy_md_says() -> None:
    docs = DOCS.read_text()
    for name in (
        "ipsec-tunnel-peer-cidr-overlap",
        "ipsec-tunnel-peer-cidr-overlaps-vpc",
        "ipsec-claim-conflict",
        "ipsec-tunnel-not-protected",
        "ipsec-tunnel-peer-unreachable",
        "ipsec-share-target-public",
    ):
        level = policy(name).enforcement_level
        assert level is not None
        assert f"`{name}` | {level.value}" in docs, name
