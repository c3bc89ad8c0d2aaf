"""The generated module as a person's code: ruff format leaves it as it is, ruff check and mypy --strict
pass, and run under Pulumi's mocks it declares every object with exactly the API's values, even for
names full of quotes, non-ASCII text and clashes.

The linters are the dev virtualenv's (.venv), whatever virtualenv runs the tests: the module is checked
as a user's project would check it, with ruff's default settings and with this repository's rule set,
and the package found as installed (MYPYPATH, since .venv installs it in editable mode).
"""

from __future__ import annotations

import ast
import os
import runpy
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pulumi
import pytest

from tests import pulumi_mocks
from tests.importer.conftest import Frontdoor, Importer
from tests.pulumi_mocks import SHARE_TYPE, TUNNEL_TYPE, RecordingMocks

REPO = Path(__file__).resolve().parents[2]
STRICT_RULES = "E,F,W,I,B,UP,S,RUF,SIM"
TUNNEL_NAMES = [
    'it\'s "quoted"',
    "Zürich HQ",
    "東京",
    "class",
    "10.0.0.0 lab",
    "back\\slash\u200bzero-width",
    "very long " * 20,
    "dup",
    "DUP",
]


def dev_tool(name: str) -> str:
    for candidate in (REPO / ".venv" / "bin" / name, Path(sys.prefix) / "bin" / name):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"no {name}: run `make setup` (the dev extra installs it)")
    return found


@pytest.fixture
def awkward(frontdoor: Frontdoor) -> dict[str, list[dict[str, Any]]]:
    """Tunnels with every awkward name, each with a share named ``db`` and one more share."""
    tunnels, shares = [], []
    for number, name in enumerate(TUNNEL_NAMES, start=1):
        tunnel = frontdoor.tunnel(name, f"203.0.113.{number}", f"10.{number}.0.0/16")
        tunnels.append(tunnel)
        shares.append(frontdoor.share(tunnel, "db", 5432))
    shares.append(frontdoor.share(tunnels[0], "list", 80, locationId="us-east-1"))
    shares.append(frontdoor.share(tunnels[1], "s" * 63, 65535))
    return {"tunnels": tunnels, "shares": shares}


@pytest.fixture
def generated(awkward: dict[str, list[dict[str, Any]]], fdipsec_import: Importer, tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    run = fdipsec_import("-o", str(project / "frontdoor.py"))
    assert run.code == 0, run.stderr
    return project / "frontdoor.py"


def check(argv: list[str], cwd: Path, **env: str) -> None:
    done = subprocess.run(
        argv, cwd=cwd, capture_output=True, text=True, timeout=600, check=False, env={**os.environ, **env}
    )
    assert done.returncode == 0, (
        f"{' '.join(argv)}\n{done.stdout}\n{done.stderr}\n{(cwd / 'frontdoor.py').read_text()}"
    )


def test_ruff_format_leaves_it_as_it_is(generated: Path) -> None:
    check([dev_tool("ruff"), "format", "--isolated", "--check", "--diff", generated.name], generated.parent)
    check(
        [
            dev_tool("ruff"),
            "format",
            "--isolated",
            "--line-length",
            "110",
            "--check",
            "--diff",
            generated.name,
        ],
        generated.parent,
    )


def test_ruff_check_passes_by_default_and_with_this_repositorys_rules(generated: Path) -> None:
    check([dev_tool("ruff"), "check", "--isolated", generated.name], generated.parent)
    check(
        [dev_tool("ruff"), "check", "--isolated", "--select", STRICT_RULES, generated.name], generated.parent
    )


def test_mypy_strict_passes(generated: Path) -> None:
    check(
        [dev_tool("mypy"), "--strict", "--cache-dir", str(REPO / ".cache" / "mypy-importer"), generated.name],
        generated.parent,
        MYPYPATH=str(REPO),
    )


def import_ids(module: Path) -> dict[str, str]:
    """Resource name -> the id its ``import_`` names, read from the module's syntax tree."""
    found = {}
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            [options] = [k.value for k in node.keywords if k.arg == "opts"]
            assert isinstance(options, ast.Call)
            [import_id] = [k.value for k in options.keywords if k.arg == "import_"]
            assert isinstance(import_id, ast.Constant)
            found[node.args[0].value] = import_id.value
    return found


@pytest.fixture
def mocks() -> Iterator[RecordingMocks]:
    mocks = RecordingMocks(pulumi_mocks.frontdoor_outputs)
    pulumi_mocks.install(mocks, project="adopted")
    yield mocks
    pulumi_mocks.uninstall()


@pulumi.runtime.test
def test_it_declares_every_object_with_the_apis_values(
    generated: Path, awkward: dict[str, list[dict[str, Any]]], mocks: RecordingMocks
) -> Any:
    declared = runpy.run_path(str(generated))
    tunnels = {t["id"]: t for t in awkward["tunnels"]}
    shares = {s["id"]: s for s in awkward["shares"]}

    def verify(_: Any) -> None:
        # Which object each resource imports, from the code itself: the mocks of older SDKs drop the
        # hidden inputs, __importId with them.
        imported = import_ids(generated)
        by_import = {imported[r.name]: r for r in mocks.resources}
        assert len(by_import) == len(mocks.resources) == len(imported)
        assert set(by_import) == set(tunnels) | set(shares)
        assert all(r.inputs.get("__importId", imported[r.name]) == imported[r.name] for r in mocks.resources)
        names = {r.name for r in mocks.resources}
        for object_id, tunnel in tunnels.items():
            inputs = by_import[object_id].inputs
            assert by_import[object_id].typ == TUNNEL_TYPE
            wanted = ("name", "peerPublicIp", "peerCidr", "locationId", "nlbPrivateIp")
            assert {key: inputs[key] for key in wanted} == {key: tunnel[key] for key in wanted}
            assert inputs.get("frontdoorId") is None
        for object_id, share in shares.items():
            resource = by_import[object_id]
            assert resource.typ == SHARE_TYPE
            # On its tunnel's variable: the mocks give a resource the id "<resource name>-id".
            assert resource.inputs["ipsecTunnelId"] == f"{by_import[share['ipsecTunnelId']].name}-id"
            for key in ("name", "envZId", "target", "ingressPort"):
                assert resource.inputs[key] == share[key], key
            assert resource.inputs.get("locationId") == share.get("locationId")
        # The names a reader meets: plain where the API name allows, told apart where it clashes.
        assert {
            "it-s-quoted",
            "zurich-hq",
            "tunnel-class",
            "tunnel-10-0-0-0-lab",
            "back-slash-zero-width",
            "share-list",
            "s" * 63,
        } <= names
        named = {r.inputs["name"]: r.name for r in mocks.of_type(TUNNEL_TYPE)}
        assert named["東京"] == f"tunnel-{awkward['tunnels'][2]['id']}"
        assert named["dup"] != named["DUP"] and named["dup"].startswith("dup-tnl-")
        on = {imported[r.name]: r.name for r in mocks.of_type(TUNNEL_TYPE)}
        assert {r.name for r in mocks.of_type(SHARE_TYPE) if r.inputs["name"] == "db"} == {
            f"{on[tunnel['id']]}-db" for tunnel in awkward["tunnels"]
        }

    return pulumi.Output.all(
        *[value.id for value in declared.values() if isinstance(value, pulumi.Resource)]
    ).apply(verify)


def test_the_same_frontdoor_gives_the_same_file(generated: Path, fdipsec_import: Importer) -> None:
    assert fdipsec_import().stdout == generated.read_text()
