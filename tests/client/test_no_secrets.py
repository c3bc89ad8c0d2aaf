"""No log line, exception message, traceback or repr ever shows the token (also as HTTP Basic credentials),
the client secret or the PSK.

Every scenario that can produce an error or a log line runs with DEBUG logging captured; then the
collected text is searched for every secret in play, including the PSK read from the sample config.
"""

from __future__ import annotations

import base64
import logging
import re
import traceback
from collections.abc import Callable
from secrets import token_hex

import pytest

from fdipsec_pulumi.client import (
    FrontdoorClient,
    FrontdoorError,
    RetryPolicy,
    Settings,
    ShareCreate,
    wait_for,
)
from fdipsec_pulumi.emulator.server import EmulatorServer
from tests.client.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    QUICK_RETRIES,
    TOKEN,
    Control,
    deployed_tunnel,
    make_client,
    tunnel_request,
)


class Evidence:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def expect_error(self, action: Callable[[], object]) -> None:
        with pytest.raises(FrontdoorError) as caught:
            action()
        error = caught.value
        self.texts += [str(error), repr(error), "".join(traceback.format_exception(error))]


def test_no_secret_reaches_logs_errors_or_reprs(
    emulator: EmulatorServer, control: Control, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    evidence = Evidence()
    client = make_client(emulator, retry=QUICK_RETRIES)
    oauth = make_client(emulator, retry=QUICK_RETRIES, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)

    tunnel = deployed_tunnel(client)
    sample = client.get_sample_config(tunnel.id)
    psk = re.search(r'PSK "([^"]+)"', sample)
    assert psk is not None
    # Generated, so that tracebacks quoting this file's source cannot contain them.
    wrong_token, wrong_secret = token_hex(16), token_hex(16)
    basic = make_client(emulator, retry=QUICK_RETRIES, username="alice")
    secrets = {
        TOKEN,
        CLIENT_SECRET,
        psk.group(1),
        wrong_token,
        wrong_secret,
        base64.b64encode(f"alice:{TOKEN}".encode()).decode(),
        base64.b64encode(f"alice:{wrong_token}".encode()).decode(),
    }

    # Every error class, through both kinds of credentials.
    evidence.expect_error(lambda: client.get_tunnel("tnl-missing"))
    evidence.expect_error(lambda: list(client.list_tunnels("00000000-0000-0000-0000-000000000000")))
    share = ShareCreate(
        name="s", ipsec_tunnel_id=tunnel.id, env_z_id="e", target="10.0.0.1:80", ingress_port=80
    )
    client.create_share(share)
    evidence.expect_error(lambda: client.delete_tunnel(tunnel.id))
    evidence.expect_error(lambda: make_client(emulator, token=wrong_token).get_tunnel(tunnel.id))
    evidence.expect_error(
        lambda: make_client(emulator, token=wrong_token, username="alice").get_tunnel(tunnel.id)
    )
    evidence.expect_error(lambda: basic.get_tunnel("tnl-missing"))
    evidence.expect_error(lambda: list(basic.list_tunnels("00000000-0000-0000-0000-000000000000")))
    evidence.expect_error(
        lambda: make_client(
            emulator, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, username="alice"
        ).get_tunnel(tunnel.id)
    )
    evidence.expect_error(
        lambda: make_client(emulator, client_id=CLIENT_ID, client_secret=wrong_secret).get_tunnel(tunnel.id)
    )
    control.fault(method="GET", path="sample-config", status=503)
    evidence.expect_error(lambda: client.get_sample_config(tunnel.id))
    evidence.expect_error(lambda: basic.get_sample_config(tunnel.id))
    evidence.expect_error(lambda: oauth.get_sample_config(tunnel.id))
    control.call("DELETE", "/faults")
    control.fault(method="GET", path="sample-config", drop="after")
    evidence.expect_error(lambda: oauth.get_sample_config(tunnel.id))
    control.call("DELETE", "/faults")
    control.fault(method="POST", path="ipsec-tunnels$", drop="after", count=1)
    evidence.expect_error(lambda: oauth.create_tunnel(tunnel_request(2)))
    control.fault(method="GET", path="ipsec-shares", status=429, retryAfter=999, count=1)
    evidence.expect_error(lambda: list(oauth.list_shares()))
    control.call("POST", "/advance", {"seconds": 7200})  # the OAuth token expires: 401, refresh
    control.fault(method="GET", path="ipsec-tunnels/", status=401, count=2)
    evidence.expect_error(lambda: oauth.get_tunnel(tunnel.id))
    evidence.expect_error(
        lambda: wait_for(
            lambda: client.get_tunnel(tunnel.id), pending=(), target={"DELETED"}, timeout=5, describe="t"
        )
    )
    control.configure(tunnelDelay=3600)
    fresh = oauth.create_tunnel(tunnel_request(3))
    evidence.expect_error(
        lambda: wait_for(
            lambda: oauth.get_tunnel(fresh.id), pending={"NEW"}, target={"DEPLOYED"}, timeout=1, describe="t"
        )
    )
    nobody_listens = Settings(api_url="http://127.0.0.1:9/frontdoor", token=TOKEN, frontdoor_id="f")
    unreachable = FrontdoorClient(nobody_listens, retry=RetryPolicy(max_elapsed=0.1))
    evidence.expect_error(lambda: unreachable.create_tunnel(tunnel_request(4)))

    issued = oauth._transport._auth.secrets()
    assert len(issued) == 2, "the OAuth client should hold its secret and an access token"
    secrets.update(issued)
    evidence.texts += [
        repr(client),
        repr(oauth),
        repr(basic),
        repr(basic._transport._auth),
        repr(client.settings),
        repr(oauth.settings),
        repr(oauth._transport),
    ]
    everything = "\n".join([caplog.text, *evidence.texts])
    assert "GET /frontdoor/v2/" in caplog.text  # the logs did capture the traffic
    assert len(evidence.texts) > 40
    for secret in secrets:
        assert secret not in everything, f"a secret leaked: {secret[:3]}..."
