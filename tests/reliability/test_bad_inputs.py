"""The bad-input battery: invalid inputs of both resources through `pulumi preview` on the real engine.

Each case must fail the preview with a message that names its field, and the emulator must have seen no
write request and hold nothing. A location or an ingress port that another object already holds fails
the preview of the newcomer claiming it (the check reads the Frontdoor's listing once); what the API alone
decides (a Frontdoor that does not exist) fails at `up`, names the conflict, and still writes nothing
(providers/claims.py checks first).

The engine stops a preview at the first resource whose check fails, reporting every failure of that one,
so the cases are packed into resources with one case per field, and the previews run on two workers, each
with its own emulator so that every write is traced to its preview.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest

from fdipsec_pulumi.emulator import EmulatorServer
from tests.e2e.conftest import PROGRAM, Emulator, StackFactory, init_stack, set_config
from tests.e2e.conftest import emulator as emulator  # the fixture make_stack needs
from tests.e2e.conftest import make_stack as make_stack  # a fixture
from tests.e2e.harness import Project, new_project

pytestmark = pytest.mark.e2e

WORKERS = 2
OTHER_TUNNEL = "tnl-0000000000000000"


@dataclass(frozen=True)
class Bad:
    """One invalid input: the resource kind, the input (camelCase, or ``createTimeout``), its value (None:
    left out), and words the refusal must contain besides the field's name."""

    id: str
    kind: str
    field: str
    value: Any
    expect: str


def missing(kind: str, field: str) -> Bad:
    return Bad(f"{kind}-{field}-missing", kind, field, None, f"{field} is required")


PUBLIC = "is not a publicly routable IPv4 address"
NOT_IP = "is not an IPv4 address"
STRING = "Input should be a valid string"
INTEGER = "Input should be a valid integer"
NOT_CIDR = "is not an IPv4 CIDR block"
TOO_WIDE = "is wider than /8"
NOT_PRIVATE = "is not a private IPv4 address"
SHARE_NAME = "must be 1-63 letters, digits and hyphens"
HOST_PORT = "is not host:port with a port from 1 to 65535"
EMPTY = "must not be empty"

TUNNEL_CASES = [
    # bad and private peer IPs
    Bad("peer-ip-not-an-ip", "tunnel", "peerPublicIp", "300.1.2.3", NOT_IP),
    Bad("peer-ip-hostname", "tunnel", "peerPublicIp", "vpn.example.com", NOT_IP),
    Bad("peer-ip-ipv6", "tunnel", "peerPublicIp", "2001:db8::1", NOT_IP),
    Bad("peer-ip-private-10", "tunnel", "peerPublicIp", "10.0.0.1", PUBLIC),
    Bad("peer-ip-private-192-168", "tunnel", "peerPublicIp", "192.168.1.1", PUBLIC),
    Bad("peer-ip-loopback", "tunnel", "peerPublicIp", "127.0.0.1", PUBLIC),
    Bad("peer-ip-cgnat", "tunnel", "peerPublicIp", "100.64.0.1", PUBLIC),
    Bad("peer-ip-multicast", "tunnel", "peerPublicIp", "224.0.0.5", PUBLIC),
    Bad("peer-ip-number", "tunnel", "peerPublicIp", 3405803777, STRING),
    missing("tunnel", "peerPublicIp"),
    # CIDRs with host bits, malformed, or too wide
    Bad("cidr-host-bits", "tunnel", "peerCidr", "172.31.0.1/16", "has host bits set"),
    Bad("cidr-host-bits-8", "tunnel", "peerCidr", "10.1.0.0/8", "has host bits set"),
    Bad("cidr-without-prefix", "tunnel", "peerCidr", "172.31.0.0", NOT_CIDR),
    Bad("cidr-prefix-33", "tunnel", "peerCidr", "172.31.0.0/33", NOT_CIDR),
    Bad("cidr-ipv6", "tunnel", "peerCidr", "fd00::/8", NOT_CIDR),
    Bad("cidr-everything", "tunnel", "peerCidr", "0.0.0.0/0", TOO_WIDE),
    Bad("cidr-slash-7", "tunnel", "peerCidr", "10.0.0.0/7", TOO_WIDE),
    missing("tunnel", "peerCidr"),
    # empty, long, multi-line and mistyped names (a tunnel name is free text: non-ASCII is allowed)
    Bad("tunnel-name-empty", "tunnel", "name", "", "name must not be empty"),
    Bad("tunnel-name-blank", "tunnel", "name", "   ", "name must not be empty"),
    Bad("tunnel-name-256-chars", "tunnel", "name", "t" * 256, "at most 255 are allowed"),
    Bad("tunnel-name-newline", "tunnel", "name", "dc1\ndc2", "holds control characters"),
    Bad("tunnel-name-tab", "tunnel", "name", "dc\t1", "holds control characters"),
    Bad("tunnel-name-list", "tunnel", "name", ["dc1"], STRING),
    Bad("tunnel-name-number", "tunnel", "name", 42, STRING),
    missing("tunnel", "name"),
    # the optional inputs
    Bad("tunnel-location-empty", "tunnel", "locationId", "", EMPTY),
    Bad("tunnel-location-blank", "tunnel", "locationId", "  ", EMPTY),
    Bad("tunnel-location-number", "tunnel", "locationId", 1, STRING),
    Bad("tunnel-location-padded", "tunnel", "locationId", " us-east-1", "holds spaces or control characters"),
    Bad("nlb-ip-public", "tunnel", "nlbPrivateIp", "8.8.8.8", NOT_PRIVATE),
    Bad("nlb-ip-loopback", "tunnel", "nlbPrivateIp", "127.0.0.1", NOT_PRIVATE),
    Bad("nlb-ip-documentation", "tunnel", "nlbPrivateIp", "192.0.2.10", NOT_PRIVATE),
    Bad("nlb-ip-truncated", "tunnel", "nlbPrivateIp", "10.1.0", NOT_IP),
    Bad("tunnel-frontdoor-empty", "tunnel", "frontdoorId", "", EMPTY),
    Bad("tunnel-frontdoor-blank", "tunnel", "frontdoorId", "   ", EMPTY),
    Bad("tunnel-create-timeout-zero", "tunnel", "createTimeout", "0s", "is not a positive number of seconds"),
]

