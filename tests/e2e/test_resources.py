"""IpsecTunnel and IpsecShare through the real pulumi CLI against the real emulator, ProgramTest-style.

Every test deploys ``stack_program`` (inputs from stack config) to its own stack and file backend, and
checks what the engine reports against what the emulator holds and what requests it answered. Each
pulumi command costs a few seconds, so each test walks one stack through several steps.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from fdipsec_pulumi.emulator import EmulatorServer
from tests.e2e.conftest import (
    PROGRAM,
    SHARE_TYPE,
    TOKEN,
    TUNNEL_TYPE,
    Emulator,
    StackFactory,
    init_stack,
    set_config,
)
from tests.e2e.harness import Project, new_project

pytestmark = pytest.mark.e2e

TUNNEL = {"name": "e2e-dc1", "peerPublicIp": "203.0.113.10", "peerCidr": "172.31.0.0/16"}
SHARES = [
    {"name": "app-db", "target": "10.20.100.1:8443", "ingressPort": 8443},
    {"name": "app-api", "target": "10.20.100.2:443", "ingressPort": 443},
]
# The key that marks a secret value in Pulumi state (resource.SecretSig).
SECRET_SIG = "4dabf18193072939515e22adb298388d"
TUNNELS_PATH = re.compile(r"/v2/[^/]+/ipsec-tunnels$")


# --- reading what the engine says -------------------------------------------------------------------


@dataclass
class Step:
    """One resource block of `pulumi preview --diff`: its marker, type, operation and changed keys."""

    marker: str
    kind: str
    op: str
    name: str = ""
    changed: list[str] = field(default_factory=list)


_HEADER = re.compile(
    r"^\s*(?P<marker>\+-|--|\+\+|~|\+|-|>)\s?pulumi-python:dynamic/fdipsec:(?P<kind>\w+): \((?P<op>[\w-]+)\)$"
)
_URN = re.compile(r"^\s*\[urn=urn:pulumi:[^\]]*::(?P<name>[^:\]]+)\]$")
_CHANGED = re.compile(r"^\s*(?P<marker>[~+-])\s(?P<key>\w+)\s*:")


def diff_steps(text: str) -> list[Step]:
    """The resource blocks of `preview --diff` output, in the order the engine printed them."""
    steps: list[Step] = []
    for line in text.splitlines():
        if line.strip().startswith("--outputs:--"):
            break
        if header := _HEADER.match(line):
            steps.append(Step(header["marker"], header["kind"], header["op"]))
        elif steps and (urn := _URN.match(line)):
            steps[-1].name = urn["name"]
        elif steps and (changed := _CHANGED.match(line)):
            steps[-1].changed.append(changed["key"])
    return steps


def output(proc: Any) -> str:
    return f"{proc.stdout}\n{proc.stderr}"


def by_name(project: Project, type_token: str) -> dict[str, dict[str, Any]]:
    return {r["urn"].rsplit("::", 1)[-1]: r for r in project.resources(type_token)}


def without_secrets(value: Any) -> Any:
    """State with each secret envelope replaced by a marker: ciphertexts change on re-encryption."""
    if isinstance(value, dict):
        if SECRET_SIG in value:
            return "<secret>"
        return {key: without_secrets(item) for key, item in value.items()}
    if isinstance(value, list):
        return [without_secrets(item) for item in value]
    return value


def assert_state_matches_emulator(project: Project, emulator: Emulator) -> None:
    """Every tunnel and share in state is in the emulator with the recorded values, and nothing more."""
    dumped = emulator.dump()
    remote_tunnels = {t["id"]: t for t in dumped["tunnels"]}
    remote_shares = {s["id"]: s for s in dumped["shares"]}
    tunnels = project.resources(TUNNEL_TYPE)
    shares = project.resources(SHARE_TYPE)
    assert {t["id"] for t in tunnels} == set(remote_tunnels)
    assert {s["id"] for s in shares} == set(remote_shares)
    for tunnel in tunnels:
        remote = remote_tunnels[tunnel["id"]]
        for key in ("name", "peerPublicIp", "peerCidr", "locationId", "nlbPrivateIp", "status"):
            assert tunnel["outputs"][key] == remote[key], (key, tunnel["outputs"], remote)
    for share in shares:
        remote = remote_shares[share["id"]]
        for key in ("name", "ipsecTunnelId", "envZId", "target", "ingressPort", "status"):
            assert share["outputs"][key] == remote[key], (key, share["outputs"], remote)


def tunnel_posts(emulator: Emulator) -> list[dict[str, Any]]:
    return [e for e in emulator.requests() if e["method"] == "POST" and TUNNELS_PATH.search(e["path"])]


# --- 1. lifecycle -------------------------------------------------------------------------------------


@pytest.mark.sdk_range
def test_lifecycle_up_preview_refresh_export_import_up(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES)

    stack.up()
    assert_state_matches_emulator(stack, emulator)
    assert len(emulator.tunnels()) == 1
    assert sorted(s["name"] for s in emulator.shares()) == ["app-api", "app-db"]
    assert all(r["status"] == "DEPLOYED" for r in emulator.tunnels() + emulator.shares())
    outputs = stack.outputs()
    assert outputs["tunnelId"] == emulator.tunnels()[0]["id"]
    assert outputs["shares"] == {s["name"]: s["id"] for s in emulator.shares()}
    emulator.call("DELETE", "requests")

    stack.run("preview", "--expect-no-changes")
    stack.run("refresh", "--yes", "--expect-no-changes")
    assert_state_matches_emulator(stack, emulator)

    before = stack.export()
    exported = stack.root / "exported.json"
    stack.run("stack", "export", "--file", str(exported))
    stack.run("stack", "import", "--file", str(exported))
    after = stack.export()
    resources_before, resources_after = before["deployment"]["resources"], after["deployment"]["resources"]
    assert without_secrets(resources_after) == without_secrets(resources_before)

    stack.up("--expect-no-changes")
    assert_state_matches_emulator(stack, emulator)
    # Nothing after the first `up` changed anything remotely: reads only.
    assert emulator.mutations() == []


# --- 2. update in place -------------------------------------------------------------------------------


@pytest.mark.sdk_range
def test_share_target_change_updates_in_place(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES)
    stack.up()
    old = {s["name"]: s for s in emulator.shares()}
    tunnel_id = emulator.tunnels()[0]["id"]

    changed = [{**SHARES[0], "target": "10.20.100.9:8443"}, SHARES[1]]
    set_config(stack, {"shares": changed})
    preview = stack.run("preview", "--diff")
    steps = diff_steps(preview.stdout)
    assert steps == [Step("~", "IpsecShare", "update", "app-db", ["target"])], preview.stdout
    assert re.search(r'~ target\s*: "10\.20\.100\.1:8443" => "10\.20\.100\.9:8443"', preview.stdout)
    assert "replace" not in preview.stdout

    emulator.call("DELETE", "requests")
    stack.up()
    now = {s["name"]: s for s in emulator.shares()}
    assert now["app-db"]["id"] == old["app-db"]["id"]
    assert now["app-db"]["target"] == "10.20.100.9:8443"
    assert now["app-api"] == old["app-api"]
    assert [t["id"] for t in emulator.tunnels()] == [tunnel_id]
    assert [(e["method"], e["path"].rsplit("/", 1)[-1]) for e in emulator.mutations()] == [
        ("PATCH", old["app-db"]["id"])
    ]
    assert_state_matches_emulator(stack, emulator)


# --- 3. replacement -------------------------------------------------------------------------------------


@pytest.mark.sdk_range
def test_tunnel_cidr_change_replaces_delete_first_with_its_shares(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES)
    stack.up()
    [old_tunnel] = emulator.tunnels()
    old_shares = {s["id"] for s in emulator.shares()}

    set_config(stack, {"tunnel": {**TUNNEL, "peerCidr": "172.30.0.0/16"}})
    preview = stack.run("preview", "--diff", "--show-replacement-steps")
    steps = [(s.marker, s.kind, s.op, s.name) for s in diff_steps(preview.stdout)]
    tunnel_steps = [s for s in steps if s[1] == "IpsecTunnel"]
    assert tunnel_steps == [
        ("--", "IpsecTunnel", "delete-replaced", "tunnel"),
        ("+-", "IpsecTunnel", "replace", "tunnel"),
        ("++", "IpsecTunnel", "create-replacement", "tunnel"),
    ], preview.stdout
    [tunnel_diff] = [s for s in diff_steps(preview.stdout) if s.kind == "IpsecTunnel" and s.op == "replace"]
    assert tunnel_diff.changed == ["peerCidr"]
    for share in ("app-db", "app-api"):
        share_steps = [s for s in steps if s[3] == share]
        assert [s[:3] for s in share_steps] == [
            ("--", "IpsecShare", "delete-replaced"),
            ("+-", "IpsecShare", "replace"),
            ("++", "IpsecShare", "create-replacement"),
        ], preview.stdout
        # Shares go before their tunnel is deleted, and come back after the new one exists.
        assert steps.index(share_steps[0]) < steps.index(tunnel_steps[0])
        assert steps.index(share_steps[2]) > steps.index(tunnel_steps[2])
    assert "+-3 to replace" in preview.stdout

    emulator.call("DELETE", "requests")
    up = stack.up()
    assert "deleting original" in up.stdout and "created replacement" in up.stdout
    [new_tunnel] = emulator.tunnels()
    assert new_tunnel["id"] != old_tunnel["id"]
    assert new_tunnel["peerCidr"] == "172.30.0.0/16"
    assert new_tunnel["locationId"] == old_tunnel["locationId"]
    shares = emulator.shares()
    assert sorted(s["name"] for s in shares) == ["app-api", "app-db"]
    assert all(s["ipsecTunnelId"] == new_tunnel["id"] for s in shares)
    assert not old_shares & {s["id"] for s in shares}
    # Delete first, as the API seems it: the old tunnel's DELETE came before the new tunnel's POST.
    calls = [(e["method"], e["path"]) for e in emulator.mutations()]
    old_delete = next(i for i, (m, p) in enumerate(calls) if m == "DELETE" and p.endswith(old_tunnel["id"]))
    new_post = next(i for i, (m, p) in enumerate(calls) if m == "POST" and TUNNELS_PATH.search(p))
    assert old_delete < new_post, calls
    assert_state_matches_emulator(stack, emulator)


# --- 4. drift ---------------------------------------------------------------------------------------------


@pytest.mark.sdk_range
def test_refresh_sees_drift_and_up_repairs_it(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES)
    stack.up()
    old = {s["name"]: s for s in emulator.shares()}

    emulator.call("DELETE", f"resources/shares/{old['app-db']['id']}")
    emulator.call("PATCH", f"resources/shares/{old['app-api']['id']}", {"target": "10.99.0.1:443"})

    # The plain line names the drift, as it names any change.
    stack.extra_env["PULUMI_SKIP_CONFIRMATIONS"] = (
        "false"  # it would mean --yes, which --preview-only refuses
    )
    plain = stack.run("refresh", "--preview-only")
    del stack.extra_env["PULUMI_SKIP_CONFIRMATIONS"]
    assert re.search(r"app-api +update +\[diff: ~target\]", plain.stdout), plain.stdout

    refresh = stack.run("refresh", "--yes", "--diff")
    text = refresh.stdout.split("Refreshing (", 1)[-1]
    assert re.search(r'~ target\s*: "10\.20\.100\.2:443" => "10\.99\.0\.1:443"', text), refresh.stdout
    assert "- 1 deleted" in text and "~ 1 updated" in text, refresh.stdout
    in_state = by_name(stack, SHARE_TYPE)
    assert set(in_state) == {"app-api"}
    assert in_state["app-api"]["outputs"]["target"] == "10.99.0.1:443"
    assert in_state["app-api"]["inputs"]["target"] == "10.99.0.1:443"  # recorded as the API has it

    # The repair is named in the preview a reviewer reads.
    steps = {
        s["urn"].rsplit("::", 1)[-1]: s for s in json.loads(stack.run("preview", "--json").stdout)["steps"]
    }
    assert steps["app-api"]["op"] == "update" and steps["app-api"]["diffReasons"] == ["target"], steps
    assert steps["app-db"]["op"] == "create"

    stack.up()
    now = {s["name"]: s for s in emulator.shares()}
    assert now["app-db"]["id"] != old["app-db"]["id"]
    assert now["app-db"]["target"] == "10.20.100.1:8443"
    assert now["app-api"]["id"] == old["app-api"]["id"]
    assert now["app-api"]["target"] == "10.20.100.2:443"
    assert_state_matches_emulator(stack, emulator)


# --- 5. bad inputs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BadInput:
    """One bad input: the resource kind, the input (camelCase, or ``createTimeout``) and its value."""

    id: str
    kind: str
    field: str
    value: Any
    expect: str
    # Refused by the program itself (before any resource registers), so it needs a preview of its own.
    in_program: bool = False


BAD_INPUTS = [
    BadInput("peer-ip-not-an-ip", "tunnel", "peerPublicIp", "300.1.2.3", "is not an IPv4 address"),
    BadInput("peer-ip-private", "tunnel", "peerPublicIp", "10.0.0.1", "is not a publicly routable IPv4"),
    BadInput("cidr-host-bits", "tunnel", "peerCidr", "172.31.0.1/16", "has host bits set"),
    BadInput("cidr-without-prefix", "tunnel", "peerCidr", "172.31.0.0", "is not an IPv4 CIDR block"),
    BadInput("tunnel-name-blank", "tunnel", "name", "  ", "name must not be empty"),
    BadInput("nlb-ip-public", "tunnel", "nlbPrivateIp", "8.8.8.8", "is not a private IPv4 address"),
    BadInput("share-name-leading-hyphen", "share", "name", "-app", "not starting or ending with a hyphen"),
    BadInput("share-name-64-chars", "share", "name", "a" * 64, "must be 1-63 letters"),
    BadInput("ingress-port-0", "share", "ingressPort", 0, "greater than or equal to 1"),
    BadInput("ingress-port-65536", "share", "ingressPort", 65536, "less than or equal to 65535"),
    BadInput("ingress-port-string", "share", "ingressPort", "80", "valid integer"),
    BadInput("target-without-port", "share", "target", "10.20.0.1", "is not host:port"),
    BadInput("env-z-id-empty", "share", "envZId", "", "must not be empty"),
    BadInput("create-timeout-zero", "tunnel", "createTimeout", "0s", "is not a positive number of seconds"),
    BadInput(
        "create-timeout-not-a-duration",
        "tunnel",
        "createTimeout",
        "soon",
        "is not a duration",
        in_program=True,
    ),
]


def batches(cases: list[BadInput]) -> list[list[BadInput]]:
    """Cases that can share one resource (same kind, different inputs) share one preview.

    The engine stops at the first resource whose check fails, but reports every failure of that one.
    """
    grouped: list[list[BadInput]] = []
    for case in cases:
        home = next(
            (
                batch
                for batch in grouped
                if not case.in_program
                and not batch[0].in_program
                and batch[0].kind == case.kind
                and case.field not in {c.field for c in batch}
            ),
            None,
        )
        if home is None:
            grouped.append([case])
        else:
            home.append(case)
    return grouped


def batch_config(index: int, batch: list[BadInput]) -> dict[str, Any]:
    inputs = {c.field: c.value for c in batch if c.field != "createTimeout"}
    spec: dict[str, Any] = {"kind": batch[0].kind, "inputs": inputs}
    for case in batch:
        if case.field == "createTimeout":
            spec["createTimeout"] = case.value
    return {f"bad-{batch[0].kind}-{index}": spec}


@dataclass(frozen=True)
class Refusal:
    resource: str
    returncode: int
    text: str
    mutations: list[dict[str, Any]]
    dump: dict[str, list[dict[str, Any]]]


BATCHES = batches(BAD_INPUTS)


@pytest.fixture(scope="module")
def refused(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[BadInput], Refusal]]:
    """Runs each batch's preview once, on first use, against an emulator of its own."""
    server = EmulatorServer(tunnel_delay=0.5, share_delay=0.3, delete_delay=0.2)
    emulator = Emulator(server)
    project = new_project(tmp_path_factory.mktemp("bad-inputs"), PROGRAM, name="fdipsec-e2e-bad-inputs")
    init_stack(project, server.url, {"noTunnel": "true"})
    seen: dict[int, Refusal] = {}

    def run(case: BadInput) -> Refusal:
        index = next(i for i, batch in enumerate(BATCHES) if case in batch)
        if index not in seen:
            config = batch_config(index, BATCHES[index])
            set_config(project, {"cases": config})
            emulator.call("DELETE", "requests")
            proc = project.run("preview", check=False)
            seen[index] = Refusal(
                next(iter(config)), proc.returncode, output(proc), emulator.mutations(), emulator.dump()
            )
        return seen[index]

    try:
        yield run
    finally:
        server.stop()


