"""``fdipsec-review`` on hand-made previews: the edge cases the real engine is slow or unable to produce.

The main case, the real engine's own ``preview --json`` of an update and a replacement, is in
tests/e2e/test_review.py.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

import pytest

from fdipsec_pulumi.review import classify, cli, markdown
from fdipsec_pulumi.review.preview import parse

STACK = "urn:pulumi:dev::proj::"
TUNNEL = "pulumi-python:dynamic/fdipsec:IpsecTunnel"
SHARE = "pulumi-python:dynamic/fdipsec:IpsecShare"
PSK = "psk-Zx9-never-in-a-report"


def urn(type_: str, name: str) -> str:
    return f"{STACK}{type_}::{name}"


def step(
    op: str,
    type_: str,
    name: str,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    raw: dict[str, Any] = {"op": op, "urn": urn(type_, name)}
    if old is not None:
        raw["oldState"] = {
            "urn": raw["urn"],
            "type": type_,
            "id": extra.pop("id", f"id-{name}"),
            "inputs": old,
            "outputs": extra.pop("outputs", old),
            "dependencies": extra.pop("old_dependencies", []),
        }
    if new is not None:
        raw["newState"] = {"urn": raw["urn"], "type": type_, "inputs": new, **extra.pop("new_state", {})}
    raw.update(extra)
    return raw


def preview(*steps: dict[str, Any], summary: dict[str, int] | None = None) -> str:
    return json.dumps({"steps": list(steps), "changeSummary": summary or {}})


def run(text: str, *args: str) -> tuple[int, str, str]:
    """The CLI in this process, with stdin, stdout and stderr captured."""
    stdin, stdout, stderr = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(text.encode()))
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    try:
        code = cli.main([*args])
        return code, sys.stdout.getvalue(), sys.stderr.getvalue()
    finally:
        sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr


TUNNEL_IN = {"name": "dc1", "peerPublicIp": "203.0.113.1", "peerCidr": "172.31.0.0/16"}
SHARE_IN = {"name": "db", "ipsecTunnelId": "id-tunnel", "target": "10.0.0.1:443", "ingressPort": 443}


def deleted_tunnel_with_shares() -> str:
    return preview(
        step("delete", SHARE, "db", SHARE_IN, old_dependencies=[urn(TUNNEL, "tunnel")]),
        step("delete", SHARE, "api", {**SHARE_IN, "name": "api"}),
        step("delete", TUNNEL, "tunnel", TUNNEL_IN, id="id-tunnel"),
        summary={"delete": 3},
    )


# --- invalid input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty input"),
        ("{", "not JSON"),
        ("[]", "expected a JSON object"),
        ('{"config": {}}', "no `steps`"),
        (
            '{"diagnostics": [{"severity": "error", "message": "boom\\nmore"}]}',
            "the preview failed: boom",
        ),
        ('{"steps": {}}', "`steps` must be a list"),
        ('{"steps": [1]}', "step 0 must be an object"),
        ('{"steps": [{"op": "same"}]}', "step 0 needs a string `op` and `urn`"),
        ('{"steps": [{"op": "same", "urn": "x"}]}', "not a Pulumi URN"),
        ('{"steps": [{"op": "same", "urn": "urn:pulumi:a::b::c::d", "oldState": []}]}', "expected an object"),
    ],
)
def test_invalid_input_is_one_line_and_exit_2(text: str, says: str) -> None:
    code, out, err = run(text)
    assert code == 2
    assert out == ""
    assert says in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_unreadable_file_is_one_line_and_exit_2(tmp_path: Any) -> None:
    code, _, err = run("", str(tmp_path / "missing.json"))
    assert code == 2
    assert err.startswith("fdipsec-review: cannot read") and err.count("\n") == 1


def test_module_entry_point_reports_without_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "fdipsec_pulumi.review", "-"],
        input="not json",
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("fdipsec-review: not JSON") and "Traceback" not in proc.stderr


# --- --fail-on -------------------------------------------------------------------------------------


UPDATE = preview(
    step(
        "update",
        SHARE,
        "db",
        SHARE_IN,
        {**SHARE_IN, "target": "10.0.0.2:443"},
        diffReasons=["target"],
        detailedDiff={"target": {"kind": "update", "inputDiff": True}},
    ),
    summary={"update": 1, "same": 2},
)


@pytest.mark.parametrize(
    ("text", "fail_on", "code"),
    [
        (UPDATE, "replace", 0),
        (UPDATE, "delete", 0),
        (UPDATE, "any", 3),
        (deleted_tunnel_with_shares(), "delete", 3),
        (deleted_tunnel_with_shares(), "replace", 0),
        (preview(step("same", "pulumi:pulumi:Stack", "proj-dev")), "any", 0),
    ],
)
def test_fail_on(text: str, fail_on: str, code: int) -> None:
    got, out, _ = run(text, "--fail-on", fail_on)
    assert got == code
    # The report is printed either way, for the comment, which CI finds again by its first line.
    assert out.startswith(markdown.MARKER + "\n## fdipsec preview")


# --- content ----------------------------------------------------------------------------------------


def test_deleted_tunnel_names_its_shares_in_the_danger_section() -> None:
    code, out, _ = run(deleted_tunnel_with_shares())
    assert code == 0
    danger = out.split("### Changes")[0]
    assert "IpsecTunnel `tunnel` (API name `dc1`) will be DELETED" in danger
    assert "`db` (deleted), `api` (deleted)" in danger  # by dependency, and by tunnel id
    assert "IpsecShare `db` will be DELETED with its tunnel `tunnel`" in danger
    assert "IpsecShare `api` will be DELETED with its tunnel `tunnel`" in danger
    assert "**Preview: 3 to delete.**" in out


def test_replacement_steps_fold_into_one_replace_with_its_reasons() -> None:
    new = {**TUNNEL_IN, "peerPublicIp": "198.51.100.7"}
    reasons = {"replaceReasons": ["peerPublicIp"], "diffReasons": ["peerPublicIp"]}
    text = preview(
        step("delete-replaced", TUNNEL, "tunnel", TUNNEL_IN, new),
        step("replace", TUNNEL, "tunnel", TUNNEL_IN, new, **reasons),
        step("create-replacement", TUNNEL, "tunnel", TUNNEL_IN, new),
    )
    [only] = parse(text).steps
    assert only.op == "replace" and only.replace_reasons == ("peerPublicIp",)
    _, out, _ = run(text)
    assert "forced by `peerPublicIp`: `203.0.113.1` → `198.51.100.7`" in out
    assert "new pre-shared key" in out and "must be reconfigured" in out


def test_secrets_never_show_even_from_a_show_secrets_preview() -> None:
    old = {**TUNNEL_IN, "presharedKey": PSK, "sampleConfig": PSK, "notes": "[secret]"}
    new = {**old, "presharedKey": PSK + "2", "sampleConfig": PSK + "2", "peerCidr": "172.30.0.0/16"}
    text = preview(
        step(
            "replace",
            TUNNEL,
            "tunnel",
            old,
            {**new, "notes": "[secret]", "__provider": "pickled-" + PSK},
            replaceReasons=["peerCidr", "presharedKey", "sampleConfig"],
            new_state={"additionalSecretOutputs": ["notes"]},
        ),
        step("update", SHARE, "db", {**SHARE_IN, "tag": "a"}, {**SHARE_IN, "tag": "b", "token": PSK}),
    )
    for fmt in ("markdown", "text"):
        _, out, _ = run(text, "--format", fmt)
        assert PSK not in out
        assert "[secret]" in out
        assert "__provider" not in out


def test_other_packages_are_listed_generically_and_long_lists_fold() -> None:
    buckets = [
        step("create", "aws:s3/bucket:Bucket", f"bucket-{i}", new={"acl": "private"}) for i in range(12)
    ]
    _, out, _ = run(preview(*buckets, summary={"create": 12}))
    assert "### Other resources" in out
    assert "| `aws:s3/bucket:Bucket` | `bucket-0` | create |" in out
    assert "private" not in out  # their properties are not ours to interpret
    assert out.count("<details>") == out.count("</details>") == 1


def test_many_share_changes_fold_after_ten() -> None:
    shares = [
        step(
            "update",
            SHARE,
            f"s{i}",
            SHARE_IN,
            {**SHARE_IN, "ingressPort": 444},
            detailedDiff={"ingressPort": {"kind": "update"}},
        )
        for i in range(15)
    ]
    _, out, _ = run(preview(*shares))
    danger, changes = out.split("### Changes")
    assert danger.count("will be UPDATED") == 15  # the danger section is never folded
    assert "<details><summary>5 more resources</summary>" in changes
    assert changes.index("update: IpsecShare `s9`") < changes.index("<details>") < changes.index("`s10`")
    assert "`443` → `444`" in changes


def test_report_stays_under_the_comment_limit_and_says_when_it_cuts() -> None:
    long_target = "10.0.0.1:" + "9" * 100
    shares = [
        step("update", SHARE, f"share-{i}", SHARE_IN, {**SHARE_IN, "target": long_target, "name": f"n{i}"})
        for i in range(2000)
    ]
    tunnel = step("delete", TUNNEL, "tunnel", TUNNEL_IN, id="id-tunnel")
    _, out, _ = run(preview(tunnel, *shares))
    assert len(out) < markdown.LIMIT
    assert "will be DELETED" in out  # the danger comes first, so it survives the cut
    assert "The report was cut" in out and "more resources are not shown" in out
    assert out.count("<details>") == out.count("</details>")
    _, small, _ = run(UPDATE)
    assert "was cut" not in small


def test_values_are_escaped_for_tables() -> None:
    text = preview(
        step(
            "update",
            SHARE,
            "db",
            {**SHARE_IN, "name": "a|b"},
            {**SHARE_IN, "name": "a`b"},
            detailedDiff={"name": {"kind": "update"}},
        )
    )
    _, out, _ = run(text)
    assert "`a\\|b` → `` a`b ``" in out


def test_drift_repair_names_what_it_restores_and_an_unexplained_update_says_so() -> None:
    drifted = step(
        "update",
        SHARE,
        "db",
        SHARE_IN,
        SHARE_IN,
        outputs={**SHARE_IN, "target": "10.9.9.9:443", "status": "DEPLOYED"},
    )
    moved = step("replace", SHARE, "api", SHARE_IN, SHARE_IN, replaceReasons=["frontdoorId"])
    _, out, _ = run(preview(drifted, moved))
    assert "| `target` (restores) | `10.9.9.9:443` → `10.0.0.1:443` |" in out
    assert "forced by `frontdoorId`" in out


def test_detailed_diff_paths_into_objects_and_lists() -> None:
    old = {**SHARE_IN, "tags": {"a.b": "x"}, "ports": [1, 2]}
    new = {**SHARE_IN, "tags": {"a.b": "y"}, "ports": [1]}
    review = classify.review(
        parse(
            preview(
                step(
                    "update",
                    SHARE,
                    "db",
                    old,
                    new,
                    detailedDiff={'tags["a.b"]': {"kind": "update"}, "ports[1]": {"kind": "delete"}},
                )
            )
        )
    )
    [resource] = review.changed
    assert [(c.path, c.old, c.new) for c in resource.changes] == [
        ('tags["a.b"]', "x", "y"),
        ("ports[1]", "2", "(none)"),
    ]


def test_text_format_has_the_same_content_without_markup() -> None:
    _, out, _ = run(deleted_tunnel_with_shares(), "--format", "text")
    assert out.startswith("Preview: 3 to delete.")
    assert "DANGER" in out and "IpsecTunnel tunnel (API name dc1) will be DELETED" in out
    assert "`" not in out and "|" not in out


# --- the gate in a mixed stack ------------------------------------------------------------------------


GROUP = "aws:ec2/securityGroup:SecurityGroup"


def other_replaced() -> str:
    return preview(
        step("replace", GROUP, "sg", {"name": "a"}, {"name": "b"}, replaceReasons=["name"]),
        summary={"replace": 1, "same": 4},
    )


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--fail-on", "replace"), 0),
        (("--fail-on", "replace", "--all-resources"), 3),
        (("--fail-on", "any"), 0),
        (("--fail-on", "any", "--all-resources"), 3),
        (("--fail-on", "disruptive", "--all-resources"), 0),
    ],
)
def test_other_packages_trip_the_gate_only_when_asked(args: tuple[str, ...], code: int) -> None:
    got, out, _ = run(other_replaced(), *args)
    assert got == code
    assert "Interrupts IPsec traffic" not in out
    assert "| `aws:ec2/securityGroup:SecurityGroup` | `sg` | replace |" in out


@pytest.mark.parametrize(
    ("fail_on", "code", "names"),
    [
        ("replace,delete", 3, "delete"),
        ("replace, delete", 3, "delete"),
        ("disruptive", 3, "disruptive"),
        ("replace,disruptive,delete", 3, "delete,disruptive"),
        ("replace", 0, ""),
        ("drift", 0, ""),
    ],
)
def test_fail_on_takes_several_values(fail_on: str, code: int, names: str) -> None:
    got, _, err = run(deleted_tunnel_with_shares(), "--fail-on", fail_on)
    assert got == code
    assert err == (
        f"fdipsec-review: the preview plans a step refused by --fail-on {names}\n" if names else ""
    )


@pytest.mark.parametrize("fail_on", ["replace,teardown", "", ",", "Replace"])
def test_an_unknown_fail_on_value_is_one_line_and_exit_2(fail_on: str) -> None:
    got, out, err = run(UPDATE, "--fail-on", fail_on)
    assert got == 2 and out == ""
    assert err.startswith("fdipsec-review: --fail-on got ") and err.count("\n") == 1
    assert "replace,delete,disruptive,any,drift" in err


def test_disruptive_is_every_interruption_and_nothing_else() -> None:
    created = step("create", TUNNEL, "new", new=TUNNEL_IN)
    tunnel_update = step("update", TUNNEL, "t", TUNNEL_IN, {**TUNNEL_IN, "name": "x"})
    share_replaced = step("replace", SHARE, "db", SHARE_IN, {**SHARE_IN, "ipsecTunnelId": "id-2"})
    share_created = step("create", SHARE, "db", new=SHARE_IN)
    assert run(preview(created, share_created), "--fail-on", "disruptive")[0] == 0
    # No tunnel input is changed in place (every change replaces), so a tunnel update is no interruption.
    assert run(preview(tunnel_update), "--fail-on", "disruptive")[0] == 0
    assert run(preview(share_replaced), "--fail-on", "disruptive")[0] == 3
    assert run(UPDATE, "--fail-on", "disruptive")[0] == 3


# --- the danger section ------------------------------------------------------------------------------


def test_every_interruption_is_in_the_danger_section_by_impact() -> None:
    reasons = {"replaceReasons": ["peerCidr"], "diffReasons": ["peerCidr"]}
    text = preview(
        step("update", SHARE, "web", SHARE_IN, {**SHARE_IN, "name": "web", "target": "10.0.0.9:443"}),
        step("update", SHARE, "port", SHARE_IN, {**SHARE_IN, "ingressPort": 8443}),
        step("delete", SHARE, "old", {**SHARE_IN, "ipsecTunnelId": "id-other"}, id="id-old"),
        step("replace", TUNNEL, "tunnel", TUNNEL_IN, {**TUNNEL_IN, "peerCidr": "10.9.0.0/16"}, **reasons),
        step("update", SHARE, "tags", {**SHARE_IN, "name": "a"}, {**SHARE_IN, "name": "b"}),
    )
    for fmt in ("markdown", "text"):
        _, out, _ = run(text, "--format", fmt)
        danger = out.split("Changes")[0]
        quote = "`" if fmt == "markdown" else ""
        names = [
            "IpsecTunnel",
            *(f"IpsecShare {quote}{name}{quote}" for name in ("old", "port", "web", "tags")),
        ]
        order = [danger.index(name) for name in names]
        assert order == sorted(order), danger
        assert (
            danger.count(
                "will be UPDATED: the API recreates it with the new configuration, so its traffic "
                "stops until it is DEPLOYED again."
            )
            == 3
        )
        port = (
            "`ingressPort`: `443` → `8443`: every client that connects on port `443` must switch to `8443`."
        )
        target = "`target`: `10.0.0.1:443` → `10.0.0.9:443`: its traffic goes to the new target."
        if fmt == "text":
            port, target = port.replace("`", ""), target.replace("`", "")
        assert port in danger and target in danger


# --- drift -------------------------------------------------------------------------------------------


ROOT = "pulumi:pulumi:Stack"


def refreshed(*steps: dict[str, Any], summary: dict[str, int] | None = None) -> str:
    """A refresh's JSON: the root stack and every unchanged resource are ``refresh`` steps."""
    return preview(step("refresh", ROOT, "proj-dev", {}, {}), *steps, summary=summary)


