"""The current stack's ``fdipsec:*`` config, read as the providers would get it, from outside the engine.

Inside a deployment a provider receives the stack's config in ``configure``; a command line tool has no
such call, so it asks the CLI: ``pulumi config --json --show-secrets`` in the project directory, for the
selected stack (or ``--stack``). That runs only when the working directory holds a Pulumi project and a
``pulumi`` is on PATH; anything else means no stack config, and the ``FDIPSEC_*`` environment alone.

The values include the token or client secret in clear: they are kept in memory for the client and
never printed, and a failure reports the CLI's exit status and its last line of errors, never its output.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fdipsec_pulumi.client.settings import SOURCES

PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")
# The keys the client's settings read (client/settings.py), and no others.
KEYS = frozenset(key for key, _ in SOURCES.values())
TIMEOUT = 120.0

Runner = Callable[..., "subprocess.CompletedProcess[str]"]


@dataclass(frozen=True)
class StackConfig:
    """``values``: the ``fdipsec:*`` settings found; ``note``: one line for the user about where they came
    from, or why none did (None when there is no project here, which needs no comment)."""

    values: dict[str, str] = field(default_factory=dict)
    note: str | None = None

    def __repr__(self) -> str:
        return f"StackConfig(keys={sorted(self.values)}, note={self.note!r})"


def read(directory: Path, stack: str | None = None, run: Runner = subprocess.run) -> StackConfig:
    if not any((directory / name).is_file() for name in PROJECT_FILES):
        return StackConfig()
    pulumi = shutil.which("pulumi")
    if pulumi is None:
        return StackConfig(note="a Pulumi project, but no pulumi on PATH: its stack config is not read")
    argv: Sequence[str] = [pulumi, "config", "--json", "--show-secrets", "--non-interactive"]
    if stack:
        argv = [*argv, "--stack", stack]
    which = f"stack {stack}" if stack else "the current stack"
    try:
        done = run(argv, cwd=directory, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return StackConfig(note=f"could not read the config of {which}: {type(exc).__name__}")
    if done.returncode != 0:
        lines = [line.strip() for line in (done.stderr or "").splitlines() if line.strip()]
        last = f": {lines[-1]}" if lines else ""
        return StackConfig(
            note=f"could not read the config of {which} (pulumi exited {done.returncode}){last}"
        )
    try:
        values = parse(done.stdout)
    except ValueError:
        return StackConfig(note=f"could not read the config of {which}: pulumi printed no JSON object")
    shown = ", ".join(sorted(values)) or "no fdipsec settings"
    return StackConfig(values, note=f"settings from the config of {which}: {shown}")


def parse(text: str) -> dict[str, str]:
    """``{"fdipsec:apiUrl": {"value": "...", "secret": false}, ...}`` -> the known keys' string values."""
    document = json.loads(text)
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    values: dict[str, str] = {}
    for key, entry in document.items():
        value = entry.get("value") if isinstance(entry, dict) else None
        if key in KEYS and isinstance(value, str):
            values[key] = value
    return values
