"""One method per Frontdoor V2 IPsec endpoint, returning the shared wire models.

Building a client is free: no network, no credential check, so a provider builds one per call (one per
distinct settings in its process, providers/base.py) even for a preview without credentials. Missing
credentials or Frontdoor id surface at the first call that needs them, naming the config key and the
environment variable to set.

``frontdoor_id=None`` on any method means the Frontdoor from the settings.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from importlib import metadata
from typing import Any, TypeVar
from urllib.parse import quote

import requests
from pydantic import BaseModel, ValidationError

from fdipsec_pulumi.client.errors import FrontdoorError
from fdipsec_pulumi.client.models import (
    HAL_COLLECTIONS,
    Share,
    ShareCreate,
    ShareMetrics,
    SharePatch,
    Tunnel,
    TunnelConfig,
    TunnelCreate,
    TunnelMetrics,
)
from fdipsec_pulumi.client.pagination import Filters, Sort, paginate, query_params
from fdipsec_pulumi.client.settings import Settings
from fdipsec_pulumi.client.transport import JSON, RetryPolicy, Transport

ModelT = TypeVar("ModelT", bound=BaseModel)

HAL_JSON = "application/hal+json"
TEXT = "text/plain"
TUNNELS = "ipsec-tunnels"
SHARES = "ipsec-shares"


def _user_agent() -> str:
    try:
        version = metadata.version("fdipsec-pulumi")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"fdipsec-pulumi/{version} python-requests/{requests.__version__}"


class FrontdoorClient:
    def __init__(
        self,
        settings: Settings,
        *,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        on_retry: Callable[[str], None] | None = None,
    ) -> None:
        self.settings = settings
        self._transport = Transport(
            settings, policy=retry, clock=clock, sleep=sleep, user_agent=_user_agent(), on_retry=on_retry
        )

    @property
    def retry_budget(self) -> float:
        """Seconds one request may spend riding out 5xx answers and dropped connections."""
        return self._transport.retry_budget

    def budget_spent(self, attempts: int, elapsed: float) -> str:
        """The words that end a retried request's error: how long it was tried, and the setting."""
        return self._transport.budget_spent(attempts, elapsed)

    def __repr__(self) -> str:
        return f"FrontdoorClient({self.settings!r})"

    def __enter__(self) -> FrontdoorClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._transport.close()

    # --- tunnels ------------------------------------------------------------------------------------

    def list_tunnels(
        self,
        frontdoor_id: str | None = None,
        *,
        filters: Filters | None = None,
        sort: Sort | None = None,
        page_size: int = 100,
        hal: bool = False,
    ) -> Iterator[Tunnel]:
        """Every tunnel matching the filters, fetched page by page as the iterator is consumed."""
        return self._list(TUNNELS, Tunnel, frontdoor_id, filters, sort, page_size, hal)

    def get_tunnel(self, tunnel_id: str, frontdoor_id: str | None = None) -> Tunnel:
        return self._call(Tunnel, "GET", self._path(frontdoor_id, TUNNELS, tunnel_id))

    def create_tunnel(self, request: TunnelCreate, frontdoor_id: str | None = None) -> Tunnel:
        """POST once; on ``TransportError(ambiguous=True)`` list the tunnels before posting again."""
        return self._call(Tunnel, "POST", self._path(frontdoor_id, TUNNELS), body=request.to_wire())

    def delete_tunnel(self, tunnel_id: str, frontdoor_id: str | None = None) -> Tunnel | None:
        """The tunnel, now DELETING; None when the API answers without a body."""
        return self._call_optional(Tunnel, "DELETE", self._path(frontdoor_id, TUNNELS, tunnel_id))

    def get_tunnel_config(self, tunnel_id: str, frontdoor_id: str | None = None) -> TunnelConfig:
        return self._call(TunnelConfig, "GET", self._path(frontdoor_id, TUNNELS, tunnel_id, "tunnel-config"))

    def get_sample_config(self, tunnel_id: str, frontdoor_id: str | None = None) -> str:
        """The vendor sample configuration, byte for byte. It holds the PSK: never log or echo it."""
        path = self._path(frontdoor_id, TUNNELS, tunnel_id, "sample-config")
        response = self._transport.request("GET", path, accept=TEXT)
        if "charset=" in response.headers.get("Content-Type", ""):
            return response.text
        # requests would guess ISO-8859-1 for text/* without a charset; the API speaks UTF-8.
        return response.content.decode("utf-8")

    def get_tunnel_metrics(
        self, tunnel_id: str, window: str = "1h", frontdoor_id: str | None = None
    ) -> TunnelMetrics:
        path = self._path(frontdoor_id, TUNNELS, tunnel_id, "metrics")
        return self._call(TunnelMetrics, "GET", path, params=[("window", window)])

    # --- shares -------------------------------------------------------------------------------------

    def list_shares(
        self,
        frontdoor_id: str | None = None,
        *,
        filters: Filters | None = None,
        sort: Sort | None = None,
        page_size: int = 100,
        hal: bool = False,
    ) -> Iterator[Share]:
        """Every share matching the filters, fetched page by page as the iterator is consumed."""
        return self._list(SHARES, Share, frontdoor_id, filters, sort, page_size, hal)

    def get_share(self, share_id: str, frontdoor_id: str | None = None) -> Share:
        return self._call(Share, "GET", self._path(frontdoor_id, SHARES, share_id))

    def create_share(self, request: ShareCreate, frontdoor_id: str | None = None) -> Share:
        """POST once; on ``TransportError(ambiguous=True)`` list the shares before posting again."""
        return self._call(Share, "POST", self._path(frontdoor_id, SHARES), body=request.to_wire())

    def replace_share(self, share_id: str, request: ShareCreate, frontdoor_id: str | None = None) -> Share:
        """PUT: every field; the share goes back through NEW to DEPLOYED."""
        path = self._path(frontdoor_id, SHARES, share_id)
        return self._call(Share, "PUT", path, body=request.to_wire())

    def update_share(self, share_id: str, patch: SharePatch, frontdoor_id: str | None = None) -> Share:
        """PATCH: only the fields set on ``patch``; the share goes back through NEW to DEPLOYED."""
        path = self._path(frontdoor_id, SHARES, share_id)
        return self._call(Share, "PATCH", path, body=patch.to_wire())

    def delete_share(self, share_id: str, frontdoor_id: str | None = None) -> Share | None:
        """The share, now DELETING; None when the API answers without a body."""
        return self._call_optional(Share, "DELETE", self._path(frontdoor_id, SHARES, share_id))

    def get_share_metrics(
        self, share_id: str, duration: str | None = None, frontdoor_id: str | None = None
    ) -> ShareMetrics:
        path = self._path(frontdoor_id, SHARES, share_id, "metrics")
        params = [("duration", duration)] if duration else None
        return self._call(ShareMetrics, "GET", path, params=params)

    # --- plumbing -----------------------------------------------------------------------------------

    def _path(self, frontdoor_id: str | None, collection: str, *segments: str) -> str:
        parts = [self.settings.require_frontdoor_id(frontdoor_id), collection, *segments]
        for part in parts:
            if not part or not part.strip():
                raise ValueError(f"empty path segment in {'/'.join(parts)!r}")
        return f"{self._transport.base_path}/v2/" + "/".join(quote(part, safe="") for part in parts)

    def _list(
        self,
        collection: str,
        model: type[ModelT],
        frontdoor_id: str | None,
        filters: Filters | None,
        sort: Sort | None,
        page_size: int,
        hal: bool,
    ) -> Iterator[ModelT]:
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, not {page_size}")
        path = self._path(frontdoor_id, collection)
        params = query_params(filters, sort)
        accept = HAL_JSON if hal else JSON

        def fetch_page(number: int) -> Any:
            page_params = [*params, ("page", str(number)), ("size", str(page_size))]
            response = self._transport.request("GET", path, params=page_params, accept=accept)
            return _json(response, "GET", path)

        def parse(raw: Any) -> ModelT:
            return _parse(model, raw, "GET", path)

        return paginate(fetch_page, parse, HAL_COLLECTIONS[collection])

    def _call(self, model: type[ModelT], method: str, path: str, **kwargs: Any) -> ModelT:
        response = self._transport.request(method, path, **kwargs)
        return _parse(model, _json(response, method, path), method, path)

    def _call_optional(self, model: type[ModelT], method: str, path: str) -> ModelT | None:
        response = self._transport.request(method, path)
        if not response.content:
            return None
        return _parse(model, _json(response, method, path), method, path)


def _json(response: requests.Response, method: str, path: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise FrontdoorError(
            f"Frontdoor API answered {method} {path} with HTTP {response.status_code} "
            "and a body that is not JSON"
        ) from None


def _parse(model: type[ModelT], body: Any, method: str, path: str) -> ModelT:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        # Never the input values: a response can hold anything, and they add nothing to act on.
        problems = "; ".join(
            f"{'.'.join(map(str, err['loc'])) or 'body'}: {err['msg']}"
            for err in exc.errors(include_input=False, include_url=False)
        )
        raise FrontdoorError(
            f"Frontdoor API answered {method} {path} with a {model.__name__} "
            f"that the client cannot read: {problems}"
        ) from None
