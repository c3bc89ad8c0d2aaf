"""Python source as ``ruff format`` writes it, so the generated module needs no formatter.

Ruff is a development tool, not a dependency of this package, so the few shapes the module uses are
written here the way ruff's default style leaves them: double quotes unless the text holds more double
than single quotes, and a call split one argument per line with a trailing comma (the "magic" comma
keeps it split at any line length), except a call that fits on its line. A name too long for its line
is cut into implicitly joined parts, which ruff leaves as they are unless the whole would fit on one
line: a project with a longer line length than ruff's default may see such a name joined again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Ruff's default line length: what fits here fits in any project that did not shorten it.
LINE_LENGTH = 88
INDENT = "    "
_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


@dataclass(frozen=True)
class Code:
    """An expression written as it is (a variable's ``.id``), not as a literal."""

    text: str


Value = str | int | Code


def string(text: str) -> str:
    """A string literal that reads back as ``text`` and that ruff format leaves as it is."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    body = "".join(_escaped(char, quote) for char in text)
    return f"{quote}{body}{quote}"


def _escaped(char: str, quote: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if char == quote:
        return "\\" + char
    if char.isprintable():
        return char
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def expression(value: Value) -> str:
    if isinstance(value, Code):
        return value.text
    if isinstance(value, bool):  # a bool is an int, and no input is either
        raise TypeError(f"no input takes a bool: {value!r}")
    if isinstance(value, int):
        return str(value)
    return string(value)


@dataclass(frozen=True)
class Call:
    """``callee(positional..., name=keyword...)``; ``split`` keeps it one argument per line even when it
    would fit on one (a resource declaration reads better so, and its trailing comma keeps it so)."""

    callee: str
    positional: tuple[Value | Call, ...] = ()
    keywords: tuple[tuple[str, Value | Call], ...] = ()
    split: bool = False
    # A comment on its own line above a keyword argument, by the argument's name.
    comments: tuple[tuple[str, str], ...] = ()


def call(node: Call, indent: str = "", lead: str = "", tail: str = "") -> str:
    """``lead`` + the call + ``tail`` at ``indent``: on one line when it may (not ``split``), fits and
    has no comments; else one argument per line, each argument a call itself when it is one."""
    flat = [_flat(value) for value in node.positional] + [
        f"{name}={_flat(value)}" for name, value in node.keywords
    ]
    one_line = f"{indent}{lead}{node.callee}({', '.join(flat)}){tail}"
    if not node.split and not node.comments and len(one_line) <= LINE_LENGTH:
        return one_line
    notes = dict(node.comments)
    inner = indent + INDENT
    lines = [f"{indent}{lead}{node.callee}("]
    arguments: list[tuple[str, Value | Call]] = [("", value) for value in node.positional]
    arguments += [(f"{name}=", value) for name, value in node.keywords]
    for prefix, value in arguments:
        if prefix and prefix[:-1] in notes:
            lines.append(f"{inner}# {notes[prefix[:-1]]}")
        if isinstance(value, Call):
            lines.append(call(value, inner, prefix, ","))
            continue
        line = f"{inner}{prefix}{expression(value)},"
        # Only a declaration's own arguments (a name, a target) are cut; an id stays whole.
        parts = (
            pieces(value, LINE_LENGTH - len(inner + INDENT)) if node.split and isinstance(value, str) else []
        )
        if len(line) <= LINE_LENGTH or len(parts) < 2:
            lines.append(line)
        else:
            lines += [f"{inner}{prefix}(", *(f"{inner}{INDENT}{part}" for part in parts), f"{inner}),"]
    lines.append(f"{indent}){tail}")
    return "\n".join(lines)


def pieces(text: str, width: int) -> list[str]:
    """``text`` as string literals of at most ``width`` characters each, cut after a space where one is
    near: what a person writes for a long name, as implicitly joined parts that ruff leaves as they are."""
    words = re.findall(r"\S*\s*", text)
    parts: list[str] = []
    current = ""
    for word in (w for w in words if w):
        if len(string(current + word)) <= width:
            current += word
            continue
        if current:
            parts.append(current)
        current = ""
        if len(string(word)) <= width:
            current = word
            continue
        for char in word:  # a word longer than a line is cut where it must be
            if current and len(string(current + char)) > width:
                parts.append(current)
                current = ""
            current += char
    if current:
        parts.append(current)
    return [string(part) for part in parts]


def _flat(value: Value | Call) -> str:
    if isinstance(value, Call):
        inner = [_flat(item) for item in value.positional]
        inner += [f"{name}={_flat(item)}" for name, item in value.keywords]
        return f"{value.callee}({', '.join(inner)})"
    return expression(value)
