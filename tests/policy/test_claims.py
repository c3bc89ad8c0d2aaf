"""ipsec-claim-conflict: what the API gives out once per Frontdoor or per tunnel, asked for twice."""

from __future__ import annotations

from tests.policy.engine import UNKNOWN, run_stack, share, tunnel

POLICY = "ipsec-claim-conflict"


def test_two_tunnels_at_one_location_of_one_frontdoor() -> None:
    records = [
        tunnel("a", "10.1.0.0/16", locationId="us-east-1", frontdoorId="fd-1"),
        tunnel("b", "10.2.0.0/16", locationId="us-east-1", frontdoorId="fd-1"),
        tunnel("c", "10.3.0.0/16", locationId="us-east-1", frontdoorId="fd-2"),
    ]

    (message,) = run_stack(POLICY, records).messages

    assert message == (
        "IpsecTunnel 'a' (name 'a-api') and IpsecTunnel 'b' (name 'b-api') both ask for locationId us-east-1 "
        "in Frontdoor fd-1, and only one tunnel is allowed per Frontdoor and location: the API will refuse "
        "the second. Give one of them another locationId, or leave it out so the API chooses."
    )


def test_two_tunnels_pinning_one_load_balancer_address() -> None:
    records = [tunnel("a", nlbPrivateIp="10.1.0.20"), tunnel("b", "10.9.0.0/16", nlbPrivateIp="10.1.0.20")]

    (message,) = run_stack(POLICY, records).messages

    assert "both ask for nlbPrivateIp 10.1.0.20" in message


def test_two_shares_on_one_ingress_port_of_a_tunnel_still_to_be_made() -> None:
    """At preview the new tunnel's id is unknown; the engine says which resource it comes from."""
    made = tunnel("dc1")
    first = share(
        "orders-db", ipsecTunnelId=UNKNOWN, ingressPort=5432, computed_from={"ipsecTunnelId": [made]}
    )
    second = share(
        "orders-api", ipsecTunnelId=UNKNOWN, ingressPort="5432", computed_from={"ipsecTunnelId": [made]}
    )

    outcome = run_stack(POLICY, [made, first, second])

    (message,) = outcome.messages
    assert message.startswith(
        "IpsecShare 'orders-api' and IpsecShare 'orders-db' both listen on ingressPort 5432 of IpsecTunnel "
        "'dc1' (name 'dc1-api')"
    )
    assert outcome.deferred is None


def test_shares_on_a_tunnel_named_by_id() -> None:
    records = [
        share("a", ipsecTunnelId="tnl-1"),
        share("b", ipsecTunnelId="tnl-1"),
        share("c", ipsecTunnelId="tnl-2"),
    ]

    (message,) = run_stack(POLICY, records).messages

    assert "both listen on ingressPort 443 of IPsec tunnel tnl-1" in message


def test_distinct_claims_pass() -> None:
    records = [
        tunnel("a", locationId="us-east-1"),
        tunnel("b", "10.9.0.0/16", locationId="us-west-2"),
        share("x", ipsecTunnelId="tnl-1", ingressPort=443),
        share("y", ipsecTunnelId="tnl-1", ingressPort=8443),
    ]

    outcome = run_stack(POLICY, records)

    assert outcome.violations == []
    assert outcome.deferred is None


def test_an_unknown_location_is_named() -> None:
    outcome = run_stack(POLICY, [tunnel("a", locationId="us-east-1"), tunnel("b", locationId=UNKNOWN)])

    assert outcome.violations == []
    assert outcome.deferred == "string value at .b.locationId can't be known during preview"
