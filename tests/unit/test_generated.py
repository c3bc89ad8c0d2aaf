"""The source generated from the field tables (fdipsec_pulumi/fields/) is current, and what it generated
agrees with the tables: a table edit without `scripts/generate.py` fails here, not in a user's stack."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from fdipsec_pulumi import (
    GetIpsecShareResult,
    GetIpsecTunnelResult,
    IpsecShare,
    IpsecShareArgs,
    IpsecTunnel,
    IpsecTunnelArgs,
)
from fdipsec_pulumi.client import models
from fdipsec_pulumi.fields import SHARE, TABLES, TUNNEL, Change, Input, Table
from fdipsec_pulumi.fields.codegen import ROOT, generated_files

CLASSES = {
    TUNNEL.kind: (TUNNEL, IpsecTunnelArgs, IpsecTunnel, GetIpsecTunnelResult),
    SHARE.kind: (SHARE, IpsecShareArgs, IpsecShare, GetIpsecShareResult),
}


GENERATED = generated_files(TABLES)


@pytest.mark.parametrize("path", sorted(GENERATED), ids=lambda p: str(p.relative_to(ROOT)))
def test_generated_file_is_current(path: Path) -> None:
    assert path.read_text() == GENERATED[path], "stale: run .venv/bin/python scripts/generate.py"


@pytest.mark.parametrize("kind", sorted(CLASSES))
def test_public_classes_carry_the_tables_fields(kind: str) -> None:
    table, args, resource, result = CLASSES[kind]
    init = args.__init__.__annotations__
    assert [name for name in init if name != "return"] == list(table.python_inputs)
    for field in table.fields:
        if field.state:
            assert isinstance(getattr(resource, field.name), property), field.wire
    assert {f.name for f in dataclasses.fields(result)} == {f.name for f in table.fields if f.lookup}


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.kind)
def test_table_is_coherent(table: Table) -> None:
    for field in table.fields:
        assert (field.input is None) == (field.change is None), (
            f"{field.wire}: an input says what a change does"
        )
        assert not (field.secret and field.lookup), f"{field.wire}: a lookup result cannot be secret"
        assert field.default == "" or field.input is Input.OPTIONAL, field.wire
        if field.in_body:
            assert hasattr(models, field.validator), f"{field.wire}: no validating type {field.validator}"


def test_tunnel_inputs_all_replace_and_share_moves_replace() -> None:
    assert TUNNEL.changing(Change.IN_PLACE) == ()
    assert set(SHARE.changing(Change.REPLACE)) == {"frontdoorId", "ipsecTunnelId"}
