"""The frozen contract, guarded by literals from a state that release 0.1.0 wrote (golden/state-0.1.0.json).

Every deployed stack holds these values. A test here fails when a change would break such a stack: a
provider class moved or renamed (its recorded ``__provider`` no longer unpickles), a type token or a
hidden-input name changed (every URN or every diff churns), or a recorded resource that no longer
refreshes or diffs cleanly.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import dill
import pytest
from pulumi.dynamic.dynamic import serialize_provider

from fdipsec_pulumi import contract
from fdipsec_pulumi.providers.share import ShareProvider
from fdipsec_pulumi.providers.tunnel import TunnelProvider
from fdipsec_pulumi.resources import share as share_resource
from fdipsec_pulumi.resources import tunnel as tunnel_resource

from .conftest import Control, engine_props

GOLDEN = json.loads((Path(__file__).parent / "golden" / "state-0.1.0.json").read_text())
RECORDED = {resource["type"]: resource for resource in GOLDEN["resources"]}
TUNNEL_TOKEN = "pulumi-python:dynamic/fdipsec:IpsecTunnel"
SHARE_TOKEN = "pulumi-python:dynamic/fdipsec:IpsecShare"
# The pickles 0.1.0 wrote, as literals: module path and class name, by reference.
TUNNEL_PICKLE = "gASVOQAAAAAAAACMH2ZkaXBzZWNfcHVsdW1pLnByb3ZpZGVycy50dW5uZWyUjA5UdW5uZWxQcm92aWRlcpSTlCmBlC4="
SHARE_PICKLE = "gASVNwAAAAAAAACMHmZkaXBzZWNfcHVsdW1pLnByb3ZpZGVycy5zaGFyZZSMDVNoYXJlUHJvdmlkZXKUk5QpgZQu"
OWNER = "organization/fdipsec-golden/test/{token}::{name}"


def test_type_tokens_and_hidden_input_names_are_frozen() -> None:
    assert (contract.TUNNEL_TYPE, contract.SHARE_TYPE) == (TUNNEL_TOKEN, SHARE_TOKEN)
    assert set(RECORDED) == {TUNNEL_TOKEN, SHARE_TOKEN}
    assert contract.HIDDEN_INPUTS == (
        "__provider",
        "__timeouts",
        "__replaceOnChanges",
        "__importId",
        "__owner",
    )
    assert (contract.TIMEOUTS_KEY, contract.IMPORT_KEY) == ("__timeouts", "__importId")
    assert (contract.REPLACE_ON_CHANGES_KEY, contract.OWNER_KEY) == ("__replaceOnChanges", "__owner")
    # The resource classes register under those tokens (the SDK builds them from module and name).
    assert f"pulumi-python:{tunnel_resource.IpsecTunnel._resource_type_name}" == TUNNEL_TOKEN
    assert f"pulumi-python:{share_resource.IpsecShare._resource_type_name}" == SHARE_TOKEN


@pytest.mark.parametrize(
    ("token", "pickled", "cls"),
    [(TUNNEL_TOKEN, TUNNEL_PICKLE, TunnelProvider), (SHARE_TOKEN, SHARE_PICKLE, ShareProvider)],
)
def test_recorded_provider_still_unpickles_and_is_written_the_same(
    token: str, pickled: str, cls: type
) -> None:
    assert RECORDED[token]["inputs"]["__provider"] == pickled
    restored = dill.loads(base64.b64decode(pickled))  # noqa: S301 - a literal written by our own release
    assert type(restored) is cls
    assert (cls.__module__, cls.__qualname__) == {
        TunnelProvider: ("fdipsec_pulumi.providers.tunnel", "TunnelProvider"),
        ShareProvider: ("fdipsec_pulumi.providers.share", "ShareProvider"),
    }[cls]
    # Today's program writes the very same bytes, so no recorded `__provider` ever shows as a change.
    assert serialize_provider(cls()) == pickled


def program_inputs(resource: Any, values: dict[str, Any], token: str, name: str) -> dict[str, Any]:
    """What today's resource class sends for the declaration 0.1.0 recorded, as the engine passes it."""
    props = resource.NAMES.props(values, resource.OUTPUTS, None, None, OWNER.format(token=token, name=name))
    props[contract.PROVIDER_KEY] = RECORDED[token]["inputs"]["__provider"]
    return engine_props(props)


def test_recorded_tunnel_refreshes_and_diffs_cleanly(tunnels: TunnelProvider, control: Control) -> None:
    recorded = RECORDED[TUNNEL_TOKEN]
    live = tunnels.create(tunnels.check({}, dict(recorded["inputs"])).inputs)
    assert (live.outs["locationId"], live.outs["nlbPrivateIp"]) == (
        recorded["outputs"]["locationId"],
        recorded["outputs"]["nlbPrivateIp"],
    )

    refreshed = tunnels.read(live.id, dict(recorded["outputs"]))
    assert refreshed.id == live.id
    assert refreshed.inputs is None  # a refresh keeps the recorded inputs
    assert set(refreshed.outs) == set(recorded["outputs"]) - {"__provider"}
    for key in ("name", "peerPublicIp", "peerCidr", "frontdoorId", "locationId", "nlbPrivateIp", "status"):
        assert refreshed.outs[key] == recorded["outputs"][key], key

    values = {"name": "golden-dc", "peer_public_ip": "203.0.113.10", "peer_cidr": "172.31.0.0/16"}
    news = program_inputs(tunnel_resource, values, TUNNEL_TOKEN, "tunnel")
    checked = tunnels.check(recorded["inputs"], news)
    assert checked.failures == []
    # Diff gets the recorded outputs as olds (DiffRequest.olds), Check the recorded inputs.
    assert tunnels.diff(live.id, recorded["outputs"], checked.inputs).changes is False


def test_recorded_share_refreshes_and_diffs_cleanly(
    tunnels: TunnelProvider, shares: ShareProvider, control: Control
) -> None:
    tunnel = tunnels.create(tunnels.check({}, dict(RECORDED[TUNNEL_TOKEN]["inputs"])).inputs)
    recorded = RECORDED[SHARE_TOKEN]
    # The recorded share names the recorded tunnel's id; this emulator's tunnel has another one.
    inputs = {**recorded["inputs"], "ipsecTunnelId": tunnel.id}
    outputs = {**recorded["outputs"], "ipsecTunnelId": tunnel.id}
    live = shares.create(shares.check({}, inputs).inputs)

    refreshed = shares.read(live.id, outputs)
    assert refreshed.inputs is None
    # The engine drops None-valued outputs (a share's omitted locationId), as it did when 0.1.0 wrote them.
    recorded_outputs = {key: value for key, value in outputs.items() if key != "__provider"}
    assert engine_props(refreshed.outs) == recorded_outputs

    values = {
        "name": "golden-db",
        "ipsec_tunnel_id": tunnel.id,
        "env_z_id": "ijcrWb-ZOq",
        "target": "10.20.100.1:8443",
        "ingress_port": 8443.0,  # numbers cross the engine as doubles
    }
    news = program_inputs(share_resource, values, SHARE_TOKEN, "golden-db")
    checked = shares.check(inputs, news)
    assert checked.failures == []
    assert shares.diff(live.id, outputs, checked.inputs).changes is False
