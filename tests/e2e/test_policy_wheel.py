"""The policy pack from the built wheel, in a project of its own: nothing comes from the checkout.

``pulumi install`` makes the project's virtualenv from ``<wheel>[emulator,policy]``; the pack's directory is
the one ``python -m fdipsec_pulumi.policy`` prints there, inside site-packages, and it runs in that same
virtualenv, either first on PATH (an activated virtualenv) or named by ``PULUMI_PYTHON_CMD``, as
docs/policy.md says.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.e2e.conftest import init_stack
from tests.e2e.test_wheel import (
    Dists,
    UserProject,
    WheelEmulator,
    assert_nothing_from_the_checkout,
    clean_env,
    dists,
    new_user_project,
)

pytestmark = pytest.mark.e2e
__all__ = ["dists"]  # the wheel test's fixture, built once for this module

PROGRAM = """\
import pulumi
from fdipsec_pulumi import IpsecTunnel, IpsecTunnelArgs

IpsecTunnel("dc1", IpsecTunnelArgs(name="dc1", peer_public_ip="203.0.113.10", peer_cidr="172.31.0.0/16"))
IpsecTunnel(
    "dc2",
    IpsecTunnelArgs(name="dc2", peer_public_ip="198.51.100.20", peer_cidr="172.31.128.0/17"),
    pulumi.ResourceOptions(protect=True),
)
"""


class ActivatedProject(UserProject):
    """The project with its virtualenv first on PATH, as ``source venv/bin/activate`` leaves it."""

    @property
    def env(self) -> dict[str, str]:
        env = super().env
        env["PATH"] = f"{self.root / 'venv' / 'bin'}:{env['PATH']}"
        return env


def test_the_wheels_pack_runs_in_the_projects_virtualenv(tmp_path: Path, dists: Dists) -> None:
    project = new_user_project(tmp_path / "ipsec-edge", f"{dists.wheel}[emulator,policy]")
    (project.root / "__main__.py").write_text(textwrap.dedent(PROGRAM))
    project.run("install")
    venv = project.root / "venv"
    assert_nothing_from_the_checkout(venv)
    printed = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "fdipsec_pulumi.policy"],
        capture_output=True,
        text=True,
        check=True,
        env=clean_env(),
        cwd=tmp_path,
    )
    pack = printed.stdout.splitlines()[-1]
    [site] = (venv / "lib").glob("python3*/site-packages")
    assert pack == str(site / "fdipsec_pulumi" / "policy" / "pack")
    assert not list(Path(pack).rglob("pyvenv.cfg")), "the pack has no virtualenv of its own"
    # Only the project's virtualenv has the package: the pack cannot have run anywhere else.

    server = WheelEmulator(venv, tmp_path)
    try:
        emulator = server.client()
        init_stack(project, emulator.server.url, {})
        activated = ActivatedProject(root=project.root, stack=project.stack)
        named = UserProject(
            root=project.root,
            stack=project.stack,
            extra_env={"PULUMI_PYTHON_CMD": str(venv / "bin" / "python")},
        )
        for how in (activated, named):
            result = how.run("preview", "--policy-pack", pack, check=False)
            output = result.stdout + result.stderr
            assert result.returncode != 0, output
            # The CLI shortens the path it shows (/tmp/.../policy/pack).
            assert "fdipsec-ipsec-guardrails@v0.0.1 (local: " in result.stdout, output
            assert (
                "IpsecTunnel 'dc1' (peerCidr 172.31.0.0/16) and IpsecTunnel 'dc2' (peerCidr 172.31.128.0/17) "
                "are tunnels of Frontdoor" in result.stdout
            ), output
            assert "IpsecTunnel 'dc1' is not protected" in result.stdout, output
            assert "IpsecTunnel 'dc2' is not protected" not in result.stdout, output
        assert emulator.mutations() == []
    finally:
        server.stop()
