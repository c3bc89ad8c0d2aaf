"""The fault matrix: every fault the providers must survive, through the real engine and the emulator.

One test per fault. Each injects the fault (mostly through the emulator's control API), checks what the
user sees, runs exactly the recovery step the README gives where one is needed, and ends with
``matrix.converge``: a clean ``pulumi up``, ``pulumi preview --expect-no-changes``, no duplicate and no
orphan. Every test also compares the writes the API accepted with exactly those the fault justifies.
"""

# The e2e fixtures are imported, not redefined in a conftest, so their parameters shadow the imports.
# ruff: noqa: F811

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import (  # noqa: F401 (pytest fixtures)
    PROGRAM,
    SHARE_TYPE,
    TUNNEL_TYPE,
    Emulator,
    StackFactory,
    emulator,
    init_stack,
    make_stack,
    set_config,
)
from tests.e2e.harness import Project, new_project
from tests.e2e.test_processes import GONE_WITHIN, kill_up_mid_create, processes_with
from tests.e2e.test_resources import SHARES, TUNNEL, by_name, output, tunnel_posts
from tests.reliability.matrix import (
    Background,
    EmulatorProcess,
    accepted_writes,
    converge,
    fault,
    live,
    writes,
)

pytestmark = pytest.mark.e2e

TUNNELS = r"/ipsec-tunnels$"
ONE_SHARE = SHARES[:1]
DEPLOYED_ONE = Counter({("POST", "tunnel"): 1, ("POST", "share"): 1})
NOTHING: Counter[tuple[str, str]] = Counter()


def deployed(
    make_stack: StackFactory, emulator: Emulator, shares: list[dict[str, Any]] = ONE_SHARE
) -> Project:
    """A stack with the tunnel and its shares deployed, and an empty request log."""
    stack = make_stack(tunnel=TUNNEL, shares=shares)
    stack.up()
    emulator.call("DELETE", "requests")
    return stack


def diagnostics(run: subprocess.CompletedProcess[str]) -> str:
    """The run's info lines once each: the CLI also shows them as progress while they happen."""
    return run.stdout.rsplit("Diagnostics:", 1)[-1]


def converged(stack: Project, emulator: Emulator, expected: Counter[tuple[str, str]] = NOTHING) -> None:
    """``converge``, whose up must send exactly ``expected`` accepted writes (none for a stack that the
    faulted run already converged)."""
    emulator.call("DELETE", "requests")
    converge(stack, emulator)
    assert accepted_writes(emulator) == expected, writes(emulator)


# --- rate limits, 5xx, drops and latency: the first up converges by itself ---------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", TUNNELS), ("PATCH", r"/ipsec-shares/[^/]+$"), ("GET", r"/ipsec-tunnels")],
    ids=["POST", "PATCH", "GET"],
)
def test_429_with_retry_after(make_stack: StackFactory, emulator: Emulator, method: str, path: str) -> None:
    if method == "PATCH":
        stack = deployed(make_stack, emulator)
        set_config(stack, {"shares": [{**ONE_SHARE[0], "target": "10.20.100.9:8443"}]})
        expected = Counter({("PATCH", "share"): 1})
    else:
        stack = make_stack(tunnel=TUNNEL, shares=ONE_SHARE)
        expected = DEPLOYED_ONE
    fault(emulator, method=method, path=path, status=429, retryAfter=1, count=2)

    stack.up()

    limited = [e for e in emulator.requests() if e["status"] == 429]
    assert len(limited) == 2 and all(e["method"] == method for e in limited), limited
    assert accepted_writes(emulator) == expected, writes(emulator)
    converged(stack, emulator)


def test_burst_of_503s(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES)
    # The tunnel's POST gets one for sure (the first matching fault wins), then four of whatever comes.
    fault(emulator, method="POST", path=TUNNELS, status=503, count=1)
    fault(emulator, path=r"/ipsec-", status=503, count=4)

    stack.up()

    log = emulator.requests()
    assert sum(e["status"] == 503 for e in log) == 5
    posts = [e["status"] for e in tunnel_posts(emulator)]
    assert (posts[0], posts[-1]) == (503, 202), log
    # A POST that got a 503 is looked up before it is sent again: one accepted POST per object.
    assert accepted_writes(emulator) == Counter({("POST", "tunnel"): 1, ("POST", "share"): 2})
    converged(stack, emulator)


