"""ipsec-tunnel-peer-cidr-overlaps-vpc: a tunnel's peer network over a VPC or subnet of the same stack.

No AWS plugin runs here, so the records are what the engine would show the pack for pulumi-aws,
pulumi-awsx and pulumi-aws-native resources: their type tokens and API property names.
"""

from __future__ import annotations

from pulumi_policy import PolicyResource

from tests.policy.engine import SUBNET, UNKNOWN, VPC, Outcome, resource, run_stack, tunnel

POLICY = "ipsec-tunnel-peer-cidr-overlaps-vpc"


def vpc(name: str = "vpc", cidr: object = "10.60.0.0/16", **values: object) -> PolicyResource:
    return resource(VPC, name, {"cidrBlock": cidr, "enableDnsSupport": True, **values})


def test_a_peer_network_inside_the_stacks_vpc_is_refused_with_both_values() -> None:
    outcome = run_stack(POLICY, [vpc(), tunnel("dc1", "10.60.8.0/24")])

    (message,) = outcome.messages
    assert message.startswith(
        "IpsecTunnel 'dc1' (name 'dc1-api') has peerCidr 10.60.8.0/24, which overlaps Vpc 'vpc' "
        "(cidrBlock 10.60.0.0/16) in 10.60.8.0/24"
    )
    assert "Use a peer network outside the stack's VPCs" in message
    assert outcome.violations[0][1] == tunnel("dc1").urn


def test_a_subnet_counts_as_well() -> None:
    subnet = resource(SUBNET, "private-a", {"cidrBlock": "10.61.1.0/24", "vpcId": "vpc-0123"})

    outcome = run_stack(POLICY, [subnet, tunnel("dc1", "10.61.0.0/16")])

    (message,) = outcome.messages
    assert "overlaps Subnet 'private-a' (cidrBlock 10.61.1.0/24) in 10.61.1.0/24" in message


def test_networks_apart_pass() -> None:
    outcome = run_stack(POLICY, [vpc(), tunnel("dc1", "172.31.0.0/16")])

    assert outcome.violations == []
    assert outcome.deferred is None


def test_a_vpc_whose_cidr_is_unknown_at_preview_defers_and_the_known_rest_is_still_checked() -> None:
    later = vpc("later", UNKNOWN)
    subnet = resource(SUBNET, "known", {"cidrBlock": "10.62.0.0/24", "vpcId": UNKNOWN})

    outcome = run_stack(POLICY, [later, subnet, tunnel("dc1", "10.62.0.0/16")])

    (message,) = outcome.messages
    assert "overlaps Subnet 'known'" in message
    assert outcome.deferred == "string value at .later.cidrBlock can't be known during preview"


def test_a_vpc_from_an_ipam_pool_has_no_cidr_at_preview_and_defers() -> None:
    pooled = resource(VPC, "pooled", {"ipv4IpamPoolId": "ipam-pool-0abc", "ipv4NetmaskLength": 20})

    outcome = run_stack(POLICY, [pooled, tunnel("dc1")])

    assert outcome.violations == []
    assert outcome.deferred == "string value at .pooled.cidrBlock can't be known during preview"


def test_once_deployed_the_same_vpc_is_known_and_checked() -> None:
    preview = run_stack(POLICY, [vpc("main", UNKNOWN), tunnel("dc1", "10.60.0.0/16")])
    update = run_stack(POLICY, [vpc("main", "10.60.0.0/16"), tunnel("dc1", "10.60.0.0/16")])

    assert preview.violations == []
    assert preview.deferred is not None
    assert len(update.violations) == 1
    assert update.deferred is None


def test_an_unknown_peer_cidr_defers_only_when_there_are_networks() -> None:
    assert run_stack(POLICY, [tunnel("dc1", UNKNOWN)]).deferred is None
    assert run_stack(POLICY, [vpc(), tunnel("dc1", UNKNOWN)]).deferred == (
        "string value at .dc1.peerCidr can't be known during preview"
    )


