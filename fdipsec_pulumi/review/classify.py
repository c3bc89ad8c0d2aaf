"""Sorting a preview's steps into what a reviewer must see first and what is routine.

Dangerous, in order of impact: a tunnel replaced or deleted (a replacement has a new endpoint and a new
pre-shared key, so the remote site's device must be reconfigured, and every share on the tunnel stops
meanwhile); a share replaced or deleted; a share updated in place, which the API carries out by
recreating it (seed 001), so its traffic stops until it is DEPLOYED again. Routine: every other change
of ours, shown property by property. Resources of other packages are only named, since we cannot say
what their changes mean.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fdipsec_pulumi.review import values
from fdipsec_pulumi.review.preview import Preview, Step

TUNNEL_TYPE = "pulumi-python:dynamic/fdipsec:IpsecTunnel"
SHARE_TYPE = "pulumi-python:dynamic/fdipsec:IpsecShare"
OURS = frozenset({TUNNEL_TYPE, SHARE_TYPE})
# Steps that change nothing remotely or in state.
UNCHANGED_OPS = frozenset({"same", "read", "refresh"})
DESTRUCTIVE_OPS = frozenset({"replace", "delete"})
# The API's status of an object that carries no traffic and that the API will not repair.
ERROR = "ERROR"
# Share properties whose change a reviewer must read in the danger section, by name.
INGRESS_PORT = "ingressPort"
TARGET = "target"
# The order ops are counted in, as the CLI's summary lists them.
OP_ORDER = ("create", "update", "replace", "delete", "import", "discard", "same")
_PATH_PART = re.compile(r'\["((?:[^"\\]|\\.)*)"\]|\[(\d+)\]|([^.\[\]]+)')


@dataclass(frozen=True)
class Change:
    """One property, shown as the report may show it (secrets already withheld)."""

    path: str
    old: str
    new: str
    forces_replacement: bool = False
    # The program did not change it: the API's value drifted, and the step puts the program's back.
    restores: bool = False


@dataclass(frozen=True)
class Resource:
    step: Step
    changes: tuple[Change, ...]

    @property
    def kind(self) -> str:
        return self.step.type.rsplit(":", 1)[-1]

    @property
    def api_name(self) -> str | None:
        """The object's name in the API when it differs from the Pulumi resource name."""
        name = self.step.new_inputs.get("name") or self.step.old_inputs.get("name")
        return str(name) if isinstance(name, str) and name != self.step.name else None

    @property
    def in_error(self) -> bool:
        """Whether the state says the API holds it in ERROR (a refresh found it so); our providers
        replace such an object, with ``status`` as the reason."""
        status = self.step.new_outputs.get("status", self.step.old_outputs.get("status"))
        return self.step.type in OURS and status == ERROR

    @property
    def forced_by(self) -> tuple[Change, ...]:
        """The properties that force a replacement; for a replacement the engine gave no reasons for
        (a share replaced with its tunnel), the properties that change."""
        forced = tuple(change for change in self.changes if change.forces_replacement)
        return forced or (self.changes if self.step.op == "replace" else ())


@dataclass(frozen=True)
class Carried:
    """A share on a tunnel in danger, and what the plan does to it."""

    name: str
    op: str


@dataclass(frozen=True)
class TunnelDanger:
    tunnel: Resource
    shares: tuple[Carried, ...]


@dataclass(frozen=True)
class Review:
    counts: Mapping[str, int]
    tunnels: tuple[TunnelDanger, ...]
    shares: tuple[Resource, ...]
    # Shares updated in place: recreated by the API, so interrupted too. Port changes first.
    share_updates: tuple[Resource, ...]
    changed: tuple[Resource, ...]
    others: tuple[Step, ...]

    @property
    def summary(self) -> str:
        ordered = sorted(self.counts.items(), key=lambda item: _op_rank(item[0]))
        parts = [f"{count} {'unchanged' if op == 'same' else 'to ' + op}" for op, count in ordered]
        return ", ".join(parts) if parts else "no resources"

    @property
    def has_danger(self) -> bool:
        return bool(self.tunnels or self.shares or self.share_updates)

    def carrier(self, share: Resource) -> str | None:
        """The name of the tunnel in danger that carries ``share``, if one does: the share's own
        reason is then its tunnel, not the ``ipsecTunnelId`` that becomes unknown."""
        for danger in self.tunnels:
            if any(carried.name == share.step.name for carried in danger.shares):
                return danger.tunnel.step.name
        return None


def review(preview: Preview) -> Review:
    steps = preview.steps
    ours = [Resource(step, changes(step)) for step in steps if step.type in OURS]
    tunnels = tuple(
        TunnelDanger(resource, carried(resource.step, steps))
        for resource in ours
        if resource.step.type == TUNNEL_TYPE and resource.step.op in DESTRUCTIVE_OPS
    )
    shares = tuple(r for r in ours if r.step.type == SHARE_TYPE and r.step.op in DESTRUCTIVE_OPS)
    updated = [r for r in ours if r.step.type == SHARE_TYPE and r.step.op == "update"]
    return Review(
        counts=preview.change_summary or Counter(step.op for step in steps),
        tunnels=tunnels,
        shares=shares,
        share_updates=tuple(sorted(updated, key=lambda r: changed_property(r, INGRESS_PORT) is None)),
        changed=tuple(r for r in ours if r.step.op not in UNCHANGED_OPS),
        others=tuple(s for s in steps if s.type not in OURS and s.op not in UNCHANGED_OPS),
    )


