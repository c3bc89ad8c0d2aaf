"""A SIGKILLed `pulumi up` leaves no process of its run behind.

The engine starts its plugins (our language host, the dynamic-provider host) in their own process groups,
so nothing tells them when the CLI is killed. The language host health-checks the engine's address and
stops the program; the provider process watches the engine once our package is loaded in it. A run's
processes are found by a marker in their environment, which every process of the run inherits.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from tests.e2e.conftest import Emulator, StackFactory
from tests.e2e.test_resources import SHARES, TUNNEL

pytestmark = pytest.mark.e2e

# The bound the issue sets for "no process of ours outlives a killed CLI".
GONE_WITHIN = 10.0


def processes_with(marker: str) -> dict[int, str]:
    """pid -> command line of every live process whose environment carries ``marker``."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if marker.encode() not in (entry / "environ").read_bytes():
                continue
            found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:  # gone meanwhile, or a zombie
            continue
    return found


def test_sigkilled_up_leaves_no_process_behind(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES[:1])
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
    assert left == {}, f"still running {GONE_WITHIN} s after the CLI was killed: {left}"
