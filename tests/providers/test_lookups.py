"""get_ipsec_tunnel / get_ipsec_share and their _output forms, against the emulator.

They run in the program process and read ``fdipsec:*`` config (then ``FDIPSEC_*`` variables) themselves,
so these tests set one or the other and never configure a provider.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pulumi
import pytest

from fdipsec_pulumi import (
    GetIpsecShareResult,
    GetIpsecTunnelResult,
    get_ipsec_share,
    get_ipsec_share_output,
    get_ipsec_tunnel,
    get_ipsec_tunnel_output,
)
from fdipsec_pulumi.client.errors import NotFound
from fdipsec_pulumi.emulator import EmulatorServer
from tests import pulumi_mocks

from .conftest import FD, TOKEN, Control


def test_get_tunnel_from_environment(env: None, deployed: dict[str, Any], control: Control) -> None:
    created = deployed["tunnel"]

    result = get_ipsec_tunnel(created.id)

    assert isinstance(result, GetIpsecTunnelResult)
    assert result.id == created.id
    assert (result.name, result.location_id, result.status) == ("site-1", "eu-west-1", "DEPLOYED")
    assert (result.peer_public_ip, result.peer_cidr) == ("203.0.113.1", "172.17.0.0/16")
    assert result.frontdoor_id == FD
    assert result.nlb_dns_name == created.outs["nlbDnsName"]
    assert result.nlb_private_ip == created.outs["nlbPrivateIp"]
    assert result.tunnel_config is not None and result.tunnel_config["tunnels"]


def test_tunnel_result_never_holds_the_sample_config(env: None, deployed: dict[str, Any]) -> None:
    created = deployed["tunnel"]
    result = get_ipsec_tunnel(created.id)
    names = {f.name for f in dataclasses.fields(result)}
    assert not {n for n in names if "sample" in n or "psk" in n or "key" in n}
    assert created.outs["sampleConfig"] not in repr(result)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.name = "changed"  # type: ignore[misc]
    assert hash(result) == hash(get_ipsec_tunnel(created.id))


def test_get_share(env: None, deployed: dict[str, Any]) -> None:
    created = deployed["share"]

    result = get_ipsec_share(created.id)

    assert result == GetIpsecShareResult(
        id=created.id,
        name="app-8443",
        frontdoor_id=FD,
        ipsec_tunnel_id=deployed["tunnel"].id,
        env_z_id="ijcrWb-ZOq",
        target="10.20.100.1:8443",
        ingress_port=8443,
        location_id=None,
        status="DEPLOYED",
        status_message=None,
    )


def test_missing_objects_raise_not_found(env: None, control: Control) -> None:
    with pytest.raises(NotFound):
        get_ipsec_tunnel("tnl-does-not-exist")
    with pytest.raises(NotFound):
        get_ipsec_share("shr-does-not-exist")


def test_stack_config_beats_the_environment(
    server: EmulatorServer, deployed: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FDIPSEC_API_URL", "http://127.0.0.1:9/nothing-listens-here")
    monkeypatch.setenv("FDIPSEC_TOKEN", "wrong-token")
    monkeypatch.delenv("FDIPSEC_FRONTDOOR_ID", raising=False)
    config = {"fdipsec:apiUrl": server.url, "fdipsec:token": TOKEN}

    with pulumi_mocks.stack_config(config):
        # No Frontdoor id anywhere but the argument.
        result = get_ipsec_tunnel(deployed["tunnel"].id, frontdoor_id=FD)

    assert result.id == deployed["tunnel"].id


@pulumi.runtime.test
def test_output_forms_resolve_and_keep_secrets(mocked: None, env: None, deployed: dict[str, Any]) -> Any:
    tunnel_id, share_id = deployed["tunnel"].id, deployed["share"].id
    tunnel = get_ipsec_tunnel_output(pulumi.Output.from_input(tunnel_id))
    share = get_ipsec_share_output(pulumi.Output.secret(share_id), frontdoor_id=FD)

    def check(args: list[Any]) -> None:
        tunnel_result, share_result, share_secret = args
        assert tunnel_result.id == tunnel_id and tunnel_result.status == "DEPLOYED"
        assert share_result.id == share_id and share_result.ipsec_tunnel_id == tunnel_id
        assert share_secret is True

    return pulumi.Output.all(tunnel, share, pulumi.Output.from_input(share.is_secret())).apply(check)
