"""A fresh clone deployed the way any Pulumi Python project is: `pulumi install`, then `pulumi up`.

The root stack is copied to a new directory with no virtualenv. Nothing of this repo's own `.venv` or
source tree is on the program's path: `pulumi install` must create the virtualenv that Pulumi.yaml names
and install requirements.txt into it (this package from the copy, at constraints.txt's versions).
"""

from __future__ import annotations

import importlib.metadata
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.conftest import SHARE_TYPE, TUNNEL_TYPE, Emulator, init_stack
from tests.e2e.harness import REPO, Project

pytestmark = pytest.mark.e2e

# What a clone holds that the root stack and the package build need.
ROOT_FILES = (
    "Pulumi.yaml",
    "__main__.py",
    "requirements.txt",
    "constraints.txt",
    "pyproject.toml",
    "README.md",
)


def fresh_clone(root: Path) -> Path:
    root.mkdir(parents=True)
    for name in ROOT_FILES:
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(
        REPO / "fdipsec_pulumi",
        root / "fdipsec_pulumi",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    return root


def pinned(name: str) -> str:
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if line.lower().startswith(f"{name.lower()}=="):
            return line.split("==", 1)[1]
    raise AssertionError(f"{name} is not pinned in constraints.txt")


def test_fresh_clone_pulumi_install_then_preview_and_up(tmp_path: Path, emulator: Emulator) -> None:
    clone = fresh_clone(tmp_path / "clone")
    # The harness puts the repo on PYTHONPATH for test programs; a clone's program must not need it.
    project = Project(root=clone, stack="dev", extra_env={"PYTHONPATH": ""})
    init_stack(project, emulator.server.url, {})
    venv = clone / ".venv"
    assert not venv.exists()

    install = project.run("install")
    assert "Finished installing dependencies" in install.stdout + install.stderr, install.stdout
    python = venv / "bin" / "python"
    # The package comes from the clone (an editable install), its dependencies at the pinned versions.
    where = subprocess.run(
        [str(python), "-c", "import fdipsec_pulumi, pulumi, requests; print(fdipsec_pulumi.__file__)"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()).is_relative_to(clone / "fdipsec_pulumi"), where.stdout
    versions = subprocess.run(
        [str(python), "-m", "pip", "list", "--format", "freeze", "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.lower()
    for name in ("pulumi", "requests", "pydantic", "grpcio"):
        assert f"{name}=={pinned(name)}".lower() in versions, versions

    # `pulumi about` lists the virtualenv's top-level packages and its Python, through the language host.
    about = project.run("about", "--stack", project.stack).stdout
    version = re.escape(importlib.metadata.version("fdipsec-pulumi"))
    assert re.search(rf"^fdipsec-pulumi\s+{version}$", about, re.MULTILINE), about
    assert str(python) in about, about

    preview = project.run("preview")
    assert "5 to create" in preview.stdout, preview.stdout
    assert emulator.mutations() == []

    project.run("up", "--yes", "--skip-preview")
    [tunnel] = emulator.tunnels()
    assert tunnel["status"] == "DEPLOYED"
    assert sorted(s["name"] for s in emulator.shares()) == ["app-api", "app-db", "app-metrics"]
    assert len(project.resources(TUNNEL_TYPE)) == 1 and len(project.resources(SHARE_TYPE)) == 3
