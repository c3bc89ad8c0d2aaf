"""A Python policy pack runs under `pulumi preview --policy-pack`, through the language host's RunPlugin.

The pack gets its own virtualenv (as `pulumi policy new` would make it), with `pulumi-policy` from the
package registry: it is not one of this project's dependencies, so constraints.txt does not pin it.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.e2e.harness import new_project
from tests.e2e.test_engine import PROGRAM
from tests.e2e.test_stock_flow import pinned

pytestmark = pytest.mark.e2e

PULUMI_POLICY = "1.21.0"
PACK = """\
from pulumi_policy import EnforcementLevel, PolicyPack, ResourceValidationPolicy


def no_greeting(args, report_violation):
    if args.resource_type.endswith(":Echo") and args.props.get("message") == "hi there":
        report_violation("e2e-policy: Echo may not say 'hi there'")


PolicyPack(
    name="e2e-policy",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=[ResourceValidationPolicy(name="no-greeting", description="e2e", validate=no_greeting)],
)
"""


def test_python_policy_pack_runs_on_preview(tmp_path: Path) -> None:
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text(
        textwrap.dedent(
            """\
            runtime:
              name: python
              options:
                virtualenv: venv
            description: an e2e policy pack
            """
        )
    )
    (pack / "__main__.py").write_text(PACK)
    subprocess.run([sys.executable, "-m", "venv", str(pack / "venv")], check=True)
    subprocess.run(
        [
            str(pack / "venv" / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"pulumi-policy=={PULUMI_POLICY}",
            f"pulumi=={pinned('pulumi')}",
        ],
        check=True,
    )

    project = new_project(tmp_path / "stack", PROGRAM)
    project.init()
    preview = project.run("preview", "--policy-pack", str(pack), check=False)
    assert preview.returncode != 0, preview.stdout
    assert "e2e-policy: Echo may not say 'hi there'" in preview.stdout, preview.stdout + preview.stderr
    assert "[mandatory]  no-greeting" in preview.stdout, preview.stdout
