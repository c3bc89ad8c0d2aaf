"""Walking every page of a list, whichever of the API's two page shapes comes back.

The API answers ``application/json`` with ``{content, pageable, totalPages}`` and
``application/hal+json`` with ``{_embedded: {ipsecTunnels: [...]}, page: {number, totalPages}}``. The
shape is recognised from the body rather than trusted from the Accept header, so a gateway that ignores
Accept cannot break listing. Objects are de-duplicated by id because a create or delete between two page
requests shifts items across the page boundary.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from pydantic.alias_generators import to_camel

from fdipsec_pulumi.client.errors import FrontdoorError
from fdipsec_pulumi.client.models import HalPageMetadata, Status

ItemT = TypeVar("ItemT")

FilterValue = str | Status | Sequence[str | Status]
Filters = Mapping[str, FilterValue]
Sort = str | Sequence[str]


def query_params(filters: Filters | None, sort: Sort | None) -> list[tuple[str, str]]:
    """Filters and sort as query pairs; a sequence value repeats its key (``status=NEW&status=ERROR``).

    Filter names may be given in snake_case (``peer_public_ip``) as well as on-the-wire camelCase.
    """
    params: list[tuple[str, str]] = []
    for name, value in (filters or {}).items():
        values = [value] if isinstance(value, str) else list(value)
        params.extend((_wire_name(name), _text(item)) for item in values)
    for order in [sort] if isinstance(sort, str) else list(sort or ()):
        params.append(("sort", order))
    return params


def _wire_name(name: str) -> str:
    """A camelCase name is the wire's already; pydantic 2.7's to_camel would lowercase it (``envzid``)."""
    return to_camel(name) if "_" in name else name


def paginate(
    fetch_page: Callable[[int], Any], parse: Callable[[Any], ItemT], collection: str
) -> Iterator[ItemT]:
    """Yield every item, requesting page after page until the server says there are no more.

    ``fetch_page(n)`` returns the decoded body of page ``n`` (0-based); ``parse`` turns one raw item into
    a model; ``collection`` is the key under ``_embedded`` in the HAL shape.
    """
    seen: set[str] = set()
    number = 0
    while True:
        items, total_pages = _read_page(fetch_page(number), collection)
        for raw in items:
            item = parse(raw)
            key = str(getattr(item, "id", id(item)))
            if key not in seen:
                seen.add(key)
                yield item
        number += 1
        if not items or number >= total_pages:
            return


def _read_page(body: Any, collection: str) -> tuple[list[Any], int]:
    try:
        if "content" in body:
            return list(body["content"]), int(body["totalPages"])
        # HAL omits _embedded entirely for an empty page.
        embedded = body.get("_embedded", {}).get(collection, [])
        metadata = HalPageMetadata.model_validate(body["page"]) if "page" in body else None
        return list(embedded), metadata.total_pages if metadata else 1
    except (TypeError, KeyError, ValueError, AttributeError):
        # Described, not quoted: the body is the server's and adds nothing a user can act on.
        raise FrontdoorError(
            f"the Frontdoor API answered a list of {collection} with a malformed page"
        ) from None


def _text(value: str | Status) -> str:
    return value.value if isinstance(value, Status) else value
