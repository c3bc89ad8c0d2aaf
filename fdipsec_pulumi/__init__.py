"""NetFoundry Frontdoor V2 IPsec tunnels and shares as Pulumi resources.

Importing this package has no side effects (no config reads, no network), because the dynamic-provider
process imports it to unpickle the providers stored in state.
"""

from fdipsec_pulumi.resources.share import IpsecShare, IpsecShareArgs
from fdipsec_pulumi.resources.tunnel import IpsecTunnel, IpsecTunnelArgs

__all__ = ["IpsecShare", "IpsecShareArgs", "IpsecTunnel", "IpsecTunnelArgs"]