def test_a_refresh_is_told_from_a_preview_by_its_json() -> None:
    assert parse(refreshed(step("refresh", TUNNEL, "tunnel", TUNNEL_IN, TUNNEL_IN))).is_refresh
    assert parse(refreshed(step("delete", SHARE, "db", SHARE_IN))).is_refresh
    assert not parse(UPDATE).is_refresh
    assert not parse(preview(step("same", ROOT, "proj-dev", {}, {}))).is_refresh
    # `preview --refresh` shows refresh steps and plans: a preview.
    assert not parse(refreshed(step("replace", TUNNEL, "tunnel", TUNNEL_IN, TUNNEL_IN))).is_refresh
    code, out, _ = run(
        refreshed(step("refresh", TUNNEL, "tunnel", TUNNEL_IN, TUNNEL_IN), summary={"same": 2})
    )
    assert code == 0
    assert out == "<!-- fdipsec-drift -->\n## fdipsec drift\n\n**Refresh: no drift found.**\n"


def drift_of_every_kind() -> str:
    in_error = {**TUNNEL_IN, "status": "ERROR", "sampleConfig": PSK}
    return refreshed(
        step("delete", TUNNEL, "tunnel", TUNNEL_IN, id="id-tunnel"),
        step("refresh", SHARE, "db", SHARE_IN, SHARE_IN),
        step("delete", SHARE, "gone", {**SHARE_IN, "name": "gone"}, id="id-gone"),
        step(
            "update",
            SHARE,
            "api",
            {**SHARE_IN, "ipsecTunnelId": "id-t2"},
            {**SHARE_IN, "ipsecTunnelId": "id-t2", "ingressPort": 4443, "target": "10.0.0.7:4443"},
            detailedDiff={"ingressPort": {"kind": "update"}, "target": {"kind": "update"}},
        ),
        step("refresh", TUNNEL, "t2", TUNNEL_IN, TUNNEL_IN, id="id-t2", outputs=in_error),
        step("update", GROUP, "sg", {"name": "a"}, {"name": "b"}),
        summary={"update": 4, "delete": 2, "same": 2},
    )


