"""What the generated resource classes call: registering props from a field table, property-name
translation, timeouts, the owner key and import."""

from __future__ import annotations

import copy
import re
import warnings
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

import pulumi

from fdipsec_pulumi.contract import IMPORT_KEY, OWNER_KEY, REPLACE_ON_CHANGES_KEY, TIMEOUTS_KEY
from fdipsec_pulumi.fields.table import Table

if TYPE_CHECKING:
    from fdipsec_pulumi.resources.types import IpsecTunnelConfig, IpsecTunnelEndpoint

_DURATION = re.compile(r"(\d+(?:\.\d+)?)([hms])")
_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0}


def parse_duration(text: str) -> float:
    """Seconds in a Pulumi timeout string such as ``40m``, ``1h30m`` or ``90s``."""
    parts = _DURATION.findall(text.strip())
    if not parts or "".join(f"{n}{u}" for n, u in parts) != text.strip():
        raise ValueError(f"custom_timeouts value {text!r} is not a duration like '40m', '1h30m' or '90s'")
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)


def timeouts_input(opts: pulumi.ResourceOptions | None) -> dict[str, float] | None:
    """custom_timeouts never reaches a dynamic provider, so it travels as a hidden input instead."""
    custom = opts.custom_timeouts if opts is not None else None
    if custom is None:
        return None
    found = {
        operation: parse_duration(value)
        for operation in ("create", "update", "delete")
        if (value := getattr(custom, operation, None))
    }
    return found or None


class WireKeys(dict[str, Any]):
    """Base of the supporting types: a program written against 0.1.0, when ``tunnel_config`` was a plain
    mapping, indexes it by the API's camelCase keys. Such a key still finds its value, with a warning
    that names the attribute to use instead. ``wire_names`` maps the API's names to the Python ones."""

    wire_names: ClassVar[Mapping[str, str]] = MappingProxyType({})

    def __getitem__(self, key: str) -> Any:
        python = self.wire_names.get(key)
        if python is not None and python != key:
            warnings.warn(
                f"{type(self).__name__}[{key!r}] is deprecated: use the attribute .{python}",
                DeprecationWarning,
                stacklevel=2,
            )
            key = python
        return super().__getitem__(key)


def first_endpoint(config: IpsecTunnelConfig | None, resource_name: str) -> IpsecTunnelEndpoint:
    """The configuration document's endpoint: the API returns one per tunnel, once it is DEPLOYED. A
    tunnel read with ``get`` before then has no document, which is said plainly rather than as a
    ``NoneType`` error from inside an apply."""
    if config is None or not config.tunnels:
        raise ValueError(f"IpsecTunnel {resource_name} has no configuration document yet: it is not DEPLOYED")
    return config.tunnels[0]


def resource_props(
    table: Table,
    type_token: str,
    resource_name: str,
    values: Mapping[str, Any],
    opts: pulumi.ResourceOptions | None,
) -> tuple[dict[str, Any], pulumi.ResourceOptions | None]:
    """The properties a resource registers (its inputs, its outputs as None, the hidden inputs) and the
    options it registers them with."""
    if table.secrets:
        opts = pulumi.ResourceOptions.merge(
            opts, pulumi.ResourceOptions(additional_secret_outputs=table.secrets)
        )
    opts, import_id = take_import(opts)
    names = NameMap(table.state_names)
    props = names.props(values, table.output_only, opts, import_id, owner(type_token, resource_name, opts))
    return props, opts


def args_values(args: object, table: Table) -> dict[str, Any]:
    """An Args instance's inputs under their Python names."""
    return {name: getattr(args, name) for name in table.python_inputs}


def owner(type_token: str, resource_name: str, opts: pulumi.ResourceOptions | None) -> str:
    """Which resource of which stack this is: the key create journals its POSTs under, so that only this
    very resource's lost create is adopted (docs/adoption.md). A parent's name is part of it, as it is of
    the URN: two children of different components may share a name."""
    parent = opts.parent if opts is not None else None
    parent_name = getattr(parent, "pulumi_resource_name", None) if parent is not None else None
    path = f"{parent_name}/{resource_name}" if parent_name else resource_name
    stack = (pulumi.get_organization() or "organization", pulumi.get_project(), pulumi.get_stack())
    return "/".join((*stack, f"{type_token}::{path}"))


def take_import(opts: pulumi.ResourceOptions | None) -> tuple[pulumi.ResourceOptions | None, str | None]:
    """Moves ``import_`` out of the options (see IMPORT_KEY): the engine cannot import dynamic resources."""
    if opts is None or not opts.import_:
        return opts, None
    remaining = copy.copy(opts)
    remaining.import_ = None
    return remaining, opts.import_


class NameMap:
    """snake_case Python names <-> the API's camelCase state keys, for one resource type."""

    def __init__(self, snake_to_camel: Mapping[str, str]) -> None:
        self.to_camel = dict(snake_to_camel)
        self.to_snake = {camel: snake for snake, camel in snake_to_camel.items()}

    def input_key(self, prop: str) -> str:
        return self.to_camel.get(prop, prop)

    def props(
        self,
        values: Mapping[str, Any],
        outputs: list[str],
        opts: pulumi.ResourceOptions | None,
        import_id: str | None = None,
        owner_key: str | None = None,
    ) -> dict[str, Any]:
        props: dict[str, Any] = {self.input_key(k): v for k, v in values.items()}
        props.update({self.input_key(k): None for k in outputs})
        props[TIMEOUTS_KEY] = timeouts_input(opts)
        if owner_key is not None:
            props[OWNER_KEY] = owner_key
        if opts is not None and opts.replace_on_changes:
            props[REPLACE_ON_CHANGES_KEY] = [self.input_key(key) for key in opts.replace_on_changes]
        if import_id is not None:
            props[IMPORT_KEY] = import_id
        return props
