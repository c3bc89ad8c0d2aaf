"""The input rules the wire models enforce for the providers' check and the emulator alike.

A rule here fails a preview (check) and is the emulator's 400, so each one is pinned on both sides of
its boundary.
"""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from fdipsec_pulumi.client.models import TunnelCreate

TUNNEL = {"name": "dc1", "peer_public_ip": "203.0.113.1", "peer_cidr": "172.31.0.0/16"}


def refusal(**changes: object) -> str:
    with pytest.raises(ValidationError) as caught:
        TunnelCreate.model_validate({**TUNNEL, **changes})
    return str(caught.value)


@pytest.mark.parametrize("address", ["192.0.2.10", "198.51.100.1", "203.0.113.5"])
def test_a_documentation_address_is_no_private_nlb_address(address: str) -> None:
    """The documentation blocks count as public peers here, so they cannot be private NLB addresses: the
    check once compared the address with the tuple of networks (always false) and let them through."""
    assert "is not a private IPv4 address" in refusal(nlb_private_ip=address)


def test_a_private_nlb_address_is_accepted() -> None:
    assert (
        TunnelCreate.model_validate({**TUNNEL, "nlb_private_ip": "10.1.0.20"}).nlb_private_ip == "10.1.0.20"
    )


@pytest.mark.parametrize("cidr", ["0.0.0.0/0", "10.0.0.0/7", "128.0.0.0/1"])
def test_a_peer_cidr_wider_than_a_slash_8_is_refused(cidr: str) -> None:
    assert "is wider than /8" in refusal(peer_cidr=cidr)


def test_a_slash_8_peer_cidr_is_accepted() -> None:
    assert TunnelCreate.model_validate({**TUNNEL, "peer_cidr": "10.0.0.0/8"}).peer_cidr == "10.0.0.0/8"


@pytest.mark.parametrize("name", ["dc1\ndc2", "dc\t1", "dc\x001"])
def test_a_tunnel_name_with_control_characters_is_refused(name: str) -> None:
    assert "holds control characters" in refusal(name=name)


def test_a_non_ascii_tunnel_name_is_accepted() -> None:
    """A tunnel name is free text for people (unlike a share name, a DNS-like label)."""
    assert TunnelCreate.model_validate({**TUNNEL, "name": "Zürich DC 1"}).name == "Zürich DC 1"