def test_drift_report_names_what_the_refresh_found_and_what_the_next_up_does() -> None:
    code, out, err = run(drift_of_every_kind(), "--fail-on", "drift")
    assert code == 3 and err == "fdipsec-review: the refresh found drift refused by --fail-on drift\n"
    assert out.startswith("<!-- fdipsec-drift -->\n## fdipsec drift\n\n")
    assert (
        "**Refresh found drift: 2 deleted outside Pulumi, 1 changed outside Pulumi, 1 found in ERROR, "
        "1 changed without a named property, 1 of other packages changed or deleted.**"
    ) in out
    assert "will be" not in out  # the words of drift, not of a plan
    sections = ["### Deleted outside Pulumi", "### Inputs changed outside Pulumi", "### Found in ERROR"]
    assert [out.index(s) for s in sections] == sorted(out.index(s) for s in sections)
    assert "IpsecTunnel `tunnel` (API name `dc1`), id `id-tunnel`, was deleted outside Pulumi" in out
    # The deleted tunnel's share that is still there moves; the deleted one is created again.
    assert "Its shares (`db`) are replaced onto the new tunnel" in out
    assert "IpsecShare `gone`, id `id-gone`, was deleted outside Pulumi" in out
    assert "Next `up`: creates it again, with a new id" in out
    assert "- `ingressPort`: `443` (in Pulumi) → `4443` (in the API)" in out
    assert "Clients that moved to port `4443` must switch back to `443`" in out
    assert "IpsecTunnel `t2` (API name `dc1`), id `id-t2`, was found in ERROR: it carries no traffic." in out
    assert "Its shares (`api`) are replaced onto the new tunnel" in out
    assert "1 resource changed outside Pulumi with no input changed" in out
    assert "| `aws:ec2/securityGroup:SecurityGroup` | `sg` | changed outside Pulumi |" in out
    assert PSK not in out


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--fail-on", "replace,delete,disruptive"), 0),  # a refresh plans nothing
        (("--fail-on", "any"), 3),
        (("--fail-on", "drift"), 3),
    ],
)
def test_fail_on_for_a_refresh(args: tuple[str, ...], code: int) -> None:
    assert run(drift_of_every_kind(), *args)[0] == code


