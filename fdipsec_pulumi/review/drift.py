"""What ``pulumi refresh --preview-only --json`` found, in the words of drift rather than of a plan.

The refresh's JSON reuses the words of a plan: an object deleted outside Pulumi is a ``delete`` step, and
one whose inputs the API changed is an ``update`` whose old inputs are what Pulumi recorded and whose new
inputs are what the API holds. An object found in ERROR has no input changed, and the engine's JSON
(v3.276.0, ``backend/display/json.go``) then keeps the step as it was before the read: it shows only in
the ``update`` count of ``changeSummary``. Such objects are counted, not named. One whose recorded state
already says ERROR, or whose inputs changed too, is named.
"""

from __future__ import annotations

from dataclasses import dataclass

from fdipsec_pulumi.review import classify
from fdipsec_pulumi.review.classify import Resource
from fdipsec_pulumi.review.preview import Preview, Step


@dataclass(frozen=True)
class Drift:
    deleted: tuple[Resource, ...]
    changed: tuple[Resource, ...]
    in_error: tuple[Resource, ...]
    # Resources the engine counts as changed without a step that says which: for ours, found in ERROR.
    unnamed: int
    # Other packages' resources found deleted or changed, named only.
    others: tuple[Step, ...]
    steps: tuple[Step, ...]

    @property
    def named(self) -> tuple[Resource, ...]:
        return self.deleted + self.changed + self.in_error

    def moving_shares(self, tunnel: Resource) -> tuple[str, ...]:
        """The shares on a tunnel that must move to its replacement: those not themselves deleted."""
        return tuple(c.name for c in classify.carried(tunnel.step, self.steps) if c.op != "delete")


def read(preview: Preview) -> Drift:
    ours = [step for step in preview.steps if classify.is_ours(step)]
    in_error = [step for step in ours if step.op != "delete" and Resource(step, ()).in_error]
    updates = sum(step.op == "update" for step in preview.steps)
    # A refresh step already in ERROR in the recorded state is counted as an update but shown as read.
    recorded_error = sum(step.op == "refresh" for step in in_error)
    counted = (preview.change_summary or {}).get("update", 0)
    return Drift(
        deleted=tuple(Resource(step, ()) for step in ours if step.op == "delete"),
        changed=tuple(
            Resource(step, classify.changes(step))
            for step in ours
            if step.op == "update" and step not in in_error
        ),
        in_error=tuple(Resource(step, classify.changes(step)) for step in in_error),
        unnamed=max(counted - updates - recorded_error, 0),
        others=tuple(s for s in preview.steps if not classify.is_ours(s) and s.op in ("update", "delete")),
        steps=preview.steps,
    )


def found(drift: Drift, all_resources: bool = False) -> bool:
    """Whether the refresh found drift; the unnamed changes may be ours, so they always count."""
    return bool(drift.named or drift.unnamed or (all_resources and drift.others))
