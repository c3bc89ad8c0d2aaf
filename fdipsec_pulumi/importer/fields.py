"""An API object as the keyword arguments of its resource's constructor: the importer's only knowledge of
the inputs, one function per kind, so that the declarative field table can replace them in one place.

Every input is written as the API holds it, the server-filled ones (a tunnel's location and NLB address,
a share's location) included. ``import_`` compares every declared input with the object and refuses a
difference (providers/adoption.py); the values the API holds always match, and an import never writes.
On later previews the diff compares them with the recorded outputs, which hold the same values, so
nothing changes. Written out, they also keep a replacement where the original was, which is what the
object's owners had; deleting such a line leaves the value to the API again, and an omitted
server-filled input never shows as a change.
"""

from __future__ import annotations

from typing import Any

from fdipsec_pulumi.client.models import Share, Tunnel

# The share's argument that names its tunnel: written as the tunnel's variable when it is in the module.
TUNNEL_REFERENCE = "ipsec_tunnel_id"


def tunnel_arguments(tunnel: Tunnel) -> dict[str, Any]:
    """``IpsecTunnel``'s inputs for ``tunnel``, in the constructor's order; None means not given."""
    return _given(
        {
            "name": tunnel.name,
            "peer_public_ip": tunnel.peer_public_ip,
            "peer_cidr": tunnel.peer_cidr,
            "location_id": tunnel.location_id,
            "nlb_private_ip": tunnel.nlb_private_ip,
        }
    )


def share_arguments(share: Share) -> dict[str, Any]:
    """``IpsecShare``'s inputs for ``share``, in the constructor's order; None means not given."""
    return _given(
        {
            "name": share.name,
            TUNNEL_REFERENCE: share.ipsec_tunnel_id,
            "env_z_id": share.env_z_id,
            "target": share.target,
            "ingress_port": share.ingress_port,
            "location_id": share.location_id,
        }
    )


def _given(arguments: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in arguments.items() if value is not None}
