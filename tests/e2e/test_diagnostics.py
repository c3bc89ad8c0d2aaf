"""What a user reads when an `up` fails, through the real CLI: one message that names the resource, the
operation, the API's reason and the fix; no traceback, none of our frames, no interrupt noise."""

from __future__ import annotations

import socket

import pytest

from tests.e2e.conftest import Emulator, StackFactory, set_config
from tests.e2e.test_resources import SHARES, TUNNEL, output

pytestmark = pytest.mark.e2e

NOISE = ("Traceback", 'File "', "fdipsec_pulumi/", "KeyboardInterrupt", "lost sys.stderr")


def assert_clean(text: str) -> None:
    for noise in NOISE:
        assert noise not in text, f"{noise!r} in:\n{text}"


@pytest.mark.sdk_range
def test_a_create_that_ends_in_error(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = make_stack(tunnel=TUNNEL, shares=SHARES[:1])
    emulator.call("POST", "fail-next", {"kind": "tunnel", "reason": "capacity exhausted in us-east-1"})

    up = stack.up(check=False)

    assert up.returncode != 0
    assert "failed to deploy: capacity exhausted in us-east-1" in output(up), output(up)
    assert "IpsecTunnel e2e-dc1 (tnl-" in output(up)
    assert_clean(output(up))


def test_a_wrong_token(make_stack: StackFactory, emulator: Emulator) -> None:
    stack = make_stack(tunnel=TUNNEL)
    stack.run("config", "set", "--secret", "fdipsec:token", "not-the-token")

    up = stack.up(check=False)

    assert up.returncode != 0
    text = output(up)
    assert "IpsecTunnel e2e-dc1: create failed: Frontdoor API rejected GET" in text, text
    assert "(401 unauthorized)" in text and "Check the token (fdipsec:token or FDIPSEC_TOKEN)" in text
    assert "not-the-token" not in text
    assert_clean(text)


def test_an_unreachable_api(make_stack: StackFactory, emulator: Emulator) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stack = make_stack(tunnel=TUNNEL)
    set_config(stack, {"fdipsec:apiUrl": f"http://127.0.0.1:{port}/frontdoor"})

    up = stack.up(check=False)

    assert up.returncode != 0
    text = output(up)
    assert "IpsecTunnel e2e-dc1: create failed: no response from the Frontdoor API" in text, text
    assert "Check that the API URL (fdipsec:apiUrl or FDIPSEC_API_URL) is right" in text
    assert_clean(text)
