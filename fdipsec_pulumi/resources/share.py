"""IpsecShare: a service published on an IpsecTunnel's load balancer."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.dynamic import Resource

from fdipsec_pulumi.contract import SHARE_TYPE
from fdipsec_pulumi.providers.share import ShareProvider
from fdipsec_pulumi.resources.common import NameMap, OutputAlias, owner, take_import

NAMES = NameMap(
    {
        "name": "name",
        "ipsec_tunnel_id": "ipsecTunnelId",
        "env_z_id": "envZId",
        "target": "target",
        "ingress_port": "ingressPort",
        "location_id": "locationId",
        "frontdoor_id": "frontdoorId",
        "status": "status",
    }
)
OUTPUTS = ["status"]


@pulumi.input_type
class IpsecShareArgs:
    def __init__(
        __self__,
        *,
        name: pulumi.Input[str],
        ipsec_tunnel_id: pulumi.Input[str],
        env_z_id: pulumi.Input[str],
        target: pulumi.Input[str],
        ingress_port: pulumi.Input[int],
        location_id: pulumi.Input[str] | None = None,
        frontdoor_id: pulumi.Input[str] | None = None,
    ) -> None:
        """
        :param name: 1-63 letters, digits and hyphens, not starting or ending with a hyphen.
        :param ipsec_tunnel_id: The tunnel the share is published on (usually ``tunnel.id``).
        :param env_z_id: The hosting agent's zrok environment id.
        :param target: The private ``host:port`` the agent connects to.
        :param ingress_port: The listener port on the tunnel's load balancer, unique per tunnel.
        :param location_id: The location for the share.
        :param frontdoor_id: Overrides the stack's ``fdipsec:frontdoorId``.
        """
        pulumi.set(__self__, "name", name)
        pulumi.set(__self__, "ipsec_tunnel_id", ipsec_tunnel_id)
        pulumi.set(__self__, "env_z_id", env_z_id)
        pulumi.set(__self__, "target", target)
        pulumi.set(__self__, "ingress_port", ingress_port)
        pulumi.set(__self__, "location_id", location_id)
        pulumi.set(__self__, "frontdoor_id", frontdoor_id)

    @property
    @pulumi.getter
    def name(self) -> pulumi.Input[str]:
        return pulumi.get(self, "name")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="ipsecTunnelId")
    def ipsec_tunnel_id(self) -> pulumi.Input[str]:
        return pulumi.get(self, "ipsec_tunnel_id")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="envZId")
    def env_z_id(self) -> pulumi.Input[str]:
        return pulumi.get(self, "env_z_id")  # type: ignore[no-any-return]

    @property
    @pulumi.getter
    def target(self) -> pulumi.Input[str]:
        return pulumi.get(self, "target")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="ingressPort")
    def ingress_port(self) -> pulumi.Input[int]:
        return pulumi.get(self, "ingress_port")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="locationId")
    def location_id(self) -> pulumi.Input[str] | None:
        return pulumi.get(self, "location_id")  # type: ignore[no-any-return]

    @property
    @pulumi.getter(name="frontdoorId")
    def frontdoor_id(self) -> pulumi.Input[str] | None:
        return pulumi.get(self, "frontdoor_id")  # type: ignore[no-any-return]

    def values(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in NAMES.to_camel if key not in OUTPUTS}


class IpsecShare(Resource, module="fdipsec", name="IpsecShare"):
    """An IPsec share: maps an ingress port on a tunnel's load balancer to a private target."""

    name: pulumi.Output[str]
    ipsec_tunnel_id = OutputAlias[str]("ipsecTunnelId")
    env_z_id = OutputAlias[str]("envZId")
    target: pulumi.Output[str]
    ingress_port = OutputAlias[int]("ingressPort")
    location_id = OutputAlias[str | None]("locationId")
    frontdoor_id = OutputAlias[str]("frontdoorId")
    status: pulumi.Output[str]
    # The state key's own annotation is what the SDK reads to type an output: numbers cross the engine
    # as doubles, and without it ``ingress_port`` would resolve to 8443.0.
    ingressPort: pulumi.Output[int]

    def __init__(
        self,
        resource_name: str,
        args: IpsecShareArgs | None = None,
        opts: pulumi.ResourceOptions | None = None,
        *,
        name: pulumi.Input[str] | None = None,
        ipsec_tunnel_id: pulumi.Input[str] | None = None,
        env_z_id: pulumi.Input[str] | None = None,
        target: pulumi.Input[str] | None = None,
        ingress_port: pulumi.Input[int] | None = None,
        location_id: pulumi.Input[str] | None = None,
        frontdoor_id: pulumi.Input[str] | None = None,
    ) -> None:
        if args is None:
            values: dict[str, Any] = {
                "name": name,
                "ipsec_tunnel_id": ipsec_tunnel_id,
                "env_z_id": env_z_id,
                "target": target,
                "ingress_port": ingress_port,
                "location_id": location_id,
                "frontdoor_id": frontdoor_id,
            }
        else:
            values = args.values()
        opts, import_id = take_import(opts)
        props = NAMES.props(values, OUTPUTS, opts, import_id, owner(SHARE_TYPE, resource_name, opts))
        super().__init__(ShareProvider(), resource_name, props, opts)

    @staticmethod
    def get(
        resource_name: str,
        id: pulumi.Input[str],
        opts: pulumi.ResourceOptions | None = None,
        frontdoor_id: pulumi.Input[str] | None = None,
    ) -> IpsecShare:
        """Look up an existing share by id (read-only in this stack)."""
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id))
        return IpsecShare(resource_name, opts=opts, frontdoor_id=frontdoor_id)

    def translate_input_property(self, prop: str) -> str:
        return NAMES.input_key(prop)
