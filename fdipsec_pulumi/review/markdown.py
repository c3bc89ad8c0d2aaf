"""The reports as GitHub-flavoured Markdown, for a pull-request comment or a drift issue.

Dangers come first and are never folded away; long lists go into ``<details>``. A comment longer than
65,536 characters is refused by GitHub, so a report is assembled block by block and stops, with a
note, before it would pass the limit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from fdipsec_pulumi.review import wording
from fdipsec_pulumi.review.classify import Resource, Review
from fdipsec_pulumi.review.drift import Drift
from fdipsec_pulumi.review.preview import Step

LIMIT = 65_536
# Lists longer than this go into <details>.
FOLD_AFTER = 10
HEADING = "## fdipsec preview"
DRIFT_HEADING = "## fdipsec drift"
# First line of every report, so that a CI job finds its own comment to update rather than add another.
MARKER = "<!-- fdipsec-review -->"
DRIFT_MARKER = "<!-- fdipsec-drift -->"
# Room kept for the note that says a report was cut.
_NOTE_ROOM = len(wording.CUT_NOTE) + 64


def code(text: str) -> str:
    """A code span that survives any content, table cells included (a pipe would end the cell)."""
    text = text.replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    pad = " " if fence == "``" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


@dataclass
class _Report:
    """Blocks that fit within ``limit``; once one does not, no more are added. Each block says which
    resources (URNs) it shows, so a cut can say how many resources the reader does not see at all."""

    limit: int
    blocks: list[str] = field(default_factory=list)
    size: int = 0
    cut: bool = False
    shown: set[str] = field(default_factory=set)

    def add(self, block: str, urns: Iterable[str] = (), reserve: int = 0) -> bool:
        if self.cut or self.size + len(block) + 2 + reserve > self.limit:
            self.cut = True
            return False
        self.blocks.append(block)
        self.size += len(block) + 2
        self.shown.update(urns)
        return True

    def text(self) -> str:
        return "\n\n".join(self.blocks) + "\n"


def render(review: Review, limit: int = LIMIT) -> str:
    report = _Report(limit - _NOTE_ROOM)
    report.add(f"{MARKER}\n{HEADING}\n\n**{wording.summary(review)}**")
    if review.has_danger:
        report.add(f"### ⚠️ Interrupts IPsec traffic\n\n> [!WARNING]\n> {wording.DANGER}")
        for danger in review.tunnels:
            lines = wording.tunnel_consequences(danger, code)
            report.add(_item(wording.tunnel_headline(danger, code), lines), [danger.tunnel.step.urn])
        for share in review.shares:
            report.add(_item(wording.share_headline(share, review, code)), [share.step.urn])
        for share in review.share_updates:
            lines = wording.share_update_consequences(share, code)
            report.add(_item(wording.share_update_headline(share, code), lines), [share.step.urn])
    if review.changed:
        blocks = [(_table(resource), [resource.step.urn]) for resource in review.changed]
        more = f"{len(blocks) - FOLD_AFTER} more resources"
        _section(report, "### Changes", blocks, FOLD_AFTER, more)
    if review.others:
        more = f"{len(review.others) - FOLD_AFTER} more other resources"
        _section(report, "### Other resources", _chunks(review.others), 1, more)
    every = {r.step.urn for r in review.changed} | {s.urn for s in review.others}
    return _finish(report, every, "pulumi preview --diff")


def render_drift(drift: Drift, limit: int = LIMIT) -> str:
    """The drift report: by what was found, each with what the next ``up`` does about it."""
    report = _Report(limit - _NOTE_ROOM)
    report.add(f"{DRIFT_MARKER}\n{DRIFT_HEADING}\n\n**{wording.drift_summary(drift)}**")
    if drift.named or drift.unnamed:
        report.add(f"> [!NOTE]\n> {wording.drift_premise(code)}")
    if drift.deleted:
        report.add("### Deleted outside Pulumi")
        for resource in drift.deleted:
            headline, next_up = wording.deleted(resource, drift, code)
            report.add(_item(headline, [next_up]), [resource.step.urn])
    if drift.changed:
        report.add("### Inputs changed outside Pulumi")
        for resource in drift.changed:
            lines = [wording.drift_change(item, code) for item in resource.changes]
            lines.append(wording.changed(resource, code))
            report.add(_item(wording.title(resource, code), lines), [resource.step.urn])
    if drift.in_error:
        report.add("### Found in ERROR")
        for resource in drift.in_error:
            headline, next_up = wording.in_error(resource, drift, code)
            lines = [wording.drift_change(item, code) for item in wording.beside_status(resource)]
            report.add(_item(headline, [*lines, next_up]), [resource.step.urn])
    if drift.unnamed:
        report.add(f"### Changed, not named by the engine\n\n{wording.unnamed(drift.unnamed, code)}")
    if drift.others:
        more = f"{len(drift.others) - FOLD_AFTER} more other resources"
        _section(report, "### Other resources", _chunks(drift.others, "found"), 1, more)
    every = {r.step.urn for r in drift.named} | {s.urn for s in drift.others}
    return _finish(report, every, "pulumi refresh --preview-only --diff")


def _item(headline: str, lines: Iterable[str] = ()) -> str:
    return "\n".join([f"- **{headline}**", *(f"  - {line}" for line in lines)])


def _finish(report: _Report, every: set[str], command: str) -> str:
    text = report.text()
    if report.cut:
        if text.count("<details>") > text.count("</details>"):
            text += "\n</details>\n"
        omitted = len(every - report.shown)
        text += "\n> " + wording.CUT_NOTE.format(omitted=omitted, command=code(command)) + "\n"
    return text


def _section(
    report: _Report, heading: str, blocks: list[tuple[str, list[str]]], visible: int, more: str
) -> None:
    """The heading, then the blocks; after the first ``visible`` the rest go into one <details>."""
    if not report.add(heading):
        return
    closing = "</details>"
    for index, (block, urns) in enumerate(blocks):
        if index == visible:
            report.add(f"<details><summary>{more}</summary>", reserve=len(closing))
        if not report.add(block, urns, reserve=len(closing) if index >= visible else 0):
            return
    if len(blocks) > visible:
        report.add(closing)


def _table(resource: Resource) -> str:
    step = resource.step
    head = f"#### {step.op}: {wording.title(resource, code)}"
    if not resource.changes:
        note = wording.nothing_named(resource, code)
        return f"{head}\n\n{note}" if note else head
    rows = [
        f"| {code(item.path)}{wording.marks(item)} | {code(item.old)} → {code(item.new)} |"
        for item in resource.changes
    ]
    table = "\n".join([head, "", "| property | old → new |", "| --- | --- |", *rows])
    if any(item.restores for item in resource.changes):
        table += f"\n\n{wording.restores(code)}"
    return table


def _chunks(steps: tuple[Step, ...], column: str = "operation") -> list[tuple[str, list[str]]]:
    """Other resources as tables of ``FOLD_AFTER`` rows, so that a cut drops rows, not the whole list.
    In a drift report, the op column says what the refresh found (``update`` is a change)."""
    header = f"| type | name | {column} |\n| --- | --- | --- |\n"
    chunks = [steps[i : i + FOLD_AFTER] for i in range(0, len(steps), FOLD_AFTER)]
    shown = wording.found if column == "found" else str
    return [
        (
            header + "\n".join(f"| {code(s.type)} | {code(s.name)} | {shown(s.op)} |" for s in chunk),
            [s.urn for s in chunk],
        )
        for chunk in chunks
    ]
