"""Data-source lookups, in the generated-SDK shape: ``get_x`` returns plain values, ``get_x_output``
takes and returns Outputs.

A generated SDK would send these as ``invoke``s to its provider plugin; a dynamic provider has no invoke
(the Python dynamic host refuses it), so the lookups run in the program's own process and call the API
directly, with the same ``fdipsec:*`` stack config and ``FDIPSEC_*`` environment the providers use.

The result classes (resources/results.py, generated from the field tables) deliberately carry no sample
configuration and no pre-shared key, and ``tunnel_config`` is the same typed ``IpsecTunnelConfig`` the
resource's output is: the SDK's own output translation builds it. A lookup's result is
a plain value, so Pulumi cannot mark it secret: anything in it can end up in plain text in logs, exports
and state. To read a tunnel's sample configuration, use ``IpsecTunnel.get(name, id).sample_config``,
which is a secret Output.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import pulumi
from pulumi.runtime.rpc import translate_output_properties

from fdipsec_pulumi.fields import SHARE, TUNNEL
from fdipsec_pulumi.resources.results import GetIpsecShareResult, GetIpsecTunnelResult
from fdipsec_pulumi.resources.types import IpsecTunnelConfig

if TYPE_CHECKING:
    from fdipsec_pulumi.client import FrontdoorClient

ResultT = TypeVar("ResultT")

__all__ = [
    "GetIpsecShareResult",
    "GetIpsecTunnelResult",
    "get_ipsec_share",
    "get_ipsec_share_output",
    "get_ipsec_tunnel",
    "get_ipsec_tunnel_output",
]


def get_ipsec_tunnel(id: str, frontdoor_id: str | None = None) -> GetIpsecTunnelResult:
    """Read one tunnel by id. Raises ``NotFound`` (a ``FrontdoorError``) when there is no such tunnel.

    ``frontdoor_id`` overrides the stack's ``fdipsec:frontdoorId``. Called during previews too, like any
    data-source lookup.
    """
    from fdipsec_pulumi.client import Status  # a program that looks nothing up never loads the client

    with lookup_client() as client:
        tunnel = client.get_tunnel(id, frontdoor_id=frontdoor_id)
        config = None
        if tunnel.status == Status.DEPLOYED:
            document = client.get_tunnel_config(tunnel.id, frontdoor_id=tunnel.frontdoor_id).to_wire()
            config = translate_output_properties(document, lambda key: key, IpsecTunnelConfig)
    return GetIpsecTunnelResult(**TUNNEL.lookup_values(tunnel), tunnel_config=config)


def get_ipsec_share(id: str, frontdoor_id: str | None = None) -> GetIpsecShareResult:
    """Read one share by id. Raises ``NotFound`` (a ``FrontdoorError``) when there is no such share."""
    with lookup_client() as client:
        share = client.get_share(id, frontdoor_id=frontdoor_id)
    return GetIpsecShareResult(**SHARE.lookup_values(share))


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
    theirs. One per lookup, closed after it: lookups are rare and must not leave sessions behind. Imported
    here, so that a program that looks nothing up does not load the client (``providers/shell.py``)."""
    from fdipsec_pulumi.client import FrontdoorClient, Settings
    from fdipsec_pulumi.client.settings import SOURCES

    config = pulumi.Config("fdipsec")
    values = {key: value for key, _ in SOURCES.values() if (value := config.get(key.split(":", 1)[1]))}
    return FrontdoorClient(Settings.resolve(config=values))


async def run_in_thread(lookup: Callable[..., ResultT], *args: Any) -> ResultT:
    """Run the blocking HTTP lookup on a worker thread, so the program's event loop keeps registering
    the other resources meanwhile."""
    return await asyncio.to_thread(lookup, *args)
