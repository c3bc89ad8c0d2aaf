"""fdipsec-import's command line against the emulator: where the module goes, which Frontdoor and settings
it uses, what it says on failure, and that it reads only (no write, no sample configuration)."""

from __future__ import annotations

import importlib.metadata
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from fdipsec_pulumi.importer import stackconfig
from tests.importer.conftest import FRONTDOOR_ID, TOKEN, Frontdoor, Importer


@pytest.fixture
def two_tunnels(frontdoor: Frontdoor) -> Frontdoor:
    dc1 = frontdoor.tunnel("dc1", "203.0.113.1", "10.10.0.0/16")
    frontdoor.tunnel("dc2", "203.0.113.2", "10.20.0.0/16")
    frontdoor.share(dc1, "db", 5432)
    frontdoor.clear_requests()
    return frontdoor


def test_the_module_goes_to_stdout_and_the_summary_to_stderr(
    two_tunnels: Frontdoor, fdipsec_import: Importer
) -> None:
    run = fdipsec_import()
    assert run.code == 0
    assert run.stdout.startswith('"""IPsec tunnels and shares of one Frontdoor')
    assert run.stdout.count("= IpsecTunnel(") == 2 and run.stdout.count("= IpsecShare(") == 1
    assert "frontdoor_id=" not in run.stdout  # the stack's own Frontdoor needs no naming
    assert run.stderr == (
        f"fdipsec-import: Frontdoor {FRONTDOOR_ID}: 2 tunnel(s) and 1 share(s) written to standard output\n"
    )


def test_it_only_reads_and_never_asks_for_a_configuration(
    two_tunnels: Frontdoor, fdipsec_import: Importer
) -> None:
    fdipsec_import()
    log = two_tunnels.requests()
    assert two_tunnels.writes() == []
    assert {entry["method"] for entry in log} == {"GET"}
    assert not [entry for entry in log if "config" in entry["path"]], log


def test_output_file(two_tunnels: Frontdoor, fdipsec_import: Importer, tmp_path: Path) -> None:
    run = fdipsec_import("-o", "frontdoor.py")
    assert run.code == 0 and run.stdout == ""
    text = (tmp_path / "frontdoor.py").read_text()
    assert text == fdipsec_import().stdout
    assert "written to frontdoor.py" in run.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["frontdoor.py"]  # no temporary left


def test_another_frontdoor_than_the_settings_is_named_in_every_resource(
    two_tunnels: Frontdoor, fdipsec_import: Importer
) -> None:
    run = fdipsec_import("--frontdoor-id", FRONTDOOR_ID, FDIPSEC_FRONTDOOR_ID=None)
    assert run.code == 0, run.stderr
    assert run.stdout.count(f'frontdoor_id="{FRONTDOOR_ID}",') == 3
    same = fdipsec_import("--frontdoor-id", FRONTDOOR_ID)
    assert "frontdoor_id=" not in same.stdout


def test_filters_reach_the_module(two_tunnels: Frontdoor, fdipsec_import: Importer) -> None:
    run = fdipsec_import("--tunnel", "dc1")
    assert run.code == 0
    assert 'name="dc1"' in run.stdout and 'name="dc2"' not in run.stdout and 'name="db"' in run.stdout
    only_db = fdipsec_import("--name", "db")
    assert "= IpsecTunnel(" not in only_db.stdout
    assert "    # tunnel dc1 is not declared in this module\n    ipsec_tunnel_id=" in only_db.stdout
    assert "from fdipsec_pulumi import IpsecShare\n" in only_db.stdout


def test_an_unknown_tunnel_fails_with_its_name(two_tunnels: Frontdoor, fdipsec_import: Importer) -> None:
    run = fdipsec_import("--tunnel", "dc9")
    assert (run.code, run.stdout) == (2, "")
    assert "has no tunnel named or with id 'dc9'" in run.stderr


def test_missing_settings_name_the_keys_to_set(two_tunnels: Frontdoor, fdipsec_import: Importer) -> None:
    no_frontdoor = fdipsec_import(FDIPSEC_FRONTDOOR_ID=None)
    assert no_frontdoor.code == 2 and "fdipsec:frontdoorId" in no_frontdoor.stderr
    no_token = fdipsec_import(FDIPSEC_TOKEN=None)
    assert no_token.code == 2 and "fdipsec:token" in no_token.stderr
    assert no_frontdoor.stdout == no_token.stdout == ""