def test_drift_of_other_packages_trips_only_with_all_resources() -> None:
    other = refreshed(step("delete", GROUP, "sg", {"name": "a"}), summary={"delete": 1, "same": 1})
    assert run(other, "--fail-on", "drift")[0] == 0
    assert run(other, "--fail-on", "drift", "--all-resources")[0] == 3
    # A change the engine does not name may be ours: it always counts.
    unnamed = refreshed(step("refresh", TUNNEL, "t", TUNNEL_IN, TUNNEL_IN), summary={"update": 1, "same": 1})
    assert run(unnamed, "--fail-on", "drift")[0] == 3


def test_drift_text_format_has_the_same_content_without_markup() -> None:
    _, out, _ = run(drift_of_every_kind(), "--format", "text")
    assert out.startswith("Refresh found drift: 2 deleted outside Pulumi")
    assert "IpsecTunnel tunnel (API name dc1), id id-tunnel, was deleted outside Pulumi" in out
    assert "changed outside Pulumi: aws:ec2/securityGroup:SecurityGroup sg" in out
    assert "`" not in out and "|" not in out and PSK not in out


def test_drift_report_stays_under_the_comment_limit() -> None:
    gone = [
        step("delete", SHARE, f"share-{i}", {**SHARE_IN, "name": "n" * 200}, id=f"id-{i}")
        for i in range(2000)
    ]
    _, out, _ = run(refreshed(*gone, summary={"delete": 2000}))
    assert len(out) < markdown.LIMIT
    assert "The report was cut" in out and "`pulumi refresh --preview-only --diff`" in out
    shown = out.count("was deleted outside Pulumi")
    assert f"{2000 - shown} more resources are not shown" in out