SHARE_CASES = [
    # empty, long, non-ASCII and malformed names (share names are DNS-like labels)
    Bad("share-name-empty", "share", "name", "", SHARE_NAME),
    Bad("share-name-leading-hyphen", "share", "name", "-app", SHARE_NAME),
    Bad("share-name-64-chars", "share", "name", "s" * 64, SHARE_NAME),
    Bad("share-name-underscore", "share", "name", "app_db", SHARE_NAME),
    Bad("share-name-space", "share", "name", "app db", SHARE_NAME),
    Bad("share-name-accented", "share", "name", "äpp", SHARE_NAME),
    Bad("share-name-cjk", "share", "name", "数据库", SHARE_NAME),
    Bad("share-name-number", "share", "name", 5, STRING),
    Bad("share-name-trailing-newline", "share", "name", "app\n", SHARE_NAME),
    missing("share", "name"),
    # targets without a port, or with a bad one
    Bad("target-without-port", "share", "target", "10.20.0.1", HOST_PORT),
    Bad("target-empty-port", "share", "target", "10.20.0.1:", HOST_PORT),
    Bad("target-without-host", "share", "target", ":443", HOST_PORT),
    Bad("target-port-0", "share", "target", "10.20.0.1:0", HOST_PORT),
    Bad("target-port-65536", "share", "target", "10.20.0.1:65536", HOST_PORT),
    Bad("target-port-name", "share", "target", "db.internal:https", HOST_PORT),
    Bad("target-number", "share", "target", 443, STRING),
    # hosts that do not name one port unambiguously, or are no host at all
    Bad("target-ipv6-unbracketed", "share", "target", "fd00::1:8443", "'[fd00::1]:8443'"),
    Bad("target-url", "share", "target", "https://db.internal:443", "is a URL; give host:port"),
    Bad("target-ipv4-out-of-range", "share", "target", "10.20.0.256:443", "is not an IPv4 address"),
    Bad("target-port-other-digits", "share", "target", "10.20.0.1:\u0668\u0660", HOST_PORT),
    missing("share", "target"),
    # ports out of range, and of the wrong type
    Bad("ingress-port-0", "share", "ingressPort", 0, "greater than or equal to 1"),
    Bad("ingress-port-negative", "share", "ingressPort", -1, "greater than or equal to 1"),
    Bad("ingress-port-65536", "share", "ingressPort", 65536, "less than or equal to 65535"),
    Bad("ingress-port-string", "share", "ingressPort", "80", INTEGER),
    Bad("ingress-port-fraction", "share", "ingressPort", 80.5, INTEGER),
    Bad("ingress-port-boolean", "share", "ingressPort", True, INTEGER),
    missing("share", "ingressPort"),
    # the other identifiers
    Bad("env-z-id-empty", "share", "envZId", "", EMPTY),
    Bad("env-z-id-blank", "share", "envZId", " ", EMPTY),
    Bad("env-z-id-number", "share", "envZId", 7, STRING),
    Bad("env-z-id-newline", "share", "envZId", "ijcrWb\nZOq", "holds spaces or control characters"),
    missing("share", "envZId"),
    Bad("share-tunnel-id-empty", "share", "ipsecTunnelId", "", EMPTY),
    Bad("share-tunnel-id-number", "share", "ipsecTunnelId", 12, STRING),
    Bad("share-location-empty", "share", "locationId", "", EMPTY),
    Bad("share-frontdoor-empty", "share", "frontdoorId", "", EMPTY),
    Bad("share-create-timeout-zero", "share", "createTimeout", "0m", "is not a positive number of seconds"),
]

