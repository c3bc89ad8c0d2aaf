"""Previews that name every change, on the real engine, and ``fdipsec-review`` fed the engine's own JSON.

One stack walks through an in-place share update, a tunnel replacement and a drift repair. At each
step the real ``pulumi preview --json`` is checked for what the engine says (``diffReasons``,
``detailedDiff``, ``replaceReasons``), then given to the reviewer as a CI job would, and after every
``up`` the stack must preview and refresh with no changes.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

import pytest

from tests.e2e.conftest import SHARE_TYPE, TOKEN, TUNNEL_TYPE, Emulator, StackFactory, set_config
from tests.e2e.harness import VENV, Project

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
    found = re.search(r'PSK "([^"]+)"', emulator.sample_config(tunnel["id"]))
    assert found, "the emulator's sample configuration carries the pre-shared key"
    psk = found[1]

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
    assert "Interrupts IPsec traffic" not in report.stdout
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