def is_ours(step: Step) -> bool:
    return step.type in OURS


def interrupts(step: Step) -> bool:
    """Whether a planned step stops IPsec traffic: a tunnel replaced or deleted, a share replaced,
    deleted or updated (an update recreates the share)."""
    if step.type == TUNNEL_TYPE:
        return step.op in DESTRUCTIVE_OPS
    return step.type == SHARE_TYPE and (step.op in DESTRUCTIVE_OPS or step.op == "update")


def changed_property(resource: Resource, name: str) -> Change | None:
    """The change of the top-level property ``name``, if the step changes it."""
    return next((change for change in resource.changes if _top(change.path) == name), None)


def changes(step: Step) -> tuple[Change, ...]:
    """What changes, by property: the engine's detailed diff when it gave one, else the inputs compared
    (it gives none for a share replaced because its tunnel is), else, for ours, the drift the step
    repairs. Hidden inputs (``__provider``, ...) are the package's business, never the reviewer's."""
    if step.op in UNCHANGED_OPS or step.op == "delete":
        return ()
    forced = set(step.replace_reasons)
    if step.detailed_diff is not None:
        return tuple(_detailed(step, step.detailed_diff, forced))
    found = _input_changes(step, forced)
    if not found and step.op in ("update", "replace") and step.type in OURS:
        found = _drift(step, forced)
    return tuple(found)


def _detailed(step: Step, detailed: Mapping[str, Mapping[str, Any]], forced: set[str]) -> list[Change]:
    found: list[Change] = []
    for path, entry in detailed.items():
        if _hidden(path):
            continue
        old_side = step.old_inputs if entry.get("inputDiff", True) else step.old_outputs
        kind = str(entry.get("kind", "update"))
        old_found, old = _lookup(old_side, path)
        new_found, new = _lookup(step.new_inputs, path)
        found.append(
            Change(
                path,
                values.show(path, old, step.secret_outputs, missing=not old_found or kind.startswith("add")),
                values.show(
                    path, new, step.secret_outputs, missing=not new_found or kind.startswith("delete")
                ),
                kind.endswith("-replace") or _top(path) in forced,
            )
        )
    return found


def _input_changes(step: Step, forced: set[str]) -> list[Change]:
    created = step.op == "create"
    keys = sorted(step.new_inputs) if created else sorted(set(step.old_inputs) | set(step.new_inputs))
    found: list[Change] = []
    for key in keys:
        old, new = step.old_inputs.get(key), step.new_inputs.get(key)
        if _hidden(key) or (not created and not _differs(old, new)):
            continue
        found.append(
            Change(
                key,
                values.show(key, old, step.secret_outputs, missing=created),
                values.show(key, new, step.secret_outputs),
                key in forced,
            )
        )
    return found


def _drift(step: Step, forced: set[str]) -> list[Change]:
    """An update or replacement of ours whose inputs did not change: our provider compared the inputs
    with what the API holds (the recorded outputs), which a refresh found changed out of band. Those
    differences are what the step restores. Inputs the program omits are left to the API."""
    return [
        Change(
            key,
            values.show(key, step.old_outputs.get(key), step.secret_outputs),
            values.show(key, new, step.secret_outputs),
            key in forced,
            restores=True,
        )
        for key, new in sorted(step.new_inputs.items())
        if not _hidden(key) and new is not None and _differs(step.old_outputs.get(key), new)
    ]


def carried(tunnel: Step, steps: Iterable[Step]) -> tuple[Carried, ...]:
    """The shares in the plan that sit on ``tunnel``: by dependency, or by its id in their inputs."""
    found = []
    for step in steps:
        if step.type != SHARE_TYPE:
            continue
        on_it = tunnel.urn in step.dependencies or (
            tunnel.id is not None
            and tunnel.id in (step.old_inputs.get("ipsecTunnelId"), step.old_outputs.get("ipsecTunnelId"))
        )
        if on_it:
            found.append(Carried(step.name, step.op))
    return tuple(found)


def _hidden(path: str) -> bool:
    return _top(path).startswith("__")


def _top(path: str) -> str:
    parts = _parts(path)
    return str(parts[0]) if parts else path


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) != float(new)
    return bool(old != new)


def _parts(path: str) -> list[str | int]:
    parts: list[str | int] = []
    for quoted, index, plain in _PATH_PART.findall(path):
        parts.append(int(index) if index else (quoted or plain))
    return parts


def _lookup(props: Mapping[str, Any], path: str) -> tuple[bool, Any]:
    """The value at a detailed-diff path such as ``tunnels[0].status`` or ``tags["a.b"]``."""
    current: Any = props
    for part in _parts(path):
        indexable = isinstance(part, int) and isinstance(current, list) and part < len(current)
        if not indexable and not (isinstance(part, str) and isinstance(current, dict) and part in current):
            return False, None
        current = current[part]
    return True, current


def _op_rank(op: str) -> int:
    return OP_ORDER.index(op) if op in OP_ORDER else len(OP_ORDER) - 1
