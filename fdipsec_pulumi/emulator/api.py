"""The public Frontdoor V2 IPsec routes: a thin translation between HTTP and the backend.

Bodies and parameters are validated by the shared wire models before a route runs. A route then
settles the representation first (so a 406 changes nothing), calls one backend method and renders its
answer. Rules, state and error wording live in the backend, which tests can drive without HTTP.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import PlainTextResponse

from fdipsec_pulumi.client.models import (
    Page,
    Share,
    ShareCreate,
    ShareMetrics,
    SharePatch,
    Tunnel,
    TunnelConfig,
    TunnelCreate,
    TunnelMetrics,
)
from fdipsec_pulumi.emulator import pages
from fdipsec_pulumi.emulator.backend import Backend
from fdipsec_pulumi.emulator.metrics import DURATION_PATTERN
from fdipsec_pulumi.emulator.negotiation import HAL, JSON, TEXT, negotiate
from fdipsec_pulumi.emulator.openapi import errors
from fdipsec_pulumi.emulator.queries import ListQuery, parse_sort
from fdipsec_pulumi.emulator.records import PROPERTIES, Kind

FrontdoorId = Annotated[str, Path(alias="frontdoorId", description="The Frontdoor the resources belong to")]
ResourceId = Annotated[str, Path(alias="id")]
PageNumber = Annotated[int, Query(ge=0, description="Zero-based page number")]
PageSize = Annotated[int, Query(ge=1, le=2000, description="Page size")]
Sort = Annotated[list[str] | None, Query(description="property[,asc|desc]; repeat to sort by several")]
Window = Annotated[Literal["30m", "1h", "1d", "7d"], Query()]
Duration = Annotated[str, Query(pattern=DURATION_PATTERN, description="e.g. 15m, 1h or 7d")]

TUNNELS = "ipsec-tunnels"
SHARES = "ipsec-shares"
_COLLECTIONS = {Kind.TUNNEL: TUNNELS, Kind.SHARE: SHARES}
_PAGING = {"page", "size", "sort"}
_OFFERS = (JSON, HAL)
_LIST = errors(400, 401, 403, 406)
_READ = errors(401, 403, 404, 406)
_INPUT = errors(400, 401, 403, 404, 406)
_STATEFUL = errors(401, 403, 404, 406, 409)


def _filters(kind: Kind) -> dict[str, Any]:
    """Documents the filter-by-any-property parameters; repeating one means any of its values."""
    return {
        "parameters": [
            {
                "name": prop,
                "in": "query",
                "required": False,
                "description": f"Only {kind.noun}s whose {prop} is one of these values",
                "schema": {"type": "array", "items": {"type": "string"}},
                "style": "form",
                "explode": True,
            }
            for prop in PROPERTIES[kind]
            if prop != "frontdoorId"
        ]
    }


def _media(request: Request) -> str:
    return negotiate(request.headers.get("accept"), _OFFERS)


def _collection_path(frontdoor_id: str, kind: Kind) -> str:
    return f"/frontdoor/v2/{frontdoor_id}/{_COLLECTIONS[kind]}"


def _render(request: Request, media: str, kind: Kind, doc: dict[str, Any], status: int = 200) -> Response:
    self_url = pages.resource_url(request.url, _collection_path(doc["frontdoorId"], kind), doc["id"])
    return pages.item(doc, media, self_url, status)


def public_router(backend: Backend) -> APIRouter:
    router = APIRouter(prefix="/frontdoor/v2/{frontdoorId}")

    def listing(
        kind: Kind, request: Request, frontdoor_id: str, page: int, size: int, sort: list[str] | None
    ) -> Response:
        media = _media(request)
        filters: dict[str, list[str]] = {}
        for name, value in request.query_params.multi_items():
            if name not in _PAGING:
                filters.setdefault(name, []).append(value)
        query = ListQuery(filters=filters, sort=parse_sort(kind, sort or []), page=page, size=size)
        docs, total = backend.query(kind, frontdoor_id, query)
        collection_path = _collection_path(frontdoor_id, kind)
        return pages.page(docs, total, query, media, request.url, collection_path, _COLLECTIONS[kind])

    # --- tunnels -----------------------------------------------------------------------------------

    @router.get(
        f"/{TUNNELS}",
        response_model=Page[Tunnel],
        operation_id="listTunnels",
        responses=_LIST,
        openapi_extra=_filters(Kind.TUNNEL),
    )
    async def list_tunnels(
        request: Request,
        frontdoor_id: FrontdoorId,
        page: PageNumber = 0,
        size: PageSize = 20,
        sort: Sort = None,
    ) -> Response:
        return listing(Kind.TUNNEL, request, frontdoor_id, page, size, sort)

    @router.get(f"/{TUNNELS}/{{id}}", response_model=Tunnel, operation_id="getTunnel", responses=_READ)
    async def get_tunnel(request: Request, frontdoor_id: FrontdoorId, tunnel_id: ResourceId) -> Response:
        media = _media(request)
        return _render(request, media, Kind.TUNNEL, backend.get(Kind.TUNNEL, frontdoor_id, tunnel_id))

    @router.post(
        f"/{TUNNELS}", response_model=Tunnel, status_code=202, operation_id="createTunnel", responses=_LIST
    )
    async def create_tunnel(request: Request, frontdoor_id: FrontdoorId, body: TunnelCreate) -> Response:
        media = _media(request)
        return _render(request, media, Kind.TUNNEL, backend.create_tunnel(frontdoor_id, body), 202)

    @router.delete(
        f"/{TUNNELS}/{{id}}",
        response_model=Tunnel,
        status_code=202,
        operation_id="deleteTunnel",
        responses=_INPUT,
    )
    async def delete_tunnel(request: Request, frontdoor_id: FrontdoorId, tunnel_id: ResourceId) -> Response:
        media = _media(request)
        return _render(request, media, Kind.TUNNEL, backend.delete(Kind.TUNNEL, frontdoor_id, tunnel_id), 202)

    @router.get(
        f"/{TUNNELS}/{{id}}/tunnel-config",
        response_model=TunnelConfig,
        operation_id="getTunnelConfig",
        responses=_STATEFUL,
    )
    async def get_tunnel_config(
        request: Request, frontdoor_id: FrontdoorId, tunnel_id: ResourceId
    ) -> Response:
        media = _media(request)
        config = backend.tunnel_config(frontdoor_id, tunnel_id).to_wire()
        return pages.item(config, media, str(request.url.replace(query="")))

    @router.get(
        f"/{TUNNELS}/{{id}}/sample-config",
        response_class=PlainTextResponse,
        operation_id="getSampleConfig",
        responses={200: {"content": {TEXT: {"schema": {"type": "string"}}}}, **_STATEFUL},
    )
    async def get_sample_config(
        request: Request, frontdoor_id: FrontdoorId, tunnel_id: ResourceId
    ) -> Response:
        negotiate(request.headers.get("accept"), (TEXT,))
        return PlainTextResponse(backend.sample_config(frontdoor_id, tunnel_id))

    @router.get(
        f"/{TUNNELS}/{{id}}/metrics",
        response_model=TunnelMetrics,
        operation_id="getTunnelMetrics",
        responses=_INPUT,
    )
    async def get_tunnel_metrics(
        request: Request, frontdoor_id: FrontdoorId, tunnel_id: ResourceId, window: Window = "1h"
    ) -> Response:
        media = _media(request)
        series = backend.tunnel_metrics(frontdoor_id, tunnel_id, window).to_wire()
        return pages.item(series, media, str(request.url.replace(query="")))

    # --- shares ------------------------------------------------------------------------------------

    @router.get(
        f"/{SHARES}",
        response_model=Page[Share],
        operation_id="listShares",
        responses=_LIST,
        openapi_extra=_filters(Kind.SHARE),
    )
    async def list_shares(
        request: Request,
        frontdoor_id: FrontdoorId,
        page: PageNumber = 0,
        size: PageSize = 20,
        sort: Sort = None,
    ) -> Response:
        return listing(Kind.SHARE, request, frontdoor_id, page, size, sort)

    @router.get(f"/{SHARES}/{{id}}", response_model=Share, operation_id="getShare", responses=_READ)
    async def get_share(request: Request, frontdoor_id: FrontdoorId, share_id: ResourceId) -> Response:
        media = _media(request)
        return _render(request, media, Kind.SHARE, backend.get(Kind.SHARE, frontdoor_id, share_id))

    @router.post(
        f"/{SHARES}", response_model=Share, status_code=202, operation_id="createShare", responses=_LIST
    )
    async def create_share(request: Request, frontdoor_id: FrontdoorId, body: ShareCreate) -> Response:
        media = _media(request)
        return _render(request, media, Kind.SHARE, backend.create_share(frontdoor_id, body), 202)

    @router.put(
        f"/{SHARES}/{{id}}",
        response_model=Share,
        status_code=202,
        operation_id="replaceShare",
        responses=errors(400, 401, 403, 404, 406, 409),
    )
    async def replace_share(
        request: Request, frontdoor_id: FrontdoorId, share_id: ResourceId, body: ShareCreate
    ) -> Response:
        media = _media(request)
        return _render(request, media, Kind.SHARE, backend.replace_share(frontdoor_id, share_id, body), 202)

    @router.patch(
        f"/{SHARES}/{{id}}",
        response_model=Share,
        status_code=202,
        operation_id="updateShare",
        responses=errors(400, 401, 403, 404, 406, 409),
    )
    async def update_share(
        request: Request, frontdoor_id: FrontdoorId, share_id: ResourceId, body: SharePatch
    ) -> Response:
        media = _media(request)
        return _render(request, media, Kind.SHARE, backend.update_share(frontdoor_id, share_id, body), 202)

    @router.delete(
        f"/{SHARES}/{{id}}",
        response_model=Share,
        status_code=202,
        operation_id="deleteShare",
        responses=_READ,
    )
    async def delete_share(request: Request, frontdoor_id: FrontdoorId, share_id: ResourceId) -> Response:
        media = _media(request)
        return _render(request, media, Kind.SHARE, backend.delete(Kind.SHARE, frontdoor_id, share_id), 202)

    @router.get(
        f"/{SHARES}/{{id}}/metrics",
        response_model=ShareMetrics,
        operation_id="getShareMetrics",
        responses=_INPUT,
    )
    async def get_share_metrics(
        request: Request, frontdoor_id: FrontdoorId, share_id: ResourceId, duration: Duration = "1h"
    ) -> Response:
        media = _media(request)
        series = backend.share_metrics(frontdoor_id, share_id, duration).to_wire()
        return pages.item(series, media, str(request.url.replace(query="")))

    return router
