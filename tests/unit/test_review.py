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