@pytest.mark.parametrize("case", BAD_INPUTS, ids=[c.id for c in BAD_INPUTS])
def test_bad_input_fails_preview_naming_the_field(
    refused: Callable[[BadInput], Refusal], case: BadInput
) -> None:
    result = refused(case)
    assert result.returncode != 0, result.text
    if case.in_program:
        assert f"custom_timeouts value {case.value!r} {case.expect}" in result.text, result.text
    else:
        prop = "__timeouts" if case.field == "createTimeout" else case.field
        pattern = re.compile(
            rf"error: pulumi-python:dynamic/fdipsec:Ipsec\w+ resource '{result.resource}': "
            rf"property {prop} value .* has a problem: (?P<reason>.*)$",
            re.MULTILINE,
        )
        reasons = [m["reason"] for m in pattern.finditer(result.text)]
        assert reasons, result.text
        if case.field == "createTimeout":
            assert any(r.startswith("custom_timeouts.create=") and case.expect in r for r in reasons), reasons
        else:
            assert any(
                r.startswith(f"invalid value for {case.field} ({case.value!r})") and case.expect in r
                for r in reasons
            ), reasons
    assert result.mutations == []
    assert result.dump == {"tunnels": [], "shares": []}


# --- 6. failed creates ----------------------------------------------------------------------------------


