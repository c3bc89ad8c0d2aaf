"""The sentences of a report, once, for both renderers: ``code`` marks up a literal for each medium."""

from __future__ import annotations

from collections.abc import Callable

from fdipsec_pulumi.review.classify import Carried, Change, Resource, Review, TunnelDanger

Code = Callable[[str], str]

OPS = {"replace": "REPLACED", "delete": "DELETED"}
CUT_NOTE = (
    "The report was cut to stay under GitHub's 65,536-character comment limit: {omitted} more "
    "resources are not shown. Run {command} for all of them."
)


def restores(code: Code) -> str:
    return (
        "(restores) marks a value the program did not change: the API's value was changed outside Pulumi "
        f"(drift found by {code('pulumi refresh')}), and this step puts the program's value back."
    )


def nothing_named(resource: Resource, code: Code) -> str:
    """For an update or replacement that names no property; other steps need no explanation."""
    if resource.changes or resource.step.op not in ("update", "replace"):
        return ""
    return (
        "No property is named: the inputs did not change. The provider found a difference with what the "
        f"API holds, or the stack's {code('fdipsec:frontdoorId')} changed. Run "
        f"{code('pulumi preview --diff')} for details."
    )


def marks(item: Change) -> str:
    return (" (forces replacement)" if item.forces_replacement else "") + (
        " (restores)" if item.restores else ""
    )


def title(resource: Resource, code: Code) -> str:
    name = code(resource.step.name)
    if resource.api_name:
        name += f" (API name {code(resource.api_name)})"
    return f"{resource.kind} {name}"


def change(item: Change, code: Code) -> str:
    return f"{code(item.path)}: {code(item.old)} → {code(item.new)}"


def forced_by(resource: Resource, code: Code) -> str:
    forced = resource.forced_by
    if not forced:
        reasons = ", ".join(code(r) for r in resource.step.replace_reasons)
        return f", forced by {reasons}" if reasons else ""
    return ", forced by " + "; ".join(change(item, code) for item in forced)


def tunnel_headline(danger: TunnelDanger, code: Code) -> str:
    op = danger.tunnel.step.op
    reason = forced_by(danger.tunnel, code) if op == "replace" else ""
    return f"{title(danger.tunnel, code)} will be {OPS[op]}{reason}."


def tunnel_consequences(danger: TunnelDanger, code: Code) -> list[str]:
    if danger.tunnel.step.op == "replace":
        lines = [
            "The new tunnel gets a new endpoint (outside IP addresses) and a new pre-shared key: the remote "
            "site's IPsec device must be reconfigured from the new tunnel's sample configuration "
            f"({code('sampleConfig')}) before traffic flows again.",
        ]
    else:
        lines = ["The remote site's IPsec connection ends; its device configuration for this tunnel is void."]
    lines.append(carried_sentence(danger.shares, code))
    return lines


def carried_sentence(shares: tuple[Carried, ...], code: Code) -> str:
    if not shares:
        return "No share in this stack is carried by it."
    named = ", ".join(f"{code(share.name)} ({_done(share.op)})" for share in shares)
    count = "the share" if len(shares) == 1 else f"the {len(shares)} shares"
    return f"Traffic of {count} it carries is interrupted: {named}."


def share_headline(resource: Resource, review: Review, code: Code) -> str:
    op = resource.step.op
    tunnel = review.carrier(resource)
    if op == "replace":
        cause = f" with its tunnel {code(tunnel)}" if tunnel else forced_by(resource, code)
        return (
            f"{title(resource, code)} will be REPLACED{cause}. It gets a new id, and its traffic stops "
            "until the new share is deployed."
        )
    cause = f" with its tunnel {code(tunnel)}" if tunnel else ""
    return f"{title(resource, code)} will be DELETED{cause}: its traffic stops."


def summary(review: Review) -> str:
    return f"Preview: {review.summary}."


def _done(op: str) -> str:
    return {
        "replace": "replaced",
        "delete": "deleted",
        "update": "updated",
        "same": "unchanged",
        "create": "created",
    }.get(op, op)
