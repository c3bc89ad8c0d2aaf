"""What the emulator stores about a tunnel or a share, and how that looks on the wire.

A record keeps its wire fields in camelCase so that filtering, sorting, drift and persistence all work
on the same keys the API documents, with no translation table to keep in step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fdipsec_pulumi.client.models import Status
from fdipsec_pulumi.fields import SHARE, TUNNEL


class Kind(StrEnum):
    TUNNEL = "tunnels"
    SHARE = "shares"

    @property
    def noun(self) -> str:
        return "IPsec tunnel" if self is Kind.TUNNEL else "IPsec share"


_TABLES = {Kind.TUNNEL: TUNNEL, Kind.SHARE: SHARE}
# Wire fields besides the envelope (id, frontdoorId, status and statusMessage), from the field tables.
FIELDS: dict[Kind, tuple[str, ...]] = {kind: table.record_fields for kind, table in _TABLES.items()}
PROPERTIES: dict[Kind, tuple[str, ...]] = {
    kind: ("id", "frontdoorId", *fields, "status", "statusMessage") for kind, fields in FIELDS.items()
}
# The seed: "nlbDnsName and vpnConnectionId stay empty until the tunnel reaches DEPLOYED".
_SHOWN_WHEN_DEPLOYED = TUNNEL.deployed_only | SHARE.deployed_only


@dataclass
class Record:
    kind: Kind
    id: str
    frontdoor_id: str
    status: Status
    since: float
    seq: int
    fields: dict[str, Any]
    status_message: str | None = None
    planned_failure: str | None = None
    # The tunnel's pre-shared key. Kept out of repr so no log line or traceback can carry it.
    secret: str | None = field(default=None, repr=False)

    def wire(self) -> dict[str, Any]:
        deployed = self.status == Status.DEPLOYED
        doc: dict[str, Any] = {"id": self.id, "frontdoorId": self.frontdoor_id}
        for name in FIELDS[self.kind]:
            value = self.fields.get(name)
            if value is not None and (deployed or name not in _SHOWN_WHEN_DEPLOYED):
                doc[name] = value
        doc["status"] = self.status.value
        if self.status_message is not None:
            doc["statusMessage"] = self.status_message
        return doc

    def to_row(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "id": self.id,
            "frontdoor_id": self.frontdoor_id,
            "status": self.status.value,
            "since": self.since,
            "seq": self.seq,
            "fields": self.fields,
            "status_message": self.status_message,
            "planned_failure": self.planned_failure,
            "secret": self.secret,
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Record:
        return cls(**{**row, "kind": Kind(row["kind"]), "status": Status(row["status"])})
