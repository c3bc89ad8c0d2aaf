"""The built wheel, used the way a team would use it in its own infrastructure repository.

Every other test runs the package from this checkout (editable install, PYTHONPATH). Here nothing may
come from it: the sdist and wheel are built with `python -m build` from a copy of the tree, a new Pulumi
project in an empty directory names the wheel in its requirements.txt, and `pulumi install` makes the
project's own virtualenv. The pulumi commands run outside the repo, with no PYTHONPATH and none of the
repo's virtualenv on PATH, so an import that only works in the checkout fails here.

The build keeps its isolated build environment (`python -m build` without `--no-isolation`): that is the
build a user and a release job run, with setuptools as pyproject.toml's `[build-system]` names it, not
whatever the dev virtualenv holds (its setuptools is older than the `>=77` the SPDX license field needs).
The index it fetches setuptools from is the one `pulumi install` needs anyway, and pip's cache makes the
second build a matter of seconds.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import textwrap
import time
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from fdipsec_pulumi.emulator import EmulatorServer
from tests.e2e.conftest import SHARE_TYPE, TUNNEL_TYPE, Emulator, init_stack
from tests.e2e.harness import REPO, Project, pulumi_bin_dir

pytestmark = pytest.mark.e2e

VERSION = "0.2.0"


def readme_program() -> str:
    """README.md, "A program": the program a user starts from, exactly as it is printed there."""
    section = (REPO / "README.md").read_text().split("## A program", 1)[1]
    found = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert found, "README.md's 'A program' section has no python block"
    return found.group(1)


# What a release must not ship: the repo's own test and demo code.
NOT_SHIPPED = ("tests/", "benchmarks/", "examples/", "tools/", "scripts/", "docs/")
# The e2e fixture's delays: every wait is exercised, briefly.
DELAYS = ("--tunnel-delay", "0.5", "--share-delay", "0.3", "--delete-delay", "0.2")
API_URL_LINE = re.compile(r"API base URL (http://\S+)")


@dataclass(frozen=True)
class Dists:
    wheel: Path
    sdist: Path
    # The package files of the tree the dists were built from, relative to its root.
    package_files: frozenset[str]


def clean_env() -> dict[str, str]:
    """This process's environment without a way back into the checkout: no PYTHONPATH, no virtualenv of
    the repo on PATH, the pulumi CLI first."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME") and not k.startswith(("PULUMI_", "FDIPSEC_"))
    }
    outside = [p for p in env.get("PATH", "").split(os.pathsep) if p and not Path(p).is_relative_to(REPO)]
    env["PATH"] = os.pathsep.join([str(pulumi_bin_dir()), *outside])
    return env


class UserProject(Project):
    """The harness's project, minus what it adds for programs that import from the checkout."""

    @property
    def env(self) -> dict[str, str]:
        env = super().env
        env.pop("PYTHONPATH", None)
        env["PATH"] = clean_env()["PATH"]
        return env


