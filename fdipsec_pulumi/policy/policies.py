"""The pack: each check as a CrossGuard policy, with its name, default enforcement level and config.

Levels follow the cost of the mistake: what makes traffic go to the wrong site, or makes the API refuse
the update halfway, is mandatory; what is usually a mistake but can be meant is advisory. Every level
can be changed per stack with ``--policy-pack-config`` (docs/policy.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    PolicyPack,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)

from fdipsec_pulumi.policy import addresses, claims, network_overlap, peer_overlap, protection
from fdipsec_pulumi.policy.frontdoors import stack_default
from fdipsec_pulumi.policy.records import EXEMPT_KEY

PACK_NAME = "fdipsec-ipsec-guardrails"

EXEMPT: dict[str, Any] = {
    "type": "array",
    "items": {"type": "string"},
    "description": "Logical names or URNs of resources this policy leaves alone.",
}


def schema(**extra: dict[str, Any]) -> PolicyConfigSchema:
    return PolicyConfigSchema(properties={EXEMPT_KEY: EXEMPT, **extra})


def config_of(args: StackValidationArgs | ResourceValidationArgs) -> Mapping[str, Any]:
    return args.get_config() or {}


def peer_cidr_overlap(args: StackValidationArgs, report: ReportViolation) -> None:
    peer_overlap.check(args.resources, config_of(args), stack_default(), report)


def peer_cidr_overlaps_network(args: StackValidationArgs, report: ReportViolation) -> None:
    network_overlap.check(args.resources, config_of(args), report)


def claim_conflict(args: StackValidationArgs, report: ReportViolation) -> None:
    claims.check(args.resources, config_of(args), stack_default(), report)


def not_protected(args: ResourceValidationArgs, report: ReportViolation) -> None:
    protection.check(args, config_of(args), report)


def peer_unreachable(args: ResourceValidationArgs, report: ReportViolation) -> None:
    addresses.check_peer(args, config_of(args), report)


def share_target_public(args: ResourceValidationArgs, report: ReportViolation) -> None:
    addresses.check_share_target(args, config_of(args), report)


def policies() -> list[Policy]:
    return [
        StackValidationPolicy(
            name="ipsec-tunnel-peer-cidr-overlap",
            description="Tunnels of one Frontdoor must have peer networks (peerCidr) that do not overlap.",
            validate=peer_cidr_overlap,
            enforcement_level=EnforcementLevel.MANDATORY,
            config_schema=schema(),
        ),
        StackValidationPolicy(
            name="ipsec-tunnel-peer-cidr-overlaps-vpc",
            description="A tunnel's peer network (peerCidr) must not overlap a VPC or subnet of the stack.",
            validate=peer_cidr_overlaps_network,
            enforcement_level=EnforcementLevel.MANDATORY,
            config_schema=schema(
                **{
                    network_overlap.EXTRA_TYPES_KEY: {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                        "description": "More network resource types: type token to the properties "
                        "holding CIDR blocks.",
                    }
                }
            ),
        ),
        StackValidationPolicy(
            name="ipsec-claim-conflict",
            description="Tunnels of one Frontdoor must not ask for the same locationId or nlbPrivateIp, "
            "nor shares of one tunnel for the same ingressPort.",
            validate=claim_conflict,
            enforcement_level=EnforcementLevel.MANDATORY,
            config_schema=schema(),
        ),
        ResourceValidationPolicy(
            name="ipsec-tunnel-not-protected",
            description="Tunnels should be protected (protect=True): deleting one cuts a site off.",
            validate=not_protected,
            enforcement_level=EnforcementLevel.ADVISORY,
            config_schema=schema(),
        ),
        ResourceValidationPolicy(
            name="ipsec-tunnel-peer-unreachable",
            description="A tunnel's peerPublicIp should be reachable from the internet, not a private, "
            "loopback or shared address.",
            validate=peer_unreachable,
            enforcement_level=EnforcementLevel.ADVISORY,
            config_schema=schema(),
        ),
        ResourceValidationPolicy(
            name="ipsec-share-target-public",
            description="A share's target should be a private address: shares exist to reach private "
            "services.",
            validate=share_target_public,
            enforcement_level=EnforcementLevel.ADVISORY,
            config_schema=schema(
                **{
                    addresses.ALLOWED_TARGETS_KEY: {
                        "type": "array",
                        "items": {"type": "string"},
                        "description": "CIDR blocks of public targets that are meant.",
                    }
                }
            ),
        ),
    ]


def serve() -> None:
    """Run the pack for the engine: ``PolicyPack`` serves until the engine stops it."""
    PolicyPack(name=PACK_NAME, policies=policies(), enforcement_level=EnforcementLevel.ADVISORY)