CASES = TUNNEL_CASES + SHARE_CASES


@dataclass(frozen=True)
class Twice:
    """Two resources of one program that claim the same place: the second fails its check, naming it."""

    id: str
    kind: str
    field: str
    inputs: dict[str, Any]


# Two tunnels of one program in one location, two shares of one tunnel on one ingress port.
DECLARED_TWICE = [
    Twice("duplicate-location", "tunnel", "locationId", {"locationId": "us-east-1"}),
    Twice("duplicate-ingress-port", "share", "ingressPort", {"ingressPort": 8443, "target": "10.20.0.9:22"}),
]


def batches(cases: list[Bad]) -> list[list[Bad]]:
    """Cases packed into as few resources as their fields allow: one case per field in each."""
    packed: list[list[Bad]] = []
    for case in cases:
        home = next(
            (b for b in packed if b[0].kind == case.kind and case.field not in {c.field for c in b}), None
        )
        if home is None:
            packed.append([case])
        else:
            home.append(case)
    return packed


def batch_config(batch: list[Bad]) -> dict[str, Any]:
    spec: dict[str, Any] = {"kind": batch[0].kind, "inputs": {}}
    for case in batch:
        if case.field == "createTimeout":
            spec["createTimeout"] = case.value
        else:
            spec["inputs"][case.field] = case.value
    return {f"bad-{batch[0].kind}": spec}


def twice_config(twice: Twice) -> dict[str, Any]:
    first, second = ({"name": f"{twice.kind}-a"}, {"name": f"{twice.kind}-b"})
    return {
        f"{twice.id}-a": {"kind": twice.kind, "inputs": {**twice.inputs, **first}},
        f"{twice.id}-b": {"kind": twice.kind, "inputs": {**twice.inputs, **second}},
    }


@dataclass(frozen=True)
class Refusal:
    returncode: int
    text: str
    mutations: list[dict[str, Any]]
    dump: dict[str, list[dict[str, Any]]]


def preview(project: Project, emulator: Emulator, cases: dict[str, Any]) -> Refusal:
    set_config(project, {"cases": cases})
    emulator.call("DELETE", "requests")
    proc = project.run("preview", check=False)
    text = f"{proc.stdout}\n{proc.stderr}"
    return Refusal(proc.returncode, text, emulator.mutations(), emulator.dump())


BATCHES = batches(CASES)
PROGRAMS: list[dict[str, Any]] = [batch_config(b) for b in BATCHES] + [
    twice_config(t) for t in DECLARED_TWICE
]


