"""Reading resources as the engine shows them to a pack: type tokens, API property names, unknowns.

A pack is shown each resource's properties by their API names (``peerCidr``, ``ipsecTunnelId``), and at
preview any value computed from an output another resource only gets at create is unknown. Hidden
inputs (``__provider``, ``__timeouts``, ...) are bookkeeping, never intent: the CLI leaves them out of
what it shows a stack policy today, and nothing here reads them in any case.

``pulumi-policy`` raises on reading an unknown, which would abandon a whole check because of one value;
here an unknown is a value of its own (``Unknown``), so a check goes on with what is known and says
what it could not see (``defer``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from fdipsec_pulumi.contract import HIDDEN_INPUTS, SHARE_TYPE, TUNNEL_TYPE

EXEMPT_KEY = "exemptResources"
"""Every policy's config: logical names or URNs of resources the policy leaves alone."""


class Options(Protocol):
    @property
    def protect(self) -> bool: ...


class Record(Protocol):
    """What ``PolicyResource`` and ``ResourceValidationArgs`` both carry."""

    @property
    def resource_type(self) -> str: ...
    @property
    def props(self) -> Mapping[str, Any]: ...
    @property
    def urn(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def opts(self) -> Options: ...


@dataclass(frozen=True)
class Unknown:
    """A value the engine does not know yet (at preview: an output of a resource still to be made)."""

    where: str


def read(record: Record, key: str) -> Any:
    """The property's value, ``None`` when absent, an ``Unknown`` when not known yet.

    Hidden inputs are the SDK's and this package's bookkeeping, never the user's intent: no check reads
    them.
    """
    if key in HIDDEN_INPUTS:
        raise KeyError(f"{key} is a hidden input, not a property a policy may judge")
    try:
        return record.props.get(key)
    except UnknownValueError:
        return Unknown(f"{record.name}.{key}")


def is_tunnel(record: Record) -> bool:
    return record.resource_type == TUNNEL_TYPE


def is_share(record: Record) -> bool:
    return record.resource_type == SHARE_TYPE


def label(record: Record, *details: str) -> str:
    """How a message names a resource: its kind and logical name, the API name when it differs, and the
    values the message is about."""
    kind = record.resource_type.rsplit(":", 1)[-1]
    api_name = read(record, "name") if is_tunnel(record) or is_share(record) else None
    if isinstance(api_name, str) and api_name and api_name != record.name:
        details = (f"name '{api_name}'", *details)
    return f"{kind} '{record.name}'" + (f" ({', '.join(details)})" if details else "")


def in_order(records: Iterable[Record]) -> list[Record]:
    """Resources by logical name: the engine registers them in no fixed order, messages need one."""
    return sorted(records, key=lambda record: (record.name, record.urn))


def exempt(record: Record, config: Mapping[str, Any]) -> bool:
    listed = config.get(EXEMPT_KEY) or ()
    return record.name in listed or record.urn in listed


def dependency_urns(record: Any, key: str) -> set[str]:
    """URNs of the resources a property was computed from, when the engine says (stack policies only)."""
    found = getattr(record, "property_dependencies", None) or {}
    return {dependency.urn for dependency in found.get(key, ())}


def parent_urn(record: Any) -> str | None:
    """The component a resource belongs to, when the engine says (stack policies only)."""
    return getattr(getattr(record, "parent", None), "urn", None)


def depends_on(record: Any, urns: Iterable[str]) -> bool:
    """Whether the record was built from any of these resources (a subnet from its VPC, say)."""
    wanted = set(urns)
    if not wanted:
        return False
    direct = {dependency.urn for dependency in getattr(record, "dependencies", None) or ()}
    by_property = {
        dependency.urn
        for dependencies in (getattr(record, "property_dependencies", None) or {}).values()
        for dependency in dependencies
    }
    return bool(wanted & (direct | by_property))


def defer(unknowns: Sequence[Unknown]) -> None:
    """End a check that could not see everything, after it reported what it could.

    ``pulumi-policy`` answers this exception with an advisory note that the policy could not run during
    preview and at which values; the violations already reported stay. At ``pulumi up`` the engine runs
    stack policies again once the values are known.
    """
    if unknowns:
        raise UnknownValueError(UNKNOWN_STRING_VALUE, [", .".join(sorted({u.where for u in unknowns}))])
