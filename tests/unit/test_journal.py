"""The create journal on disk: one entry per resource and place, written atomically, read back only by
the same owner."""

from __future__ import annotations

import json
from pathlib import Path

from fdipsec_pulumi.providers.journal import journal_dir, journal_slot

OWNER = "org/proj/dev/pulumi-python:dynamic/fdipsec:IpsecTunnel::dc1"
API = "https://frontdoor.example/frontdoor"


def test_an_entry_lives_from_record_to_forget(tmp_path: Path) -> None:
    slot = journal_slot(tmp_path / "creates", OWNER, API, "fd-1")
    assert slot.lookup() is None

    slot.record("tnl-1")
    assert journal_slot(tmp_path / "creates", OWNER, API, "fd-1").lookup() == "tnl-1"
    slot.record("tnl-2")
    assert slot.lookup() == "tnl-2"
    assert [p.name for p in (tmp_path / "creates").iterdir()] == [slot.path.name]  # no temp files left

    slot.forget()
    assert slot.lookup() is None
    slot.forget()  # forgetting twice is fine


def test_entries_are_per_resource_and_per_place(tmp_path: Path) -> None:
    journal_slot(tmp_path, OWNER, API, "fd-1").record("tnl-1")

    assert journal_slot(tmp_path, OWNER + "-other", API, "fd-1").lookup() is None
    assert journal_slot(tmp_path, OWNER, API, "fd-2").lookup() is None
    assert journal_slot(tmp_path, OWNER, "http://127.0.0.1:9/frontdoor", "fd-1").lookup() is None


def test_an_entry_of_another_owner_or_garbage_is_never_read(tmp_path: Path) -> None:
    slot = journal_slot(tmp_path, OWNER, API, "fd-1")
    slot.path.write_text(json.dumps({"owner": "somebody else", "id": "tnl-9"}))
    assert slot.lookup() is None
    slot.path.write_text("{not json")
    assert slot.lookup() is None


def test_the_directory_comes_from_config_then_environment_then_xdg(tmp_path: Path) -> None:
    config = {"fdipsec:journalDir": str(tmp_path / "from-config")}
    environ = {"FDIPSEC_JOURNAL_DIR": str(tmp_path / "from-env"), "XDG_STATE_HOME": str(tmp_path / "xdg")}

    assert journal_dir(config, environ) == tmp_path / "from-config"
    assert journal_dir({}, environ) == tmp_path / "from-env"
    assert journal_dir({"fdipsec:journalDir": " "}, {"XDG_STATE_HOME": str(tmp_path / "xdg")}) == (
        tmp_path / "xdg" / "fdipsec-pulumi" / "creates"
    )
    assert journal_dir({}, {}) == Path.home() / ".local" / "state" / "fdipsec-pulumi" / "creates"
