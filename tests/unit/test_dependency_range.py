"""The ranges the package declares are the ranges `make test` runs: the oldest end in .venv-min from
constraints-lowest.txt, the newest in .venv from constraints.txt. A bound raised or lowered in
pyproject.toml without the matching pin would test a version nobody declared."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[2]


def declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return [
        Requirement(text)
        for text in [
            *project["dependencies"],
            *project["optional-dependencies"]["emulator"],
            *project["optional-dependencies"]["policy"],
        ]
    ]


def pins(name: str) -> dict[str, Version]:
    found: dict[str, Version] = {}
    for line in (REPO / name).read_text().splitlines():
        text = line.split("#", 1)[0].strip()
        if text and not text.startswith("-"):
            requirement = Requirement(text)
            (spec,) = requirement.specifier
            assert spec.operator == "==", f"{name}: {line!r} is not an exact pin"
            found[canonicalize_name(requirement.name)] = Version(spec.version)
    return found


def lower_bound(requirement: Requirement) -> Version:
    floors = [Version(spec.version) for spec in requirement.specifier if spec.operator == ">="]
    assert len(floors) == 1, f"{requirement} declares no single lower bound"
    return floors[0]


@pytest.mark.parametrize("requirement", declared(), ids=str)
def test_every_declared_dependency_is_a_range_with_an_upper_bound(requirement: Requirement) -> None:
    assert {spec.operator for spec in requirement.specifier} == {">=", "<"}, requirement


@pytest.mark.parametrize("requirement", declared(), ids=str)
def test_the_lowest_pins_are_the_declared_lower_bounds(requirement: Requirement) -> None:
    assert pins("constraints-lowest.txt")[canonicalize_name(requirement.name)] == lower_bound(requirement)


@pytest.mark.parametrize("requirement", declared(), ids=str)
def test_the_newest_pins_are_inside_the_declared_ranges(requirement: Requirement) -> None:
    pinned = pins("constraints.txt")[canonicalize_name(requirement.name)]
    assert requirement.specifier.contains(pinned), f"constraints.txt pins {pinned}, outside {requirement}"
