"""An API object as the keyword arguments of its resource's constructor, read off the field tables
(fdipsec_pulumi/fields): every input the constructor takes, in its order.

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
from fdipsec_pulumi.fields import SHARE, TUNNEL, Table

# The share's argument that names its tunnel: written as the tunnel's variable when it is in the module.
TUNNEL_REFERENCE = SHARE["ipsecTunnelId"].name


def tunnel_arguments(tunnel: Tunnel) -> dict[str, Any]:
    """``IpsecTunnel``'s inputs for ``tunnel``, in the constructor's order; None means not given."""
    return _given(TUNNEL, tunnel)


def share_arguments(share: Share) -> dict[str, Any]:
    """``IpsecShare``'s inputs for ``share``, in the constructor's order; None means not given."""
    return _given(SHARE, share)


def _given(table: Table, found: Tunnel | Share) -> dict[str, Any]:
    """The body inputs (``frontdoor_id`` is the module's choice, not the object's) that the API holds."""
    values = {row.name: getattr(found, row.name) for row in table.input_fields if row.in_body}
    return {name: value for name, value in values.items() if value is not None}
