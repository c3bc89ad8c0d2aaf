"""The field tables' own camelCase to snake_case agrees with pydantic's, which the wire models use."""

from __future__ import annotations

import pytest
from pydantic.alias_generators import to_snake

from fdipsec_pulumi.fields import SHARE, TUNNEL
from fdipsec_pulumi.fields.table import snake_case

WIRE_NAMES = sorted({row.wire for table in (TUNNEL, SHARE) for row in table.fields})


@pytest.mark.parametrize("wire", WIRE_NAMES)
def test_every_wire_name_of_the_tables(wire: str) -> None:
    assert snake_case(wire) == to_snake(wire)


@pytest.mark.parametrize(
    "wire, snake",
    [
        ("peerPublicIp", "peer_public_ip"),
        ("envZId", "env_z_id"),
        ("phase1DHGroupNumbers", "phase_1_dh_group_numbers"),
    ],
)
def test_acronyms_and_digits(wire: str, snake: str) -> None:
    assert snake_case(wire) == snake
