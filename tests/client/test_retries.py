"""Retries through injected faults, and the POST that must never be sent twice."""

from __future__ import annotations

import re
import socket
import threading
import time
from datetime import datetime

import pytest

from fdipsec_pulumi.client import (
    FrontdoorClient,
    RateLimited,
    RetryPolicy,
    ServerError,
    Settings,
    ShareCreate,
    TransportError,
)
from fdipsec_pulumi.emulator.server import EmulatorServer
from tests.client.conftest import (
    FRONTDOOR_ID,
    QUICK_RETRIES,
    TOKEN,
    Control,
    deployed_tunnel,
    make_client,
    tunnel_request,
)

TUNNELS = r"/ipsec-tunnels$"
SHARES = r"/ipsec-shares$"


@pytest.fixture
def quick(emulator: EmulatorServer, control: Control) -> FrontdoorClient:
    return make_client(emulator, retry=QUICK_RETRIES)


def test_429_waits_at_least_retry_after(client: FrontdoorClient, control: Control) -> None:
    control.fault(method="GET", path=TUNNELS, status=429, retryAfter=1.2, count=1)
    started = time.monotonic()
    assert list(client.list_tunnels()) == []
    assert time.monotonic() - started >= 1.2
    assert [entry["status"] for entry in control.requests("GET")] == [429, 200]


def test_429_on_post_is_retried_because_nothing_was_created(
    client: FrontdoorClient, control: Control
) -> None:
    control.fault(method="POST", path=TUNNELS, status=429, retryAfter=0.2, count=1)
    created = client.create_tunnel(tunnel_request(1))
    assert [entry["status"] for entry in control.requests("POST")] == [429, 202]
    assert [t.id for t in client.list_tunnels()] == [created.id]


def test_retry_after_beyond_the_cap_is_raised_not_waited(emulator: EmulatorServer, control: Control) -> None:
    control.fault(method="GET", path=TUNNELS, status=429, retryAfter=120, count=1)
    with make_client(emulator, retry=RetryPolicy(max_retry_after=5)) as client:
        started = time.monotonic()
        with pytest.raises(RateLimited) as caught:
            list(client.list_tunnels())
    assert time.monotonic() - started < 2
    assert caught.value.retry_after == 120
    assert len(control.requests("GET")) == 1


def test_503_burst_is_retried_with_backoff(quick: FrontdoorClient, control: Control) -> None:
    control.fault(method="GET", path=TUNNELS, status=503, count=3)
    assert list(quick.list_tunnels()) == []
    assert [entry["status"] for entry in control.requests("GET")] == [503, 503, 503, 200]


def test_502_and_504_are_retried_for_delete(quick: FrontdoorClient, control: Control) -> None:
    created = quick.create_tunnel(tunnel_request(1))
    control.fault(method="DELETE", path="ipsec-tunnels/", status=502, count=1)
    control.fault(method="DELETE", path="ipsec-tunnels/", status=504, count=1)
    quick.delete_tunnel(created.id)
    assert [entry["status"] for entry in control.requests("DELETE")][-1] == 202


def test_endless_503_gives_up_when_the_budget_is_spent(quick: FrontdoorClient, control: Control) -> None:
    control.fault(method="GET", path=TUNNELS, status=503)
    with pytest.raises(ServerError) as caught:
        list(quick.list_tunnels())
    attempts = len(control.requests("GET"))
    assert attempts > 2
    message = str(caught.value)
    assert "(503" in message and "try again later" in message
    assert f"gave up after {attempts} attempt(s)" in message
    assert "the retry budget of 1 s (fdipsec:retryTimeout or FDIPSEC_RETRY_TIMEOUT)" in message


def test_an_outage_shorter_than_the_budget_is_ridden_out_whatever_the_attempt_count(
    quick: FrontdoorClient, control: Control
) -> None:
    """Time, not a count, ends the retries: twelve fast 503s fit in the quick policy's second."""
    control.fault(method="GET", path=TUNNELS, status=503, count=12)
    clock = iter(range(1000))
    client = FrontdoorClient(quick.settings, retry=QUICK_RETRIES, clock=lambda: next(clock) / 1000)
    assert list(client.list_tunnels()) == []
    assert [e["status"] for e in control.requests("GET")] == [503] * 12 + [200]


def test_every_retry_is_told_with_its_reason(emulator: EmulatorServer, control: Control) -> None:
    control.fault(method="GET", path=TUNNELS, status=503, count=2)
    told: list[str] = []
    settings = Settings(api_url=emulator.url, frontdoor_id=FRONTDOOR_ID, token=TOKEN)
    client = FrontdoorClient(settings, retry=QUICK_RETRIES, on_retry=told.append)
    assert list(client.list_tunnels()) == []
    assert len(told) == 2
    assert all(
        re.fullmatch(
            r"Frontdoor API: GET /frontdoor/v2/\S+/ipsec-tunnels: HTTP 503; retrying in [\d.]+ s "
            r"\(\d+ s of the retry budget left\)",
            line,
        )
        for line in told
    ), told


def test_dropped_connections_are_retried_for_get(quick: FrontdoorClient, control: Control) -> None:
    created = quick.create_tunnel(tunnel_request(1))
    control.fault(method="GET", path="ipsec-tunnels/", drop="before", count=2)
    assert quick.get_tunnel(created.id).id == created.id


