"""examples/aws-vpc under Pulumi's mocks: the AWS resources feed the tunnel, and the tunnel and shares
feed the security group and the DNS record. (The AWS plugin cannot be installed here, so the example is
never deployed for real; its Frontdoor half is the same code the basic example deploys in tests/e2e.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest
from pulumi.runtime import MockCallArgs, MockResourceArgs

from tests import pulumi_mocks
from tests.pulumi_mocks import SHARE_TYPE, TUNNEL_TYPE, RecordingMocks

from .examples import load

PROJECT = "fdipsec-aws-vpc"
EIP_ADDRESS = "198.51.100.77"
AMI = "ami-0123456789abcdef0"
infra = load("aws-vpc", "infra")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pulumi_aws")


def aws_outputs(args: MockResourceArgs) -> dict[str, Any]:
    """What AWS would add: the EIP's address, the zone's id, the record's name; Frontdoor's as usual."""
    if args.typ == "aws:ec2/eip:Eip":
        return {"publicIp": EIP_ADDRESS, "allocationId": "eipalloc-1"}
    if args.typ == "aws:route53/zone:Zone":
        return {"zoneId": "Z0123456789"}
    if args.typ == "aws:route53/record:Record":
        return {"fqdn": args.inputs["name"]}
    return pulumi_mocks.frontdoor_outputs(args)


class AwsMocks(RecordingMocks):
    """Answers the AMI lookup as AWS would: with an image id."""

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return ({"id": AMI} if args.token == "aws:ec2/getAmi:getAmi" else {}), []


@pytest.fixture
def mocks() -> Iterator[RecordingMocks]:
    mocks = AwsMocks(aws_outputs)
    pulumi_mocks.install(mocks, project=PROJECT)
    yield mocks
    pulumi_mocks.uninstall()


def settled(built: dict[str, Any]) -> pulumi.Output[Any]:
    """An Output that resolves once every resource of the example has been registered."""
    return pulumi.Output.all(
        built["record"].id,
        built["security_group"].id,
        built["appliance"].id,
        built["eip_association"].id,
        *[s.id for s in built["shares"].values()],
    )


@pulumi.runtime.test
def test_defaults_wire_aws_into_the_tunnel_and_back(mocks: RecordingMocks) -> Any:
    built = infra.build(pulumi.Config())

    def check(_: Any) -> None:
        vpc = mocks.named("vpc")
        [tunnel] = mocks.of_type(TUNNEL_TYPE)
        shares = mocks.of_type(SHARE_TYPE)
        group = mocks.named("frontdoor-shares")
        [record] = mocks.of_type("aws:route53/record:Record")
        [zone] = mocks.of_type("aws:route53/zone:Zone")

        assert tunnel.inputs["peerCidr"] == vpc.inputs["cidrBlock"] == "10.60.0.0/16"
        assert tunnel.inputs["peerPublicIp"] == EIP_ADDRESS
        assert len(shares) == 2
        assert {s.inputs["ipsecTunnelId"] for s in shares} == {"tunnel-id"}

        ports = sorted(int(s.inputs["ingressPort"]) for s in shares)
        rules = group.inputs["ingress"]
        assert sorted(int(r["fromPort"]) for r in rules) == ports == [443, 5432]
        for rule in rules:
            assert rule["toPort"] == rule["fromPort"]
            assert rule["protocol"] == "tcp"
            assert rule["cidrBlocks"] == ["10.60.0.0/16"]
        assert group.inputs["vpcId"] == "vpc-id"

        assert record.inputs["type"] == "CNAME"
        assert record.inputs["records"] == ["nlb-tunnel.elb.us-east-1.amazonaws.com"]
        assert record.inputs["zoneId"] == "Z0123456789"
        assert zone.inputs["vpcs"] == [{"vpcId": "vpc-id"}]

    return settled(built).apply(check)


@pulumi.runtime.test
def test_outputs_are_typed(mocks: RecordingMocks) -> Any:
    built = infra.build(pulumi.Config())
    tunnel = built["tunnel"]
    ports = [share.ingress_port for share in built["shares"].values()]

    def check(values: list[Any]) -> None:
        dns_name, peer_ip, *resolved_ports = values
        assert dns_name == "nlb-tunnel.elb.us-east-1.amazonaws.com"
        assert peer_ip == EIP_ADDRESS
        # Numbers cross the engine as doubles; the resource class types them back.
        assert all(type(port) is int for port in resolved_ports), resolved_ports

    return pulumi.Output.all(tunnel.nlb_dns_name, tunnel.peer_public_ip, *ports).apply(check)


@pulumi.runtime.test
def test_config_drives_cidr_shares_and_existing_zone(mocks: RecordingMocks) -> Any:
    shares = [{"name": "git", "target": "10.20.1.1:22", "ingressPort": "2222"}]
    config = {
        f"{PROJECT}:vpcCidr": "10.70.0.0/16",
        f"{PROJECT}:shares": json.dumps(shares),
        f"{PROJECT}:zoneId": "ZEXISTING",
        f"{PROJECT}:zoneName": "corp.example",
        f"{PROJECT}:recordName": "fd",
    }
    with pulumi_mocks.stack_config(config):
        built = infra.build(pulumi.Config())

    def check(_: Any) -> None:
        [tunnel] = mocks.of_type(TUNNEL_TYPE)
        [share] = mocks.of_type(SHARE_TYPE)
        group = mocks.named("frontdoor-shares")
        [record] = mocks.of_type("aws:route53/record:Record")
        assert tunnel.inputs["peerCidr"] == "10.70.0.0/16"
        assert (share.inputs["name"], share.inputs["ingressPort"]) == ("git", 2222)
        rules = [(r["fromPort"], r["cidrBlocks"]) for r in group.inputs["ingress"]]
        assert rules == [(2222, ["10.70.0.0/16"])]
        assert mocks.of_type("aws:route53/zone:Zone") == []
        assert (record.inputs["zoneId"], record.inputs["name"]) == ("ZEXISTING", "fd.corp.example")

    return settled(built).apply(check)


@pulumi.runtime.test
def test_appliance_admits_ike_from_the_tunnels_outside_address_only(mocks: RecordingMocks) -> Any:
    built = infra.build(pulumi.Config())

    def check(_: Any) -> None:
        ike = mocks.named("vpn-ike")
        [appliance] = mocks.of_type("aws:ec2/instance:Instance")
        [association] = mocks.of_type("aws:ec2/eipAssociation:EipAssociation")
        outside = pulumi_mocks.MOCK_ENDPOINT["outsideIpAddress"]

        rules = sorted(
            (r["protocol"], r["fromPort"], r["toPort"], r["cidrBlocks"]) for r in ike.inputs["ingress"]
        )
        assert rules == [("udp", 500, 500, [f"{outside}/32"]), ("udp", 4500, 4500, [f"{outside}/32"])]
        groups = {mocks.named("vpn-ike"), mocks.named("frontdoor-shares")}
        assert sorted(appliance.inputs["vpcSecurityGroupIds"]) == sorted(f"{g.name}-id" for g in groups)
        assert (appliance.inputs["subnetId"], appliance.inputs["ami"]) == ("vpn-id", AMI)
        assert association.inputs == {"allocationId": "eipalloc-1", "instanceId": "vpn-appliance-id"}

    return settled(built).apply(check)


@pulumi.runtime.test
def test_sample_config_reaches_the_appliance_as_secret_user_data(mocks: RecordingMocks) -> Any:
    built = infra.build(pulumi.Config())
    appliance = built["appliance"]

    def check(values: list[Any]) -> None:
        user_data, sample, is_secret = values
        assert sample in user_data and user_data.startswith("#!/bin/sh\n")
        assert is_secret, "the appliance's user data holds the pre-shared key and must stay secret"

    return pulumi.Output.all(
        pulumi.Output.unsecret(appliance.user_data),
        pulumi.Output.unsecret(built["tunnel"].sample_config),
        pulumi.Output.from_input(appliance.user_data.is_secret()),
    ).apply(check)
