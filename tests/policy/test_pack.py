"""How the pack is found and run: a directory inside the installed package, run by the project's Python.

The engine runs a Python pack as ``python -m pulumi.policy <engine> <pack directory>`` with the first
``python3`` on PATH (no ``virtualenv`` option in PulumiPolicy.yaml), in the pack's directory, which puts
that directory first on ``sys.path``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import yaml

from fdipsec_pulumi.policy.location import pack_directory
from fdipsec_pulumi.policy.policies import PACK_NAME, policies

REPO = Path(__file__).resolve().parents[2]


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False, cwd=REPO
    )


def test_python_m_prints_the_pack_directory_as_its_last_line() -> None:
    found = subprocess.run(
        [sys.executable, "-m", "fdipsec_pulumi.policy"], capture_output=True, text=True, check=True, cwd="/"
    )

    assert found.stdout.splitlines()[-1] == str(pack_directory())
    assert found.stdout.count("\n") == 1, "only the path may go to stdout: $(...) takes all of it"
    assert found.stderr == ""


def test_the_pack_directory_runs_in_the_projects_interpreter() -> None:
    project = yaml.safe_load((pack_directory() / "PulumiPolicy.yaml").read_text())

    assert project["runtime"] == "python", "no virtualenv option: the engine uses the python3 on PATH"
    assert (pack_directory() / "__main__.py").is_file()


def test_nothing_in_the_pack_directory_can_shadow_a_module() -> None:
    """The engine puts the pack's directory first on sys.path: any module there hides one of the same name."""
    present = {path.name for path in pack_directory().iterdir()} - {"__pycache__"}

    assert present == {"PulumiPolicy.yaml", "__init__.py", "__main__.py"}


def test_the_package_data_ships_the_pack_project_file() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    globs = pyproject["tool"]["setuptools"]["package-data"]["fdipsec_pulumi"]
    relative = (pack_directory() / "PulumiPolicy.yaml").relative_to(REPO / "fdipsec_pulumi").as_posix()

    assert any(fnmatch(relative, pattern) for pattern in globs), globs


def test_the_pack_serves_every_policy_under_its_name() -> None:
    names = [policy.name for policy in policies()]

    assert PACK_NAME == "fdipsec-ipsec-guardrails"
    assert len(names) == len(set(names)) == 6
    for policy in policies():
        assert policy.enforcement_level is not None, policy.name
        assert policy.config_schema is not None
        assert "exemptResources" in policy.config_schema.properties, policy.name


def test_the_package_imports_without_the_pack_or_pulumi_policy() -> None:
    probe = run_python(
        """
        import sys
        sys.modules["pulumi_policy"] = None  # as if the [policy] extra were not installed
        import fdipsec_pulumi
        import fdipsec_pulumi.resources.tunnel, fdipsec_pulumi.providers.tunnel
        print(sorted(m for m in sys.modules if m.startswith("fdipsec_pulumi.policy")))
        """
    )

    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == "[]"


def test_without_pulumi_policy_the_directory_is_still_printed_and_stderr_says_what_is_missing() -> None:
    probe = run_python(
        """
        import runpy, sys
        sys.modules["pulumi_policy"] = None  # find_spec answers None for it, as when it is not installed
        runpy.run_module("fdipsec_pulumi.policy", run_name="__main__")
        """
    )

    assert probe.stdout.splitlines()[-1] == str(pack_directory())
    assert "pulumi-policy is not installed" in probe.stderr
    assert "pip install 'fdipsec-pulumi[policy]'" in probe.stderr
