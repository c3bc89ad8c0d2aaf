"""Tokens and pre-shared keys never leak: not into logs, JSON answers, control dumps or reprs."""

from __future__ import annotations

import logging
import re
import time

import pytest
import requests

from fdipsec_pulumi.emulator.records import Kind

from .conftest import TOKEN, Api


def psk_of(sample_config: str) -> str:
    match = re.search(r'PSK "([^"]+)"', sample_config)
    assert match, sample_config
    return match.group(1)


def test_logs_carry_no_token_and_no_psk(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    issued = requests.post(
        api.server.token_url,
        data={
            "grant_type": "client_credentials",
            "client_id": "fdipsec-local",
            "client_secret": "fdipsec-local-secret",
        },
        timeout=10,
    ).json()["access_token"]
    tunnel = api.create_tunnel()["id"]
    sample = api.get(f"/ipsec-tunnels/{tunnel}/sample-config", headers={"Accept": "text/plain"}).text
    psk = psk_of(sample)
    requests.get(f"{api.base}/ipsec-tunnels", headers={"Authorization": f"Bearer {issued}"}, timeout=10)
    api.get("/ipsec-tunnels", headers={"Authorization": "Bearer not-a-valid-token"})
    # The server thread logs a request after its response is sent, so the last line can lag a moment.
    deadline = time.monotonic() + 5
    while True:
        lines = [record.getMessage() for record in caplog.records if record.name == "fdipsec_pulumi.emulator"]
        if len(lines) >= 5 or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert len(lines) == 5, lines
    text = caplog.text + "\n".join(lines)
    for secret in (TOKEN, issued, psk, "not-a-valid-token", "fdipsec-local-secret"):
        assert secret not in text


def test_psk_appears_only_in_sample_config(api: Api) -> None:
    tunnel = api.create_tunnel()["id"]
    psk = psk_of(api.get(f"/ipsec-tunnels/{tunnel}/sample-config", headers={"Accept": "text/plain"}).text)
    assert len(psk) >= 24
    exposed = [
        api.get(f"/ipsec-tunnels/{tunnel}").text,
        api.get("/ipsec-tunnels").text,
        api.get("/ipsec-tunnels", headers={"Accept": "application/hal+json"}).text,
        api.get(f"/ipsec-tunnels/{tunnel}/tunnel-config").text,
        api.get(f"/ipsec-tunnels/{tunnel}/metrics").text,
        str(api.resources()),
        str(api.control("GET", "/requests")),
        repr(api.backend._store.get(Kind.TUNNEL, tunnel)),
        api.delete(f"/ipsec-tunnels/{tunnel}").text,
    ]
    assert not [text for text in exposed if psk in text]


def test_each_tunnel_has_its_own_stable_psk(api: Api) -> None:
    first, second = api.create_tunnel(1)["id"], api.create_tunnel(2)["id"]

    def sample(tunnel: str) -> str:
        return api.get(f"/ipsec-tunnels/{tunnel}/sample-config", headers={"Accept": "text/plain"}).text

    assert psk_of(sample(first)) == psk_of(sample(first))
    assert psk_of(sample(first)) != psk_of(sample(second))
    config = sample(first)
    assert "conn frontdoor-" in config and "authby=secret" in config and "leftsubnet=172.17.0.0/16" in config
