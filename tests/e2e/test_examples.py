"""The examples run for real: the pulumi CLI deploys them, unchanged, against an in-process emulator.

Each example directory is copied as it is; only its ``virtualenv: ../../.venv`` is pointed at this repo's
virtualenv (the copy lives elsewhere), and the stack config points ``fdipsec:apiUrl`` at the emulator.
aws-vpc is not here: its AWS provider plugin cannot be installed offline, so its wiring is covered by
tests/unit/test_example_aws_vpc.py under Pulumi's mocks.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fdipsec_pulumi.client.models import DEFAULT_FRONTDOOR_ID
from fdipsec_pulumi.emulator import ControlClient, EmulatorServer
from tests.e2e.harness import REPO, VENV, Project

pytestmark = pytest.mark.e2e

EXAMPLES = REPO / "examples"
TOKEN = "fdipsec-local-token"
TUNNEL_TYPE = "pulumi-python:dynamic/fdipsec:IpsecTunnel"
SHARE_TYPE = "pulumi-python:dynamic/fdipsec:IpsecShare"


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    # Small delays, so the providers really wait for DEPLOYED and for deletions.
    with EmulatorServer(tunnel_delay=0.5, share_delay=0.3, delete_delay=0.2) as server:
        yield server


def live(server: EmulatorServer) -> dict[str, list[dict[str, Any]]]:
    with ControlClient(server.root_url) as control:
        dumped = control.dump()
    return {kind: [r for r in found if r["status"] != "DELETED"] for kind, found in dumped.items()}


def example_stack(name: str, tmp_path: Path, server: EmulatorServer, **config: Any) -> Project:
    """A copy of examples/<name> with its own backend, and a stack pointed at ``server``."""
    root = tmp_path / name
    shutil.copytree(EXAMPLES / name, root, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml"))
    manifest = root / "Pulumi.yaml"
    text, count = re.subn(r"virtualenv: \S+", f"virtualenv: {VENV}", manifest.read_text())
    assert count == 1, "the example's Pulumi.yaml should name its virtualenv once"
    manifest.write_text(text)

    project = Project(root=root)
    (root / ".state").mkdir()
    project.run("stack", "init", project.stack)
    values = {"fdipsec:apiUrl": server.url, "fdipsec:frontdoorId": DEFAULT_FRONTDOOR_ID, **config}
    args = [
        arg
        for key, value in values.items()
        for arg in ("--plaintext", f"{key}={value if isinstance(value, str) else json.dumps(value)}")
    ]
    project.run("config", "set-all", "--stack", project.stack, *args, "--secret", f"fdipsec:token={TOKEN}")
    return project


def test_basic_up_update_destroy(tmp_path: Path, server: EmulatorServer) -> None:
    project = example_stack("basic", tmp_path, server)

    project.up()

    outputs = project.outputs()
    assert outputs["tunnelStatus"] == "DEPLOYED" and outputs["shareStatus"] == "DEPLOYED"
    assert outputs["sampleConfig"] == "[secret]"
    assert outputs["endpoint"] == f"{outputs['nlbPrivateIp']}:8443"
    found = live(server)
    [tunnel], [share] = found["tunnels"], found["shares"]
    assert (tunnel["id"], tunnel["name"], tunnel["peerCidr"]) == (
        outputs["tunnelId"],
        "basic-site",
        "172.31.0.0/16",
    )
    assert (share["id"], share["ipsecTunnelId"], share["ingressPort"]) == (
        outputs["shareId"],
        tunnel["id"],
        8443,
    )
    assert "pre-shared" in project.outputs(show_secrets=True)["sampleConfig"].lower()
    project.run("preview", "--expect-no-changes")

    # A share's target updates in place: same share, same tunnel.
    project.run("config", "set", "--stack", project.stack, "shareTarget", "10.20.100.9:8443")
    project.up()
    after = project.outputs()
    assert (after["tunnelId"], after["shareId"]) == (outputs["tunnelId"], outputs["shareId"])
    assert [s["target"] for s in live(server)["shares"]] == ["10.20.100.9:8443"]

    project.run("destroy", "--yes", "--skip-preview")
    assert live(server) == {"tunnels": [], "shares": []}
    assert project.resources(TUNNEL_TYPE) == []


def test_multi_site_one_tunnel_per_location(tmp_path: Path, server: EmulatorServer) -> None:
    project = example_stack("multi-site", tmp_path, server)

    project.up()

    sites = project.outputs()["sites"]
    assert set(sites) == {"dc-east", "dc-west"}
    assert (sites["dc-east"]["locationId"], sites["dc-west"]["locationId"]) == ("us-east-1", "us-west-2")
    found = live(server)
    assert {t["name"]: t["locationId"] for t in found["tunnels"]} == {
        "dc-east": "us-east-1",
        "dc-west": "us-west-2",
    }
    by_tunnel = {t["id"]: t["name"] for t in found["tunnels"]}
    assert sorted((by_tunnel[s["ipsecTunnelId"]], s["name"]) for s in found["shares"]) == [
        ("dc-east", "erp-db"),
        ("dc-east", "erp-web"),
        ("dc-west", "files"),
    ]
    assert len(project.resources(TUNNEL_TYPE)) == 2 and len(project.resources(SHARE_TYPE)) == 3

    project.run("destroy", "--yes", "--skip-preview")
    assert live(server) == {"tunnels": [], "shares": []}
