"""How ``diff`` is answered: DIFF_UNKNOWN (so the engine names the changes) only when the engine's own
input diff will see every change; ``changes=True`` otherwise, so that nothing is silently dropped."""

from __future__ import annotations

from typing import Any

from google.protobuf import struct_pb2
from pulumi.dynamic import DiffResult
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2

from fdipsec_pulumi.providers import diffing
from fdipsec_pulumi.providers.inputs import UNKNOWN

from .conftest import FD, share_props, tunnel_props
from .test_diff import OTHER_FD, SHARES, TUNNELS, share_state, tunnel_state


def struct(props: dict[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(props)
    return message


def host_diff(provider: Any, olds: dict[str, Any], news: dict[str, Any], old_inputs: Any) -> DiffResult:
    """What the dynamic host's ``Diff(self, request, context)`` does: decode the request, call diff.

    This frame holds the gRPC ``DiffRequest`` under the host's name for it, so the provider's diff logic
    runs fast; that served.py finds it in the real host is checked in test_sdk_shapes.py.
    """
    request = provider_pb2.DiffRequest(id="x", olds=struct(olds), news=struct(news))
    if old_inputs is not None:
        request.old_inputs.CopyFrom(struct(old_inputs))
    return provider.diff(
        request.id,
        rpc.deserialize_properties(request.olds, True),
        rpc.deserialize_properties(request.news, True),
    )


def inputs(props: dict[str, Any]) -> dict[str, Any]:
    """Inputs as the engine records them: nulls are not sent."""
    return {key: value for key, value in props.items() if value is not None}


def test_a_changed_input_is_left_to_the_engine_to_name() -> None:
    news = share_props("tnl-1", target="10.20.100.9:8443")
    result = host_diff(SHARES, share_state(), news, inputs(share_props("tnl-1")))
    assert result.changes is None  # DIFF_UNKNOWN: the engine diffs the inputs and names `target`
    assert not result.replaces
    assert not result.delete_before_replace


def test_a_replacement_keeps_its_reasons_and_delete_first() -> None:
    news = tunnel_props(peerCidr="172.30.0.0/16")
    result = host_diff(TUNNELS, tunnel_state(), news, inputs(tunnel_props()))
    assert result.changes is None
    assert result.replaces == ["peerCidr"]
    assert result.delete_before_replace is True


def test_a_share_on_a_replaced_tunnel_is_left_to_the_engine() -> None:
    news = share_props(UNKNOWN)
    result = host_diff(SHARES, share_state(), news, inputs(share_props("tnl-1")))
    assert result.changes is None
    assert result.replaces == ["ipsecTunnelId"]


def test_hidden_inputs_alone_change_nothing() -> None:
    olds = inputs(tunnel_props(__provider="pickle", __timeouts={"create": 60.0}))
    news = tunnel_props(__provider="other", __timeouts={"create": 3600.0}, __replaceOnChanges=["*"])
    news["__anythingElse"] = "x"
    assert host_diff(TUNNELS, tunnel_state(), news, olds).changes is False
    assert diffing.answer(["__timeouts", "__provider"], news, olds).changes is False


def test_omitted_server_filled_inputs_and_stack_frontdoor_cause_no_diff() -> None:
    # Recorded inputs omit locationId, nlbPrivateIp and frontdoorId; the outputs hold the server's values.
    news = tunnel_props()
    assert host_diff(TUNNELS, tunnel_state(), news, inputs(tunnel_props())).changes is False
    given = tunnel_props(locationId="us-east-1", nlbPrivateIp="10.1.0.10", frontdoorId=FD)
    assert host_diff(TUNNELS, tunnel_state(), given, inputs(tunnel_props())).changes is False


def test_drift_found_by_refresh_is_repaired_though_the_engine_cannot_name_it() -> None:
    # After a refresh the outputs hold the API's drifted target; the inputs still hold the program's.
    news = share_props("tnl-1")
    result = host_diff(SHARES, share_state(target="10.99.0.1:443"), news, inputs(news))
    assert result.changes is True  # not DIFF_UNKNOWN: the engine's input diff would find nothing


def test_a_moved_stack_frontdoor_replaces_though_the_inputs_are_the_same() -> None:
    news = share_props("tnl-1")
    result = host_diff(SHARES, share_state(frontdoorId=OTHER_FD), news, inputs(news))
    assert result.changes is True
    assert result.replaces == ["frontdoorId"]


def test_a_change_the_engine_sees_only_in_part_is_not_left_to_it() -> None:
    news = share_props("tnl-1", name="app-renamed")
    old_inputs = inputs(share_props("tnl-1"))
    result = host_diff(SHARES, share_state(target="10.99.0.1:443"), news, old_inputs)
    assert result.changes is True


def test_without_old_inputs_the_answer_stays_the_safe_one() -> None:
    result = SHARES.diff("shr-1", share_state(), share_props("tnl-1", target="10.20.100.9:8443"))
    assert result.changes is True


def test_numbers_compare_as_numbers() -> None:
    assert not diffing.engine_sees("ingressPort", {"ingressPort": 8443.0}, {"ingressPort": 8443})
    assert diffing.engine_sees("ingressPort", {"ingressPort": 8443.0}, {"ingressPort": 9443})
    assert diffing.engine_sees("ipsecTunnelId", {"ipsecTunnelId": "tnl-1"}, {"ipsecTunnelId": UNKNOWN})
    assert not diffing.engine_sees("locationId", {}, {"locationId": None})
    assert diffing.engine_sees("frontdoorId", {}, {"frontdoorId": FD})
