"""Previews that name every change, on the real engine, and ``fdipsec-review`` fed the engine's own JSON.

One stack walks through an in-place share update, a tunnel replacement and a drift repair. At each
step the real ``pulumi preview --json`` is checked for what the engine says (``diffReasons``,
``detailedDiff``, ``replaceReasons``), then given to the reviewer as a CI job would, and after every
``up`` the stack must preview and refresh with no changes. A mixed stack (ours beside another
package's resource) shows what the gate refuses, and ``pulumi refresh --preview-only --json`` after
changes made outside Pulumi shows the drift report.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest

from tests.e2e.conftest import (
    SHARE_TYPE,
    TOKEN,
    TUNNEL_TYPE,
    Emulator,
    StackFactory,
    init_stack,
    set_config,
)
from tests.e2e.harness import VENV, Project, new_project

pytestmark = pytest.mark.e2e

TUNNEL = {"name": "e2e-dc1", "peerPublicIp": "203.0.113.10", "peerCidr": "172.31.0.0/16"}
SHARES = [
    {"name": "app-db", "target": "10.20.100.1:8443", "ingressPort": 8443},
    {"name": "app-api", "target": "10.20.100.2:443", "ingressPort": 443},
]


def review(preview_json: str, *args: str) -> subprocess.CompletedProcess[str]:
    """The console script, as a CI job runs it: the preview on stdin, the report on stdout."""
    return subprocess.run(
        [str(VENV / "bin" / "fdipsec-review"), *args],
        input=preview_json,
        capture_output=True,
        text=True,
        check=False,
    )


def steps_by_name(preview_json: str) -> dict[str, dict[str, Any]]:
    steps: list[dict[str, Any]] = json.loads(preview_json)["steps"]
    return {step["urn"].rsplit("::", 1)[-1]: step for step in steps}


def refresh_preview(stack: Project, *args: str) -> str:
    """``pulumi refresh --preview-only``: the harness confirms every command (PULUMI_SKIP_CONFIRMATIONS
    acts as --yes), which the CLI refuses together with --preview-only."""
    stack.extra_env["PULUMI_SKIP_CONFIRMATIONS"] = "false"
    try:
        return stack.run("refresh", "--preview-only", *args).stdout
    finally:
        del stack.extra_env["PULUMI_SKIP_CONFIRMATIONS"]


def psk_of(emulator: Emulator, tunnel_id: str) -> str:
    found = re.search(r'PSK "([^"]+)"', emulator.sample_config(tunnel_id))
    assert found, "the emulator's sample configuration carries the pre-shared key"
    return found[1]


def assert_settled(stack: Project) -> None:
    """No perpetual diff: omitted server-filled inputs and the stack's frontdoorId included."""
    stack.run("preview", "--expect-no-changes")
    stack.run("refresh", "--yes", "--expect-no-changes")


