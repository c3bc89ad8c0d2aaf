"""Data-source lookups, in the generated-SDK shape: ``get_x`` returns plain values, ``get_x_output``
takes and returns Outputs.

A generated SDK would send these as ``invoke``s to its provider plugin; a dynamic provider has no invoke
(the Python dynamic host refuses it), so the lookups run in the program's own process and call the API
directly, with the same ``fdipsec:*`` stack config and ``FDIPSEC_*`` environment the providers use.

The result classes deliberately carry no sample configuration and no pre-shared key. A lookup's result is
a plain value, so Pulumi cannot mark it secret: anything in it can end up in plain text in logs, exports
and state. To read a tunnel's sample configuration, use ``IpsecTunnel.get(name, id).sample_config``,
which is a secret Output.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import pulumi

from fdipsec_pulumi.client import FrontdoorClient, Settings, Share, Status, Tunnel
from fdipsec_pulumi.client.settings import SOURCES

ResultT = TypeVar("ResultT")

__all__ = [
    "GetIpsecShareResult",
    "GetIpsecTunnelResult",
    "get_ipsec_share",
    "get_ipsec_share_output",
    "get_ipsec_tunnel",
    "get_ipsec_tunnel_output",
]


@dataclass(frozen=True)
class GetIpsecTunnelResult:
    """An existing IPsec tunnel as the API reports it now (no sample configuration: see the module doc)."""

    id: str
    name: str
    frontdoor_id: str
    location_id: str | None
    status: str
    peer_public_ip: str
    peer_cidr: str
    nlb_private_ip: str | None
    nlb_dns_name: str | None
    vpn_connection_id: str | None
    status_message: str | None
    # The AWS-side endpoints (outside IPs, algorithms) a peer needs; only known once DEPLOYED. Kept out
    # of hashing because it is a mapping; it holds no key material.
    tunnel_config: Mapping[str, Any] | None = field(default=None, hash=False)


@dataclass(frozen=True)
class GetIpsecShareResult:
    """An existing IPsec share as the API reports it now."""

    id: str
    name: str
    frontdoor_id: str
    ipsec_tunnel_id: str
    env_z_id: str
    target: str
    ingress_port: int
    location_id: str | None
    status: str
    status_message: str | None


def get_ipsec_tunnel(id: str, frontdoor_id: str | None = None) -> GetIpsecTunnelResult:
    """Read one tunnel by id. Raises ``NotFound`` (a ``FrontdoorError``) when there is no such tunnel.

    ``frontdoor_id`` overrides the stack's ``fdipsec:frontdoorId``. Called during previews too, like any
    data-source lookup.
    """
    with lookup_client() as client:
        tunnel = client.get_tunnel(id, frontdoor_id=frontdoor_id)
        config = None
        if tunnel.status == Status.DEPLOYED:
            config = client.get_tunnel_config(tunnel.id, frontdoor_id=tunnel.frontdoor_id).to_wire()
    return _tunnel_result(tunnel, config)


def get_ipsec_share(id: str, frontdoor_id: str | None = None) -> GetIpsecShareResult:
    """Read one share by id. Raises ``NotFound`` (a ``FrontdoorError``) when there is no such share."""
    with lookup_client() as client:
        share = client.get_share(id, frontdoor_id=frontdoor_id)
    return _share_result(share)


def get_ipsec_tunnel_output(
    id: pulumi.Input[str],
    frontdoor_id: pulumi.Input[str | None] = None,
) -> pulumi.Output[GetIpsecTunnelResult]:
    """``get_ipsec_tunnel`` over Outputs: waits for the inputs, then reads. Unknown inputs (in a preview)
    give an unknown result; secret inputs give a secret result."""
    return pulumi.Output.all(id, frontdoor_id).apply(lambda args: run_in_thread(get_ipsec_tunnel, *args))


def get_ipsec_share_output(
    id: pulumi.Input[str],
    frontdoor_id: pulumi.Input[str | None] = None,
) -> pulumi.Output[GetIpsecShareResult]:
    """``get_ipsec_share`` over Outputs."""
    return pulumi.Output.all(id, frontdoor_id).apply(lambda args: run_in_thread(get_ipsec_share, *args))


# --- helpers ----------------------------------------------------------------------------------------


def lookup_client() -> FrontdoorClient:
    """A client from the program's ``fdipsec:*`` config, then the environment, as the providers resolve
    theirs. One per lookup, closed after it: lookups are rare and must not leave sessions behind."""
    config = pulumi.Config("fdipsec")
    values = {key: value for key, _ in SOURCES.values() if (value := config.get(key.split(":", 1)[1]))}
    return FrontdoorClient(Settings.resolve(config=values))


async def run_in_thread(lookup: Callable[..., ResultT], *args: Any) -> ResultT:
    """Run the blocking HTTP lookup on a worker thread, so the program's event loop keeps registering
    the other resources meanwhile."""
    return await asyncio.to_thread(lookup, *args)


def _tunnel_result(tunnel: Tunnel, config: Mapping[str, Any] | None) -> GetIpsecTunnelResult:
    return GetIpsecTunnelResult(
        id=tunnel.id,
        name=tunnel.name,
        frontdoor_id=tunnel.frontdoor_id,
        location_id=tunnel.location_id,
        status=tunnel.status.value,
        peer_public_ip=tunnel.peer_public_ip,
        peer_cidr=tunnel.peer_cidr,
        nlb_private_ip=tunnel.nlb_private_ip,
        nlb_dns_name=tunnel.nlb_dns_name,
        vpn_connection_id=tunnel.vpn_connection_id,
        status_message=tunnel.status_message,
        tunnel_config=config,
    )


def _share_result(share: Share) -> GetIpsecShareResult:
    return GetIpsecShareResult(
        id=share.id,
        name=share.name,
        frontdoor_id=share.frontdoor_id,
        ipsec_tunnel_id=share.ipsec_tunnel_id,
        env_z_id=share.env_z_id,
        target=share.target,
        ingress_port=share.ingress_port,
        location_id=share.location_id,
        status=share.status.value,
        status_message=share.status_message,
    )
