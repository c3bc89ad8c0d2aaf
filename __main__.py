"""The main job: one tunnel to a customer data centre and the shares published on it.

Everything is read from stack config, with defaults that work against the local emulator:
  pulumi config set tunnelName customer-a-dc1
  pulumi config set peerPublicIp 203.0.113.1
  pulumi config set peerCidr 172.31.0.0/16
  pulumi config set --path 'shares[0].target' 10.20.100.1:8443   # etc.
"""

import pulumi

from fdipsec_pulumi import IpsecShare, IpsecShareArgs, IpsecTunnel, IpsecTunnelArgs

DEFAULT_SHARES = [
    {"name": "app-db", "target": "10.20.100.1:8443", "ingressPort": 8443},
    {"name": "app-api", "target": "10.20.100.2:443", "ingressPort": 443},
    {"name": "app-metrics", "target": "10.20.100.3:9100", "ingressPort": 9100},
]

config = pulumi.Config()

tunnel = IpsecTunnel(
    "dc1",
    IpsecTunnelArgs(
        name=config.get("tunnelName") or "customer-a-dc1",
        peer_public_ip=config.get("peerPublicIp") or "203.0.113.1",
        peer_cidr=config.get("peerCidr") or "172.31.0.0/16",
        location_id=config.get("locationId"),
    ),
)

env_z_id = config.get("envZId") or "ijcrWb-ZOq"
share_specs = config.get_object("shares") or DEFAULT_SHARES
shares = {
    spec["name"]: IpsecShare(
        spec["name"],
        IpsecShareArgs(
            name=spec["name"],
            ipsec_tunnel_id=tunnel.id,
            env_z_id=spec.get("envZId", env_z_id),
            target=spec["target"],
            ingress_port=int(spec["ingressPort"]),
        ),
    )
    for spec in share_specs
}

pulumi.export("tunnelId", tunnel.id)
pulumi.export("tunnelStatus", tunnel.status)
pulumi.export("locationId", tunnel.location_id)
pulumi.export("nlbDnsName", tunnel.nlb_dns_name)
pulumi.export("nlbPrivateIp", tunnel.nlb_private_ip)
pulumi.export("vpnConnectionId", tunnel.vpn_connection_id)
pulumi.export("sampleConfig", tunnel.sample_config)
pulumi.export("shares", {name: share.id for name, share in shares.items()})
