"""Drives the real `pulumi` CLI, ProgramTest-style, in throwaway project directories.

Every project gets its own file backend, Pulumi home and passphrase, so tests never touch the repo's
`make up` stack or each other. Nothing here skips: without a CLI the tests fail and say how to get one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
# The programs run in the virtualenv that runs the tests: `make test` runs the suite once with the newest
# SDK (.venv) and once with the oldest the package declares (.venv-min).
VENV = Path(sys.prefix) if sys.prefix != sys.base_prefix else REPO / ".venv"
PASSPHRASE = "fdipsec-e2e-passphrase"
# Commands that act on a stack and take --stack; the others get it from the caller where they need it.
STACK_COMMANDS = frozenset({"up", "preview", "refresh", "destroy", "cancel", "import"})


def pulumi_bin_dir() -> Path:
    """The directory `make setup` recorded, or wherever `pulumi` is on PATH."""
    recorded = REPO / ".cache" / "pulumi-bin-dir"
    if recorded.exists():
        return Path(recorded.read_text().strip())
    found = shutil.which("pulumi")
    if found is None:
        pytest.fail("no pulumi CLI: run `make setup` (it builds one when needed)")
    return Path(found).parent


@dataclass
class Project:
    """One Pulumi project directory with its own backend; `run` returns the finished process."""

    root: Path
    stack: str = "test"
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "FDIPSEC_"))}
        env.update(
            PATH=os.pathsep.join([str(pulumi_bin_dir()), str(VENV / "bin"), env.get("PATH", "")]),
            PULUMI_BACKEND_URL=(self.root / ".state").as_uri(),
            PULUMI_HOME=str(self.root / ".pulumi-home"),
            PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
            PULUMI_SKIP_UPDATE_CHECK="true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
            PULUMI_SKIP_CONFIRMATIONS="true",
            PYTHONPATH=str(REPO),
            # The project's own create journal: one test never adopts what another one journaled.
            FDIPSEC_JOURNAL_DIR=str(self.root / ".journal"),
        )
        env.update(self.extra_env)
        return env

    def run(self, *args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        argv = ["pulumi", *args, "--non-interactive", "--color", "never"]
        if args[0] in STACK_COMMANDS:
            argv += ["--stack", self.stack]
        proc = subprocess.run(
            argv, cwd=self.root, env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"`{' '.join(argv)}` exited {proc.returncode}\n"
                f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
            )
        return proc

    def init(self, config: dict[str, str] | None = None, secrets: dict[str, str] | None = None) -> None:
        (self.root / ".state").mkdir(exist_ok=True)
        self.run("stack", "init", self.stack)
        for key, value in (config or {}).items():
            self.run("config", "set", "--stack", self.stack, key, value)
        for key, value in (secrets or {}).items():
            self.run("config", "set", "--stack", self.stack, "--secret", key, value)

    def up(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run("up", "--yes", "--skip-preview", *args, check=check)

    def export(self) -> dict[str, Any]:
        out = self.run("stack", "export", "--stack", self.stack).stdout
        data: dict[str, Any] = json.loads(out)
        return data

    def outputs(self, show_secrets: bool = False) -> dict[str, Any]:
        args = ["stack", "output", "--stack", self.stack, "--json"]
        if show_secrets:
            args.append("--show-secrets")
        data: dict[str, Any] = json.loads(self.run(*args).stdout)
        return data

    def resources(self, type_token: str | None = None) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.export()["deployment"].get("resources", [])
        return [r for r in found if type_token is None or r["type"] == type_token]


def new_project(root: Path, program: str, name: str = "e2e", stack: str = "test") -> Project:
    """Writes Pulumi.yaml and __main__.py for a program that runs in this repo's virtualenv."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "Pulumi.yaml").write_text(
        textwrap.dedent(
            f"""\
            name: {name}
            runtime:
              name: python
              options:
                virtualenv: {VENV}
            """
        )
    )
    (root / "__main__.py").write_text(textwrap.dedent(program))
    return Project(root=root, stack=stack)


def processes_with(marker: str) -> dict[int, str]:
    """pid -> command line of every live process whose environment carries ``marker``: every process of
    one CLI run inherits a marker set in its environment, whatever process group it starts."""
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