def run(argv: list[str], cwd: Path, timeout: float = 600) -> str:
    proc = subprocess.run(
        argv, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=timeout, check=False
    )
    assert proc.returncode == 0, f"`{' '.join(argv)}` exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def copy_tree(dest: Path) -> Path:
    """The files a clone has (tracked, plus new files not yet committed), without build leftovers, caches
    or virtualenvs: building from a copy leaves no build/ or *.egg-info in the repo."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():  # a tracked file someone deleted in the work tree is gone from a clone too
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> Dists:
    root = tmp_path_factory.mktemp("wheel-build")
    tree = copy_tree(root / "tree")
    out = root / "dist"
    # The default build makes the sdist and then the wheel from the unpacked sdist, so a file missing
    # from the sdist shows up as a broken wheel.
    run([sys.executable, "-m", "build", "--outdir", str(out), str(tree)], cwd=root)
    [wheel] = out.glob("*.whl")
    [sdist] = out.glob("*.tar.gz")
    package = {str(p.relative_to(tree)) for p in (tree / "fdipsec_pulumi").rglob("*") if p.is_file()}
    return Dists(wheel=wheel, sdist=sdist, package_files=frozenset(package))


def test_sdist_and_wheel_hold_the_package_typed_with_its_scripts_and_nothing_else(dists: Dists) -> None:
    assert dists.wheel.name == f"fdipsec_pulumi-{VERSION}-py3-none-any.whl"
    assert dists.sdist.name == f"fdipsec_pulumi-{VERSION}.tar.gz"
    with zipfile.ZipFile(dists.wheel) as wheel:
        names = set(wheel.namelist())
        info = f"fdipsec_pulumi-{VERSION}.dist-info"
        metadata = wheel.read(f"{info}/METADATA").decode()
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
    assert "fdipsec_pulumi/py.typed" in names
    assert {n for n in names if n.startswith("fdipsec_pulumi/")} == dists.package_files
    assert {n.split("/")[0] for n in names} == {"fdipsec_pulumi", info}
    assert f"\nVersion: {VERSION}\n" in metadata
    # The emulator's server stays behind the extra: a plain install does not pull in FastAPI.
    assert "Provides-Extra: emulator" in metadata
    for server_dep in ("fastapi", "uvicorn"):
        [line] = [ln for ln in metadata.splitlines() if ln.startswith(f"Requires-Dist: {server_dep}")]
        assert line.endswith('; extra == "emulator"'), line
    assert "fdipsec-emulator = fdipsec_pulumi.emulator_command:main" in entry_points
    assert "fdipsec-review = fdipsec_pulumi.review.cli:main" in entry_points

    with tarfile.open(dists.sdist) as sdist:
        members = {m.name.split("/", 1)[1] for m in sdist.getmembers() if "/" in m.name}
    assert dists.package_files <= members
    assert {"pyproject.toml", "README.md", "PKG-INFO"} <= members
    assert not [m for m in members if m.startswith(NOT_SHIPPED)], sorted(members)


class WheelEmulator:
    """`fdipsec-emulator` from the project's virtualenv, as a process of its own."""

    def __init__(self, venv: Path, workdir: Path) -> None:
        self.log = workdir / "emulator.log"
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [str(venv / "bin" / "fdipsec-emulator"), "--port", "0", *DELAYS],
                cwd=workdir,
                env=clean_env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.url = self._announced_url()

    def _announced_url(self) -> str:
        """`--port 0` picks a free port; the first line the emulator logs names its base URL."""
        deadline = time.monotonic() + 30
        while not (found := API_URL_LINE.search(self.log.read_text())):
            assert self.proc.poll() is None, f"fdipsec-emulator exited:\n{self.log.read_text()}"
            assert time.monotonic() < deadline, f"fdipsec-emulator named no URL:\n{self.log.read_text()}"
            time.sleep(0.1)
        return found.group(1)

    def client(self) -> Emulator:
        """The e2e tests' emulator client; it only needs the URLs of the server, not the object."""
        urls = EmulatorUrls(root_url=self.url.removesuffix("/frontdoor"), url=self.url)
        return Emulator(cast(EmulatorServer, urls))

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=15)


@dataclass(frozen=True)
class EmulatorUrls:
    root_url: str
    url: str


def new_user_project(root: Path, requirement: str) -> UserProject:
    """What a user writes in an empty directory: Pulumi.yaml, requirements.txt and the program."""
    root.mkdir(parents=True)
    (root / "Pulumi.yaml").write_text(
        textwrap.dedent(
            """\
            name: ipsec-edge
            runtime:
              name: python
              options:
                virtualenv: venv
            """
        )
    )
    (root / "requirements.txt").write_text(f"{requirement}\n")
    (root / "__main__.py").write_text(readme_program())
    return UserProject(root=root, stack="dev")


def installed(venv: Path, *names: str) -> dict[str, str]:
    """name -> the version the virtualenv holds, and for fdipsec_pulumi where it imports from."""
    script = (
        "import importlib.metadata as m, sys, fdipsec_pulumi\n"
        "print(fdipsec_pulumi.__file__)\n"
        "for name in sys.argv[1:]: print(m.version(name))\n"
    )
    lines = run([str(venv / "bin" / "python"), "-c", script, *names], cwd=venv.parent).splitlines()
    return {"__file__": lines[0], **dict(zip(names, lines[1:], strict=True))}