# --- help --------------------------------------------------------------------------------------------


def test_help_names_every_option_the_exit_codes_and_two_examples() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "fdipsec_pulumi.review", "--help"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    for option in ("--format", "--fail-on", "--all-resources", "FILE".lower()):
        assert option in proc.stdout
    for value in ("replace", "delete", "disruptive", "any", "drift"):
        assert f"\n  {value} " in proc.stdout
    assert "exit codes:\n  0 " in proc.stdout and "\n  3 " in proc.stdout and "\n  2 " in proc.stdout
    examples = proc.stdout.split("examples:")[1]
    assert "pulumi preview --json | fdipsec-review" in examples
    assert "pulumi refresh --preview-only --json | fdipsec-review" in examples


def test_a_replacement_of_an_object_found_in_error_says_so() -> None:
    recorded = {**TUNNEL_IN, "status": "ERROR"}
    text = preview(
        step("replace", TUNNEL, "tunnel", TUNNEL_IN, TUNNEL_IN, outputs=recorded, replaceReasons=["status"])
    )
    _, out, _ = run(text)
    assert (
        "IpsecTunnel `tunnel` (API name `dc1`) will be REPLACED, forced by `status`: it was found in ERROR."
        in out
    )
    assert "No input changed: `pulumi refresh` found it in ERROR" in out


