"""A Frontdoor IPsec tunnel for an AWS VPC; the wiring lives in infra.py so tests can import it."""

import pulumi
from infra import build

built = build(pulumi.Config())
tunnel = built["tunnel"]

pulumi.export("vpcId", built["vpc"].id)
pulumi.export("peerPublicIp", built["peer_ip"].public_ip)
pulumi.export("tunnelId", tunnel.id)
pulumi.export("nlbDnsName", tunnel.nlb_dns_name)
pulumi.export("nlbPrivateIp", tunnel.nlb_private_ip)
pulumi.export("outsideIpAddress", tunnel.outside_ip_address)
pulumi.export("applianceId", built["appliance"].id)
pulumi.export("serviceName", built["record"].fqdn)
pulumi.export("securityGroupId", built["security_group"].id)
pulumi.export("shares", {name: share.id for name, share in built["shares"].items()})
# Configure the VPN appliance with this (pre-shared key included): pulumi stack output --show-secrets.
pulumi.export("sampleConfig", tunnel.sample_config)
