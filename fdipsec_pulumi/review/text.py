"""The report as plain text, for a terminal: the same content as the Markdown, without markup."""

from __future__ import annotations

from fdipsec_pulumi.review import wording
from fdipsec_pulumi.review.classify import Review


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
