"""Fixtures every test directory may use.

``emulator_factory`` starts extra emulators with their own settings (delays, tokens, a state file) and
stops them after the test; suites that share one emulator per session define their own fixture on top.
"""

from __future__ import annotations

import importlib.metadata
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fdipsec_pulumi.emulator import EmulatorServer


def pytest_report_header() -> str:
    """`make test` runs the suite in two virtualenvs; the header says which SDK this run has."""
    return f"fdipsec-pulumi: pulumi SDK {importlib.metadata.version('pulumi')} in {sys.prefix}"


@pytest.fixture
def emulator_factory() -> Iterator[Callable[..., EmulatorServer]]:
    servers: list[EmulatorServer] = []

    def start(**kwargs: Any) -> EmulatorServer:
        server = EmulatorServer(**kwargs)
        servers.append(server)
        return server

    yield start
    for server in reversed(servers):
        server.stop()
