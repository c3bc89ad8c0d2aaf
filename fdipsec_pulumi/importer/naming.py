"""Resource names and Python variable names for the objects of one Frontdoor.

A resource name is part of the resource's URN, so it must be the same on every run for the same
objects: it is derived from the API name alone (ASCII, lowercase, words joined by hyphens), and only
names that would clash get more: a share first takes its tunnel's name in front, then the object's id
at the end. Every name is also a plain Python name once its hyphens become underscores (one that would
be a keyword, a builtin or ``pulumi`` gets its kind in front), so the variable follows from the name
and two distinct resource names never share a variable.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

KeyT = TypeVar("KeyT", bound=Hashable)

# Long enough for any sensible name, short enough for a readable variable.
MAX_LENGTH = 63
# Names the generated module imports; builtins would be shadowed, keywords would not parse.
_TAKEN = frozenset(dir(builtins)) | {"pulumi"}


def slug(text: str) -> str:
    """``Customer A / DC-1`` -> ``customer-a-dc-1``; empty when nothing ASCII is left."""
    # Accents come off (NFKD, then the combining marks go); anything else that is not an ASCII letter
    # or digit separates words.
    letters = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    joined = "-".join(re.findall(r"[a-z0-9]+", letters.lower()))
    return joined[:MAX_LENGTH].rstrip("-")


def variable(resource_name: str) -> str:
    return resource_name.replace("-", "_")


def usable(identifier: str) -> bool:
    """A name a person could give a module-level variable: valid, and hiding nothing."""
    return (
        identifier.isidentifier()
        and not keyword.iskeyword(identifier)
        and not keyword.issoftkeyword(identifier)
        and identifier not in _TAKEN
    )


def fitted(kind: str, name: str) -> str:
    """``name``, or ``kind-name`` when ``name`` would not make a usable variable (``10-net``, ``list``)."""
    return name if usable(variable(name)) else f"{kind}-{name}"


def tunnel_candidates(name: str, object_id: str) -> list[str]:
    """From the most to the least readable; the last one is unique to the object."""
    base, ident = slug(name), slug(object_id)
    readable = [fitted("tunnel", base), fitted("tunnel", f"{base}-{ident}")] if base else []
    return [*readable, f"tunnel-{ident}"]


def share_candidates(name: str, object_id: str, tunnel: str) -> list[str]:
    """``tunnel`` is the tunnel's own first candidate (or its id): the share's name on that tunnel."""
    base, ident = slug(name), slug(object_id)
    readable = (
        [fitted("share", part) for part in (base, f"{tunnel}-{base}", f"{base}-{ident}")] if base else []
    )
    return [*readable, f"share-{ident}"]


def assign(candidates: Mapping[KeyT, Sequence[str]]) -> dict[KeyT, str]:
    """One distinct name per key: each takes its first candidate, and every member of a clash moves on
    to its next one, until no two clash. Every member moves, not all but one, so that which object keeps
    the plain name never depends on the order they were listed in."""
    level = dict.fromkeys(candidates, 0)
    while True:
        chosen = {key: candidates[key][level[key]] for key in candidates}
        holders: dict[str, list[KeyT]] = defaultdict(list)
        for key, name in chosen.items():
            holders[name].append(key)
        moved = False
        for keys in holders.values():
            if len(keys) < 2:
                continue
            for key in keys:
                if level[key] < len(candidates[key]) - 1:
                    level[key] += 1
                    moved = True
        if not moved:
            return _numbered(chosen)


def _numbered(chosen: dict[KeyT, str]) -> dict[KeyT, str]:
    """Last candidates that still clash (ids alike once lowercased, say) get numbers, in name order."""
    holders: dict[str, list[KeyT]] = defaultdict(list)
    for key, name in chosen.items():
        holders[name].append(key)
    result = dict(chosen)
    for name, keys in holders.items():
        if len(keys) > 1:
            for number, key in enumerate(sorted(keys, key=str), start=1):
                result[key] = f"{name}-{number}"
    return result
