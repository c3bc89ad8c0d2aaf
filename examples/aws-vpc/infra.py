"""The wiring of the aws-vpc example, importable so that unit tests can run it under Pulumi's mocks.

The story: a VPC whose workloads use services published through Frontdoor. A VPN appliance in the VPC
(an instance you run, e.g. strongSwan) terminates the IPsec tunnel on an Elastic IP. So:

- the VPC's CIDR is the tunnel's ``peer_cidr`` (the network behind the peer);
- the Elastic IP is the tunnel's ``peer_public_ip`` (the peer's outside address);
- a security group for the appliance admits the VPC's clients on every share's ingress port, taken from
  the shares themselves so a port changed in config cannot drift from the rule;
- a Route53 CNAME gives the tunnel's load balancer a stable name inside the VPC.
"""

from __future__ import annotations

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


def build(config: pulumi.Config) -> dict[str, Any]:
    """Create every resource; returns them by role so ``__main__`` exports and tests inspect the same."""
    prefix = config.get("namePrefix") or "orders"
    tags = {"Project": pulumi.get_project(), "Stack": pulumi.get_stack()}

    vpc = aws.ec2.Vpc(
        "vpc",
        cidr_block=config.get("vpcCidr") or "10.60.0.0/16",
        enable_dns_support=True,
        enable_dns_hostnames=True,
        tags={**tags, "Name": f"{prefix}-vpc"},
    )
    # The appliance's outside address. Associate it with your VPN instance, here or elsewhere.
    peer_ip = aws.ec2.Eip(
        "vpn-peer",
        domain="vpc",
        instance=config.get("vpnInstanceId"),
        tags={**tags, "Name": f"{prefix}-vpn-peer"},
    )

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
        "record": record,
    }
