"""Listing: filter on any property, sort, page, the way the seeds describe it.

It works on wire documents, so what a client filters or sorts by is exactly what it reads back: a
filter on ``ingressPort=8443`` compares against the JSON value as text, and repeating a parameter
(``?status=NEW&status=DEPLOYED``) means either value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fdipsec_pulumi.emulator.errors import invalid
from fdipsec_pulumi.emulator.records import PROPERTIES, Kind

SORT_TYPE = "type property[,property...][,asc|desc]"


@dataclass(frozen=True)
class SortKey:
    prop: str
    descending: bool = False


@dataclass(frozen=True)
class ListQuery:
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    sort: Sequence[SortKey] = ()
    page: int = 0
    size: int = 20


def parse_sort(kind: Kind, values: Sequence[str]) -> list[SortKey]:
    """Spring's ``sort=name,asc`` syntax; several properties may share one direction."""
    keys: list[SortKey] = []
    for value in values:
        parts = [part.strip() for part in value.split(",") if part.strip()]
        descending = False
        if parts and parts[-1].lower() in ("asc", "desc"):
            descending = parts.pop().lower() == "desc"
        if not parts:
            raise invalid("sort", SORT_TYPE, f"{value!r} names no property")
        for prop in parts:
            _require_property(kind, "sort", SORT_TYPE, prop)
            keys.append(SortKey(prop, descending))
    return keys


def check_filters(kind: Kind, filters: Mapping[str, Sequence[str]]) -> None:
    for prop in filters:
        _require_property(kind, prop, f"a filter on a known {kind.noun} property", prop)


def apply(docs: list[dict[str, Any]], query: ListQuery) -> tuple[list[dict[str, Any]], int]:
    """The requested page of the matching documents, and how many matched in all."""
    matching = [doc for doc in docs if _matches(doc, query.filters)]
    for key in reversed(query.sort):
        matching.sort(key=_by(key), reverse=key.descending)
    start = query.page * query.size
    return matching[start : start + query.size], len(matching)


def total_pages(total: int, size: int) -> int:
    return -(-total // size)


def _require_property(kind: Kind, prop: str, expected: str, name: str) -> None:
    if name not in PROPERTIES[kind]:
        known = ", ".join(PROPERTIES[kind])
        raise invalid(prop, expected, f"{name!r} is not one of {known}")


def _matches(doc: Mapping[str, Any], filters: Mapping[str, Sequence[str]]) -> bool:
    return all(_text(doc.get(prop)) in wanted for prop, wanted in filters.items())


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _by(key: SortKey) -> Callable[[Mapping[str, Any]], tuple[int, float, str]]:
    return lambda doc: _sort_key(doc.get(key.prop), key.descending)


def _sort_key(value: Any, descending: bool) -> tuple[int, float, str]:
    # Absent values sort last in either direction; numbers sort as numbers, everything else as text.
    if value is None:
        return (-1 if descending else 2, 0.0, "")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (0, float(value), "")
    return (1, 0.0, str(value))