@pytest.fixture(scope="module")
def refusals(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Refusal]]:
    """Every program's preview, once, spread over ``WORKERS`` projects with an emulator each."""
    servers = [EmulatorServer(tunnel_delay=0.5, share_delay=0.3, delete_delay=0.2) for _ in range(WORKERS)]
    roots = [tmp_path_factory.mktemp(f"bad-inputs-{worker}") for worker in range(WORKERS)]

    def work(worker: int) -> list[tuple[int, Refusal]]:
        emulator = Emulator(servers[worker])
        project = new_project(roots[worker], PROGRAM, name=f"fdipsec-bad-inputs-{worker}")
        init_stack(project, servers[worker].url, {"noTunnel": "true"})
        mine = range(worker, len(PROGRAMS), WORKERS)
        return [(index, preview(project, emulator, PROGRAMS[index])) for index in mine]

    try:
        with ThreadPoolExecutor(WORKERS) as pool:
            done = dict(pair for found in pool.map(work, range(WORKERS)) for pair in found)
        yield [done[index] for index in range(len(PROGRAMS))]
    finally:
        for server in servers:
            server.stop()


def reasons(text: str, resource: str, prop: str) -> list[str]:
    """The engine's check-failure lines for one property of one resource (values may span lines)."""
    pattern = re.compile(
        rf"error: pulumi-python:dynamic/fdipsec:Ipsec\w+ resource '{re.escape(resource)}': "
        rf"property {prop} value (?s:.*?) has a problem: (?P<reason>[^\n]*)"
    )
    return list(dict.fromkeys(m["reason"] for m in pattern.finditer(text)))


