"""fdipsec-import on the real engine: a Frontdoor made through the API, written out as a program, adopted
by one ``pulumi up`` without a single write, and previewed clean afterwards (issue 22).

The importer runs as a user runs it: the console script, in the project directory, with no ``FDIPSEC_*``
environment, so every setting (the API URL, the Frontdoor, the secret token) comes from the stack's
config through the pulumi CLI. Set ``FDIPSEC_IMPORT_SAMPLE=<path>`` to keep a copy of the module.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import SHARE_TYPE, TOKEN, TUNNEL_TYPE, Emulator, init_stack
from tests.e2e.harness import Project, new_project

pytestmark = pytest.mark.e2e

TUNNELS = [
    {"name": "customer-a-dc1", "peerPublicIp": "203.0.113.1", "peerCidr": "172.31.0.0/16"},
    {"name": "Customer A / DC 2", "peerPublicIp": "203.0.113.2", "peerCidr": "172.32.0.0/16"},
    {
        "name": "hq",
        "peerPublicIp": "198.51.100.9",
        "peerCidr": "10.60.0.0/16",
        "locationId": "eu-west-1",
        "nlbPrivateIp": "10.1.7.7",
    },
]
# (tunnel index, share): app-db on two tunnels, so the names must tell them apart.
SHARES = [
    (0, {"name": "app-db", "target": "10.20.100.1:5432", "ingressPort": 5432}),
    (0, {"name": "app-web", "target": "10.20.100.2:443", "ingressPort": 443}),
    (0, {"name": "list", "target": "10.20.100.3:8080", "ingressPort": 8080, "locationId": "us-east-1"}),
    (1, {"name": "app-db", "target": "10.30.0.1:5432", "ingressPort": 5432}),
    (1, {"name": "metrics", "target": "10.30.0.9:9090", "ingressPort": 9090}),
    (2, {"name": "ldap", "target": "10.60.1.1:636", "ingressPort": 636}),
]
BROKEN = {"name": "backup", "target": "10.30.0.7:873", "ingressPort": 873}
REASON = "zrok environment ijcrWb-ZOq is offline"
ENV_Z_ID = "ijcrWb-ZOq"


def a_frontdoor(emulator: Emulator) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    """3 tunnels and 7 shares made through the API; the 7th ends in ERROR."""
    tunnels = [emulator.create_deployed("ipsec-tunnels", spec) for spec in TUNNELS]
    shares = [
        emulator.create_deployed(
            "ipsec-shares", {**spec, "ipsecTunnelId": tunnels[index]["id"], "envZId": ENV_Z_ID}
        )
        for index, spec in SHARES
    ]
    emulator.fail_next("share", REASON)
    broken = emulator.api(
        "POST", "ipsec-shares", {**BROKEN, "ipsecTunnelId": tunnels[1]["id"], "envZId": ENV_Z_ID}
    ).json()
    emulator.wait_until(
        lambda: emulator.api("GET", f"ipsec-shares/{broken['id']}").json()["status"] == "ERROR",
        "the broken share is in ERROR",
    )
    return tunnels, shares, broken


def fdipsec_import(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    """The console script, in the project directory, with only the project's environment."""
    return subprocess.run(
        ["fdipsec-import", *args],
        cwd=project.root,
        env=project.env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.sdk_range
def test_a_frontdoor_is_adopted_with_no_write_and_previews_clean(emulator: Emulator, tmp_path: Path) -> None:
    tunnels, shares, broken = a_frontdoor(emulator)
    project = new_project(tmp_path / "adopt", "import frontdoor  # noqa: F401\n", name="fdipsec-e2e-import")
    init_stack(project, emulator.server.url, {})
    project.run("stack", "select", project.stack)

    first = fdipsec_import(project, "-o", "frontdoor.py")
    assert first.returncode == 0, first.stderr
    module = (project.root / "frontdoor.py").read_text()
    if sample := os.environ.get("FDIPSEC_IMPORT_SAMPLE"):
        Path(sample).write_text(module)

    # The settings came from the stack (this environment has no FDIPSEC_*), and nothing secret is shown.
    assert "settings from the config of the current stack" in first.stderr, first.stderr
    assert "fdipsec:token" in first.stderr and "3 tunnel(s) and 6 share(s)" in first.stderr
    psks = [re.findall(r'PSK "([^"]+)"', emulator.sample_config(t["id"])) for t in tunnels]
    for secret in [TOKEN, *(psk for found in psks for psk in found)]:
        assert secret not in module and secret not in first.stderr and secret not in first.stdout
    assert all(psks), psks
    assert "strongSwan" not in module and "ipsec.secrets" not in module
    # The ERROR share is left out and named, with the API's reason.
    assert f"share backup ({broken['id']}): ERROR: {REASON}" in module
    assert broken["id"] not in module.split('"""', 2)[2].split("import pulumi", 1)[1]

    # Twice gives the same file.
    second = fdipsec_import(project, "-o", "again.py")
    assert second.returncode == 0, second.stderr
    assert (project.root / "again.py").read_text() == module
    (project.root / "again.py").unlink()

    # A preview shows every object as a create, and sends the API nothing.
    emulator.clear_requests()
    preview = json.loads(project.run("preview", "--json").stdout)
    planned = [
        step["op"] for step in preview["steps"] if step["urn"].split("::")[2] in (TUNNEL_TYPE, SHARE_TYPE)
    ]
    assert planned == ["create"] * 9, preview["steps"]
    assert emulator.requests() == []

    up = project.up()
    assert emulator.mutations() == [], emulator.mutations()
    # The engine repeats a provider's lines in its summary, so the ids are counted, not the lines.
    assert set(re.findall(r"importing tunnel (tnl-[0-9a-f]+)", up.stdout)) == {t["id"] for t in tunnels}
    assert set(re.findall(r"importing share (shr-[0-9a-f]+)", up.stdout)) == {s["id"] for s in shares}
    assert sorted(r["id"] for r in project.resources(TUNNEL_TYPE)) == sorted(t["id"] for t in tunnels)
    assert sorted(r["id"] for r in project.resources(SHARE_TYPE)) == sorted(s["id"] for s in shares)
    # Every share in state is on the tunnel it was on, through the tunnel's variable.
    recorded = {r["id"]: r["outputs"]["ipsecTunnelId"] for r in project.resources(SHARE_TYPE)}
    assert recorded == {s["id"]: s["ipsecTunnelId"] for s in shares}

    project.run("preview", "--expect-no-changes")
    # As docs/adoption.md advises: without the import_ options, still nothing to do.
    without = re.sub(r"\n    opts=pulumi\.ResourceOptions\(import_=\"[^\"]+\"\),", "", module)
    assert "ResourceOptions" not in without
    (project.root / "frontdoor.py").write_text(without)
    project.run("preview", "--expect-no-changes")
    assert emulator.mutations() == []
    assert {s["id"]: s["status"] for s in emulator.shares()}[broken["id"]] == "ERROR"
