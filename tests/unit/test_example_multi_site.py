"""examples/multi-site under Pulumi's mocks: one tunnel per site, its shares on it, and a sites list
with clashes refused before anything is created. (tests/e2e/test_examples.py deploys it for real.)"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from tests import pulumi_mocks
from tests.pulumi_mocks import SHARE_TYPE, TUNNEL_TYPE, RecordingMocks

from .examples import EXAMPLES, load

PROJECT = "fdipsec-multi-site"
sites = load("multi-site", "sites")

SITES = [
    {
        "name": "hq",
        "peerPublicIp": "203.0.113.1",
        "peerCidr": "10.1.0.0/16",
        "locationId": "us-east-1",
        "shares": [
            {"name": "db", "target": "10.1.0.5:5432", "ingressPort": 5432},
            {"name": "web", "target": "10.1.0.6:443", "ingressPort": 443, "envZId": "env-web"},
        ],
    },
    {
        "name": "branch",
        "peerPublicIp": "203.0.113.2",
        "peerCidr": "10.2.0.0/16",
        "locationId": "eu-west-1",
        "envZId": "env-branch",
        "shares": [{"name": "db", "target": "10.2.0.5:5432", "ingressPort": 5432.0}],
    },
    {"name": "lab", "peerPublicIp": "203.0.113.3", "peerCidr": "10.3.0.0/16", "locationId": "ap-southeast-1"},
]


@pytest.fixture
def mocks() -> Iterator[RecordingMocks]:
    mocks = RecordingMocks(pulumi_mocks.frontdoor_outputs)
    pulumi_mocks.install(mocks, project=PROJECT)
    with pulumi_mocks.stack_config({f"{PROJECT}:sites": json.dumps(SITES)}):
        yield mocks
    pulumi_mocks.uninstall()


@pulumi.runtime.test
def test_one_tunnel_per_site_and_its_shares(mocks: RecordingMocks) -> Any:
    built = sites.build(pulumi.Config())
    assert list(built) == ["hq", "branch", "lab"]

    def check(_: Any) -> None:
        tunnels = {t.name: t.inputs for t in mocks.of_type(TUNNEL_TYPE)}
        assert set(tunnels) == {"hq", "branch", "lab"}
        assert {n: t["locationId"] for n, t in tunnels.items()} == {
            "hq": "us-east-1",
            "branch": "eu-west-1",
            "lab": "ap-southeast-1",
        }
        assert tunnels["branch"]["peerCidr"] == "10.2.0.0/16"
        assert tunnels["branch"]["peerPublicIp"] == "203.0.113.2"

        shares = {s.name: s.inputs for s in mocks.of_type(SHARE_TYPE)}
        assert set(shares) == {"hq-db", "hq-web", "branch-db"}
        assert shares["hq-db"]["ipsecTunnelId"] == shares["hq-web"]["ipsecTunnelId"] == "hq-id"
        assert shares["branch-db"]["ipsecTunnelId"] == "branch-id"
        assert shares["hq-db"]["name"] == shares["branch-db"]["name"] == "db"
        # envZId: the share's own, else the site's, else the default.
        assert (shares["hq-web"]["envZId"], shares["branch-db"]["envZId"], shares["hq-db"]["envZId"]) == (
            "env-web",
            "env-branch",
            sites.DEFAULT_ENV_Z_ID,
        )

    ids = [s.tunnel.id for s in built.values()] + [sh.id for s in built.values() for sh in s.shares.values()]
    return pulumi.Output.all(*ids).apply(check)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s[1].update(locationId="us-east-1"), "locationId 'us-east-1' appears 2 times"),
        (lambda s: s[2].update(name="hq"), "site name 'hq' appears 2 times"),
        (lambda s: s[0]["shares"][1].update(ingressPort=5432), "ingress port 5432 appears 2 times"),
        (lambda s: s[0]["shares"][1].update(name="db"), "share name 'db' appears 2 times"),
        (lambda s: s[2].pop("peerCidr"), "sites[2] is missing peerCidr"),
    ],
)
def test_clashes_are_refused_before_anything_is_created(change: Any, message: str) -> None:
    raw = json.loads(json.dumps(SITES))
    change(raw)
    with pytest.raises(ValueError, match="invalid 'sites' config") as raised:
        sites.parse_sites(raw)
    assert message in str(raised.value)


@pytest.mark.parametrize("raw", [None, [], {"name": "hq"}])
def test_sites_must_be_a_list(raw: Any) -> None:
    with pytest.raises(ValueError, match="non-empty list"):
        sites.parse_sites(raw)


def test_default_sites_in_the_project_file_are_valid() -> None:
    import yaml

    project = yaml.safe_load((EXAMPLES / "multi-site" / "Pulumi.yaml").read_text())
    parsed = sites.parse_sites(project["config"]["sites"]["value"])
    assert len({site.location_id for site in parsed}) == len(parsed) == 2
