"""HTTP Basic through the real engine: a stack with fdipsec:username and fdipsec:token deploys and
destroys a tunnel, and every request the provider sent carried ``Basic base64(username:token)``."""

from __future__ import annotations

import base64

import pytest

from fdipsec_pulumi.emulator import guard
from tests.e2e.conftest import TUNNEL_TYPE, Emulator, StackFactory
from tests.e2e.test_resources import TUNNEL, TUNNELS_PATH

pytestmark = pytest.mark.e2e

USERNAME = "e2e-user"


def test_a_stack_with_a_username_authenticates_with_basic(
    make_stack: StackFactory, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The emulator's request log keeps no headers (they carry tokens), so the scheme and username of each
    # request are taken where the emulator parses them; its own parser still decides.
    seen: list[tuple[str, str]] = []
    parse = guard.bearer_token

    def recording(authorization: str | None) -> str | None:
        scheme, _, credentials = (authorization or "").partition(" ")
        username = base64.b64decode(credentials).decode().partition(":")[0] if scheme == "Basic" else ""
        seen.append((scheme, username))
        return parse(authorization)

    monkeypatch.setattr(guard, "bearer_token", recording)
    stack = make_stack(tunnel=TUNNEL, **{"fdipsec:username": USERNAME})

    stack.up()

    [tunnel] = emulator.tunnels()
    assert (tunnel["name"], tunnel["status"]) == ("e2e-dc1", "DEPLOYED")
    assert [r["id"] for r in stack.resources(TUNNEL_TYPE)] == [tunnel["id"]]
    log = emulator.requests()
    assert [e["status"] for e in log if e["method"] == "POST" and TUNNELS_PATH.search(e["path"])] == [202]
    assert all(entry["status"] < 400 for entry in log), log
    # Our requests are the only ones here: the test's own emulator calls use the control API, unguarded.
    assert len(seen) == len(log) and set(seen) == {("Basic", USERNAME)}

    stack.run("destroy", "--yes", "--skip-preview")

    emulator.wait_empty()
    assert any(entry["method"] == "DELETE" for entry in emulator.requests())
    assert set(seen) == {("Basic", USERNAME)}
