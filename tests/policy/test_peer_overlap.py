"""ipsec-tunnel-peer-cidr-overlap: tunnels of one Frontdoor whose peer networks overlap."""

from __future__ import annotations

import json

import pytest

from tests.policy.engine import UNKNOWN, VPC, resource, run_stack, tunnel

POLICY = "ipsec-tunnel-peer-cidr-overlap"


def test_an_overlap_names_both_tunnels_their_networks_and_the_shared_block() -> None:
    outcome = run_stack(POLICY, [tunnel("dc2", "172.31.128.0/17"), tunnel("dc1", "172.31.0.0/16")])

    (message,) = outcome.messages
    assert message.startswith(
        "IpsecTunnel 'dc1' (name 'dc1-api', peerCidr 172.31.0.0/16) and IpsecTunnel 'dc2' "
        "(name 'dc2-api', peerCidr 172.31.128.0/17) are tunnels of the stack's Frontdoor "
        "(fdipsec:frontdoorId) whose peer networks overlap in 172.31.128.0/17"
    )
    assert "change peerCidr on one of them" in message
    assert (
        outcome.violations[0][1]
        == "urn:pulumi:test::guardrails::pulumi-python:dynamic/fdipsec:IpsecTunnel::dc2"
    )
    assert outcome.deferred is None


def test_every_overlapping_pair_is_reported_once() -> None:
    outcome = run_stack(
        POLICY, [tunnel("a", "10.0.0.0/8"), tunnel("b", "10.1.0.0/16"), tunnel("c", "10.1.2.0/24")]
    )

    assert [m.split(" are tunnels")[0].count("IpsecTunnel") for m in outcome.messages] == [2, 2, 2]
    assert len(outcome.messages) == 3


def test_identical_networks_overlap_and_host_bits_are_read_as_the_api_reads_them() -> None:
    outcome = run_stack(POLICY, [tunnel("a", "192.168.10.1/24"), tunnel("b", "192.168.10.0/24")])

    assert len(outcome.messages) == 1
    assert "overlap in 192.168.10.0/24" in outcome.messages[0]


def test_adjacent_networks_do_not_overlap() -> None:
    outcome = run_stack(POLICY, [tunnel("a", "172.31.0.0/17"), tunnel("b", "172.31.128.0/17")])

    assert outcome.violations == []
    assert outcome.deferred is None


def test_tunnels_of_different_frontdoors_may_overlap() -> None:
    outcome = run_stack(POLICY, [tunnel("a", frontdoorId="fd-east"), tunnel("b", frontdoorId="fd-west")])

    assert outcome.violations == []


def test_a_tunnel_without_frontdoor_id_is_of_the_stacks_frontdoor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_CONFIG", json.dumps({"fdipsec:frontdoorId": "fd-east"}))

    outcome = run_stack(
        POLICY, [tunnel("a"), tunnel("b", frontdoorId="fd-east"), tunnel("c", frontdoorId="x")]
    )

    (message,) = outcome.messages
    assert "IpsecTunnel 'a' (name 'a-api', peerCidr 172.31.0.0/16) and IpsecTunnel 'b'" in message
    assert "are tunnels of Frontdoor fd-east" in message


def test_an_unknown_peer_cidr_leaves_the_rest_checked_and_is_named() -> None:
    outcome = run_stack(POLICY, [tunnel("a"), tunnel("b", "172.31.1.0/24"), tunnel("later", UNKNOWN)])

    assert len(outcome.messages) == 1
    assert outcome.deferred == "string value at .later.peerCidr can't be known during preview"


def test_an_unknown_peer_cidr_alone_is_nothing_to_defer() -> None:
    assert run_stack(POLICY, [tunnel("later", UNKNOWN)]).deferred is None


def test_exempt_resources_are_left_alone() -> None:
    resources = [tunnel("a"), tunnel("b"), tunnel("c", "10.9.0.0/16")]

    assert run_stack(POLICY, resources, {"exemptResources": ["b"]}).violations == []
    assert run_stack(POLICY, resources, {"exemptResources": [resources[0].urn]}).violations == []
    assert len(run_stack(POLICY, resources, {"exemptResources": ["c"]}).violations) == 1


def test_resources_that_are_not_tunnels_are_not_compared() -> None:
    outcome = run_stack(POLICY, [tunnel("a"), resource(VPC, "vpc", {"cidrBlock": "172.31.0.0/16"})])

    assert outcome.violations == []