@pytest.mark.parametrize("kind", ["tunnel", "share"])
def test_four_503s_on_a_create_converge_in_one_up(
    make_stack: StackFactory, emulator: Emulator, kind: str
) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=ONE_SHARE)
    fault(emulator, method="POST", path=rf"/ipsec-{kind}s$", status=503, count=4)

    up = stack.up()

    posts = [status for method, k, status in writes(emulator) if method == "POST" and k == kind]
    assert posts == [503] * 4 + [202], writes(emulator)
    assert accepted_writes(emulator) == DEPLOYED_ONE, writes(emulator)
    label = "IpsecTunnel e2e-dc1" if kind == "tunnel" else "IpsecShare app-db"
    said = re.findall(
        rf"{label}: create not confirmed \(HTTP 503\) and nothing was made; sending it again", diagnostics(up)
    )
    assert len(said) == 4, up.stdout
    converged(stack, emulator)


def test_twenty_seconds_of_503s_on_every_request_converge_in_one_up(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=ONE_SHARE)
    fault(emulator, path=r"/frontdoor/", status=503)
    run = Background(stack, "up", "--yes", "--skip-preview")
    emulator.wait_until(
        lambda: any(e["status"] == 503 for e in emulator.requests()),
        "the up meets the outage",
        timeout=120,
    )
    time.sleep(20)
    emulator.call("DELETE", "faults")

    up = run.result()

    assert up.returncode == 0, output(up)
    assert "HTTP 503; retrying in" in up.stdout, up.stdout
    assert accepted_writes(emulator) == DEPLOYED_ONE, writes(emulator)
    converged(stack, emulator)


def test_an_outage_longer_than_the_retry_budget_fails_once_and_leaves_nothing(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=ONE_SHARE)
    set_config(stack, {"fdipsec:retryTimeout": 3})
    fault(emulator, path=r"/frontdoor/", status=503)

    up = stack.up(check=False)

    emulator.call("DELETE", "faults")
    assert up.returncode != 0
    failures = re.findall(r"IpsecTunnel e2e-dc1: create failed: [^\n]*", output(up))
    assert len(set(failures)) == 1, output(up)
    assert "(503" in failures[0] and "the retry budget of 3 s (fdipsec:retryTimeout" in failures[0], failures
    assert accepted_writes(emulator) == NOTHING, writes(emulator)
    assert live(emulator) == {"tunnels": [], "shares": []}
    assert stack.resources(TUNNEL_TYPE) == [] and stack.resources(SHARE_TYPE) == []
    stack.run("config", "rm", "--stack", stack.stack, "fdipsec:retryTimeout")
    converged(stack, emulator, DEPLOYED_ONE)


@pytest.mark.parametrize("drop", ["before", "after"])
def test_connection_dropped_on_create(make_stack: StackFactory, emulator: Emulator, drop: str) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=ONE_SHARE)
    fault(emulator, method="POST", path=TUNNELS, drop=drop, count=1)

    stack.up()

    posts = [e["status"] for e in tunnel_posts(emulator)]
    [tunnel] = live(emulator)["tunnels"]
    if drop == "before":
        # Nothing was created, so the lookup finds nothing and the POST is sent again.
        assert posts == [None, 202], posts
        assert accepted_writes(emulator) == DEPLOYED_ONE
    else:
        # The API created the tunnel and the answer was lost: found and kept, never POSTed again.
        assert posts == [None], posts
        assert accepted_writes(emulator) == Counter({("POST", "share"): 1})
    assert [t["id"] for t in stack.resources(TUNNEL_TYPE)] == [tunnel["id"]]
    converged(stack, emulator)


def test_latency_spikes(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES)
    fault(emulator, path=r"/ipsec-", latency=3, count=6)

    stack.up()

    slow = [e for e in emulator.requests() if e["durationMs"] >= 3000]
    assert len(slow) >= 6, slow
    assert accepted_writes(emulator) == Counter({("POST", "tunnel"): 1, ("POST", "share"): 2})
    converged(stack, emulator)


