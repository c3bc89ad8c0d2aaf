"""Every endpoint against the emulator, with the models the client returns."""

from __future__ import annotations

import pytest

from fdipsec_pulumi.client import (
    Conflict,
    Forbidden,
    FrontdoorClient,
    InvalidRequest,
    NotFound,
    ShareCreate,
    SharePatch,
    Status,
    Unauthorized,
    wait_for,
)
from fdipsec_pulumi.client.models import Share
from fdipsec_pulumi.emulator.server import EmulatorServer
from tests.client.conftest import TOKEN, Control, deployed_tunnel, make_client, tunnel_request


def share_request(tunnel_id: str, name: str = "app-db", port: int = 8443) -> ShareCreate:
    return ShareCreate(
        name=name,
        ipsec_tunnel_id=tunnel_id,
        env_z_id="ijcrWb-ZOq",
        target="10.20.100.1:8443",
        ingress_port=port,
    )


def wait_share(client: FrontdoorClient, share_id: str) -> Share:
    return wait_for(
        lambda: client.get_share(share_id),
        pending={Status.NEW},
        target={Status.DEPLOYED},
        timeout=30,
        describe=f"IPsec share {share_id}",
    )


def test_tunnel_lifecycle(client: FrontdoorClient) -> None:
    created = client.create_tunnel(tunnel_request(1))
    assert created.status == Status.NEW and created.name == "site-1" and created.id
    assert created.nlb_dns_name is None
    assert client.get_tunnel(created.id).id == created.id

    tunnel = wait_for(
        lambda: client.get_tunnel(created.id),
        pending={Status.NEW},
        target={Status.DEPLOYED},
        timeout=30,
        describe=f"IPsec tunnel {created.id}",
    )
    assert tunnel.nlb_dns_name and tunnel.vpn_connection_id
    assert [t.id for t in client.list_tunnels()] == [created.id]

    config = client.get_tunnel_config(created.id)
    assert config.state and len(config.tunnels) == 1
    assert config.tunnels[0].phase1_dh_group_numbers

    sample = client.get_sample_config(created.id)
    assert isinstance(sample, str) and sample.strip()

    for window in ("30m", "1h", "1d", "7d"):
        metrics = client.get_tunnel_metrics(created.id, window=window)
        assert metrics.id == created.id and metrics.window == window

    deleting = client.delete_tunnel(created.id)
    assert deleting is None or deleting.status == Status.DELETING
    # Waiting "until 404": DELETED is still pending, only a 404 ends the wait.
    gone = wait_for(
        lambda: client.get_tunnel(created.id),
        pending={Status.DELETING, Status.DELETED},
        target=(),
        timeout=30,
        describe=f"IPsec tunnel {created.id}",
        gone_is_target=True,
    )
    assert gone is None
    with pytest.raises(NotFound):
        client.get_tunnel(created.id)


def test_share_lifecycle(client: FrontdoorClient) -> None:
    tunnel = deployed_tunnel(client)
    created = client.create_share(share_request(tunnel.id))
    assert created.status == Status.NEW and created.ipsec_tunnel_id == tunnel.id
    assert wait_share(client, created.id).status == Status.DEPLOYED
    assert client.get_share(created.id).env_z_id == "ijcrWb-ZOq"
    assert [s.id for s in client.list_shares()] == [created.id]

    replaced = client.replace_share(created.id, share_request(tunnel.id, name="app-db2", port=9443))
    assert replaced.name == "app-db2" and replaced.ingress_port == 9443
    assert wait_share(client, created.id).status == Status.DEPLOYED

    patched = client.update_share(created.id, SharePatch(target="10.20.100.2:8443"))
    assert patched.target == "10.20.100.2:8443" and patched.name == "app-db2"
    wait_share(client, created.id)

    assert client.get_share_metrics(created.id).id == created.id
    assert client.get_share_metrics(created.id, duration="15m").duration == "15m"

    client.delete_share(created.id)
    wait_for(
        lambda: client.get_share(created.id),
        pending={Status.DELETING},
        target={Status.DELETED},
        timeout=30,
        describe=f"IPsec share {created.id}",
        gone_is_target=True,
    )


def test_unknown_object_is_not_found(client: FrontdoorClient) -> None:
    with pytest.raises(NotFound) as caught:
        client.get_tunnel("tnl-missing")
    assert caught.value.http_status == 404 and caught.value.request_id
    assert "GET /frontdoor/v2/" in str(caught.value) and "tnl-missing" in str(caught.value)


def test_unknown_frontdoor_is_forbidden(client: FrontdoorClient) -> None:
    with pytest.raises(Forbidden, match="Frontdoor 00000000-0000-0000-0000-000000000000 not found"):
        list(client.list_tunnels("00000000-0000-0000-0000-000000000000"))


def test_server_side_validation_is_invalid_request(client: FrontdoorClient) -> None:
    tunnel = deployed_tunnel(client)
    client.create_share(share_request(tunnel.id))
    # The API refuses to delete a tunnel that still has shares.
    with pytest.raises(InvalidRequest) as caught:
        client.delete_tunnel(tunnel.id)
    assert caught.value.code == "invalid_request"
    assert str(caught.value).startswith("Frontdoor API rejected DELETE /frontdoor/v2/")


def test_second_tunnel_at_a_location_conflicts(client: FrontdoorClient) -> None:
    client.create_tunnel(tunnel_request(1))
    with pytest.raises((Conflict, InvalidRequest)):
        client.create_tunnel(tunnel_request(2, location_id="loc-1"))


def test_wrong_static_token_is_unauthorized(emulator: EmulatorServer, control: Control) -> None:
    with make_client(emulator, token="not-the-token") as client, pytest.raises(Unauthorized) as caught:
        client.get_tunnel("x")
    assert "FDIPSEC_TOKEN" in str(caught.value)
    assert len(control.requests("GET")) == 1  # a fixed token is not retried
    assert TOKEN not in str(caught.value)
