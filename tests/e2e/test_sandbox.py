"""The sandbox's make targets on a stack that `make up` never made, as on a fresh clone.

Each run gets its own backend, Pulumi home, stack name, emulator port and emulator directory (make
variables and the scripts' environment), so a developer's own `make up` stack and emulator are untouched.
"""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.e2e.harness import REPO

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Sandbox:
    def __init__(self, root: Path) -> None:
        self.stack = f"sandbox-{uuid.uuid4().hex[:8]}"
        self.port = free_port()
        self.variables = [
            f"STACK={self.stack}",
            f"PULUMI_BACKEND_URL={(root / 'state').as_uri()}",
            f"PULUMI_HOME={root / 'home'}",
        ]
        (root / "state").mkdir()
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PULUMI_", "FDIPSEC_", "MAKE")) and key != "MFLAGS"
        }
        self.env.update(FDIPSEC_EMULATOR_PORT=str(self.port), FDIPSEC_EMULATOR_DIR=str(root / "emulator"))

    def make(self, target: str) -> subprocess.CompletedProcess[str]:
        return self.run(["make", "-s", "--no-print-directory", target, *self.variables], f"make {target}")

    def shell(self, script: str) -> str:
        """A bash script as a user types it, after `eval "$(make -s env)"` with this sandbox's variables."""
        env_line = f'eval "$(make -s --no-print-directory env {" ".join(self.variables)})"'
        return self.run(["bash", "-euo", "pipefail", "-c", f"{env_line}\n{script}"], script).stdout

    def run(self, argv: list[str], what: str) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run(
            argv, cwd=REPO, env=self.env, capture_output=True, text=True, timeout=300, check=False
        )
        assert proc.returncode == 0, f"{what}: {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc

    def emulator_answers(self) -> bool:
        try:
            requests.get(f"http://127.0.0.1:{self.port}/_emulator/config", timeout=1)
        except requests.ConnectionError:
            return False
        return True


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    sandbox = Sandbox(tmp_path)
    try:
        yield sandbox
    finally:
        subprocess.run(
            ["scripts/emulator.sh", "stop"], cwd=REPO, env=sandbox.env, capture_output=True, check=False
        )
        (REPO / f"Pulumi.{sandbox.stack}.yaml").unlink(missing_ok=True)


def test_outputs_preview_env_and_down_work_before_any_up(sandbox: Sandbox) -> None:
    assert f"No stack '{sandbox.stack}' yet" in sandbox.make("outputs").stdout

    preview = sandbox.make("preview").stdout
    assert "+ 5 to create" in preview, preview
    assert sandbox.emulator_answers()

    # Plain pulumi commands, as the README's recovery steps use them, see the stack make made.
    listed = sandbox.shell("pulumi stack ls")
    assert sandbox.stack in listed, listed
    assert "No output values" in sandbox.make("outputs").stdout
    config = sandbox.shell(f"pulumi config --stack {sandbox.stack}")
    assert f"http://127.0.0.1:{sandbox.port}/frontdoor" in config, config
    assert "fdipsec-local-token" not in config, "the demo token is stored as a secret"

    assert "Frontdoor emulator stopped" in sandbox.make("down").stdout
    assert not sandbox.emulator_answers()


def test_down_without_a_stack_destroys_nothing(sandbox: Sandbox) -> None:
    assert f"No stack '{sandbox.stack}': nothing to destroy." in sandbox.make("down").stdout


def test_help_lists_every_target() -> None:
    makefile = (REPO / "Makefile").read_text()
    phony = next(line for line in makefile.replace("\\\n", " ").splitlines() if line.startswith(".PHONY:"))
    listed = subprocess.run(
        ["make", "-s", "help"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    for target in phony.split(":", 1)[1].split():
        assert f"make {target} " in listed, f"make help does not list {target}:\n{listed}"
