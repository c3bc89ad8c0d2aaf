"""Reading ``pulumi preview --json`` (or ``pulumi refresh --preview-only --json``) into steps, and
refusing anything else with one clear line.

Only what the report needs is kept. Replacement sub-steps (``create-replacement``, ``delete-replaced``,
shown with ``--show-replacement-steps``) are folded into one ``replace`` per resource: a reviewer cares
that a resource is replaced, and the ``replace`` step is the one that carries the reasons.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

REPLACEMENT_OPS = frozenset(
    {"replace", "create-replacement", "delete-replaced", "import-replacement", "discard-replaced"}
)

# Every op a refresh's JSON holds.
REFRESH_OPS = frozenset({"refresh", "update", "delete"})


class PreviewError(ValueError):
    """Input that is not a preview; the message is the one line the CLI prints."""


@dataclass(frozen=True)
class Step:
    """One planned step: what the engine will do to one resource, with the states on either side."""

    op: str
    urn: str
    type: str
    name: str
    id: str | None = None
    old_inputs: Mapping[str, Any] = field(default_factory=dict)
    new_inputs: Mapping[str, Any] = field(default_factory=dict)
    old_outputs: Mapping[str, Any] = field(default_factory=dict)
    new_outputs: Mapping[str, Any] = field(default_factory=dict)
    secret_outputs: frozenset[str] = frozenset()
    dependencies: frozenset[str] = frozenset()
    diff_reasons: tuple[str, ...] | None = None
    replace_reasons: tuple[str, ...] = ()
    detailed_diff: Mapping[str, Mapping[str, Any]] | None = None


@dataclass(frozen=True)
class Preview:
    steps: tuple[Step, ...]
    # The engine's count per op. It counts the unchanged resources that ``steps`` leaves out.
    change_summary: Mapping[str, int] | None = None

    @property
    def is_refresh(self) -> bool:
        """Whether this is ``pulumi refresh --preview-only --json``, told by the JSON alone: a refresh
        lists every resource it read as a ``refresh`` step (the root stack always) and rewrites the ones
        it found changed to ``update`` or ``delete``. A preview's steps are plans (``same`` for the root
        stack); one that also refreshes has plans besides its ``refresh`` steps, and stays a preview."""
        ops = {step.op for step in self.steps}
        return "refresh" in ops and ops <= REFRESH_OPS


def parse(text: str) -> Preview:
    """The preview in ``text``, or PreviewError saying in one line why it is not one."""
    if not text.strip():
        raise PreviewError(
            "empty input: expected the output of `pulumi preview --json` "
            "or `pulumi refresh --preview-only --json`"
        )
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PreviewError(f"not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    if not isinstance(document, dict):
        raise PreviewError(f"expected a JSON object from `pulumi preview --json`, got {_kind(document)}")
    steps = document.get("steps")
    if steps is None:
        failure = _first_error(document.get("diagnostics"))
        reason = f": the preview failed: {failure}" if failure else ""
        raise PreviewError(f"no `steps` in the JSON, so it is not a preview{reason}")
    if not isinstance(steps, list):
        raise PreviewError(f"`steps` must be a list, got {_kind(steps)}")
    parsed = [_step(index, raw) for index, raw in enumerate(steps)]
    return Preview(tuple(_fold_replacements(parsed)), _summary(document.get("changeSummary")))


def split_urn(urn: str) -> tuple[str, str]:
    """Type and name from ``urn:pulumi:stack::project::[parent$]type::name``."""
    parts = urn.split("::", 3)
    if not urn.startswith("urn:pulumi:") or len(parts) != 4:
        raise PreviewError(f"not a Pulumi URN: {urn!r}")
    return parts[2].rsplit("$", 1)[-1], parts[3]


def _step(index: int, raw: object) -> Step:
    if not isinstance(raw, dict):
        raise PreviewError(f"step {index} must be an object, got {_kind(raw)}")
    op, urn = raw.get("op"), raw.get("urn")
    if not isinstance(op, str) or not isinstance(urn, str):
        raise PreviewError(f"step {index} needs a string `op` and `urn`")
    old, new = _mapping(raw.get("oldState"), index), _mapping(raw.get("newState"), index)
    type_, name = split_urn(urn)
    detailed = raw.get("detailedDiff")
    return Step(
        op=op,
        urn=urn,
        type=str(new.get("type") or old.get("type") or type_),
        name=name,
        id=_string(old.get("id")),
        old_inputs=_mapping(old.get("inputs"), index),
        new_inputs=_mapping(new.get("inputs"), index),
        old_outputs=_mapping(old.get("outputs"), index),
        new_outputs=_mapping(new.get("outputs"), index),
        secret_outputs=frozenset(_strings(old.get("additionalSecretOutputs")))
        | frozenset(_strings(new.get("additionalSecretOutputs"))),
        dependencies=frozenset(_strings(old.get("dependencies")))
        | frozenset(_strings(new.get("dependencies"))),
        diff_reasons=tuple(_strings(raw["diffReasons"])) if raw.get("diffReasons") is not None else None,
        replace_reasons=tuple(_strings(raw.get("replaceReasons"))),
        detailed_diff={str(k): v for k, v in detailed.items() if isinstance(v, dict)}
        if isinstance(detailed, dict) and detailed
        else None,
    )


def _fold_replacements(steps: list[Step]) -> list[Step]:
    """One ``replace`` step per replaced resource, where the first of its steps stood."""
    chosen: dict[str, Step] = {}
    for step in steps:
        if step.op in REPLACEMENT_OPS:
            current = chosen.get(step.urn)
            if current is None or (step.op == "replace" and current.op != "replace"):
                chosen[step.urn] = step
    folded: list[Step] = []
    placed: set[str] = set()
    for step in steps:
        if step.op not in REPLACEMENT_OPS:
            folded.append(step)
        elif step.urn not in placed:
            placed.add(step.urn)
            best = chosen[step.urn]
            folded.append(best if best.op == "replace" else _as_replace(best))
    return folded


def _as_replace(step: Step) -> Step:
    return Step(**{**step.__dict__, "op": "replace"})


def _summary(value: object) -> Mapping[str, int] | None:
    if not isinstance(value, dict):
        return None
    counts = {str(op): count for op, count in value.items() if isinstance(count, int) and count > 0}
    return counts or None


def _mapping(value: object, index: int) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PreviewError(f"step {index}: expected an object, got {_kind(value)}")
    return value


def _strings(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def _string(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _first_error(diagnostics: object) -> str:
    if not isinstance(diagnostics, list):
        return ""
    for entry in diagnostics:
        if isinstance(entry, dict) and entry.get("severity") == "error":
            message = str(entry.get("message", "")).strip()
            return message.splitlines()[0] if message else ""
    return ""


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else "null"
    )
