"""The waiter against the emulator's state machine: deployed, failed, timed out, deleted."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from fdipsec_pulumi.client import (
    FrontdoorClient,
    Progress,
    Status,
    Tunnel,
    WaitFailed,
    WaitTimeout,
    wait_for,
)
from tests.client.conftest import Control, tunnel_request


def wait_deployed(
    client: FrontdoorClient,
    tunnel_id: str,
    timeout: float = 30,
    on_progress: Callable[[Progress], None] | None = None,
) -> Tunnel:
    return wait_for(
        lambda: client.get_tunnel(tunnel_id),
        pending={Status.NEW},
        target={Status.DEPLOYED},
        timeout=timeout,
        describe=f"IPsec tunnel {tunnel_id}",
        on_progress=on_progress,
    )


def test_waits_until_deployed_and_reports_progress(client: FrontdoorClient, control: Control) -> None:
    control.configure(tunnelDelay=1.0)
    created = client.create_tunnel(tunnel_request(1))
    seen: list[Progress] = []
    control.clear_requests()
    tunnel = wait_deployed(client, created.id, on_progress=seen.append)
    assert tunnel.status == Status.DEPLOYED
    assert seen[-1].status == Status.DEPLOYED and seen[0].status == Status.NEW
    assert all(p.resource == f"IPsec tunnel {created.id}" for p in seen)
    assert len(control.requests("GET")) == len(seen) <= 3  # 0.5 s, 1.5 s


def test_error_fails_fast_with_the_reason(client: FrontdoorClient, control: Control) -> None:
    control.configure(tunnelDelay=0.5)
    control.call("POST", "/fail-next", {"kind": "tunnel", "reason": "peer 203.0.113.1 unreachable"})
    created = client.create_tunnel(tunnel_request(1))
    started = time.monotonic()
    with pytest.raises(WaitFailed) as caught:
        wait_deployed(client, created.id, timeout=600)
    assert time.monotonic() - started < 5
    assert str(caught.value) == (
        f"IPsec tunnel {created.id} reached status ERROR: peer 203.0.113.1 unreachable "
        "while waiting for DEPLOYED"
    )
    assert isinstance(caught.value.last, Tunnel)
    assert caught.value.last.status_message == "peer 203.0.113.1 unreachable"


def test_timeout_names_the_tunnel_and_its_last_status(client: FrontdoorClient, control: Control) -> None:
    control.configure(tunnelDelay=3600)
    created = client.create_tunnel(tunnel_request(1))
    with pytest.raises(WaitTimeout) as caught:
        wait_deployed(client, created.id, timeout=2)
    assert str(caught.value) == (
        f"timed out after 2 s waiting for IPsec tunnel {created.id} to reach DEPLOYED; last status NEW"
    )
    assert isinstance(caught.value.last, Tunnel) and caught.value.last.id == created.id


def test_delete_waits_until_404(client: FrontdoorClient, control: Control) -> None:
    created = client.create_tunnel(tunnel_request(1))
    wait_deployed(client, created.id)
    client.delete_tunnel(created.id)
    statuses: list[Status | None] = []
    result = wait_for(
        lambda: client.get_tunnel(created.id),
        pending={Status.DELETING, Status.DELETED},
        target=(),
        timeout=30,
        describe=f"IPsec tunnel {created.id}",
        gone_is_target=True,
        on_progress=lambda p: statuses.append(p.status),
    )
    assert result is None and statuses[-1] is None
    assert control.requests("GET")[-1]["status"] == 404
