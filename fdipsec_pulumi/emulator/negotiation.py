"""Content negotiation: which representation the caller's Accept header allows.

The API speaks plain JSON and Spring HATEOAS' HAL; the sample config is text. Asking for anything else
(``Accept: application/xml``) is a 406 rather than a silent JSON answer, so a client that sets the
wrong header finds out against the emulator instead of in production.
"""

from __future__ import annotations

from collections.abc import Sequence

from fdipsec_pulumi.emulator.errors import ApiError

JSON = "application/json"
HAL = "application/hal+json"
TEXT = "text/plain"


def negotiate(accept: str | None, offers: Sequence[str]) -> str:
    """The offer the caller prefers most (first offer on ties); no or empty Accept takes the first."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = [_parse(item) for item in accept.split(",") if item.strip()]
    best: tuple[float, str] | None = None
    for offer in offers:
        quality = _quality(offer, ranges)
        if quality > 0 and (best is None or quality > best[0]):
            best = (quality, offer)
    if best is None:
        raise ApiError(
            406,
            "not_acceptable",
            f"Accept: {accept[:100]} matches none of the available representations: {', '.join(offers)}",
        )
    return best[1]


def _parse(item: str) -> tuple[str, float]:
    media, *params = (part.strip() for part in item.split(";"))
    quality = 1.0
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
    return media.lower(), quality


def _quality(offer: str, ranges: Sequence[tuple[str, float]]) -> float:
    """The q of the most specific range that covers ``offer``; 0 when none does."""
    main = offer.split("/")[0]
    specificity, quality = -1, 0.0
    for media, q in ranges:
        if media == offer:
            rank = 2
        elif media == f"{main}/*":
            rank = 1
        elif media == "*/*":
            rank = 0
        else:
            continue
        if rank > specificity:
            specificity, quality = rank, q
    return quality
