"""tunnel_config reaches programs as typed objects with the API's integers as ints, though numbers cross
the engine as doubles (here: through the same protobuf Struct, under Pulumi's mocks); the top-level
outside_ip_address and inside_cidr are the configuration document's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pulumi
import pytest
from pulumi.runtime import MockResourceArgs

from fdipsec_pulumi import IpsecTunnel
from fdipsec_pulumi.resources.common import first_endpoint
from fdipsec_pulumi.resources.types import IpsecTunnelConfig, IpsecTunnelEndpoint
from tests import pulumi_mocks

ENDPOINT = {
    "outsideIpAddress": "203.0.113.107",
    "status": "UP",
    "insideCidr": "169.254.239.136/30",
    "phase1LifetimeSeconds": 28800,
    "phase1DHGroupNumbers": [14, 20],
    "rekeyFuzzPercentage": 100,
}
CONFIG = {"state": "available", "tunnels": [ENDPOINT]}


def with_config(args: MockResourceArgs) -> dict[str, Any]:
    return {**pulumi_mocks.frontdoor_outputs(args), "tunnelConfig": CONFIG}


@pytest.fixture
def mocks() -> Iterator[pulumi_mocks.RecordingMocks]:
    mocks = pulumi_mocks.RecordingMocks(with_config)
    pulumi_mocks.install(mocks, project="numbers")
    yield mocks
    pulumi_mocks.uninstall()


@pulumi.runtime.test
def test_tunnel_config_is_typed_with_ints(mocks: pulumi_mocks.RecordingMocks) -> Any:
    tunnel = IpsecTunnel("dc1", name="dc1", peer_public_ip="203.0.113.1", peer_cidr="172.31.0.0/16")

    def check(config: IpsecTunnelConfig) -> None:
        assert isinstance(config, IpsecTunnelConfig)
        [endpoint] = config.tunnels
        assert isinstance(endpoint, IpsecTunnelEndpoint)
        assert endpoint.phase1_lifetime_seconds == 28800 and type(endpoint.phase1_lifetime_seconds) is int
        assert [type(n) for n in endpoint.phase1_dh_group_numbers] == [int, int]
        assert endpoint.outside_ip_address == "203.0.113.107"
        assert config.state == "available"
        # A program written against 0.1.0 indexed the document by the API's keys; it still can.
        with pytest.warns(DeprecationWarning, match="outside_ip_address"):
            assert config["tunnels"][0]["outsideIpAddress"] == "203.0.113.107"

    return tunnel.tunnel_config.apply(check)


@pulumi.runtime.test
def test_endpoint_outputs_are_the_documents(mocks: pulumi_mocks.RecordingMocks) -> Any:
    tunnel = IpsecTunnel("dc1", name="dc1", peer_public_ip="203.0.113.1", peer_cidr="172.31.0.0/16")

    def check(values: list[Any]) -> None:
        assert values == [ENDPOINT["outsideIpAddress"], ENDPOINT["insideCidr"]]

    return pulumi.Output.all(tunnel.outside_ip_address, tunnel.inside_cidr).apply(check)


def test_a_tunnel_without_a_configuration_document_says_so() -> None:
    with pytest.raises(ValueError, match="dc1 has no configuration document yet: it is not DEPLOYED"):
        first_endpoint(None, "dc1")
    with pytest.raises(ValueError, match="not DEPLOYED"):
        first_endpoint(IpsecTunnelConfig(state="pending", tunnels=[]), "dc1")