def test_create_that_ends_in_error_fails_up_and_leaves_nothing(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES[:1])
    reason = "capacity exhausted in us-east-1"
    emulator.call("POST", "fail-next", {"kind": "tunnel", "reason": reason})

    up = stack.up(check=False)
    assert up.returncode != 0
    assert re.search(rf"IpsecTunnel e2e-dc1 \(tnl-\w+\) failed to deploy: {reason}", output(up)), output(up)
    emulator.wait_until(lambda: emulator.tunnels() == [], "the failed tunnel is gone")
    assert emulator.shares() == []
    assert stack.resources(TUNNEL_TYPE) == [] and stack.resources(SHARE_TYPE) == []
    # One create, then the provider removed what failed.
    [post] = tunnel_posts(emulator)
    assert [e["method"] for e in emulator.mutations()] == ["POST", "DELETE"]
    assert post["status"] == 202


@pytest.mark.sdk_range
def test_timed_out_create_is_adopted_by_the_next_up(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES[:1], tunnelCreateTimeout="3s")
    emulator.configure(tunnelDelay=120)

    up = stack.up(check=False)
    assert up.returncode != 0
    [pending] = emulator.tunnels()
    assert pending["status"] == "NEW"
    assert (
        f"timed out after 3 s waiting for IpsecTunnel e2e-dc1 ({pending['id']}) to reach DEPLOYED; "
        "last status NEW" in output(up)
    ), output(up)
    assert stack.resources(TUNNEL_TYPE) == []

    emulator.configure(tunnelDelay=0)
    stack.run("config", "rm", "tunnelCreateTimeout")
    up = stack.up()
    assert f"adopting tunnel {pending['id']} (" in up.stdout, up.stdout
    assert "which an earlier, interrupted create of this resource made" in up.stdout
    [tunnel] = emulator.tunnels()
    assert tunnel["id"] == pending["id"] and tunnel["status"] == "DEPLOYED"
    assert [t["id"] for t in stack.resources(TUNNEL_TYPE)] == [pending["id"]]
    assert len(tunnel_posts(emulator)) == 1
    [share] = emulator.shares()
    assert share["ipsecTunnelId"] == pending["id"]
    assert_state_matches_emulator(stack, emulator)


