"""tunnel_config reaches programs with the API's integers as ints, though numbers cross the engine as
doubles (here: through the same protobuf Struct, under Pulumi's mocks)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pulumi
import pytest
from pulumi.runtime import MockResourceArgs

from fdipsec_pulumi import IpsecTunnel
from fdipsec_pulumi.resources.common import integral
from tests import pulumi_mocks

CONFIG = {
    "state": "available",
    "tunnels": [
        {
            "outsideIpAddress": "203.0.113.107",
            "phase1LifetimeSeconds": 28800,
            "phase1DHGroupNumbers": [14, 20],
            "rekeyFuzzPercentage": 100,
        }
    ],
}


def with_config(args: MockResourceArgs) -> dict[str, Any]:
    return {**pulumi_mocks.frontdoor_outputs(args), "tunnelConfig": CONFIG}


@pytest.fixture
def mocks() -> Iterator[pulumi_mocks.RecordingMocks]:
    mocks = pulumi_mocks.RecordingMocks(with_config)
    pulumi_mocks.install(mocks, project="numbers")
    yield mocks
    pulumi_mocks.uninstall()


@pulumi.runtime.test
def test_tunnel_config_integers_reach_the_program_as_ints(mocks: pulumi_mocks.RecordingMocks) -> Any:
    tunnel = IpsecTunnel("dc1", name="dc1", peer_public_ip="203.0.113.1", peer_cidr="172.31.0.0/16")

    def check(config: dict[str, Any]) -> None:
        [endpoint] = config["tunnels"]
        assert endpoint["phase1LifetimeSeconds"] == 28800 and type(endpoint["phase1LifetimeSeconds"]) is int
        assert [type(n) for n in endpoint["phase1DHGroupNumbers"]] == [int, int]
        assert endpoint["outsideIpAddress"] == "203.0.113.107"
        assert config == CONFIG

    return tunnel.tunnel_config.apply(check)


def test_integral_keeps_fractions_and_everything_else() -> None:
    assert integral({"a": [1.0, 2.5, "3.0", True, None], "b": {"c": 7.0}}) == {
        "a": [1, 2.5, "3.0", True, None],
        "b": {"c": 7},
    }
    assert type(integral(1.0)) is int and type(integral(1.5)) is float