def test_response_dropped_after_a_get_is_retried(quick: FrontdoorClient, control: Control) -> None:
    control.fault(method="GET", path=TUNNELS, drop="after", count=1)
    assert list(quick.list_tunnels()) == []
    assert len(control.requests("GET")) == 2


def test_503_on_post_is_not_retried(quick: FrontdoorClient, control: Control) -> None:
    control.fault(method="POST", path=TUNNELS, status=503, count=1)
    with pytest.raises(ServerError):
        quick.create_tunnel(tunnel_request(1))
    assert len(control.requests("POST")) == 1


def test_dropped_tunnel_post_is_not_repeated_and_is_found(quick: FrontdoorClient, control: Control) -> None:
    control.fault(method="POST", path=TUNNELS, drop="after", count=1)
    request = tunnel_request(1)
    with pytest.raises(TransportError) as caught:
        quick.create_tunnel(request)
    assert caught.value.ambiguous
    assert "look the object up before repeating it" in str(caught.value)
    assert len(control.requests("POST")) == 1

    [found] = quick.list_tunnels(filters={"name": request.name})
    assert found.name == request.name and found.peer_cidr == request.peer_cidr
    assert list(quick.list_tunnels(filters={"name": "other"})) == []
    assert len(control.requests("POST")) == 1


def test_dropped_share_post_is_not_repeated_and_is_found(quick: FrontdoorClient, control: Control) -> None:
    tunnel = deployed_tunnel(quick)
    control.clear_requests()
    control.fault(method="POST", path=SHARES, drop="after", count=1)
    request = ShareCreate(
        name="app-db", ipsec_tunnel_id=tunnel.id, env_z_id="env", target="10.0.0.5:443", ingress_port=443
    )
    with pytest.raises(TransportError) as caught:
        quick.create_share(request)
    assert caught.value.ambiguous
    assert len(control.requests("POST")) == 1
    [found] = quick.list_shares(filters={"name": "app-db", "ipsecTunnelId": tunnel.id})
    assert found.ingress_port == 443
    assert list(quick.list_shares(filters={"name": "app-db", "ipsecTunnelId": "tnl-other"})) == []


def test_post_that_never_connected_is_retried_then_unambiguous() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(api_url=f"http://127.0.0.1:{port}/frontdoor", token="t", frontdoor_id="fd")
    sleeps: list[float] = []
    client = FrontdoorClient(settings, retry=QUICK_RETRIES, sleep=sleeps.append, clock=lambda: sum(sleeps))
    with pytest.raises(TransportError) as caught:
        client.create_tunnel(tunnel_request(1))
    assert not caught.value.ambiguous
    assert sleeps and sum(sleeps) <= QUICK_RETRIES.max_elapsed
    assert f"gave up after {len(sleeps) + 1} attempt(s)" in str(caught.value)


def test_total_time_budget_bounds_retries(emulator: EmulatorServer, control: Control) -> None:
    control.fault(method="GET", path=TUNNELS, status=503, retryAfter=0.4)
    policy = RetryPolicy(max_elapsed=1.0, backoff_base=0.05, backoff_cap=0.1)
    with make_client(emulator, retry=policy) as client:
        started = time.monotonic()
        with pytest.raises(ServerError):
            list(client.list_tunnels())
    assert time.monotonic() - started < 1.5
    assert 2 <= len(control.requests("GET")) <= 4


def test_the_budget_comes_from_the_retry_timeout_setting(emulator: EmulatorServer, control: Control) -> None:
    control.fault(method="GET", path=TUNNELS, status=503, count=1000)
    slept: list[float] = []
    now = [0.0]

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    settings = Settings.resolve(
        {"api_url": emulator.url, "frontdoor_id": FRONTDOOR_ID, "token": TOKEN},
        environ={"FDIPSEC_RETRY_TIMEOUT": "45"},
    )
    client = FrontdoorClient(settings, sleep=sleep, clock=lambda: now[0])

    with pytest.raises(ServerError) as caught:
        list(client.list_tunnels())

    assert 30 < sum(slept) <= 45
    assert max(slept) <= RetryPolicy().backoff_cap
    assert len(control.requests("GET", "/ipsec-tunnels")) == len(slept) + 1
    assert "the retry budget of 45 s" in str(caught.value)


def test_retry_after_holds_every_thread(client: FrontdoorClient, control: Control) -> None:
    """A 429's Retry-After is about the client: a second thread waits it out too, before sending."""
    control.fault(method="GET", path=TUNNELS, status=429, retryAfter=1.5, count=1)
    first = threading.Thread(target=lambda: list(client.list_tunnels()))
    first.start()
    deadline = time.monotonic() + 5
    # Until the first thread has read its 429 (white-box: the server logs it before the client reads it).
    while not client._transport._hold_until and time.monotonic() < deadline:
        time.sleep(0.01)
    list(client.list_shares())  # another thread's request, sent while the first one is held
    first.join()
    log = control.requests("GET")
    assert [entry["status"] for entry in log] == [429, 200, 200]
    limited = datetime.fromisoformat(log[0]["time"])
    assert all((datetime.fromisoformat(e["time"]) - limited).total_seconds() >= 1.4 for e in log[1:])
