"""The smallest useful stack: one tunnel to a remote site and one service published on it.

Every value comes from stack config, with defaults that work against the local emulator:
  pulumi config set peerPublicIp 198.51.100.20
  pulumi config set peerCidr 10.50.0.0/16
  pulumi config set shareTarget 10.50.1.10:5432
  pulumi config set shareIngressPort 5432
"""

import pulumi

from fdipsec_pulumi import IpsecShare, IpsecShareArgs, IpsecTunnel, IpsecTunnelArgs

config = pulumi.Config()

tunnel = IpsecTunnel(
    "site",
    IpsecTunnelArgs(
        name=config.get("tunnelName") or "basic-site",
        peer_public_ip=config.get("peerPublicIp") or "203.0.113.10",
        peer_cidr=config.get("peerCidr") or "172.31.0.0/16",
        # Omitted, the API picks a free location; set it to pin one.
        location_id=config.get("locationId"),
    ),
)

share = IpsecShare(
    "app",
    IpsecShareArgs(
        name=config.get("shareName") or "basic-app",
        ipsec_tunnel_id=tunnel.id,
        env_z_id=config.get("envZId") or "ijcrWb-ZOq",
        target=config.get("shareTarget") or "10.20.100.1:8443",
        ingress_port=config.get_int("shareIngressPort") or 8443,
    ),
)

pulumi.export("tunnelId", tunnel.id)
pulumi.export("tunnelStatus", tunnel.status)
pulumi.export("locationId", tunnel.location_id)
pulumi.export("nlbDnsName", tunnel.nlb_dns_name)
pulumi.export("nlbPrivateIp", tunnel.nlb_private_ip)
pulumi.export("shareId", share.id)
pulumi.export("shareStatus", share.status)
# Clients in the peer network reach the service here, through the tunnel.
pulumi.export("endpoint", pulumi.Output.concat(tunnel.nlb_private_ip, ":", share.ingress_port.apply(str)))
# The remote site's VPN configuration, pre-shared key included: secret, shown only with --show-secrets.
pulumi.export("sampleConfig", tunnel.sample_config)
