"""Rendering: plain JSON as in the seeds, or HAL as Spring HATEOAS writes it.

Pages follow the seed (``content``, ``pageable``, ``totalElements``, ``totalPages``) for JSON, and
Spring's ``_embedded`` / ``page`` / ``_links`` for HAL, whose links are absolute URLs of the same
query with another page number, so a client can follow ``next`` without building URLs itself.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import URL
from starlette.responses import JSONResponse

from fdipsec_pulumi.client.models import HAL_COLLECTIONS
from fdipsec_pulumi.emulator.negotiation import HAL
from fdipsec_pulumi.emulator.queries import ListQuery, total_pages


def resource_url(url: URL, collection_path: str, resource_id: str) -> str:
    return str(url.replace(path=f"{collection_path}/{resource_id}", query=""))


def item(doc: dict[str, Any], media: str, self_url: str, status: int = 200) -> JSONResponse:
    if media == HAL:
        doc = {**doc, "_links": {"self": {"href": self_url}}}
    return JSONResponse(doc, status_code=status, media_type=media)


def page(
    docs: list[dict[str, Any]],
    total: int,
    query: ListQuery,
    media: str,
    url: URL,
    collection_path: str,
    collection: str,
) -> JSONResponse:
    pages = total_pages(total, query.size)
    if media != HAL:
        body: dict[str, Any] = {
            "content": docs,
            "pageable": {"pageNumber": query.page, "pageSize": query.size},
            "totalElements": total,
            "totalPages": pages,
        }
        return JSONResponse(body, media_type=media)
    items = [
        {**doc, "_links": {"self": {"href": resource_url(url, collection_path, doc["id"])}}} for doc in docs
    ]
    last = max(pages - 1, 0)
    numbers = {"first": 0, "self": query.page, "last": last}
    if query.page > 0:
        numbers["prev"] = min(query.page - 1, last)
    if query.page < last:
        numbers["next"] = query.page + 1
    links = {
        rel: {"href": str(url.include_query_params(page=number, size=query.size))}
        for rel, number in numbers.items()
    }
    body = {
        "_embedded": {HAL_COLLECTIONS[collection]: items},
        "_links": links,
        "page": {"size": query.size, "totalElements": total, "totalPages": pages, "number": query.page},
    }
    return JSONResponse(body, media_type=media)
