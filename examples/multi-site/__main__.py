"""One Frontdoor IPsec tunnel per site, each with its shares, all from the `sites` config list."""

import pulumi
from sites import build

built = build(pulumi.Config())

pulumi.export(
    "sites",
    {
        name: {
            "tunnelId": site.tunnel.id,
            "locationId": site.tunnel.location_id,
            "nlbDnsName": site.tunnel.nlb_dns_name,
            "nlbPrivateIp": site.tunnel.nlb_private_ip,
            "shares": {share_name: share.id for share_name, share in site.shares.items()},
        }
        for name, site in built.items()
    },
)
# Each site's VPN configuration, pre-shared key included: secret.
pulumi.export("sampleConfigs", {name: site.tunnel.sample_config for name, site in built.items()})