def test_a_refused_token_fails_without_showing_it(two_tunnels: Frontdoor, fdipsec_import: Importer) -> None:
    wrong = "not-the-token-0123456789"
    run = fdipsec_import(FDIPSEC_TOKEN=wrong)
    assert run.code == 1 and run.stdout == ""
    assert "reading Frontdoor" in run.stderr and wrong not in run.stderr


def fake_pulumi(directory: Path, script: str) -> Path:
    """A ``pulumi`` that answers ``config --json --show-secrets`` as the CLI does, and logs its arguments."""
    directory.mkdir()
    executable = directory / "pulumi"
    executable.write_text(f'#!/bin/sh\necho "$@" >> {directory}/argv\n{script}\n')
    executable.chmod(executable.stat().st_mode | stat.S_IEXEC)
    return directory


def test_inside_a_project_the_stack_config_is_used_and_its_secrets_are_not_shown(
    two_tunnels: Frontdoor,
    fdipsec_import: Importer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = (
        f'{{"fdipsec:apiUrl": {{"value": "{two_tunnels.server.url}", "secret": false}},'
        f' "fdipsec:token": {{"value": "{TOKEN}", "secret": true}},'
        f' "fdipsec:frontdoorId": {{"value": "{FRONTDOOR_ID}", "secret": false}},'
        ' "other:key": {"value": "x", "secret": false}}'
    )
    bin_dir = fake_pulumi(tmp_path / "bin", f"cat <<'JSON'\n{config}\nJSON")
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")

    # Nothing in the environment: the API URL, the token and the Frontdoor all come from the stack.
    run = fdipsec_import(
        "--stack", "prod", FDIPSEC_API_URL=None, FDIPSEC_TOKEN=None, FDIPSEC_FRONTDOOR_ID=None
    )
    assert run.code == 0, run.stderr
    assert run.stdout.count("= IpsecTunnel(") == 2 and "frontdoor_id=" not in run.stdout
    assert (
        "settings from the config of stack prod: fdipsec:apiUrl, fdipsec:frontdoorId, fdipsec:token"
        in run.stderr
    )
    assert TOKEN not in run.stderr and TOKEN not in run.stdout
    assert (bin_dir / "argv").read_text() == "config --json --show-secrets --non-interactive --stack prod\n"


def test_a_stack_whose_config_cannot_be_read_says_so_and_the_environment_is_used(
    two_tunnels: Frontdoor, fdipsec_import: Importer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = fake_pulumi(tmp_path / "bin", "echo 'error: no stack selected' >&2; exit 255")
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    run = fdipsec_import()
    assert run.code == 0
    assert (
        "could not read the config of the current stack (pulumi exited 255): error: no stack selected"
        in run.stderr
    )


def test_outside_a_project_pulumi_is_not_run(tmp_path: Path) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("pulumi must not run outside a project")

    assert stackconfig.read(tmp_path, run=never) == stackconfig.StackConfig()  # type: ignore[arg-type]


def test_only_the_clients_keys_are_kept_and_the_repr_hides_values() -> None:
    parsed = stackconfig.parse(
        '{"fdipsec:token": {"value": "s3cret", "secret": true}, "fdipsec:maxConcurrency": {"value": "8"},'
        ' "fdipsec:tags": {"objectValue": {"a": 1}}, "aws:region": {"value": "us-east-1"}}'
    )
    assert parsed == {"fdipsec:token": "s3cret"}
    assert "s3cret" not in repr(stackconfig.StackConfig(parsed, "note"))


def test_the_console_script_and_the_module_are_the_same_command() -> None:
    [script] = [
        e for e in importlib.metadata.entry_points(group="console_scripts") if e.name == "fdipsec-import"
    ]
    assert script.value == "fdipsec_pulumi.importer.cli:main"
    done = subprocess.run(
        [sys.executable, "-m", "fdipsec_pulumi.importer", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and done.stdout.startswith("usage: fdipsec-import ")
