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

from tests.e2e.conftest import FRONTDOOR_ID, Emulator, StackFactory
from tests.e2e.harness import VENV, Project

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
