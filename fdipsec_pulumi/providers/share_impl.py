"""What the IpsecShare provider does: ``ShareProvider`` (``providers/share.py``) hands each call here.

Shares update in place (PATCH of the changed fields, then wait for DEPLOYED again, as the API
re-provisions them under the same id); only a move to another Frontdoor or tunnel replaces one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pulumi.dynamic import DiffResult, ReadResult, UpdateResult

from fdipsec_pulumi.client import FrontdoorClient
from fdipsec_pulumi.client.models import Share, ShareCreate, SharePatch, Status
from fdipsec_pulumi.fields import SHARE, Change
from fdipsec_pulumi.providers import diffing, served
from fdipsec_pulumi.providers.adoption import Operations
from fdipsec_pulumi.providers.base import FrontdoorProvider
from fdipsec_pulumi.providers.claims import Claim
from fdipsec_pulumi.providers.diagnostics import reported
from fdipsec_pulumi.providers.inputs import (
    carried_inputs,
    changed_keys,
    forced_replacements,
    normalized,
    read_inputs,
)

BODY = SHARE.body
INPUTS = SHARE.inputs
IN_PLACE = SHARE.changing(Change.IN_PLACE)
REPLACING = SHARE.changing(Change.REPLACE)
SERVER_FILLED = SHARE.server_filled


class ShareProviderImpl(FrontdoorProvider[Share]):
    kind: ClassVar[str] = "IpsecShare"
    noun: ClassVar[str] = "share"
    body_model = ShareCreate
    body_fields = BODY
    operations = Operations(
        get=FrontdoorClient.get_share,
        create=FrontdoorClient.create_share,
        delete=FrontdoorClient.delete_share,
        list=FrontdoorClient.list_shares,
        same_name_fields=("name", "ipsecTunnelId"),
        claim=Claim(
            scope=("ipsecTunnelId",),
            held="ingressPort",
            rule="the API allows one share per tunnel and ingress port",
            way_out="Choose another ingressPort, or delete that share first.",
        ),
    )
    default_timeouts: ClassVar[Mapping[str, float]] = {
        "create": 10 * 60,
        "update": 10 * 60,
        "delete": 10 * 60,
    }

    @reported("diff")
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        given = news
        news = {**normalized(news), "frontdoorId": self.effective_frontdoor(news)}
        changed = changed_keys(olds, news, INPUTS, SERVER_FILLED)
        forced = forced_replacements(news, changed)
        replaces = [key for key in changed if key in REPLACING or key in forced] + diffing.broken(olds)
        changed += diffing.broken(olds)
        # Ingress ports are unique per tunnel, so a replacement keeping its port must delete first.
        return diffing.answer(
            changed,
            given,
            served.diff_old_inputs(),
            replaces=replaces,
            delete_before_replace=bool(replaces),
        )

    @reported("update")
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        news = normalized(news)
        client = self.client()
        frontdoor_id = self.frontdoor_id(news)
        changed = changed_keys(olds, news, IN_PLACE, SERVER_FILLED)
        patch = SharePatch.model_validate({key: news[key] for key in changed})
        share = self.changing(
            client, frontdoor_id, lambda: client.update_share(id_, patch, frontdoor_id=frontdoor_id)
        )
        watch = self.watcher(client, frontdoor_id)

        def watch_id(not_before: float) -> Share:
            return watch(id_, not_before)

        # A failed update leaves the share in ERROR under its id; it stays for the user to inspect.
        share = self.wait_deployed(
            share.name,
            share.id,
            watch_id,
            self.timeout(news, "update"),
        )
        return UpdateResult(self.outputs(client, share, news))

    @reported("read")
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        client = self.client()
        # From the Frontdoor's shared listing: a refresh reads a whole fleet with one list request.
        with self.reading(client, self.frontdoor_id(props)) as listed:
            share = listed.get(id_)
        if share is None or share.status == Status.DELETED:
            return ReadResult("", {})
        outs = self.outputs(client, share, props)
        return ReadResult(share.id, outs, read_inputs(outs, props, INPUTS, SERVER_FILLED))

    @reported("delete")
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        client = self.client()
        frontdoor_id = self.frontdoor_id(props)
        watch = self.watcher(client, frontdoor_id)

        def watch_id(not_before: float) -> Share:
            return watch(id_, not_before)

        self.delete_and_wait(
            str(props.get("name", id_)),
            id_,
            lambda: self.remove(client, frontdoor_id, id_),
            watch_id,
            self.timeout(props, "delete"),
        )

    # --- helpers --------------------------------------------------------------------------------

    def outputs(self, client: FrontdoorClient, share: Share, props: Mapping[str, Any]) -> dict[str, Any]:
        outs: dict[str, Any] = carried_inputs(props)
        outs.update(SHARE.state_values(share))
        return outs
