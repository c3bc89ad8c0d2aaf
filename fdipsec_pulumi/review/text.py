"""The reports as plain text, for a terminal: the same content as the Markdown, without markup."""

from __future__ import annotations

from fdipsec_pulumi.review import wording
from fdipsec_pulumi.review.classify import Review
from fdipsec_pulumi.review.drift import Drift


def code(text: str) -> str:
    return text


def render(review: Review) -> str:
    lines = [wording.summary(review)]
    if review.has_danger:
        lines += ["", "DANGER: these changes interrupt IPsec traffic"]
        for danger in review.tunnels:
            lines.append(f"  ! {wording.tunnel_headline(danger, code)}")
            lines += [f"      {line}" for line in wording.tunnel_consequences(danger, code)]
        for share in review.shares:
            lines.append(f"  ! {wording.share_headline(share, review, code)}")
        for share in review.share_updates:
            lines.append(f"  ! {wording.share_update_headline(share, code)}")
            lines += [f"      {line}" for line in wording.share_update_consequences(share, code)]
    if review.changed:
        lines += ["", "Changes"]
        for resource in review.changed:
            lines.append(f"  {resource.step.op}: {wording.title(resource, code)}")
            lines += [f"      {wording.change(item, code)}{wording.marks(item)}" for item in resource.changes]
            if note := wording.nothing_named(resource, code):
                lines.append(f"      {note}")
            if any(item.restores for item in resource.changes):
                lines.append(f"      {wording.restores(code)}")
    if review.others:
        lines += ["", "Other resources"]
        lines += [f"  {step.op}: {step.type} {step.name}" for step in review.others]
    return "\n".join(lines) + "\n"


def render_drift(drift: Drift) -> str:
    lines = [wording.drift_summary(drift)]
    if drift.named or drift.unnamed:
        lines += ["", wording.drift_premise(code)]
    if drift.deleted:
        lines += ["", "Deleted outside Pulumi"]
        for resource in drift.deleted:
            headline, next_up = wording.deleted(resource, drift, code)
            lines += [f"  ! {headline}", f"      {next_up}"]
    if drift.changed:
        lines += ["", "Inputs changed outside Pulumi"]
        for resource in drift.changed:
            lines.append(f"  ! {wording.title(resource, code)}")
            lines += [f"      {wording.drift_change(item, code)}" for item in resource.changes]
            lines.append(f"      {wording.changed(resource, code)}")
    if drift.in_error:
        lines += ["", "Found in ERROR"]
        for resource in drift.in_error:
            headline, next_up = wording.in_error(resource, drift, code)
            lines.append(f"  ! {headline}")
            lines += [f"      {wording.drift_change(item, code)}" for item in wording.beside_status(resource)]
            lines.append(f"      {next_up}")
    if drift.unnamed:
        lines += ["", "Changed, not named by the engine", f"  {wording.unnamed(drift.unnamed, code)}"]
    if drift.others:
        lines += ["", "Other resources"]
        lines += [f"  {wording.found(step.op)}: {step.type} {step.name}" for step in drift.others]
    return "\n".join(lines) + "\n"
