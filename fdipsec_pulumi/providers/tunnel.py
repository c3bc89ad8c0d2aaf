"""The IpsecTunnel dynamic provider, as pickled into state: never move or rename ``TunnelProvider``.

The API has no tunnel update, so every input forces a replacement. One tunnel is allowed per Frontdoor
and location, so a replacement that would land in the same location deletes the old tunnel first (its
shares are replaced with it by the engine, because their ``ipsecTunnelId`` becomes unknown). The work is
in ``providers/tunnel_impl.py`` (``providers/shell.py`` says why).
"""

from __future__ import annotations

from fdipsec_pulumi.providers.shell import ProviderShell


class TunnelProvider(ProviderShell):
    implementation = "fdipsec_pulumi.providers.tunnel_impl:TunnelProviderImpl"
