"""The sentences of a report, once, for both renderers: ``code`` marks up a literal for each medium."""

from __future__ import annotations

from collections.abc import Callable

from fdipsec_pulumi.review import classify
from fdipsec_pulumi.review.classify import Carried, Change, Resource, Review, TunnelDanger
from fdipsec_pulumi.review.drift import Drift

Code = Callable[[str], str]

OPS = {"replace": "REPLACED", "delete": "DELETED"}
CUT_NOTE = (
    "The report was cut to stay under GitHub's 65,536-character comment limit: {omitted} more "
    "resources are not shown. Run {command} for all of them."
)
# The output, or the input a refresh reports, that says an object is in ERROR; its headline says so.
STATUS = "status"
DANGER = "These changes cut connectivity. Check them with the owners of the remote sites before merging."
RECONFIGURE = (
    "new endpoint (outside IP addresses) and a new pre-shared key: the remote site's IPsec device must be "
    "reconfigured from the new tunnel's sample configuration ({sample}) before traffic flows again"
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
    if resource.in_error:
        return (
            f"No input changed: {code('pulumi refresh')} found it in ERROR, where it carries no traffic and "
            "the API will not repair it, so it is replaced."
        )
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
    if resource.in_error and all(item.path == STATUS for item in forced):
        return f", forced by {code(STATUS)}: it was found in ERROR"
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
            f"The new tunnel gets a {_reconfigure(code)}.",
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


def share_update_headline(resource: Resource, code: Code) -> str:
    return (
        f"{title(resource, code)} will be UPDATED: the API recreates it with the new configuration, so its "
        "traffic stops until it is DEPLOYED again."
    )


def share_update_consequences(resource: Resource, code: Code) -> list[str]:
    """The changes a reviewer must not read past: a new port breaks clients, a new target moves traffic."""
    lines = []
    if port := classify.changed_property(resource, classify.INGRESS_PORT):
        lines.append(
            f"{change(port, code)}: every client that connects on port {code(port.old)} must switch to "
            f"{code(port.new)}."
        )
    if target := classify.changed_property(resource, classify.TARGET):
        lines.append(f"{change(target, code)}: its traffic goes to the new target.")
    return lines


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


# --- drift ----------------------------------------------------------------------------------------


def drift_summary(drift: Drift) -> str:
    parts = [
        (len(drift.deleted), "deleted outside Pulumi"),
        (len(drift.changed), "changed outside Pulumi"),
        (len(drift.in_error), "found in ERROR"),
        (drift.unnamed, "changed without a named property"),
        (len(drift.others), "of other packages changed or deleted"),
    ]
    found = [f"{count} {what}" for count, what in parts if count]
    return f"Refresh found drift: {', '.join(found)}." if found else "Refresh: no drift found."


def found(op: str) -> str:
    """What a refresh's ``update`` or ``delete`` means."""
    return {"update": "changed outside Pulumi", "delete": "deleted outside Pulumi"}.get(op, op)


def drift_premise(code: Code) -> str:
    return (
        f"What the next {code('up')} does assumes the refresh is applied first ({code('pulumi refresh')}, or "
        f"{code('pulumi up --refresh')}): until then the state holds the old view, and {code('up')} changes "
        "nothing for these."
    )


def deleted(resource: Resource, drift: Drift, code: Code) -> tuple[str, str]:
    """The headline and what the next ``up`` does about an object deleted outside Pulumi."""
    head = f"{title(resource, code)}{_id(resource, code)} was deleted outside Pulumi"
    if resource.step.type == classify.TUNNEL_TYPE:
        return (
            f"{head}: the remote site's IPsec connection has ended.",
            f"Next {code('up')}: creates a new tunnel with a {_reconfigure(code)}. "
            + _moving(drift.moving_shares(resource), code),
        )
    return (
        f"{head}: its traffic has stopped.",
        f"Next {code('up')}: creates it again, with a new id; traffic resumes once it is DEPLOYED.",
    )


def changed(resource: Resource, code: Code) -> str:
    """What the next ``up`` does about inputs changed outside Pulumi. The API changes a share in place
    only (SharePatch), and every tunnel input is replaced, so the repair follows from the kind."""
    if resource.step.type == classify.TUNNEL_TYPE:
        return (
            f"Next {code('up')}: replaces the tunnel to put the program's values back. The new tunnel gets a "
            f"{_reconfigure(code)}, and its shares are replaced with it."
        )
    sentence = (
        f"Next {code('up')}: puts the program's values back; the API recreates the share, so its traffic "
        "stops until it is DEPLOYED again."
    )
    if port := classify.changed_property(resource, classify.INGRESS_PORT):
        sentence += (
            f" Clients that moved to port {code(port.new)} must switch back to {code(port.old)}, or change "
            "the program to keep the new port."
        )
    return sentence


def drift_change(item: Change, code: Code) -> str:
    """``old → new``, where old is what Pulumi recorded and new what the API holds now."""
    return f"{code(item.path)}: {code(item.old)} (in Pulumi) → {code(item.new)} (in the API)"


def in_error(resource: Resource, drift: Drift, code: Code) -> tuple[str, str]:
    head = f"{title(resource, code)}{_id(resource, code)} was found in ERROR: it carries no traffic."
    if resource.step.type == classify.TUNNEL_TYPE:
        return (
            head,
            f"Next {code('up')}: replaces it. The new tunnel gets a {_reconfigure(code)}. "
            + _moving(drift.moving_shares(resource), code),
        )
    return head, f"Next {code('up')}: replaces it; traffic resumes once the new share is DEPLOYED."


def beside_status(resource: Resource) -> tuple[Change, ...]:
    """The changes of an object found in ERROR other than its ``status``, which the headline gives."""
    return tuple(item for item in resource.changes if item.path != STATUS)


def unnamed(count: int, code: Code) -> str:
    which = "resource" if count == 1 else "resources"
    return (
        f"{count} {which} changed outside Pulumi with no input changed, and the refresh's JSON does not say "
        f"which ({code('pulumi refresh --preview-only --diff')} does). For a tunnel or share of this "
        f"package that is an object found in ERROR: it carries no traffic, and the next {code('up')} "
        "replaces it (a tunnel with a new endpoint and pre-shared key)."
    )


def _reconfigure(code: Code) -> str:
    return RECONFIGURE.format(sample=code("sampleConfig"))


def _id(resource: Resource, code: Code) -> str:
    return f", id {code(resource.step.id)}," if resource.step.id else ""


def _moving(shares: tuple[str, ...], code: Code) -> str:
    if not shares:
        return "No share in this stack is on it."
    named = ", ".join(code(name) for name in shares)
    return (
        f"Its shares ({named}) are replaced onto the new tunnel; their traffic stops until they are "
        "DEPLOYED again."
    )