def test_the_peers_own_vpc_is_not_compared_with_it() -> None:
    """The aws-vpc example: peer_cidr=vpc.cidr_block says the VPC is the network behind the peer."""
    own = vpc("peer-vpc", "10.60.0.0/16")
    subnet = resource(SUBNET, "peer-subnet", {"cidrBlock": "10.60.1.0/24", "vpcId": "vpc-1"})
    subnet_of_own = resource(
        SUBNET, "peer-subnet", {"cidrBlock": "10.60.1.0/24", "vpcId": "vpc-1"}, computed_from={"vpcId": [own]}
    )
    peer = tunnel("dc1", "10.60.0.0/16", computed_from={"peerCidr": [own]})

    assert run_stack(POLICY, [own, subnet_of_own, peer]).violations == []
    # A subnet of another VPC in the same range is still a second route.
    (message,) = run_stack(POLICY, [own, subnet, peer]).messages
    assert "overlaps Subnet 'peer-subnet'" in message


def test_a_peer_network_taken_from_a_vpc_not_known_yet_is_that_vpcs_and_defers_nothing() -> None:
    """peer_cidr=vpc.cidr_block of a VPC allocated at create: unknown, and only ever the VPC's own block."""
    own = vpc("vpc", "10.60.0.0/16")
    peer = tunnel("tunnel", UNKNOWN, computed_from={"peerCidr": [own]})

    assert run_stack(POLICY, [own, peer]) == Outcome()
    # Another VPC is something the unknown peer network could meet.
    other = vpc("other", "10.90.0.0/16")
    assert run_stack(POLICY, [own, other, peer]).deferred == (
        "string value at .tunnel.peerCidr can't be known during preview"
    )


def test_awsx_aws_native_and_secondary_cidr_types_are_known() -> None:
    records = [
        resource("awsx:ec2:Vpc", "crosswalk", {"cidrBlock": "10.70.0.0/16"}),
        resource("aws-native:ec2:Vpc", "native", {"cidrBlock": "10.71.0.0/16"}),
        resource("aws-native:ec2:Subnet", "native-subnet", {"cidrBlock": "10.72.0.0/24"}),
        resource(
            "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
            "secondary",
            {"cidrBlock": "10.73.0.0/16", "vpcId": "vpc-1"},
        ),
    ]
    tunnels = [tunnel(f"t{i}", f"10.7{i}.0.0/20") for i in range(4)]

    outcome = run_stack(POLICY, [*records, *tunnels])

    assert len(outcome.messages) == 4
    for record in records:
        assert sum(f"'{record.name}'" in m for m in outcome.messages) == 1


def test_a_component_and_the_vpc_it_made_are_named_once() -> None:
    component = resource("awsx:ec2:Vpc", "edge", {"cidrBlock": "10.70.0.0/16"})
    child = resource(VPC, "edge-vpc", {"cidrBlock": "10.70.0.0/16"}, parent=component)

    (message,) = run_stack(POLICY, [component, child, tunnel("dc1", "10.70.0.0/24")]).messages

    assert "overlaps Vpc 'edge' (cidrBlock 10.70.0.0/16)" in message
    # Without its component (a plain pulumi-aws VPC), the VPC is named itself.
    (alone,) = run_stack(POLICY, [child, tunnel("dc1", "10.70.0.0/24")]).messages
    assert "overlaps Vpc 'edge-vpc'" in alone


def test_more_network_types_come_from_config() -> None:
    network = resource("acme:net:Segment", "segment", {"prefix": "10.80.0.0/16"})
    config = {"additionalNetworkTypes": {"acme:net:Segment": ["prefix"]}}

    assert run_stack(POLICY, [network, tunnel("dc1", "10.80.0.0/24")]).violations == []
    (message,) = run_stack(POLICY, [network, tunnel("dc1", "10.80.0.0/24")], config).messages
    assert "Segment 'segment' (prefix 10.80.0.0/16)" in message


def test_exempt_resources_are_left_alone() -> None:
    records = [vpc(), tunnel("dc1", "10.60.0.0/24")]

    assert run_stack(POLICY, records, {"exemptResources": ["vpc"]}).violations == []
    assert run_stack(POLICY, records, {"exemptResources": ["dc1"]}).violations == []