# --- 7. import and get ----------------------------------------------------------------------------------


@pytest.mark.sdk_range
def test_import_option_and_get(make_stack: StackFactory, emulator: Emulator) -> None:
    """``import_`` takes over an existing tunnel; ``get`` reads one.

    The engine's import step calls Read with the id alone, without the pickled ``__provider``
    (pulumi/pulumi#16175), so IpsecTunnel moves ``import_`` into a hidden input and create reads the named
    tunnel after checking it matches the declared inputs. The preview shows a create, the API sees no write.
    """
    legacy_spec = {"name": "legacy-dc", "peerPublicIp": "198.51.100.7", "peerCidr": "10.50.0.0/16"}
    legacy = emulator.create_deployed("ipsec-tunnels", legacy_spec)
    other = emulator.create_deployed(
        "ipsec-tunnels", {"name": "other-dc", "peerPublicIp": "198.51.100.8", "peerCidr": "10.60.0.0/16"}
    )
    emulator.call("DELETE", "requests")

    # Inputs that do not match the named tunnel: refused, naming the field and its actual value.
    stack = make_stack(tunnel={**legacy_spec, "peerCidr": "10.51.0.0/16"}, importTunnelId=legacy["id"])
    up = stack.up(check=False)
    assert up.returncode != 0
    assert f"tunnel {legacy['id']} ('legacy-dc') does not match" in output(up), output(up)
    assert "peerCidr='10.50.0.0/16'" in output(up), output(up)
    assert stack.resources(TUNNEL_TYPE) == []
    assert emulator.mutations() == []

    set_config(stack, {"tunnel": legacy_spec})
    up = stack.up()
    assert f"importing tunnel {legacy['id']} (DEPLOYED)" in up.stdout
    assert [t["id"] for t in stack.resources(TUNNEL_TYPE)] == [legacy["id"]]
    assert emulator.mutations() == []
    stack.run("preview", "--expect-no-changes")

    # IpsecTunnel.get reads any tunnel by id and manages nothing about it.
    set_config(stack, {"getTunnelId": other["id"]})
    stack.up()
    outputs = stack.outputs()
    assert outputs["lookedUpName"] == "other-dc"
    assert outputs["lookedUpCidr"] == "10.60.0.0/16"
    [looked_up] = [r for r in stack.resources(TUNNEL_TYPE) if r["urn"].endswith("::looked-up")]
    assert looked_up["id"] == other["id"] and looked_up.get("external") is True
    assert emulator.mutations() == []
    assert len(emulator.tunnels()) == 2


