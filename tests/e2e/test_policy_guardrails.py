"""The package's own policy pack on the real engine, against the emulator: found through
``python -m fdipsec_pulumi.policy`` and run in the project's virtualenv, as docs/policy.md says.

A mandatory violation must stop ``pulumi preview`` before the providers write anything, so each test also
reads the emulator's request log.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import FRONTDOOR_ID, Emulator, StackFactory, init_stack
from tests.e2e.harness import VENV, Project, new_project

pytestmark = [pytest.mark.e2e, pytest.mark.sdk_range]

TUNNEL = {"name": "e2e-dc1", "peerPublicIp": "203.0.113.10", "peerCidr": "172.31.0.0/16"}
SECOND = {"name": "e2e-dc2", "peerPublicIp": "198.51.100.20", "peerCidr": "172.31.128.0/17"}
APART = {**SECOND, "peerCidr": "10.77.0.0/16"}
PUBLIC_SHARE = {"name": "public-share", "target": "8.8.8.8:443", "ingressPort": 443}


def pack() -> str:
    """What a user types: the last line of ``python -m fdipsec_pulumi.policy`` in the project's Python."""
    found = subprocess.run(
        [str(VENV / "bin" / "python"), "-m", "fdipsec_pulumi.policy"],
        capture_output=True,
        text=True,
        check=True,
    )
    directory = found.stdout.strip().splitlines()[-1]
    assert (Path(directory) / "PulumiPolicy.yaml").is_file(), found
    return directory


def preview(stack: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return stack.run("preview", "--policy-pack", pack(), *args, check=False)


def second_tunnel(spec: dict[str, Any]) -> dict[str, Any]:
    return {"second": {"kind": "tunnel", "inputs": spec}}


def test_overlapping_peer_cidrs_fail_the_preview_before_any_write(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = make_stack(tunnel=TUNNEL, cases=second_tunnel(SECOND))

    result = preview(stack)

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "[mandatory]  ipsec-tunnel-peer-cidr-overlap" in result.stdout, output
    assert (
        "IpsecTunnel 'second' (name 'e2e-dc2', peerCidr 172.31.128.0/17) and IpsecTunnel 'tunnel' "
        f"(name 'e2e-dc1', peerCidr 172.31.0.0/16) are tunnels of Frontdoor {FRONTDOOR_ID} whose peer "
        "networks overlap in 172.31.128.0/17" in result.stdout
    ), output
    assert emulator.mutations() == []


def test_without_overlap_the_preview_passes_and_advisories_only_warn(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = make_stack(tunnel=TUNNEL, cases=second_tunnel(APART), shares=[PUBLIC_SHARE])

    result = preview(stack)

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "ipsec-tunnel-peer-cidr-overlap" not in result.stdout, output
    assert "[advisory]  ipsec-tunnel-not-protected" in result.stdout, output
    assert "IpsecTunnel 'second' (name 'e2e-dc2') is not protected" in result.stdout, output
    assert "[advisory]  ipsec-share-target-public" in result.stdout, output
    assert "has target 8.8.8.8:443, a public address" in result.stdout, output
    assert emulator.mutations() == []


def test_the_packs_standard_config_sets_levels_and_exemptions(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = make_stack(tunnel=TUNNEL, cases=second_tunnel(SECOND))
    config = stack.root / "guardrails.json"
    config.write_text(
        json.dumps(
            {
                "ipsec-tunnel-peer-cidr-overlap": {"exemptResources": ["second"]},
                "ipsec-tunnel-not-protected": "mandatory",
            }
        )
    )

    result = preview(stack, "--policy-pack-config", str(config))

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "ipsec-tunnel-peer-cidr-overlap" not in result.stdout, output
    assert "[mandatory]  ipsec-tunnel-not-protected" in result.stdout, output
    assert emulator.mutations() == []


# A stand-in for a VPC (no AWS plugin runs here): a dynamic resource whose `message` is a CIDR block,
# made a network type through the pack's config. Like a VPC's `cidr_block`, `message` is known at preview
# (the engine previews it from the input), and `length`, computed at create, is not.
NETWORK_PROGRAM = """\
import pulumi
from pulumi.dynamic import Resource

from fdipsec_pulumi import IpsecTunnel, IpsecTunnelArgs
from tests.e2e.trivial_provider import EchoProvider


class Network(Resource, module="e2e", name="Network"):
    def __init__(self, name, cidr):
        super().__init__(EchoProvider(), name, {"message": cidr, "length": None})


vpc = Network("vpc", "10.60.0.0/16")
IpsecTunnel("own", IpsecTunnelArgs(name="own", peer_public_ip="203.0.113.10", peer_cidr=vpc.message))
if pulumi.Config().get_bool("clash"):
    Network("other", "10.90.0.0/16")
    clash = IpsecTunnelArgs(name="clash", peer_public_ip="198.51.100.7", peer_cidr="10.90.1.0/24")
    IpsecTunnel("clash", clash)
    later = vpc.length.apply(lambda _: "10.61.0.0/16")
    IpsecTunnel("later", IpsecTunnelArgs(name="later", peer_public_ip="198.51.100.8", peer_cidr=later))
"""
NETWORKS = {
    "ipsec-tunnel-peer-cidr-overlaps-vpc": {
        "additionalNetworkTypes": {"pulumi-python:dynamic/e2e:Network": ["message"]}
    }
}


def test_a_peer_network_over_a_stack_network_and_one_unknown_at_preview(
    tmp_path: Path, emulator: Emulator
) -> None:
    project = new_project(tmp_path / "networks", NETWORK_PROGRAM, name="fdipsec-e2e-networks")
    init_stack(project, emulator.server.url, {})
    config = tmp_path / "guardrails.json"
    config.write_text(json.dumps(NETWORKS))

    # 10.60.0.0/16 over 10.60.0.0/16, but the tunnel's peerCidr comes from that very network (the engine
    # tells the pack): the network behind the peer, not a second route.
    own = preview(project, "--policy-pack-config", str(config))
    assert own.returncode == 0, own.stdout + own.stderr
    assert "ipsec-tunnel-peer-cidr-overlaps-vpc" not in own.stdout, own.stdout

    project.run("config", "set", "--stack", project.stack, "clash", "true")
    clash = preview(project, "--policy-pack-config", str(config))

    output = clash.stdout + clash.stderr
    assert clash.returncode != 0, output
    assert "[mandatory]  ipsec-tunnel-peer-cidr-overlaps-vpc" in clash.stdout, output
    assert (
        "IpsecTunnel 'clash' has peerCidr 10.90.1.0/24, which overlaps Network 'other' "
        "(message 10.90.0.0/16) in 10.90.1.0/24" in clash.stdout
    ), output
    # A peer network not known until create: the policy says what it could not see, as an advisory.
    assert (
        "can't run policy 'ipsec-tunnel-peer-cidr-overlaps-vpc' from policy pack 'fdipsec-ipsec-guardrails"
        in clash.stdout
    ), output
    assert "string value at .later.peerCidr can't be known during preview" in clash.stdout, output
    assert emulator.mutations() == []