def test_previews_name_changes_and_the_reviewer_explains_them(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES)
    stack.up()
    assert_settled(stack)
    [tunnel] = emulator.tunnels()
    psk = psk_of(emulator, tunnel["id"])

    # A hidden input alone (custom_timeouts travel as `__timeouts`) changes nothing.
    set_config(stack, {"tunnelCreateTimeout": "45m"})
    stack.run("preview", "--expect-no-changes")

    # --- an update in place: the engine names `target` -------------------------------------------
    set_config(stack, {"shares": [{**SHARES[0], "target": "10.20.100.9:8443"}, SHARES[1]]})
    plain = stack.run("preview").stdout
    assert re.search(r"IpsecShare app-db update \[diff: ~target\]", plain), plain
    update_json = stack.run("preview", "--json").stdout
    update = steps_by_name(update_json)["app-db"]
    assert update["op"] == "update"
    assert update["diffReasons"] == ["target"]
    assert update["detailedDiff"] == {"target": {"kind": "update", "inputDiff": True}}
    assert "replaceReasons" not in update or not update["replaceReasons"]
    assert {"app-api", "tunnel"}.isdisjoint(steps_by_name(update_json))

    report = review(update_json)
    assert report.returncode == 0, report.stderr
    assert "**Preview: 1 to update, 3 unchanged.**" in report.stdout
    assert "| `target` | `10.20.100.1:8443` → `10.20.100.9:8443` |" in report.stdout
    # The API recreates a share to update it, so its traffic stops: the danger section says so.
    danger = report.stdout.split("### Changes")[0]
    assert "IpsecShare `app-db` will be UPDATED: the API recreates it with the new configuration" in danger
    assert review(update_json, "--fail-on", "disruptive").returncode == 3
    assert review(update_json, "--fail-on", "replace").returncode == 0
    assert review(update_json, "--fail-on", "delete").returncode == 0
    assert review(update_json, "--fail-on", "any").returncode == 3

    stack.up()
    assert_settled(stack)

    # --- a replacement: the provider's reason reaches replaceReasons --------------------------------
    set_config(stack, {"tunnel": {**TUNNEL, "peerCidr": "172.30.0.0/16"}})
    plain = stack.run("preview").stdout
    assert re.search(r"IpsecTunnel tunnel replace \[diff: ~peerCidr\]", plain), plain
    replace_json = stack.run("preview", "--json").stdout
    steps = steps_by_name(replace_json)
    assert steps["tunnel"]["op"] == "replace"
    assert steps["tunnel"]["replaceReasons"] == ["peerCidr"]
    assert steps["tunnel"]["diffReasons"] == ["peerCidr"]
    assert steps["tunnel"]["detailedDiff"] == {"peerCidr": {"kind": "update", "inputDiff": True}}
    assert {steps[name]["op"] for name in ("app-db", "app-api")} == {"replace"}
    # The engine masks state secrets in `preview --json` even with --show-secrets (SerializeResource
    # with showSecrets false, backend/display/json.go); hand-made JSON in the unit tests covers clear text.
    secret_json = stack.run("preview", "--json", "--show-secrets").stdout
    assert '"sampleConfig": "[secret]"' in secret_json and psk not in secret_json

    for preview_json in (replace_json, secret_json):
        report = review(preview_json)
        assert report.returncode == 0, report.stderr
        text = report.stdout
        danger, changes = text.split("### Changes")
        assert "**Preview: 3 to replace, 1 unchanged.**" in text
        assert "> [!WARNING]" in danger
        assert (
            "IpsecTunnel `tunnel` (API name `e2e-dc1`) will be REPLACED, forced by `peerCidr`: "
            "`172.31.0.0/16` → `172.30.0.0/16`." in danger
        )
        assert "new endpoint" in danger and "new pre-shared key" in danger
        assert "must be reconfigured" in danger
        assert re.search(r"interrupted: `app-(db|api)` \(replaced\), `app-(db|api)` \(replaced\)", danger)
        assert "IpsecShare `app-db` will be REPLACED with its tunnel `tunnel`." in danger
        assert f"| `ipsecTunnelId` | `{tunnel['id']}` → `(known after apply)` |" in changes
        assert "| `peerCidr` (forces replacement) | `172.31.0.0/16` → `172.30.0.0/16` |" in changes
        assert psk not in text and TOKEN not in text
    assert review(replace_json, "--fail-on", "replace").returncode == 3
    assert review(replace_json, "--fail-on", "delete").returncode == 0
    assert review(replace_json, "--fail-on", "any").returncode == 3

    stack.up()
    assert_settled(stack)

    # --- drift: the refresh records the API's value as the input, so the engine names the repair -------
    [share] = [s for s in emulator.shares() if s["name"] == "app-api"]
    emulator.call("PATCH", f"resources/shares/{share['id']}", {"target": "10.99.0.1:443"})
    refresh = stack.run("refresh", "--yes").stdout
    assert re.search(r"IpsecShare app-api updated", refresh), refresh
    drift_json = stack.run("preview", "--json").stdout
    drift = steps_by_name(drift_json)["app-api"]
    assert drift["op"] == "update"
    assert drift["diffReasons"] == ["target"] and set(drift["detailedDiff"]) == {"target"}
    report = review(drift_json)
    assert re.search(r"\| `target`[^|]*\| `10\.99\.0\.1:443` → `10\.20\.100\.2:443` \|", report.stdout), (
        report.stdout
    )

    stack.up()
    assert_settled(stack)
    assert {s["name"]: s["target"] for s in emulator.shares()}["app-api"] == "10.20.100.2:443"
    assert len(stack.resources(TUNNEL_TYPE)) == 1 and len(stack.resources(SHARE_TYPE)) == 2