# --- 8. destroy -----------------------------------------------------------------------------------------


def test_destroy_removes_everything(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES)
    stack.up()
    assert len(emulator.shares()) == 2

    stack.run("destroy", "--yes", "--skip-preview")
    emulator.wait_empty()
    assert stack.resources(TUNNEL_TYPE) == [] and stack.resources(SHARE_TYPE) == []
    assert stack.outputs() == {}


def test_destroy_refuses_a_tunnel_carrying_an_unmanaged_share(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES[:1])
    stack.up()
    [tunnel] = emulator.tunnels()
    stray = emulator.api(
        "POST",
        "ipsec-shares",
        {
            "name": "stray",
            "ipsecTunnelId": tunnel["id"],
            "envZId": "x",
            "target": "10.0.0.1:22",
            "ingressPort": 22,
        },
    ).json()

    destroy = stack.run("destroy", "--yes", "--skip-preview", check=False)
    assert destroy.returncode != 0
    assert (
        f"cannot delete IpsecTunnel e2e-dc1 ({tunnel['id']}): it still carries IPsec shares this stack "
        f"does not manage: {stray['id']}" in output(destroy)
    ), output(destroy)
    assert [t["id"] for t in emulator.tunnels()] == [tunnel["id"]]
    # The managed share was deleted; the emulator lists it as DELETED for one delete delay.
    emulator.wait_until(
        lambda: [s["id"] for s in emulator.shares()] == [stray["id"]], "only the stray share is left"
    )
    assert [t["id"] for t in stack.resources(TUNNEL_TYPE)] == [tunnel["id"]]
    assert stack.resources(SHARE_TYPE) == []


