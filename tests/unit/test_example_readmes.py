"""Every example's README gives the same sandbox steps, the ones tests/e2e/test_sandbox.py runs
(`make emulator`, `eval "$(make -s env)"`, then plain pulumi commands on the sandbox's backend)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SANDBOX_STEPS = [
    "make emulator",
    'eval "$(make -s env)"',
    "cd examples/{name}",
    "pulumi stack select --create dev",
    "pulumi config set --secret fdipsec:token fdipsec-local-token",
]


def commands(readme: Path) -> list[str]:
    found = re.search(r"```bash\n(.*?)```", readme.read_text(), re.DOTALL)
    assert found, f"{readme} has no bash block"
    lines = (re.sub(r"\s+#.*$", "", line).strip() for line in found.group(1).splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@pytest.mark.parametrize("name", sorted(path.name for path in EXAMPLES.iterdir() if path.is_dir()))
def test_the_readme_starts_with_the_sandbox_steps(name: str) -> None:
    expected = [step.format(name=name) for step in SANDBOX_STEPS]
    assert commands(EXAMPLES / name / "README.md")[: len(expected)] == expected