def test_review_module_reads_a_file(tmp_path: Any) -> None:
    """``python -m fdipsec_pulumi.review FILE`` is the same program as the console script."""
    path = tmp_path / "preview.json"
    path.write_text(json.dumps({"steps": [], "changeSummary": {"same": 1}}))
    proc = subprocess.run(
        [sys.executable, "-m", "fdipsec_pulumi.review", "--format", "text", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "Preview: 1 unchanged.\n"


# --- a mixed stack: the gate concerns tunnels and shares ---------------------------------------------

# The stack program's tunnel and shares, beside a plain dynamic resource of another "package": what an
# AWS security group is to a real stack, since no AWS plugin runs here. Its message forces a replacement.
MIXED_PROGRAM = """\
import pulumi
from pulumi.dynamic import Resource

from tests.e2e.stack_program import main
from tests.e2e.trivial_provider import EchoProvider


class Firewall(Resource, module="e2e", name="Firewall"):
    def __init__(self, name, message):
        super().__init__(EchoProvider(), name, {"message": message, "length": None})


main()
Firewall("firewall", pulumi.Config().require("firewall"))
"""
FIREWALL_TYPE = "pulumi-python:dynamic/e2e:Firewall"


def test_gate_in_a_mixed_stack_concerns_ipsec_only(tmp_path: Any, emulator: Emulator) -> None:
    project = new_project(tmp_path / "mixed", MIXED_PROGRAM, name="fdipsec-e2e-mixed")
    config = {"tunnel": TUNNEL, "shares": SHARES, "firewall": "allow-443"}
    stack = init_stack(project, emulator.server.url, config)
    stack.up()
    assert len(stack.resources(FIREWALL_TYPE)) == 1

    # --- only the other package's resource is replaced ---------------------------------------------
    set_config(stack, {"firewall": "allow-8443"})
    other_json = stack.run("preview", "--json").stdout
    steps = steps_by_name(other_json)
    assert steps["firewall"]["op"] == "replace"
    assert {"tunnel", "app-db", "app-api"}.isdisjoint(steps)
    assert review(other_json, "--fail-on", "replace").returncode == 0
    assert review(other_json, "--fail-on", "replace,delete,disruptive").returncode == 0
    refused = review(other_json, "--fail-on", "replace", "--all-resources")
    assert refused.returncode == 3
    assert "refused by --fail-on replace" in refused.stderr
    # disruptive is about IPsec traffic, whatever else the gate is asked to count.
    assert review(other_json, "--fail-on", "disruptive", "--all-resources").returncode == 0
    report = review(other_json).stdout
    assert "Interrupts IPsec traffic" not in report
    assert f"| `{FIREWALL_TYPE}` | `firewall` | replace |" in report

    # --- shares updated in place: in the danger section, the port change first ----------------------
    set_config(
        stack,
        {
            "firewall": "allow-443",
            "shares": [{**SHARES[0], "target": "10.20.100.9:8443"}, {**SHARES[1], "ingressPort": 4443}],
        },
    )
    update_json = stack.run("preview", "--json").stdout
    assert {name: step["op"] for name, step in steps_by_name(update_json).items() if name != "firewall"} == {
        "app-db": "update",
        "app-api": "update",
        "fdipsec-e2e-mixed-test": "same",
    }
    report = review(update_json, "--fail-on", "disruptive")
    assert report.returncode == 3
    assert "refused by --fail-on disruptive" in report.stderr
    danger, changes = report.stdout.split("### Changes")
    port = danger.index(
        "- **IpsecShare `app-api` will be UPDATED: the API recreates it with the new configuration, so its "
        "traffic stops until it is DEPLOYED again.**"
    )
    target = danger.index("- **IpsecShare `app-db` will be UPDATED")
    assert port < target
    assert (
        "`ingressPort`: `443` → `4443`: every client that connects on port `443` must switch to `4443`."
        in danger
    )
    assert "`target`: `10.20.100.1:8443` → `10.20.100.9:8443`: its traffic goes to the new target." in danger
    assert "| `target` | `10.20.100.1:8443` → `10.20.100.9:8443` |" in changes
    assert review(update_json, "--fail-on", "replace,delete").returncode == 0

    # --- the tunnel deleted, with its shares -------------------------------------------------------
    set_config(stack, {"shares": SHARES, "noTunnel": "true"})
    delete_json = stack.run("preview", "--json").stdout
    assert {steps_by_name(delete_json)[name]["op"] for name in ("tunnel", "app-db", "app-api")} == {"delete"}
    assert review(delete_json, "--fail-on", "replace").returncode == 0
    for fail_on in ("disruptive", "replace,delete", "delete"):
        refused = review(delete_json, "--fail-on", fail_on)
        assert refused.returncode == 3, fail_on
    danger = review(delete_json).stdout.split("### Changes")[0]
    assert "IpsecTunnel `tunnel` (API name `e2e-dc1`) will be DELETED." in danger
    assert "The remote site's IPsec connection ends" in danger


# --- drift: pulumi refresh --preview-only --json -------------------------------------------------


# The shares on a tunnel, in the order the refresh read them.
MOVING = r"Its shares \(`app-(db|api)`, `app-(?!\1)(db|api)`\) are replaced onto the new tunnel"


def test_drift_report_from_a_refresh(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES)
    stack.up()
    [tunnel] = emulator.tunnels()
    psk = psk_of(emulator, tunnel["id"])

    clean = review(refresh_preview(stack, "--json"), "--fail-on", "drift")
    assert clean.returncode == 0, clean.stderr
    assert clean.stdout.startswith("<!-- fdipsec-drift -->\n## fdipsec drift\n\n**Refresh: no drift found.**")

    # --- a tunnel put in ERROR ----------------------------------------------------------------------
    emulator.set_status("tunnels", tunnel["id"], "ERROR", "x")
    assert re.search(r'\+ status\s*: "ERROR"', refresh_preview(stack, "--diff"))
    error_json = refresh_preview(stack, "--json")
    # The provider reports the ERROR among the inputs a refresh reads, so the engine names the change.
    assert steps_by_name(error_json)["tunnel"]["op"] == "update"
    report = review(error_json, "--fail-on", "drift")
    assert report.returncode == 3, report.stderr
    assert "### Found in ERROR" in report.stdout
    assert "not named by the engine" not in report.stdout
    assert (
        f"IpsecTunnel `tunnel` (API name `e2e-dc1`), id `{tunnel['id']}`, was found in ERROR: it carries "
        "no traffic." in report.stdout
    )
    assert "Next `up`: replaces it." in report.stdout
    # Once a refresh has recorded it, the state says ERROR, and the report still names the tunnel.
    stack.run("refresh", "--yes")
    recorded = review(refresh_preview(stack, "--json"), "--fail-on", "drift")
    assert recorded.returncode == 3
    assert "### Found in ERROR" in recorded.stdout
    assert "not named by the engine" not in recorded.stdout  # counted once, by name
    assert (
        f"IpsecTunnel `tunnel` (API name `e2e-dc1`), id `{tunnel['id']}`, was found in ERROR: it carries "
        "no traffic." in recorded.stdout
    )
    assert "Next `up`: replaces it." in recorded.stdout
    assert re.search(MOVING, recorded.stdout), recorded.stdout
    # And the next up's preview says why the tunnel is replaced.
    replace_json = stack.run("preview", "--json").stdout
    assert steps_by_name(replace_json)["tunnel"]["replaceReasons"] == ["status"]
    plan = review(replace_json, "--fail-on", "disruptive")
    assert plan.returncode == 3
    assert "`tunnel` (API name `e2e-dc1`) will be REPLACED, forced by `status`: it was found in ERROR." in (
        plan.stdout
    )
    emulator.set_status("tunnels", tunnel["id"], "DEPLOYED")
    stack.run("refresh", "--yes")

    # --- a share retargeted and the tunnel deleted, outside Pulumi ----------------------------------
    shares = {share["name"]: share for share in emulator.shares()}
    emulator.drift("shares", shares["app-api"]["id"], target="10.99.0.1:443")
    emulator.purge("tunnels", tunnel["id"])
    drift_json = refresh_preview(stack, "--json")
    assert {name: step["op"] for name, step in steps_by_name(drift_json).items()} == {
        "fdipsec-e2e-stack-test": "refresh",
        "tunnel": "delete",
        "app-db": "refresh",
        "app-api": "update",
    }
    for fmt in ("markdown", "text"):
        report = review(drift_json, "--fail-on", "drift", "--format", fmt)
        assert report.returncode == 3, report.stderr
        text = report.stdout
        assert "Refresh found drift: 1 deleted outside Pulumi, 1 changed outside Pulumi." in text
        assert f"IpsecTunnel {'`tunnel`' if fmt == 'markdown' else 'tunnel'}" in text
        assert "was deleted outside Pulumi: the remote site's IPsec connection has ended." in text
        assert "creates a new tunnel with a new endpoint" in text
        assert "10.20.100.2:443" in text and "10.99.0.1:443" in text
        assert "the API recreates the share, so its traffic stops until it is DEPLOYED again" in text
        assert psk not in text and TOKEN not in text
    markdown_report = review(drift_json).stdout
    assert "- `target`: `10.20.100.2:443` (in Pulumi) → `10.99.0.1:443` (in the API)" in markdown_report
    assert re.search(MOVING, markdown_report), markdown_report
    assert review(drift_json, "--fail-on", "replace,delete,disruptive").returncode == 0
