"""Fixtures every test directory may use.

``emulator_factory`` starts extra emulators with their own settings (delays, tokens, a state file) and
stops them after the test; suites that share one emulator per session define their own fixture on top.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from fdipsec_pulumi.emulator import EmulatorServer


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
