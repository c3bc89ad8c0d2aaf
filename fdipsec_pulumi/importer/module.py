"""The generated module: a docstring that says what it is, the objects left out, then one declaration per
object, each tunnel followed by its shares. Nothing in it depends on when or where it was written, so the
same Frontdoor gives the same file, and it holds only inputs: never a pre-shared key, a sample
configuration or a credential, which the importer never reads.
"""

from __future__ import annotations

import textwrap

from fdipsec_pulumi.client.models import Share
from fdipsec_pulumi.importer import naming
from fdipsec_pulumi.importer.fields import TUNNEL_REFERENCE, share_arguments, tunnel_arguments
from fdipsec_pulumi.importer.inventory import Inventory, LeftOut
from fdipsec_pulumi.importer.source import INDENT, LINE_LENGTH, Call, Code, Value, call

OPTIONS = "pulumi.ResourceOptions"


def render(inventory: Inventory, frontdoor_argument: str | None = None) -> str:
    """``frontdoor_argument``: written as every resource's ``frontdoor_id``, for a Frontdoor other than
    the one the stack's settings name."""
    names = resource_names(inventory)
    variables = {key: naming.variable(name) for key, name in names.items()}
    blocks = [_docstring(inventory)]
    if inventory.left_out:
        blocks.append(_left_out(inventory.left_out))
    imports = _imports(inventory)
    if imports:
        blocks.append(imports)
    shares_on: dict[str, list[Share]] = {}
    for share in inventory.shares:
        shares_on.setdefault(share.ipsec_tunnel_id, []).append(share)
    for tunnel in inventory.tunnels:
        key = ("tunnel", tunnel.id)
        arguments: dict[str, Value] = dict(tunnel_arguments(tunnel))
        blocks.append(
            _declaration(variables[key], "IpsecTunnel", names[key], arguments, tunnel.id, frontdoor_argument)
        )
        blocks.extend(
            _share(share, names, variables, inventory, frontdoor_argument)
            for share in shares_on.pop(tunnel.id, [])
        )
    # Shares whose tunnel the filters left out, by that tunnel's id, in the inventory's order.
    blocks.extend(
        _share(share, names, variables, inventory, frontdoor_argument)
        for share in inventory.shares
        if share.ipsec_tunnel_id in shares_on
    )
    return "\n\n".join(blocks) + "\n"


def _share(
    share: Share,
    names: dict[tuple[str, str], str],
    variables: dict[tuple[str, str], str],
    inventory: Inventory,
    frontdoor_argument: str | None,
) -> str:
    """A share refers to its tunnel's variable, or, when the tunnel is not declared here, to its id."""
    key = ("share", share.id)
    arguments: dict[str, Value] = dict(share_arguments(share))
    comments: dict[str, str] = {}
    tunnel = variables.get(("tunnel", share.ipsec_tunnel_id))
    if tunnel is not None:
        arguments[TUNNEL_REFERENCE] = Code(f"{tunnel}.id")
    else:
        comments[TUNNEL_REFERENCE] = _outside(inventory, share.ipsec_tunnel_id)
    return _declaration(
        variables[key], "IpsecShare", names[key], arguments, share.id, frontdoor_argument, comments
    )


def resource_names(inventory: Inventory) -> dict[tuple[str, str], str]:
    """Resource names by (kind, id): from the API names, distinct, the same on every run.

    Tunnels are named first, among themselves, and keep their names whatever shares are added later; a
    share then clashes with them or with other shares, and takes its tunnel's name in front."""
    tunnels = naming.assign(
        {
            ("tunnel", tunnel.id): naming.tunnel_candidates(tunnel.name, tunnel.id)
            for tunnel in inventory.tunnels
        }
    )
    candidates: dict[tuple[str, str], list[str]] = {key: [name] for key, name in tunnels.items()}
    for share in inventory.shares:
        on = inventory.all_tunnels.get(share.ipsec_tunnel_id)
        prefix = tunnels.get(("tunnel", share.ipsec_tunnel_id)) or naming.slug(
            on.name if on is not None else ""
        )
        candidates[("share", share.id)] = naming.share_candidates(
            share.name, share.id, prefix or naming.slug(share.ipsec_tunnel_id)
        )
    return naming.assign(candidates)


def _declaration(
    variable: str,
    cls: str,
    resource_name: str,
    arguments: dict[str, Value],
    object_id: str,
    frontdoor_argument: str | None,
    comments: dict[str, str] | None = None,
) -> str:
    keywords: list[tuple[str, Value | Call]] = list(arguments.items())
    if frontdoor_argument is not None:
        keywords.append(("frontdoor_id", frontdoor_argument))
    keywords.append(("opts", Call(OPTIONS, keywords=(("import_", object_id),))))
    node = Call(cls, (resource_name,), tuple(keywords), split=True, comments=tuple((comments or {}).items()))
    return call(node, lead=f"{variable} = ")


def _docstring(inventory: Inventory) -> str:
    tunnels = _count(len(inventory.tunnels), "tunnel")
    shares = _count(len(inventory.shares), "share")
    return "\n".join(
        [
            '"""IPsec tunnels and shares of one Frontdoor, written by fdipsec-import.',
            "",
            f"Frontdoor {inventory.frontdoor_id}: {tunnels} and {shares}.",
            "Import this module from the stack's program to declare them. On the next `pulumi up`",
            "each `import_` adopts its object as it is, without writing to it; once they are in the",
            "stack's state the `import_` options change nothing and can be removed (see",
            "docs/adoption.md in fdipsec-pulumi).",
            '"""',
        ]
    )


def _left_out(left_out: list[LeftOut]) -> str:
    lines = ["# Left out, as they cannot be imported:"]
    width = LINE_LENGTH - len("# - ")
    for item in left_out:
        text = f"{item.kind} {_printable(item.name)} ({item.id}): {_printable(item.reason)}"
        wrapped = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]
        lines.append(f"# - {wrapped[0]}")
        lines.extend(f"#   {line}" for line in wrapped[1:])
    return "\n".join(lines)


def _imports(inventory: Inventory) -> str:
    classes = [
        cls
        for cls, objects in (("IpsecShare", inventory.shares), ("IpsecTunnel", inventory.tunnels))
        if objects
    ]
    if not classes:
        return ""
    # As isort sorts them when both are third-party, as they are in a user's project.
    return f"import pulumi\nfrom fdipsec_pulumi import {', '.join(classes)}"


def _outside(inventory: Inventory, tunnel_id: str) -> str:
    tunnel = inventory.all_tunnels.get(tunnel_id)
    if tunnel is None:
        return "its tunnel is not declared in this module"
    end = " is not declared in this module"
    room = LINE_LENGTH - len(f"{INDENT}# tunnel {end}")
    name = _printable(tunnel.name)
    return f"tunnel {name if len(name) <= room else name[: room - 3] + '...'}{end}"


def _count(number: int, noun: str) -> str:
    if number == 0:
        return f"no {noun}s"
    return f"{number} {noun}" + ("" if number == 1 else "s")


def _printable(text: str) -> str:
    """One line of visible characters: comments end at a newline, and an API's text may hold any."""
    return " ".join("".join(char if char.isprintable() else " " for char in text).split())
