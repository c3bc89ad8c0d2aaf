"""A SIGKILLed `pulumi up` leaves no process of its run behind.

The engine starts its plugins (our language host, the dynamic-provider host) in their own process groups,
so nothing tells them when the CLI is killed. The language host health-checks the engine's address and
stops the program; the provider process watches the engine once our package is loaded in it. A run's
processes are found by a marker in their environment, which every process of the run inherits.
"""

from __future__ import annotations

import signal
import subprocess
import time
import uuid

import pytest

from tests.e2e.conftest import TUNNEL_TYPE, Emulator, StackFactory
from tests.e2e.harness import Project, processes_with
from tests.e2e.test_resources import SHARES, TUNNEL, tunnel_posts

pytestmark = pytest.mark.e2e

# The bound the issue sets for "no process of ours outlives a killed CLI".
GONE_WITHIN = 10.0


def kill_up_mid_create(stack: Project, emulator: Emulator) -> dict[int, str]:
    """Start `pulumi up`, SIGKILL the CLI once the tunnel's POST is done and its wait is in flight, and
    return what was left running GONE_WITHIN seconds later."""
    emulator.configure(tunnelDelay=600)  # the create polls until the CLI is killed
    marker = f"FDIPSEC_E2E_RUN={uuid.uuid4().hex}"
    env = {**stack.env, marker.split("=")[0]: marker.split("=")[1]}
    argv = ["pulumi", "up", "--yes", "--skip-preview", "--non-interactive", "--stack", stack.stack]
    cli = subprocess.Popen(
        argv, cwd=stack.root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        # Mid-create: the tunnel was POSTed and the provider is polling it.
        emulator.wait_until(
            lambda: len(emulator.tunnels()) == 1, "the tunnel create is in flight", timeout=120
        )
        running = processes_with(marker)
        commands = " | ".join(running.values())
        assert "pulumi-language-python" in commands and "pulumi.dynamic" in commands, running
    finally:
        cli.send_signal(signal.SIGKILL)
        cli.wait()

    deadline = time.monotonic() + GONE_WITHIN
    while (left := processes_with(marker)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def test_sigkilled_up_leaves_no_process_behind(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES[:1])

    left = kill_up_mid_create(stack, emulator)

    assert left == {}, f"still running {GONE_WITHIN} s after the CLI was killed: {left}"


def test_the_next_up_after_a_kill_adopts_the_tunnel_without_a_duplicate(
    make_stack: StackFactory, emulator: Emulator
) -> None:
    # The recovery docs/adoption.md gives: release the killed run's lock, drop the interrupted create from
    # the state, then run `pulumi up` again from the same machine.
    stack = make_stack(tunnel=TUNNEL, shares=SHARES[:1])
    assert kill_up_mid_create(stack, emulator) == {}
    [posted] = emulator.tunnels()
    emulator.configure(tunnelDelay=0)

    stack.run("cancel", "--yes")
    stack.run("refresh", "--clear-pending-creates", "--yes", "--skip-preview")
    assert not stack.export()["deployment"].get("pending_operations")
    assert [e["method"] for e in emulator.mutations()] == ["POST"]  # the killed run's, and nothing since
    up = stack.up()

    assert f"adopting tunnel {posted['id']} (" in up.stdout, up.stdout
    [tunnel] = emulator.tunnels()
    assert (tunnel["id"], tunnel["status"]) == (posted["id"], "DEPLOYED")
    assert len(tunnel_posts(emulator)) == 1
    assert [t["id"] for t in stack.resources(TUNNEL_TYPE)] == [posted["id"]]
    [share] = emulator.shares()
    assert share["ipsecTunnelId"] == posted["id"]
    stack.run("preview", "--expect-no-changes")
    assert "pending operations" not in up.stdout