def installed_version(venv: Path, name: str) -> str:
    script = "import importlib.metadata as m, sys; print(m.version(sys.argv[1]))"
    return run([str(venv / "bin" / "python"), "-c", script, name], cwd=venv.parent).strip()


def assert_nothing_from_the_checkout(venv: Path) -> None:
    [site] = (venv / "lib").glob("python3*/site-packages")
    for marker in [*site.glob("*.pth"), *site.glob("*.dist-info/direct_url.json")]:
        assert str(REPO) not in marker.read_text(), f"{marker} points into the checkout"


def deploy_and_destroy(project: UserProject, emulator: Emulator) -> None:
    """The README's program through `up`, a no-change preview and `destroy`, checked on the API."""
    init_stack(project, emulator.server.url, {})
    project.up()
    [tunnel] = emulator.tunnels()
    [share] = emulator.shares()
    assert (tunnel["name"], tunnel["status"]) == ("customer-a-dc1", "DEPLOYED")
    assert (share["name"], share["status"], share["ipsecTunnelId"]) == ("app-db", "DEPLOYED", tunnel["id"])
    assert [r["id"] for r in project.resources(TUNNEL_TYPE)] == [tunnel["id"]]
    assert [r["id"] for r in project.resources(SHARE_TYPE)] == [share["id"]]
    assert project.outputs() == {"vpn": "[secret]"}
    assert project.outputs(show_secrets=True) == {"vpn": emulator.sample_config(tunnel["id"])}

    project.run("preview", "--expect-no-changes")

    project.run("destroy", "--yes", "--skip-preview")
    emulator.wait_empty()
    assert project.resources() == []


def test_wheel_in_a_new_project_installs_with_pulumi_install_and_deploys_with_its_own_emulator(
    tmp_path: Path, dists: Dists
) -> None:
    project = new_user_project(tmp_path / "ipsec-edge", f"{dists.wheel}[emulator]")
    venv = project.root / "venv"

    install = project.run("install")
    assert "Finished installing dependencies" in install.stdout + install.stderr, install.stdout
    found = installed(venv, "fdipsec-pulumi")
    [site] = (venv / "lib").glob("python3*/site-packages")
    assert Path(found["__file__"]) == site / "fdipsec_pulumi" / "__init__.py", found
    assert found["fdipsec-pulumi"] == VERSION
    assert_nothing_from_the_checkout(venv)

    server = WheelEmulator(venv, tmp_path)
    try:
        deploy_and_destroy(project, server.client())
    finally:
        server.stop()


def declared_minimum_sdk() -> Version:
    """The oldest `pulumi` pyproject.toml admits: the X of `pulumi>=X,<4` (or of a `pulumi==X` pin)."""
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    [pulumi] = [req for req in map(Requirement, dependencies) if req.name == "pulumi"]
    bounds = [Version(spec.version) for spec in pulumi.specifier if spec.operator in ("==", ">=")]
    assert len(bounds) == 1, f"expected one lower bound or pin in {pulumi}"
    return bounds[0]


def test_wheel_keeps_an_installed_minimum_sdk_and_deploys_on_it(
    tmp_path: Path, dists: Dists, emulator: Emulator
) -> None:
    minimum = declared_minimum_sdk()
    project = new_user_project(tmp_path / "ipsec-edge", str(dists.wheel))
    venv = project.root / "venv"
    python3 = shutil.which("python3", path=clean_env()["PATH"])
    assert python3 is not None
    run([python3, "-m", "venv", str(venv)], cwd=tmp_path)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    run([*pip, f"pulumi=={minimum}"], cwd=tmp_path)
    assert Version(installed_version(venv, "pulumi")) == minimum

    run([*pip, str(dists.wheel)], cwd=tmp_path)
    found = installed(venv, "pulumi", "fdipsec-pulumi")
    assert Version(found["pulumi"]) == minimum, f"installing the wheel moved pulumi off {minimum}: {found}"
    assert found["fdipsec-pulumi"] == VERSION
    assert Path(found["__file__"]).is_relative_to(venv), found
    run([str(venv / "bin" / "python"), "-m", "pip", "check"], cwd=tmp_path)
    assert_nothing_from_the_checkout(venv)

    deploy_and_destroy(project, emulator)
    assert Version(installed_version(venv, "pulumi")) == minimum
