"""Resource records shaped as the engine gives them to a pack, and the pack's policies run on them.

The engine sends each resource's properties as a protobuf Struct, with an unknown value as the SDK's
sentinel string and a secret as the SDK's secret object; ``pulumi-policy`` turns the Struct into a dict
and wraps it so that reading an unknown raises. These records go through the very same steps
(``json_format``, ``deserialize_properties``, ``unknown_checking_proxy``), so the policies see here what
they see under ``pulumi preview``. The records also carry the hidden inputs of a Python dynamic resource
(the CLI leaves ``__``-prefixed keys out today), so a policy that read them would show here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi_policy import (
    Policy,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError, unknown_checking_proxy

from fdipsec_pulumi.contract import PROVIDER_KEY, SHARE_TYPE, TIMEOUTS_KEY, TUNNEL_TYPE
from fdipsec_pulumi.policy.policies import policies

UNKNOWN = UNKNOWN_STRING_VALUE
"""A value not known at preview, as the engine sends it."""
SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_VALUE_SIG = "1b47061264138c4ac30d75fd1eb44270"
VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"


def secret(value: Any) -> dict[str, Any]:
    return {SECRET_SIG: SECRET_VALUE_SIG, "value": value}


def urn(type_token: str, name: str) -> str:
    return f"urn:pulumi:test::guardrails::{type_token}::{name}"


def props(values: Mapping[str, Any]) -> Mapping[str, Any]:
    struct = json_format.ParseDict(dict(values), struct_pb2.Struct())
    proxied: Mapping[str, Any] = unknown_checking_proxy(
        deserialize_properties(json_format.MessageToDict(struct))
    )
    return proxied


def resource(
    type_token: str,
    name: str,
    values: Mapping[str, Any],
    *,
    protect: bool = False,
    computed_from: Mapping[str, list[PolicyResource]] | None = None,
    parent: PolicyResource | None = None,
) -> PolicyResource:
    """``computed_from``: property name to the resources its value came from (the engine's
    propertyDependencies), which also become the resource's dependencies."""
    options = PolicyResourceOptions(protect, [], None, [], PolicyCustomTimeouts(0, 0, 0), [])
    computed = dict(computed_from or {})
    dependencies = [dependency for found in computed.values() for dependency in found]
    return PolicyResource(
        type_token, props(values), urn(type_token, name), name, options, None, parent, dependencies, computed
    )


def hidden() -> dict[str, Any]:
    """What a dynamic resource's inputs carry besides the user's: never judged, sometimes unknown."""
    return {PROVIDER_KEY: secret("gASVpickled"), TIMEOUTS_KEY: UNKNOWN, "__owner": "test/guardrails/x"}


def tunnel(name: str, peer_cidr: Any = "172.31.0.0/16", **values: Any) -> PolicyResource:
    options = {key: values.pop(key) for key in ("protect", "computed_from") if key in values}
    inputs = {"name": f"{name}-api", "peerPublicIp": "203.0.113.10", "peerCidr": peer_cidr, **values}
    return resource(TUNNEL_TYPE, name, {**hidden(), **inputs}, **options)


def share(name: str, **values: Any) -> PolicyResource:
    computed_from = values.pop("computed_from", None)
    inputs = {"name": name, "envZId": "ijcrWb-ZOq", "target": "10.20.0.1:443", "ingressPort": 443, **values}
    return resource(SHARE_TYPE, name, {**hidden(), **inputs}, computed_from=computed_from)


def policy(name: str) -> Policy:
    (found,) = [p for p in policies() if p.name == name]
    return found


@dataclass
class Outcome:
    """What a policy reported: (message, urn) pairs, and what it could not see at preview."""

    violations: list[tuple[str, str | None]] = field(default_factory=list)
    deferred: str | None = None

    @property
    def messages(self) -> list[str]:
        return [message for message, _ in self.violations]


def run_stack(name: str, resources: list[PolicyResource], config: Mapping[str, Any] | None = None) -> Outcome:
    outcome = Outcome()
    try:
        policy(name).validate(  # type: ignore[attr-defined]
            StackValidationArgs(resources, dict(config or {})),
            lambda message, at=None: outcome.violations.append((message, at)),
        )
    except UnknownValueError as unknown:
        outcome.deferred = unknown.message
    return outcome


def run_resource(name: str, record: PolicyResource, config: Mapping[str, Any] | None = None) -> Outcome:
    outcome = Outcome()
    args = ResourceValidationArgs(
        record.resource_type, record.props, record.urn, record.name, record.opts, None, dict(config or {})
    )
    policy(name).validate(  # type: ignore[attr-defined]
        args, lambda message, at=None: outcome.violations.append((message, at))
    )
    return outcome
