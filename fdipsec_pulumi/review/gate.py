"""What ``--fail-on`` refuses: the one place that says which steps each value trips on.

The gate concerns this package's tunnels and shares. A stack that composes them with AWS or other
resources must not fail the IPsec review because a security group is replaced, so other packages'
resources count only when the user asks for them (``--all-resources``). ``disruptive`` is about IPsec
traffic by definition and never looks at other packages. A refresh plans nothing: only ``drift`` and
``any`` look at what it found, and ``drift`` never trips on a preview.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from fdipsec_pulumi.review import classify, drift
from fdipsec_pulumi.review.preview import Preview, Step

# Each value, what it refuses (for --help), in the order --help lists them.
VALUES: Mapping[str, str] = {
    "replace": "a replacement",
    "delete": "a deletion",
    "disruptive": "any step that interrupts IPsec traffic: a tunnel replaced or deleted, a share "
    "replaced, deleted or updated (an update recreates the share)",
    "any": "any change, or any drift in a refresh",
    "drift": "any drift a refresh found (for `pulumi refresh --preview-only --json`)",
}
_PLANNED: Mapping[str, Callable[[Step], bool]] = {
    "replace": lambda step: step.op == "replace",
    "delete": lambda step: step.op == "delete",
    "disruptive": classify.interrupts,
    "any": lambda step: step.op not in classify.UNCHANGED_OPS,
}


class GateError(ValueError):
    """A ``--fail-on`` value that is not one of ``VALUES``; the message is the one line to print."""


def parse(text: str) -> frozenset[str]:
    """``replace,delete`` as a set of values, or GateError naming the unknown ones."""
    wanted = frozenset(part.strip() for part in text.split(",") if part.strip())
    unknown = sorted(wanted - set(VALUES))
    if unknown or not wanted:
        shown = ", ".join(unknown) if unknown else "nothing"
        raise GateError(f"--fail-on got {shown}; it takes one or more of {','.join(VALUES)}, comma-separated")
    return wanted


def tripped(preview: Preview, values: Collection[str], all_resources: bool = False) -> list[str]:
    """The values, in ``VALUES`` order, that the preview (or refresh) trips."""
    if preview.is_refresh:
        found = drift.found(drift.read(preview), all_resources)
        return [value for value in VALUES if value in values and value in ("drift", "any") and found]
    # `disruptive` needs no filter: only tunnels and shares interrupt IPsec traffic.
    steps = [step for step in preview.steps if all_resources or classify.is_ours(step)]
    return [
        value
        for value in VALUES
        if value in values and value in _PLANNED and any(map(_PLANNED[value], steps))
    ]
