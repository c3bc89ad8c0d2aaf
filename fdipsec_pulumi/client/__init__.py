"""Typed client for the Frontdoor V2 IPsec API."""

from fdipsec_pulumi.client.api import FrontdoorClient
from fdipsec_pulumi.client.errors import (
    ConfigurationError,
    Conflict,
    Forbidden,
    FrontdoorError,
    InvalidRequest,
    NotFound,
    RateLimited,
    ServerError,
    TransportError,
    Unauthorized,
    WaitFailed,
    WaitTimeout,
)
from fdipsec_pulumi.client.models import (
    Share,
    ShareCreate,
    ShareMetrics,
    SharePatch,
    Status,
    Tunnel,
    TunnelConfig,
    TunnelCreate,
    TunnelEndpoint,
    TunnelMetrics,
)
from fdipsec_pulumi.client.settings import DEFAULT_API_URL, Settings
from fdipsec_pulumi.client.transport import RetryPolicy
from fdipsec_pulumi.client.waiter import Progress, wait_for

__all__ = [
    "DEFAULT_API_URL",
    "ConfigurationError",
    "Conflict",
    "Forbidden",
    "FrontdoorClient",
    "FrontdoorError",
    "InvalidRequest",
    "NotFound",
    "Progress",
    "RateLimited",
    "RetryPolicy",
    "ServerError",
    "Settings",
    "Share",
    "ShareCreate",
    "ShareMetrics",
    "SharePatch",
    "Status",
    "TransportError",
    "Tunnel",
    "TunnelConfig",
    "TunnelCreate",
    "TunnelEndpoint",
    "TunnelMetrics",
    "Unauthorized",
    "WaitFailed",
    "WaitTimeout",
    "wait_for",
]
