"""What the IpsecTunnel provider does: ``TunnelProvider`` (``providers/tunnel.py``) hands each call here.

The API has no tunnel update, so every input forces a replacement. One tunnel is allowed per Frontdoor
and location, so a replacement that would land in the same location deletes the old tunnel first (its
shares are replaced with it by the engine, because their ``ipsecTunnelId`` becomes unknown).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pulumi.dynamic import DiffResult, ReadResult

from fdipsec_pulumi.client import FrontdoorClient
from fdipsec_pulumi.client.errors import InvalidRequest
from fdipsec_pulumi.client.models import Status, Tunnel, TunnelCreate
from fdipsec_pulumi.fields import TUNNEL
from fdipsec_pulumi.providers import diffing, served
from fdipsec_pulumi.providers.adoption import Operations
from fdipsec_pulumi.providers.base import FrontdoorProvider
from fdipsec_pulumi.providers.claims import Claim
from fdipsec_pulumi.providers.diagnostics import reported
from fdipsec_pulumi.providers.inputs import carried_inputs, changed_keys, is_unknown, read_inputs

BODY = TUNNEL.body
INPUTS = TUNNEL.inputs
SERVER_FILLED = TUNNEL.server_filled


class TunnelProviderImpl(FrontdoorProvider[Tunnel]):
    kind: ClassVar[str] = "IpsecTunnel"
    noun: ClassVar[str] = "tunnel"
    body_model = TunnelCreate
    body_fields = BODY
    operations = Operations(
        get=FrontdoorClient.get_tunnel,
        create=FrontdoorClient.create_tunnel,
        delete=FrontdoorClient.delete_tunnel,
        list=FrontdoorClient.list_tunnels,
        same_name_fields=("name",),
        claim=Claim(
            scope=(),
            held="locationId",
            rule="the API allows one tunnel per Frontdoor and location",
            way_out="Choose another locationId (or leave it to the API), or delete that tunnel first.",
        ),
    )
    # Tunnels stand on a managed VPN: allow many minutes, as AWS does for VPN connections.
    default_timeouts: ClassVar[Mapping[str, float]] = {
        "create": 40 * 60,
        "update": 40 * 60,
        "delete": 20 * 60,
    }

    @reported("diff")
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        given = news
        news = {**news, "frontdoorId": self.effective_frontdoor(news)}
        changed = changed_keys(olds, news, INPUTS, SERVER_FILLED) + diffing.broken(olds)
        # A new tunnel in the same location would be refused while the old one exists.
        new_location = news.get("locationId")
        same_place = news.get("frontdoorId") == olds.get("frontdoorId") and (
            new_location is None or is_unknown(new_location) or new_location == olds.get("locationId")
        )
        return diffing.answer(
            changed, given, served.diff_old_inputs(), replaces=changed, delete_before_replace=same_place
        )

    @reported("read")
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        client = self.client()
        frontdoor_id = self.frontdoor_id(props)
        # From the Frontdoor's shared listing: a refresh reads a whole fleet with one list request.
        with self.reading(client, frontdoor_id) as listed:
            tunnel = listed.get(id_)
            if tunnel is None or tunnel.status == Status.DELETED:
                return ReadResult("", {})
            outs = self.outputs(client, tunnel, props)
        return ReadResult(tunnel.id, outs, read_inputs(outs, props, INPUTS, SERVER_FILLED))

    @reported("delete")
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        client = self.client()
        frontdoor_id = self.frontdoor_id(props)
        name = str(props.get("name", id_))
        watch = self.watcher(client, frontdoor_id)
        try:
            self.delete_and_wait(
                name,
                id_,
                lambda: self.remove(client, frontdoor_id, id_),
                lambda not_before: watch(id_, not_before),
                self.timeout(props, "delete"),
            )
        except InvalidRequest as exc:
            blocking = [
                share.id
                for share in client.list_shares(frontdoor_id, filters={"ipsecTunnelId": id_})
                if share.status != Status.DELETED
            ]
            if not blocking:
                raise
            raise InvalidRequest(
                f"cannot delete IpsecTunnel {name} ({id_}): it still carries IPsec shares this stack "
                f"does not manage: {', '.join(blocking)}. "
                "Delete them (or import them into this stack) and retry.",
                # All of the API's context, or the sentence would read "rejected None None (400)".
                http_status=exc.http_status,
                code=exc.code,
                method=exc.method,
                path=exc.path,
                request_id=exc.request_id,
            ) from exc

    # --- helpers --------------------------------------------------------------------------------

    def outputs(self, client: FrontdoorClient, tunnel: Tunnel, props: Mapping[str, Any]) -> dict[str, Any]:
        outs: dict[str, Any] = carried_inputs(props)
        outs.update(TUNNEL.state_values(tunnel))
        if tunnel.status == Status.DEPLOYED:
            outs["tunnelConfig"] = client.get_tunnel_config(
                tunnel.id, frontdoor_id=tunnel.frontdoor_id
            ).to_wire()
            outs["sampleConfig"] = client.get_sample_config(tunnel.id, frontdoor_id=tunnel.frontdoor_id)
        return outs
