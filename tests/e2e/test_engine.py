"""The toolchain works end to end: engine, Python language host, dynamic-provider launcher, virtualenv."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.harness import new_project

pytestmark = pytest.mark.e2e

PROGRAM = """
import pulumi
from pulumi.dynamic import Resource

from tests.e2e.trivial_provider import EchoProvider


class Echo(Resource, module="e2e", name="Echo"):
    def __init__(self, name, message):
        super().__init__(EchoProvider(), name, {"message": message, "length": None})


echo = Echo("hello", "hi there")
pulumi.export("length", echo.length)
"""


def test_trivial_dynamic_resource_up_preview_destroy(tmp_path: Path) -> None:
    project = new_project(tmp_path / "trivial", PROGRAM)
    project.init()

    up = project.up()
    assert "+ 2 created" in up.stdout or "2 created" in up.stdout, up.stdout
    assert project.outputs() == {"length": 8}
    [echo] = project.resources("pulumi-python:dynamic/e2e:Echo")
    assert echo["id"] == "echo-hi there"
    # The provider class is pickled by reference, not by value: the state stays small.
    assert len(echo["inputs"]["__provider"]["ciphertext"]) < 2000

    project.run("preview", "--expect-no-changes")

    project.run("destroy", "--yes", "--skip-preview")
    assert project.resources("pulumi-python:dynamic/e2e:Echo") == []