def test_the_battery_has_at_least_40_distinct_cases() -> None:
    ids = [c.id for c in CASES] + [t.id for t in DECLARED_TWICE] + [c[0] for c in HELD + AT_UP]
    assert len(ids) == len(set(ids)) >= 40
    assert len({(c.kind, c.field, repr(c.value)) for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_fails_preview_naming_the_field(refusals: list[Refusal], case: Bad) -> None:
    index = next(i for i, batch in enumerate(BATCHES) if case in batch)
    result = refusals[index]
    assert result.returncode != 0, result.text
    prop = "__timeouts" if case.field == "createTimeout" else case.field
    found = reasons(result.text, f"bad-{case.kind}", prop)
    named = "custom_timeouts.create" if case.field == "createTimeout" else case.field
    assert any(named in r and case.expect in r for r in found), (case, found, result.text)
    assert result.mutations == []
    assert result.dump == {"tunnels": [], "shares": []}


@pytest.mark.parametrize("twice", DECLARED_TWICE, ids=[t.id for t in DECLARED_TWICE])
def test_a_place_declared_twice_fails_preview_naming_it(refusals: list[Refusal], twice: Twice) -> None:
    result = refusals[len(BATCHES) + DECLARED_TWICE.index(twice)]
    assert result.returncode != 0, result.text
    value = twice.inputs[twice.field]
    found = {
        (first, second): reasons(result.text, f"{twice.id}-{second}", twice.field)
        for first, second in (("a", "b"), ("b", "a"))
    }
    # The engine checks one at a time, in an order it does not fix: whichever it checks second is refused,
    # with a reason that names both in name order, the same on every run.
    expected = (
        f"{twice.field} {value!r} is declared by Ipsec{twice.kind.title()} '{twice.id}-a' and "
        f"'{twice.id}-b' in this program"
    )
    refused = {pair: [r for r in listed if expected in r] for pair, listed in found.items()}
    assert sum(bool(r) for r in refused.values()) == 1, result.text
    assert result.mutations == []
    assert result.dump == {"tunnels": [], "shares": []}


def test_a_newcomer_in_a_deployed_tunnels_location_fails_preview_and_the_holder_does_not(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    first = {"kind": "tunnel", "inputs": {"name": "first", "locationId": "eu-west-1"}}
    stack = make_stack(noTunnel="true", cases={"first": first})
    stack.up()
    [held] = emulator.tunnels()
    second = {
        "kind": "tunnel",
        "inputs": {"name": "second", "peerCidr": "172.30.0.0/16", "locationId": "eu-west-1"},
    }
    set_config(stack, {"cases": {"first": first, "second": second}})
    emulator.call("DELETE", "requests")

    # Twice: the engine's order of checks may differ between runs; the outcome must not.
    for _ in range(2):
        proc = stack.run("preview", check=False)
        text = f"{proc.stdout}\n{proc.stderr}"
        assert proc.returncode != 0, text
        assert reasons(text, "first", "locationId") == [], text
        assert "IpsecTunnel (first):" not in text, text
        [reason] = reasons(text, "second", "locationId")
        assert reason.startswith("locationId 'eu-west-1' is "), reason
        assert held["id"] in reason or "IpsecTunnel 'first'" in reason, reason
    assert emulator.mutations() == []
    assert [t["id"] for t in emulator.tunnels()] == [held["id"]]


# --- what another object holds, and what the API decides: naming the conflict, writing nothing ----------

UNKNOWN_FRONTDOOR = "00000000-0000-4000-8000-000000000000"
# (case id, the resource's inputs, what the error must say): places other objects hold, refused at preview.
HELD: list[tuple[str, str, dict[str, Any], str]] = [
    (
        "location-taken",
        "tunnel",
        {"name": "new-dc", "locationId": "us-east-2"},
        "locationId 'us-east-2' is already taken by tunnel {tunnel} ('theirs', DEPLOYED)",
    ),
    (
        "ingress-port-taken",
        "share",
        {"name": "new-share", "ingressPort": 8443, "ipsecTunnelId": "{tunnel}"},
        "ingressPort 8443 is already taken by share {share} ('their-share', DEPLOYED)",
    ),
]
# What only the API's answer can tell, refused at up.
AT_UP: list[tuple[str, str, dict[str, Any], str]] = [
    (
        "unknown-frontdoor",
        "tunnel",
        {"name": "elsewhere", "frontdoorId": UNKNOWN_FRONTDOOR},
        f"Frontdoor {UNKNOWN_FRONTDOOR}",
    ),
]


def others(emulator: Emulator) -> dict[str, str]:
    """A tunnel and a share of somebody else's, holding us-east-2 and port 8443 on that tunnel."""
    tunnel = emulator.create_deployed(
        "ipsec-tunnels",
        {
            "name": "theirs",
            "peerPublicIp": "198.51.100.7",
            "peerCidr": "10.60.0.0/16",
            "locationId": "us-east-2",
        },
    )
    share = emulator.create_deployed(
        "ipsec-shares",
        {
            "name": "their-share",
            "ipsecTunnelId": tunnel["id"],
            "envZId": "ijcrWb-ZOq",
            "target": "10.60.0.5:8443",
            "ingressPort": 8443,
        },
    )
    return {"tunnel": tunnel["id"], "share": share["id"]}


def case_config(cases: list[tuple[str, str, dict[str, Any], str]], ids: dict[str, str]) -> dict[str, Any]:
    return {
        case: {
            "kind": kind,
            "inputs": {k: str(v).format(**ids) if isinstance(v, str) else v for k, v in inputs.items()},
        }
        for case, kind, inputs, _ in cases
    }


def test_a_place_another_object_holds_fails_preview_naming_it_and_writes_nothing(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    ids = others(emulator)
    stack = make_stack(noTunnel="true")
    before = emulator.dump()
    emulator.call("DELETE", "requests")
    # One preview per case: the engine stops a preview at the first resource whose check fails.
    for case in HELD:
        set_config(stack, {"cases": case_config([case], ids)})
        proc = stack.run("preview", check=False)
        text = f"{proc.stdout}\n{proc.stderr}"
        assert proc.returncode != 0, text
        name, kind, _, expect = case
        field = "locationId" if kind == "tunnel" else "ingressPort"
        assert any(expect.format(**ids) in r for r in reasons(text, name, field)), (case, text)
    assert emulator.mutations() == []
    assert emulator.dump() == before


def test_what_the_api_decides_fails_up_naming_the_conflict_and_writes_nothing(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    ids = others(emulator)
    stack = make_stack(noTunnel="true", cases=case_config(AT_UP, ids))
    before = emulator.dump()
    emulator.call("DELETE", "requests")

    up = stack.up("--continue-on-error", check=False)
    text = f"{up.stdout}\n{up.stderr}"
    assert up.returncode != 0, text
    for case, _, _, expect in AT_UP:
        assert re.search(rf"\({re.escape(case)}\):\n\s+error: .*{re.escape(expect.format(**ids))}", text), (
            case,
            text,
        )
    assert emulator.mutations() == []
    assert emulator.dump() == before
    assert stack.resources("pulumi-python:dynamic/fdipsec:IpsecTunnel") == []
    assert stack.resources("pulumi-python:dynamic/fdipsec:IpsecShare") == []
