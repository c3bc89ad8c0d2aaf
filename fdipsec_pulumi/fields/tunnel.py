"""The IpsecTunnel's fields (seed 000). The API has no tunnel update, so every input replaces."""

from __future__ import annotations

from fdipsec_pulumi.fields.table import Change, Derived, Field, Input, Source, Table

EXAMPLE = """\
import pulumi
from fdipsec_pulumi import IpsecTunnel, IpsecTunnelArgs

tunnel = IpsecTunnel(
    "dc1",
    IpsecTunnelArgs(name="customer-a-dc1", peer_public_ip="203.0.113.1", peer_cidr="172.31.0.0/16"),
)
pulumi.export("outsideIpAddress", tunnel.outside_ip_address)
pulumi.export("sampleConfig", tunnel.sample_config)  # secret: it holds the pre-shared key
"""

TUNNEL = Table(
    kind="IpsecTunnel",
    noun="tunnel",
    description="A Frontdoor IPsec tunnel: the managed VPN endpoint that IPsec shares are published on.",
    create_model="TunnelCreate",
    response_model="Tunnel",
    example=EXAMPLE,
    fields=(
        Field("id", "str", "The tunnel's id.", state=False),
        Field(
            "name",
            "str",
            "A recognizable name for the tunnel.",
            input=Input.REQUIRED,
            change=Change.REPLACE,
            validator="TunnelName",
            rule="one line, not blank, at most 255 characters",
        ),
        Field(
            "frontdoorId",
            "str",
            "The Frontdoor the tunnel belongs to.",
            input=Input.OPTIONAL,
            change=Change.REPLACE,
            default="the stack's `fdipsec:frontdoorId`",
            rule="not blank",
            server_filled=True,
            path=True,
        ),
        Field(
            "locationId",
            "str",
            "Where the tunnel is deployed; one tunnel per Frontdoor and location.",
            input=Input.OPTIONAL,
            change=Change.REPLACE,
            default="the API picks one",
            validator="Identifier",
            rule="not blank",
            server_filled=True,
        ),
        Field("status", "str", "NEW, DEPLOYED, ERROR, DELETING or DELETED.", model_type="Status"),
        Field(
            "peerPublicIp",
            "str",
            "The public IPv4 address of the remote site's IPsec device.",
            input=Input.REQUIRED,
            change=Change.REPLACE,
            validator="PublicIPv4",
            rule="a publicly routable IPv4 address",
        ),
        Field(
            "peerCidr",
            "str",
            "The CIDR block behind the peer, e.g. ``172.31.0.0/16``.",
            input=Input.REQUIRED,
            change=Change.REPLACE,
            validator="IPv4Cidr",
            rule="an IPv4 network a.b.c.d/n with no host bits set, /8 or narrower",
        ),
        Field(
            "nlbPrivateIp",
            "str",
            "The private IP of the tunnel's load balancer.",
            input=Input.OPTIONAL,
            change=Change.REPLACE,
            default="the API picks a free address",
            validator="PrivateIPv4",
            rule="a private IPv4 address",
            server_filled=True,
        ),
        Field(
            "nlbDnsName",
            "str",
            "The DNS name of the tunnel's load balancer.",
            nullable=True,
            deployed_only=True,
        ),
        Field(
            "vpnConnectionId",
            "str",
            "The id of the managed VPN connection.",
            nullable=True,
            deployed_only=True,
        ),
        Field(
            "statusMessage",
            "str",
            "Why the tunnel is in ERROR, when it is.",
            state=False,
            nullable=True,
        ),
        Field(
            "tunnelConfig",
            "IpsecTunnelConfig",
            "The AWS-side endpoint a peer needs: outside address, inside CIDR, IKE and IPsec parameters.",
            source=Source.CONFIG,
            deployed_only=True,
        ),
        Field(
            "sampleConfig",
            "str",
            "The vendor-style VPN configuration for the remote site. It holds the pre-shared key: "
            "always secret.",
            source=Source.SAMPLE,
            secret=True,
            lookup=False,
            deployed_only=True,
        ),
    ),
    derived=(
        Derived(
            "outside_ip_address", "The AWS-side outside address: where the peer sends IKE (UDP 500, 4500)."
        ),
        Derived("inside_cidr", "The /30 link network inside the tunnel (169.254.x.y/30)."),
    ),
)