# --- failed and timed-out creates: the up fails, the next one converges --------------------------------


@pytest.mark.parametrize("kind", ["tunnel", "share"])
def test_create_ending_in_error(make_stack: StackFactory, emulator: Emulator, kind: str) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=ONE_SHARE)
    reason = "capacity exhausted in us-east-1"
    emulator.call("POST", "fail-next", {"kind": kind, "reason": reason})

    up = stack.up(check=False)

    assert up.returncode != 0
    label = "IpsecTunnel e2e-dc1 \\(tnl-\\w+\\)" if kind == "tunnel" else "IpsecShare app-db \\(\\w+-\\w+\\)"
    assert re.search(rf"{label} failed to deploy: {reason}", output(up)), output(up)
    # One create of the failing object, which the provider then removed; nothing after it was created.
    failed = Counter({("POST", kind): 1, ("DELETE", kind): 1})
    if kind == "share":
        failed[("POST", "tunnel")] = 1
    assert accepted_writes(emulator) == failed, writes(emulator)
    assert live(emulator)[f"{kind}s"] == []  # the failed object is DELETING or gone

    converged(stack, emulator, DEPLOYED_ONE if kind == "tunnel" else Counter({("POST", "share"): 1}))


def test_create_past_its_custom_timeout_then_the_next_up(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=ONE_SHARE, tunnelCreateTimeout="3s")
    emulator.configure(tunnelDelay=120)

    up = stack.up(check=False)

    assert up.returncode != 0
    [pending] = emulator.tunnels()
    assert "timed out after 3 s waiting for IpsecTunnel e2e-dc1" in output(up), output(up)
    assert accepted_writes(emulator) == Counter({("POST", "tunnel"): 1})
    emulator.configure(tunnelDelay=0)
    stack.run("config", "rm", "tunnelCreateTimeout")

    emulator.call("DELETE", "requests")
    up = converge(stack, emulator)
    assert f"adopting tunnel {pending['id']} (" in up.stdout, up.stdout
    assert accepted_writes(emulator) == Counter({("POST", "share"): 1}), writes(emulator)


# --- credentials --------------------------------------------------------------------------------------


def test_oauth_token_expiring_mid_run(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES)
    stack.run("config", "rm", "--stack", stack.stack, "fdipsec:token")
    stack.run("config", "set", "--stack", stack.stack, "fdipsec:clientId", "fdipsec-local")
    stack.run(
        "config", "set", "--stack", stack.stack, "--secret", "fdipsec:clientSecret", "fdipsec-local-secret"
    )
    # Tokens live 2 s; the creates take several, so every run outlives the tokens it starts with.
    emulator.configure(tokenTtl=2, tunnelDelay=5, shareDelay=3)

    stack.up()

    log = emulator.requests()
    fetched = [e for e in log if e["path"].endswith("/oauth/token")]
    assert len(fetched) >= 2 and all(e["status"] == 200 for e in fetched), fetched
    assert accepted_writes(emulator) == Counter({("POST", "tunnel"): 1, ("POST", "share"): 2})
    emulator.configure(tunnelDelay=0.5, shareDelay=0.3)
    converged(stack, emulator)


# --- out-of-band changes ----------------------------------------------------------------------------------