def test_an_error_the_refresh_reports_as_an_input_is_named_once() -> None:
    """Should ``read`` report ``status`` among the inputs of an object in ERROR, the engine would name
    it in the refresh's JSON (an ``update`` with a detailed diff) and ``status`` in the next preview."""
    in_error = {**TUNNEL_IN, "status": "ERROR"}
    refresh = refreshed(
        step(
            "update",
            TUNNEL,
            "tunnel",
            TUNNEL_IN,
            in_error,
            new_state={"outputs": in_error},
            detailedDiff={"status": {"kind": "add", "inputDiff": True}},
        ),
        summary={"update": 1, "same": 1},
    )
    _, out, _ = run(refresh)
    assert "**Refresh found drift: 1 found in ERROR.**" in out
    assert "IpsecTunnel `tunnel` (API name `dc1`), id `id-tunnel`, was found in ERROR" in out
    assert "`status`:" not in out and "not named by the engine" not in out
    plan = preview(
        step(
            "replace",
            TUNNEL,
            "tunnel",
            in_error,
            TUNNEL_IN,
            replaceReasons=["status"],
            diffReasons=["status"],
            detailedDiff={"status": {"kind": "delete", "inputDiff": True}},
        )
    )
    _, out, _ = run(plan)
    assert "will be REPLACED, forced by `status`: it was found in ERROR." in out
