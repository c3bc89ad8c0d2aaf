"""Literals that read back as the API's text, and calls laid out as ruff format lays them out (the
formatter itself checks whole generated modules in test_generated_code.py)."""

from __future__ import annotations

import ast

import pytest

from fdipsec_pulumi.importer.source import Call, Code, call, expression, string

TEXTS = [
    "plain",
    'it\'s "quoted"',
    "it's",
    'say "hi"',
    "back\\slash",
    "zero\u200bwidth",
    "ÜmlaUt 東京",
    "nul\x00and\x7fdel",
    "line\nbreak\ttab",
    "astral \U0001f600 \U000e0001",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_string_literal_reads_back_as_the_text(text: str) -> None:
    assert ast.literal_eval(string(text)) == text


def test_double_quotes_unless_the_text_holds_more_of_them() -> None:
    assert string("it's") == '"it\'s"'
    assert string('say "hi"') == "'say \"hi\"'"
    assert string('it\'s "quoted"') == "'it\\'s \"quoted\"'"


def test_expressions() -> None:
    assert expression(8443) == "8443"
    assert expression(Code("dc1.id")) == "dc1.id"
    with pytest.raises(TypeError):
        expression(True)


def test_a_call_that_fits_is_one_line_unless_split() -> None:
    options = Call("pulumi.ResourceOptions", keywords=(("import_", "tnl-1"),))
    assert call(options, lead="opts=") == 'opts=pulumi.ResourceOptions(import_="tnl-1")'
    declared = Call("IpsecTunnel", ("dc1",), (("name", "dc1"), ("opts", options)), split=True)
    assert call(declared, lead="dc1 = ").splitlines() == [
        "dc1 = IpsecTunnel(",
        '    "dc1",',
        '    name="dc1",',
        '    opts=pulumi.ResourceOptions(import_="tnl-1"),',
        ")",
    ]


def test_a_nested_call_too_long_for_its_line_is_split_with_a_trailing_comma() -> None:
    options = Call("pulumi.ResourceOptions", keywords=(("import_", "t" * 80),))
    text = call(Call("IpsecShare", ("db",), (("opts", options),), split=True), lead="db = ")
    assert text.splitlines() == [
        "db = IpsecShare(",
        '    "db",',
        "    opts=pulumi.ResourceOptions(",
        f'        import_="{"t" * 80}",',
        "    ),",
        ")",
    ]


def test_comments_go_on_their_own_line_above_their_argument() -> None:
    declared = Call(
        "IpsecShare", ("db",), (("ipsec_tunnel_id", "tnl-9"),), comments=(("ipsec_tunnel_id", "elsewhere"),)
    )
    assert call(declared) == 'IpsecShare(\n    "db",\n    # elsewhere\n    ipsec_tunnel_id="tnl-9",\n)'


def test_a_string_too_long_for_its_line_is_cut_into_joined_parts_after_spaces() -> None:
    name = "very long " * 20 + "x" * 100
    text = call(Call("IpsecTunnel", ("t",), (("name", name),), split=True))
    lines = text.splitlines()
    assert lines[2] == "    name=("
    parts = lines[3:-2]
    assert len(parts) > 2 and all(part.startswith('        "') for part in parts)
    assert all(part.endswith(' "') for part in parts[:-3])  # cut after a space while there are spaces
    assert lines[-2] == "    ),"
    assert max(len(line) for line in lines) <= 88
    assert ast.literal_eval("(" + "".join(lines[3:-2]) + ")") == name
