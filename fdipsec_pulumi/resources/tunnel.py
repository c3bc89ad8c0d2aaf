"""IpsecTunnel: a Frontdoor IPsec tunnel, with its sample VPN configuration as a secret output."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import Resource

from fdipsec_pulumi.contract import TUNNEL_TYPE
from fdipsec_pulumi.providers.tunnel import TunnelProvider
from fdipsec_pulumi.resources.common import (
    NameMap,
    OutputAlias,
    integral,
    owner,
    take_import,
    with_secret_outputs,
)

NAMES = NameMap(
    {
        "name": "name",
        "peer_public_ip": "peerPublicIp",
        "peer_cidr": "peerCidr",
        "location_id": "locationId",
        "nlb_private_ip": "nlbPrivateIp",
        "frontdoor_id": "frontdoorId",
        "status": "status",
        "nlb_dns_name": "nlbDnsName",
        "vpn_connection_id": "vpnConnectionId",
        "tunnel_config": "tunnelConfig",
        "sample_config": "sampleConfig",
    }
)
OUTPUTS = ["status", "nlb_dns_name", "vpn_connection_id", "tunnel_config", "sample_config"]


@pulumi.input_type
class IpsecTunnelArgs:
    def __init__(
        __self__,
        *,
        name: pulumi.Input[str],
        peer_public_ip: pulumi.Input[str],
        peer_cidr: pulumi.Input[str],
        location_id: pulumi.Input[str] | None = None,
        nlb_private_ip: pulumi.Input[str] | None = None,
        frontdoor_id: pulumi.Input[str] | None = None,
    ) -> None:
        """
        :param name: A recognizable name for the tunnel.
        :param peer_public_ip: The public IPv4 address of the remote site's IPsec device.
        :param peer_cidr: The CIDR block behind the peer, e.g. ``172.31.0.0/16``.
        :param location_id: Where to deploy the tunnel; the API picks one when omitted.
        :param nlb_private_ip: A pinned private IP for the load balancer; the API picks one when omitted.
        :param frontdoor_id: Overrides the stack's ``fdipsec:frontdoorId``.
        """
        pulumi.set(__self__, "name", name)
        pulumi.set(__self__, "peer_public_ip", peer_public_ip)
        pulumi.set(__self__, "peer_cidr", peer_cidr)
        pulumi.set(__self__, "location_id", location_id)
        pulumi.set(__self__, "nlb_private_ip", nlb_private_ip)
        pulumi.set(__self__, "frontdoor_id", frontdoor_id)

    @property
    @pulumi.getter
    def name(self) -> pulumi.Input[str]:
        return pulumi.get(self, "name")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="peerPublicIp")
    def peer_public_ip(self) -> pulumi.Input[str]:
        return pulumi.get(self, "peer_public_ip")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="peerCidr")
    def peer_cidr(self) -> pulumi.Input[str]:
        return pulumi.get(self, "peer_cidr")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="locationId")
    def location_id(self) -> pulumi.Input[str] | None:
        return pulumi.get(self, "location_id")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="nlbPrivateIp")
    def nlb_private_ip(self) -> pulumi.Input[str] | None:
        return pulumi.get(self, "nlb_private_ip")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="frontdoorId")
    def frontdoor_id(self) -> pulumi.Input[str] | None:
        return pulumi.get(self, "frontdoor_id")  # type: ignore[no-any-return]

    def values(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in NAMES.to_camel if key not in OUTPUTS}


class IpsecTunnel(Resource, module="fdipsec", name="IpsecTunnel"):
    """A Frontdoor IPsec tunnel: the managed VPN endpoint that IPsec shares are published on."""

    name: pulumi.Output[str]
    peer_public_ip = OutputAlias[str]("peerPublicIp")
    peer_cidr = OutputAlias[str]("peerCidr")
    frontdoor_id = OutputAlias[str]("frontdoorId")
    location_id = OutputAlias[str]("locationId")
    status: pulumi.Output[str]
    nlb_private_ip = OutputAlias[str]("nlbPrivateIp")
    nlb_dns_name = OutputAlias[str | None]("nlbDnsName")
    vpn_connection_id = OutputAlias[str | None]("vpnConnectionId")
    tunnel_config = OutputAlias[dict[str, Any]]("tunnelConfig", integral)
    sample_config = OutputAlias[str]("sampleConfig")
    """The vendor-style VPN configuration for the remote site. It holds the pre-shared key: always secret."""

    def __init__(
        self,
        resource_name: str,
        args: IpsecTunnelArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str] | None = None,
        peer_public_ip: pulumi.Input[str] | None = None,
        peer_cidr: pulumi.Input[str] | None = None,
        location_id: pulumi.Input[str] | None = None,
        nlb_private_ip: pulumi.Input[str] | None = None,
        frontdoor_id: pulumi.Input[str] | None = None,
    ) -> None:
        if args is None:
            values: dict[str, Any] = {
                "name": name,
                "peer_public_ip": peer_public_ip,
                "peer_cidr": peer_cidr,
                "location_id": location_id,
                "nlb_private_ip": nlb_private_ip,
                "frontdoor_id": frontdoor_id,
            }
        else:
            values = args.values()
        opts = with_secret_outputs(opts, ["sampleConfig"])
        opts, import_id = take_import(opts)
        props = NAMES.props(values, OUTPUTS, opts, import_id, owner(TUNNEL_TYPE, resource_name, opts))
        super().__init__(TunnelProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str,
        id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
        frontdoor_id: pulumi.Input[str] | None = None,
    ) -> IpsecTunnel:
        """Look up an existing tunnel by id and manage nothing about it (read-only in this stack)."""
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return IpsecTunnel(resource_name, opts=opts, frontdoor_id=frontdoor_id)

    def translate_input_property(self, prop: str) -> str:
        return NAMES.input_key(prop)
