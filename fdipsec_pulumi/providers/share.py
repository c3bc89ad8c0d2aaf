"""The IpsecShare dynamic provider.

Shares update in place (PATCH of the changed fields, then wait for DEPLOYED again, as the API
re-provisions them under the same id); only a move to another Frontdoor or tunnel replaces one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, UpdateResult

from fdipsec_pulumi.client import FrontdoorClient
from fdipsec_pulumi.client.errors import InvalidRequest, NotFound
from fdipsec_pulumi.client.models import Share, ShareCreate, SharePatch, Status
from fdipsec_pulumi.providers import diffing
from fdipsec_pulumi.providers.base import (
    IMPORT_KEY,
    FrontdoorProvider,
    carried_inputs,
    changed_keys,
    forced_replacements,
    normalized,
    read_inputs,
)

INPUTS = ("name", "ipsecTunnelId", "envZId", "target", "ingressPort", "locationId", "frontdoorId")
IN_PLACE = ("name", "envZId", "target", "ingressPort", "locationId")
REPLACING = ("frontdoorId", "ipsecTunnelId")
SERVER_FILLED = ("locationId", "frontdoorId")


class ShareProvider(FrontdoorProvider):
    kind: ClassVar[str] = "IpsecShare"
    noun: ClassVar[str] = "share"
    default_timeouts: ClassVar[Mapping[str, float]] = {
        "create": 10 * 60,
        "update": 10 * 60,
        "delete": 10 * 60,
    }

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return self.validate(ShareCreate, news, [key for key in INPUTS if key != "frontdoorId"])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        given = news
        news = {**normalized(news), "frontdoorId": self.effective_frontdoor(news)}
        changed = changed_keys(olds, news, INPUTS, SERVER_FILLED)
        forced = forced_replacements(news, changed)
        replaces = [key for key in changed if key in REPLACING or key in forced]
        # Ingress ports are unique per tunnel, so a replacement keeping its port must delete first.
        return diffing.answer(
            changed,
            given,
            diffing.engine_old_inputs(),
            replaces=replaces,
            delete_before_replace=bool(replaces),
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        props = normalized(props)
        client = self.client()
        frontdoor_id = self.frontdoor_id(props)
        body = ShareCreate.model_validate({k: props[k] for k in INPUTS[:-1] if props.get(k) is not None})
        share = self.adopt_or_post(
            body.name,
            lambda: self._adoptable(client, body, frontdoor_id, props.get(IMPORT_KEY)),
            lambda: client.create_share(body, frontdoor_id=frontdoor_id),
        )
        share = self.wait_deployed(
            share.name,
            share.id,
            lambda: client.get_share(share.id, frontdoor_id=frontdoor_id),
            self.timeout(props, "create"),
            remove=lambda: client.delete_share(share.id, frontdoor_id=frontdoor_id),
        )
        return CreateResult(share.id, _outputs(share, props))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        news = normalized(news)
        client = self.client()
        frontdoor_id = self.frontdoor_id(news)
        changed = changed_keys(olds, news, IN_PLACE, SERVER_FILLED)
        patch = SharePatch.model_validate({key: news[key] for key in changed})
        share = client.update_share(id_, patch, frontdoor_id=frontdoor_id)
        # A failed update leaves the share in ERROR under its id; it stays for the user to inspect.
        share = self.wait_deployed(
            share.name,
            share.id,
            lambda: client.get_share(id_, frontdoor_id=frontdoor_id),
            self.timeout(news, "update"),
        )
        return UpdateResult(_outputs(share, news))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        client = self.client()
        try:
            share = client.get_share(id_, frontdoor_id=self.frontdoor_id(props))
        except NotFound:
            return ReadResult("", {})
        if share.status == Status.DELETED:
            return ReadResult("", {})
        outs = _outputs(share, props)
        return ReadResult(share.id, outs, read_inputs(outs, props, INPUTS, SERVER_FILLED))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        client = self.client()
        frontdoor_id = self.frontdoor_id(props)
        self.delete_and_wait(
            str(props.get("name", id_)),
            id_,
            lambda: client.delete_share(id_, frontdoor_id=frontdoor_id),
            lambda: client.get_share(id_, frontdoor_id=frontdoor_id),
            self.timeout(props, "delete"),
        )

    # --- helpers --------------------------------------------------------------------------------

    def _adoptable(
        self, client: FrontdoorClient, body: ShareCreate, frontdoor_id: str, import_id: str | None = None
    ) -> Share | None:
        """The share to adopt instead of POSTing: the one ``import_`` names, or a live share an
        interrupted create left behind with the same tunnel, name and target.

        A share with the same name but another target is somebody else's: report the conflict rather
        than take it over.
        """
        if import_id is not None:
            found = client.get_share(import_id, frontdoor_id=frontdoor_id)
        else:
            candidate = client.find_share(
                name=body.name, ipsec_tunnel_id=body.ipsec_tunnel_id, frontdoor_id=frontdoor_id
            )
            if candidate is None or candidate.status in (Status.DELETING, Status.DELETED, Status.ERROR):
                return None
            found = candidate
        wanted, actual = body.to_wire(), found.to_wire()
        mismatched = [
            key
            for key in ("name", "ipsecTunnelId", "target", "ingressPort", "envZId")
            if wanted.get(key) != actual.get(key)
        ]
        if mismatched:
            differences = ", ".join(f"{k}={actual.get(k)!r}" for k in mismatched)
            raise InvalidRequest(
                f"IpsecShare {found.id} (named {found.name!r}) does not match the declared inputs: it has "
                f"{differences}; change the program to match, choose another name, or delete it"
            )
        return found


def _outputs(share: Share, props: Mapping[str, Any]) -> dict[str, Any]:
    outs: dict[str, Any] = carried_inputs(props)
    outs.update(
        {
            "name": share.name,
            "frontdoorId": share.frontdoor_id,
            "ipsecTunnelId": share.ipsec_tunnel_id,
            "envZId": share.env_z_id,
            "target": share.target,
            "ingressPort": share.ingress_port,
            "locationId": share.location_id,
            "status": share.status.value,
        }
    )
    return outs
