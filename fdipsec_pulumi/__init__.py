"""NetFoundry Frontdoor V2 IPsec tunnels and shares as Pulumi resources.

Importing this package has no side effects (no config reads, no network), because the dynamic-provider
process imports it to unpickle the providers stored in state.
"""

from fdipsec_pulumi.resources.lookups import (
    GetIpsecShareResult,
    GetIpsecTunnelResult,
    get_ipsec_share,
    get_ipsec_share_output,
    get_ipsec_tunnel,
    get_ipsec_tunnel_output,
)
from fdipsec_pulumi.resources.metrics import (
    GetIpsecShareMetricsResult,
    GetIpsecTunnelMetricsResult,
    IpsecMetricPoint,
    get_ipsec_share_metrics,
    get_ipsec_share_metrics_output,
    get_ipsec_tunnel_metrics,
    get_ipsec_tunnel_metrics_output,
)
from fdipsec_pulumi.resources.share import IpsecShare, IpsecShareArgs
from fdipsec_pulumi.resources.tunnel import IpsecTunnel, IpsecTunnelArgs

__all__ = [
    "GetIpsecShareMetricsResult",
    "GetIpsecShareResult",
    "GetIpsecTunnelMetricsResult",
    "GetIpsecTunnelResult",
    "IpsecMetricPoint",
    "IpsecShare",
    "IpsecShareArgs",
    "IpsecTunnel",
    "IpsecTunnelArgs",
    "get_ipsec_share",
    "get_ipsec_share_metrics",
    "get_ipsec_share_metrics_output",
    "get_ipsec_share_output",
    "get_ipsec_tunnel",
    "get_ipsec_tunnel_metrics",
    "get_ipsec_tunnel_metrics_output",
    "get_ipsec_tunnel_output",
]
