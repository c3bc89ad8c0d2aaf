"""Pulumi.yaml's runtime options reach the language host: here `typechecker` (the fresh-clone test in
test_stock_flow covers a relative `virtualenv`, every other e2e test an absolute one)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import VENV, new_project

pytestmark = pytest.mark.e2e


def test_typechecker_mypy_stops_a_badly_typed_program(tmp_path: Path) -> None:
    project = new_project(
        tmp_path / "typed", "import pulumi\n\ncount: int = 'three'\npulumi.export('count', count)\n"
    )
    (project.root / "Pulumi.yaml").write_text(
        "name: typed\nruntime:\n  name: python\n  options:\n"
        f"    virtualenv: {VENV}\n    toolchain: pip\n    typechecker: mypy\n"
    )
    project.init()
    preview = project.run("preview", check=False)
    assert preview.returncode != 0
    assert "error: mypy failed" in preview.stdout, preview.stdout
    assert 'Incompatible types in assignment (expression has type "str", variable has type "int")' in (
        preview.stdout
    ), preview.stdout
    assert "count" not in project.run("stack", "output", "--stack", project.stack).stdout
