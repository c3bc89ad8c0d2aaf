"""The emulator's console script: its own name in --help, and a way forward without the extra."""

from __future__ import annotations

import builtins
from typing import Any

import pytest

from fdipsec_pulumi import emulator_command


def test_help_names_the_console_script(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        emulator_command.main(["--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith("usage: fdipsec-emulator ")


def test_without_the_extra_it_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_import = builtins.__import__

    def no_fastapi(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("fdipsec_pulumi.emulator"):
            raise ModuleNotFoundError("No module named 'fastapi'", name="fastapi")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_fastapi)
    assert emulator_command.main([]) == 2
    assert capsys.readouterr().err.strip() == (
        "fdipsec-emulator: the emulator's server (fastapi) is not installed; "
        "install the extra: pip install 'fdipsec-pulumi[emulator]'"
    )