def test_endpoint_outputs_are_the_configuration_documents(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = make_stack(tunnel=TUNNEL)
    stack.up()
    [tunnel] = emulator.tunnels()
    [endpoint] = emulator.api("GET", f"ipsec-tunnels/{tunnel['id']}/tunnel-config").json()["tunnels"]
    outputs = stack.outputs()
    assert (outputs["outsideIpAddress"], outputs["insideCidr"]) == (
        endpoint["outsideIpAddress"],
        endpoint["insideCidr"],
    )
    assert outputs["tunnelConfigTypes"] == ["IpsecTunnelConfig", "IpsecTunnelEndpoint", "int"]


# --- 9. secrets -----------------------------------------------------------------------------------------


@pytest.mark.sdk_range
def test_state_holds_no_token_or_psk_and_sample_config_is_secret(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES[:1])
    stack.up()
    [tunnel] = emulator.tunnels()
    sample = emulator.sample_config(tunnel["id"])
    psk = re.search(r'PSK "([^"]+)"', sample)
    assert psk is not None, sample

    exported = stack.run("stack", "export").stdout
    for secret in (TOKEN, psk[1]):
        assert secret not in exported
    assert TOKEN not in (stack.root / f"Pulumi.{stack.stack}.yaml").read_text()

    [state] = stack.resources(TUNNEL_TYPE)
    for key in ("sampleConfig", "__provider"):
        envelope = state["outputs"][key]
        assert isinstance(envelope, dict) and envelope[SECRET_SIG] == "1b47061264138c4ac30d75fd1eb44270", key
        assert set(envelope) == {SECRET_SIG, "ciphertext"}
    assert state["outputs"]["tunnelConfig"]["tunnels"][0]["outsideIpAddress"]  # plain, and holds no key
    assert psk[1] not in json.dumps(state["outputs"]["tunnelConfig"])

    assert stack.outputs()["sampleConfig"] == "[secret]"
    plain = stack.run("stack", "output").stdout
    assert re.search(r"sampleConfig\s+\[secret\]", plain), plain
    assert psk[1] not in plain
    assert stack.outputs(show_secrets=True)["sampleConfig"] == sample
