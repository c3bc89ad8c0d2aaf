"""Plumbing both resource classes share: property-name translation, timeouts and secret outputs."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar, overload

import pulumi

from fdipsec_pulumi.contract import IMPORT_KEY, OWNER_KEY, REPLACE_ON_CHANGES_KEY, TIMEOUTS_KEY

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


def with_secret_outputs(opts: pulumi.ResourceOptions | None, secrets: list[str]) -> pulumi.ResourceOptions:
    return pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=secrets))


T = TypeVar("T")


class OutputAlias(Generic[T]):
    """A camelCase output (the state key) under its snake_case Python name.

    The SDK stores each output on the instance under its state key and resolves it by that key, so the
    key itself cannot be translated; this read-only alias is how ``tunnel.peer_public_ip`` reaches
    ``peerPublicIp``. ``convert`` reshapes the value on the way to the program.
    """

    def __init__(self, key: str, convert: Callable[[Any], T] | None = None) -> None:
        self.key = key
        self.convert = convert

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> OutputAlias[T]: ...
    @overload
    def __get__(self, obj: object, owner: type | None = None) -> pulumi.Output[T]: ...
    def __get__(self, obj: object | None, owner: type | None = None) -> OutputAlias[T] | pulumi.Output[T]:
        if obj is None:
            return self
        output: pulumi.Output[T] = obj.__dict__[self.key]
        return output if self.convert is None else output.apply(self.convert)


def integral(value: Any) -> Any:
    """Numbers cross the engine as doubles, so an API integer (a lifetime, a DH group) would reach the
    program as 28800.0; whole numbers become ints again, inside lists and mappings too."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [integral(item) for item in value]
    if isinstance(value, dict):
        return {key: integral(item) for key, item in value.items()}
    return value


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