def test_out_of_band_share_delete_and_change_then_refresh_and_up(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = deployed(make_stack, emulator, SHARES)
    old = {s["name"]: s for s in emulator.shares()}
    emulator.call("DELETE", f"resources/shares/{old['app-db']['id']}")
    emulator.call("PATCH", f"resources/shares/{old['app-api']['id']}", {"target": "10.99.0.1:443"})

    stack.run("refresh", "--yes", "--skip-preview")

    in_state = by_name(stack, SHARE_TYPE)
    assert set(in_state) == {"app-api"}
    assert in_state["app-api"]["outputs"]["target"] == "10.99.0.1:443"
    assert accepted_writes(emulator) == NOTHING
    converged(stack, emulator, Counter({("POST", "share"): 1, ("PATCH", "share"): 1}))
    assert {s["name"]: s["target"] for s in emulator.shares()} == {
        "app-db": "10.20.100.1:8443",
        "app-api": "10.20.100.2:443",
    }


def test_out_of_band_tunnel_delete_then_refresh_and_up(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = deployed(make_stack, emulator)
    for share in emulator.shares():
        emulator.call("DELETE", f"resources/shares/{share['id']}")
    [old] = emulator.tunnels()
    emulator.call("DELETE", f"resources/tunnels/{old['id']}")

    stack.run("refresh", "--yes", "--skip-preview")

    assert stack.resources(TUNNEL_TYPE) == [] and stack.resources(SHARE_TYPE) == []
    converged(stack, emulator, DEPLOYED_ONE)
    assert emulator.tunnels()[0]["id"] != old["id"]


def test_out_of_band_tunnel_change_then_refresh_and_up(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = deployed(make_stack, emulator)
    [old] = emulator.tunnels()
    emulator.call("PATCH", f"resources/tunnels/{old['id']}", {"peerCidr": "172.16.0.0/16"})

    refresh = stack.run("refresh", "--yes", "--skip-preview", "--diff")

    assert re.search(r'peerCidr\s*: "172\.31\.0\.0/16" => "172\.16\.0\.0/16"', refresh.stdout), refresh.stdout
    assert stack.resources(TUNNEL_TYPE)[0]["outputs"]["peerCidr"] == "172.16.0.0/16"
    # The API has no tunnel update: the up replaces the tunnel, and its share with it.
    converged(
        stack,
        emulator,
        Counter(
            {("DELETE", "tunnel"): 1, ("POST", "tunnel"): 1, ("DELETE", "share"): 1, ("POST", "share"): 1}
        ),
    )
    [tunnel] = live(emulator)["tunnels"]
    assert (tunnel["peerCidr"], tunnel["id"] != old["id"]) == ("172.31.0.0/16", True)


@pytest.mark.parametrize("kind", ["tunnel", "share"])
def test_falls_into_error_after_deploy(make_stack: StackFactory, emulator: Emulator, kind: str) -> None:
    stack = deployed(make_stack, emulator)
    [old] = emulator.dump()[f"{kind}s"]
    emulator.call("POST", f"resources/{kind}s/{old['id']}/status", {"status": "ERROR", "reason": "BGP down"})

    refresh = stack.run("refresh", "--yes", "--skip-preview", "--diff")

    # The read reports the ERROR among the inputs, so the refresh names it as the engine names drift.
    assert re.search(r'\+ status\s*: "ERROR"', refresh.stdout), refresh.stdout
    [recorded] = stack.resources(TUNNEL_TYPE if kind == "tunnel" else SHARE_TYPE)
    assert (recorded["id"], recorded["outputs"]["status"]) == (old["id"], "ERROR")
    preview = json.loads(stack.run("preview", "--json").stdout)
    type_token = TUNNEL_TYPE if kind == "tunnel" else SHARE_TYPE
    replaced = [
        s
        for s in preview["steps"]
        if s["op"] == "replace" and s["urn"].endswith(f"{type_token}::{recorded['urn'].rsplit('::', 1)[-1]}")
    ]
    assert replaced and replaced[0]["replaceReasons"] == ["status"], preview["steps"]

    # The tunnel's replacement takes its share with it (a new ipsecTunnelId); a share goes alone.
    if kind == "tunnel":
        expected = Counter(
            {("DELETE", "tunnel"): 1, ("POST", "tunnel"): 1, ("DELETE", "share"): 1, ("POST", "share"): 1}
        )
    else:
        expected = Counter({("DELETE", "share"): 1, ("POST", "share"): 1})
    emulator.call("DELETE", "requests")
    converge(stack, emulator)
    assert accepted_writes(emulator) == expected, writes(emulator)
    assert old["id"] not in {o["id"] for objects in live(emulator).values() for o in objects}


# --- the emulator restarted, the CLI killed ------------------------------------------------------------


def test_emulator_restarted_mid_up(tmp_path: Path) -> None:
    server = EmulatorProcess(
        tmp_path / "state.db", "--tunnel-delay", "6", "--share-delay", "1", "--delete-delay", "0.2"
    )
    server.start()
    try:
        api = server.emulator()
        stack = init_stack(
            new_project(tmp_path / "stack", PROGRAM, name="fdipsec-e2e-restart"),
            server.url,
            {"tunnel": TUNNEL, "shares": ONE_SHARE},
        )
        run = Background(stack, "up", "--yes", "--skip-preview")
        api.wait_until(lambda: len(api.tunnels()) == 1, "the tunnel create is in flight", timeout=120)
        [posted] = api.tunnels()
        assert posted["status"] == "NEW"
        before = accepted_writes(api)

        server.stop()
        time.sleep(1)
        server.start()

        up = run.result()
        assert up.returncode == 0, output(up)
        # The restarted API kept the tunnel (and its progress); the run went on with it.
        assert before == Counter({("POST", "tunnel"): 1})
        assert accepted_writes(api) == Counter({("POST", "share"): 1}), writes(api)
        assert [t["id"] for t in stack.resources(TUNNEL_TYPE)] == [posted["id"]]
        converged(stack, api)
    finally:
        server.stop()


def test_sigkilled_up_mid_create_then_the_readme_recovery(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=ONE_SHARE)
    assert kill_up_mid_create(stack, emulator) == {}
    [posted] = emulator.tunnels()
    emulator.configure(tunnelDelay=0.5)
    assert accepted_writes(emulator) == Counter({("POST", "tunnel"): 1})

    # README, "Behaviour in brief": cancel, refresh --clear-pending-creates, up.
    emulator.call("DELETE", "requests")
    stack.run("cancel", "--yes")
    stack.run("refresh", "--clear-pending-creates", "--yes", "--skip-preview")
    up = stack.up()

    assert f"adopting tunnel {posted['id']} (" in up.stdout, up.stdout
    assert accepted_writes(emulator) == Counter({("POST", "share"): 1}), writes(emulator)
    converged(stack, emulator)


def kill_mid(
    stack: Project, args: list[str], reached: Callable[[], bool], emulator: Emulator
) -> dict[int, str]:
    """Run ``pulumi <args>``, SIGKILL the CLI once ``reached()``, and return the run's processes still
    alive GONE_WITHIN seconds later (as ``kill_up_mid_create`` does for an up)."""
    key, value = "FDIPSEC_E2E_RUN", uuid.uuid4().hex
    argv = ["pulumi", *args, "--yes", "--skip-preview", "--non-interactive", "--stack", stack.stack]
    cli = subprocess.Popen(
        argv,
        cwd=stack.root,
        env={**stack.env, key: value},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        emulator.wait_until(reached, f"`pulumi {' '.join(args)}` reached its kill point", timeout=120)
    finally:
        cli.send_signal(signal.SIGKILL)
        cli.wait()
    deadline = time.monotonic() + GONE_WITHIN
    while (left := processes_with(f"{key}={value}")) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def test_sigkilled_destroy_mid_delete_then_the_readme_recovery(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    stack = deployed(make_stack, emulator)
    emulator.configure(deleteDelay=600)  # the share's delete polls until the CLI is killed

    left = kill_mid(
        stack, ["destroy"], lambda: any(s["status"] == "DELETING" for s in emulator.shares()), emulator
    )

    assert left == {}, left
    assert accepted_writes(emulator) == Counter({("DELETE", "share"): 1})
    emulator.configure(deleteDelay=0.2)

    # README, "Behaviour in brief": cancel, then destroy again (a delete of what is already being
    # deleted is accepted again, so the interrupted delete is simply repeated).
    stack.run("cancel", "--yes")
    stack.run("destroy", "--yes", "--skip-preview")

    emulator.wait_empty()
    assert stack.resources() == []
    # The repeated share delete finds it DELETING (202) or already gone (404); both end the delete.
    sent = writes(emulator)
    assert [w for w in sent if w[1] == "tunnel"] == [("DELETE", "tunnel", 202)], sent
    assert [w[:2] for w in sent if w[1] == "share"] == [("DELETE", "share")] * 2, sent
    assert all(status in (202, 404) for _, _, status in sent), sent
    converged(stack, emulator, DEPLOYED_ONE)
