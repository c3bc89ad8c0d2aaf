"""The wiring of the aws-vpc example, importable so that unit tests can run it under Pulumi's mocks.

The story: a VPC whose workloads use services published through Frontdoor. A VPN appliance in the VPC
(an instance you run, e.g. strongSwan) terminates the IPsec tunnel on an Elastic IP. So:

- the VPC's CIDR is the tunnel's ``peer_cidr`` (the network behind the peer);
- the Elastic IP is the tunnel's ``peer_public_ip`` (the peer's outside address); it is associated with
  the appliance separately, because the appliance's user data needs the tunnel that needs the address;
- the appliance's IKE security group admits UDP 500 and 4500 from the tunnel's ``outside_ip_address``
  only, and a second group admits the VPC's clients on every share's ingress port, taken from the
  shares themselves so a port changed in config cannot drift from the rule;
- the tunnel's sample configuration (it holds the pre-shared key) reaches the appliance as its user
  data, secret from end to end;
- a Route53 CNAME gives the tunnel's load balancer a stable name inside the VPC.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from fdipsec_pulumi import IpsecShare, IpsecShareArgs, IpsecTunnel, IpsecTunnelArgs

DEFAULT_SHARES: list[dict[str, Any]] = [
    {"name": "orders-db", "target": "10.20.100.1:5432", "ingressPort": 5432},
    {"name": "orders-api", "target": "10.20.100.2:443", "ingressPort": 443},
]
DEFAULT_ENV_Z_ID = "ijcrWb-ZOq"
# IKE, and IKE with NAT traversal (which also carries ESP): what the peer's side sends the appliance.
IKE_PORTS = (500, 4500)
# Canonical's Ubuntu 22.04 images, when no applianceAmi is configured.
UBUNTU_OWNER = "099720109477"
UBUNTU_IMAGES = "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-*"


@dataclass(frozen=True)
class ShareSpec:
    name: str
    target: str
    ingress_port: int
    env_z_id: str


def share_specs(raw: list[dict[str, Any]], env_z_id: str) -> list[ShareSpec]:
    """Config entries as typed specs; ports arrive as JSON numbers or strings, both become int."""
    return [
        ShareSpec(
            name=str(entry["name"]),
            target=str(entry["target"]),
            ingress_port=int(entry["ingressPort"]),
            env_z_id=str(entry.get("envZId") or env_z_id),
        )
        for entry in raw
    ]


def appliance_user_data(sample_config: str) -> str:
    """A boot script that leaves the sample configuration where the appliance's setup finds it, readable
    by root only."""
    return (
        "#!/bin/sh\n"
        "umask 077\n"
        "mkdir -p /etc/fdipsec\n"
        "cat > /etc/fdipsec/sample-config.txt <<'FDIPSEC_SAMPLE_CONFIG'\n"
        f"{sample_config.rstrip()}\n"
        "FDIPSEC_SAMPLE_CONFIG\n"
    )


def first_subnet(vpc_cidr: str) -> str:
    """The VPC's first /24, for the appliance's public subnet."""
    return str(next(ipaddress.ip_network(vpc_cidr).subnets(new_prefix=24)))


def build(config: pulumi.Config) -> dict[str, Any]:
    """Create every resource; returns them by role so ``__main__`` exports and tests inspect the same."""
    prefix = config.get("namePrefix") or "orders"
    tags = {"Project": pulumi.get_project(), "Stack": pulumi.get_stack()}

    vpc_cidr = config.get("vpcCidr") or "10.60.0.0/16"
    vpc = aws.ec2.Vpc(
        "vpc",
        cidr_block=vpc_cidr,
        enable_dns_support=True,
        enable_dns_hostnames=True,
        tags={**tags, "Name": f"{prefix}-vpc"},
    )
    # The appliance's outside address, allocated first: the tunnel needs it before the appliance exists.
    peer_ip = aws.ec2.Eip("vpn-peer", domain="vpc", tags={**tags, "Name": f"{prefix}-vpn-peer"})

    tunnel = IpsecTunnel(
        "tunnel",
        IpsecTunnelArgs(
            name=f"{prefix}-aws",
            peer_public_ip=peer_ip.public_ip,
            peer_cidr=vpc.cidr_block,
            location_id=config.get("locationId"),
        ),
    )
    specs = share_specs(
        config.get_object("shares") or DEFAULT_SHARES, config.get("envZId") or DEFAULT_ENV_Z_ID
    )
    shares = {
        spec.name: IpsecShare(
            spec.name,
            IpsecShareArgs(
                name=spec.name,
                ipsec_tunnel_id=tunnel.id,
                env_z_id=spec.env_z_id,
                target=spec.target,
                ingress_port=spec.ingress_port,
            ),
        )
        for spec in specs
    }

    # The appliance: a public subnet (the Elastic IP needs a route to the internet), a group that admits
    # IKE from Frontdoor's side of the tunnel and nothing else from outside, and the sample
    # configuration as user data.
    gateway = aws.ec2.InternetGateway("vpn", vpc_id=vpc.id, tags={**tags, "Name": f"{prefix}-vpn"})
    subnet = aws.ec2.Subnet(
        "vpn",
        vpc_id=vpc.id,
        cidr_block=config.get("applianceSubnetCidr") or first_subnet(vpc_cidr),
        tags={**tags, "Name": f"{prefix}-vpn"},
    )
    routes = aws.ec2.RouteTable(
        "vpn",
        vpc_id=vpc.id,
        routes=[aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", gateway_id=gateway.id)],
        tags={**tags, "Name": f"{prefix}-vpn"},
    )
    aws.ec2.RouteTableAssociation("vpn", subnet_id=subnet.id, route_table_id=routes.id)
    ike_group = aws.ec2.SecurityGroup(
        "vpn-ike",
        vpc_id=vpc.id,
        description="IKE (UDP 500 and 4500) from the Frontdoor side of the IPsec tunnel only",
        ingress=[
            aws.ec2.SecurityGroupIngressArgs(
                description=f"IKE from Frontdoor, UDP {port}",
                protocol="udp",
                from_port=port,
                to_port=port,
                cidr_blocks=[tunnel.outside_ip_address.apply(lambda ip: f"{ip}/32")],
            )
            for port in IKE_PORTS
        ],
        egress=[
            aws.ec2.SecurityGroupEgressArgs(protocol="-1", from_port=0, to_port=0, cidr_blocks=["0.0.0.0/0"])
        ],
        tags={**tags, "Name": f"{prefix}-vpn-ike"},
    )

    security_group = aws.ec2.SecurityGroup(
        "frontdoor-shares",
        vpc_id=vpc.id,
        description="Clients in the VPC reach the Frontdoor IPsec shares through the VPN appliance",
        ingress=[
            aws.ec2.SecurityGroupIngressArgs(
                description=f"IPsec share {name}",
                protocol="tcp",
                from_port=share.ingress_port,
                to_port=share.ingress_port,
                cidr_blocks=[vpc.cidr_block],
            )
            for name, share in shares.items()
        ],
        egress=[
            aws.ec2.SecurityGroupEgressArgs(protocol="-1", from_port=0, to_port=0, cidr_blocks=["0.0.0.0/0"])
        ],
        tags={**tags, "Name": f"{prefix}-frontdoor-shares"},
    )

    ami = (
        config.get("applianceAmi")
        or aws.ec2.get_ami_output(
            most_recent=True,
            owners=[UBUNTU_OWNER],
            filters=[aws.ec2.GetAmiFilterArgs(name="name", values=[UBUNTU_IMAGES])],
        ).id
    )
    appliance = aws.ec2.Instance(
        "vpn-appliance",
        ami=ami,
        instance_type=config.get("applianceInstanceType") or "t3.small",
        subnet_id=subnet.id,
        vpc_security_group_ids=[ike_group.id, security_group.id],
        # It forwards the VPC's traffic into the tunnel, so it sends from addresses that are not its own.
        source_dest_check=False,
        # The sample configuration holds the pre-shared key. It is secret already; saying so here keeps
        # it secret should the wiring change, and the engine keeps the output of a secret input secret.
        user_data=pulumi.Output.secret(tunnel.sample_config.apply(appliance_user_data)),
        tags={**tags, "Name": f"{prefix}-vpn-appliance"},
    )
    association = aws.ec2.EipAssociation(
        "vpn-peer", allocation_id=peer_ip.allocation_id, instance_id=appliance.id
    )

    zone_id: pulumi.Input[str]
    zone_name = config.get("zoneName") or "frontdoor.internal"
    if existing := config.get("zoneId"):
        zone_id = existing
    else:
        zone = aws.route53.Zone(
            "internal",
            name=zone_name,
            comment="Private names for the Frontdoor IPsec tunnel",
            vpcs=[aws.route53.ZoneVpcArgs(vpc_id=vpc.id)],
            tags=tags,
        )
        zone_id = zone.zone_id
    record = aws.route53.Record(
        "frontdoor",
        zone_id=zone_id,
        name=f"{config.get('recordName') or prefix}.{zone_name}",
        type="CNAME",
        ttl=300,
        records=[tunnel.nlb_dns_name],
    )

    return {
        "vpc": vpc,
        "peer_ip": peer_ip,
        "tunnel": tunnel,
        "shares": shares,
        "security_group": security_group,
        "ike_group": ike_group,
        "appliance": appliance,
        "eip_association": association,
        "record": record,
    }
