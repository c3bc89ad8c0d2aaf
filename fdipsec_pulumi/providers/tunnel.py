"""The IpsecTunnel dynamic provider.

The API has no tunnel update, so every input forces a replacement. One tunnel is allowed per Frontdoor
and location, so a replacement that would land in the same location deletes the old tunnel first (its
shares are replaced with it by the engine, because their ``ipsecTunnelId`` becomes unknown).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult

from fdipsec_pulumi.client import FrontdoorClient
from fdipsec_pulumi.client.errors import InvalidRequest, NotFound
from fdipsec_pulumi.client.models import Status, Tunnel, TunnelCreate
from fdipsec_pulumi.providers import diffing
from fdipsec_pulumi.providers.base import (
    IMPORT_KEY,
    FrontdoorProvider,
    carried_inputs,
    changed_keys,
    is_unknown,
    read_inputs,
)

INPUTS = ("name", "peerPublicIp", "peerCidr", "locationId", "nlbPrivateIp", "frontdoorId")
SERVER_FILLED = ("locationId", "nlbPrivateIp", "frontdoorId")
# The fields that identify "the same tunnel" when adopting one an interrupted run left behind.
IDENTITY = ("name", "peerPublicIp", "peerCidr")


class TunnelProvider(FrontdoorProvider):
    kind: ClassVar[str] = "IpsecTunnel"
    noun: ClassVar[str] = "tunnel"
    # Tunnels stand on a managed VPN: allow many minutes, as AWS does for VPN connections.
    default_timeouts: ClassVar[Mapping[str, float]] = {
        "create": 40 * 60,
        "update": 40 * 60,
        "delete": 20 * 60,
    }

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return self.validate(TunnelCreate, news, [key for key in INPUTS if key != "frontdoorId"])

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        given = news
        news = {**news, "frontdoorId": self.effective_frontdoor(news)}
        changed = changed_keys(olds, news, INPUTS, SERVER_FILLED)
        # A new tunnel in the same location would be refused while the old one exists.
        new_location = news.get("locationId")
        same_place = news.get("frontdoorId") == olds.get("frontdoorId") and (
            new_location is None or is_unknown(new_location) or new_location == olds.get("locationId")
        )
        return diffing.answer(
            changed, given, diffing.engine_old_inputs(), replaces=changed, delete_before_replace=same_place
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        client = self.client()
        frontdoor_id = self.frontdoor_id(props)
        body = TunnelCreate.model_validate({k: props[k] for k in INPUTS[:-1] if props.get(k) is not None})
        tunnel = self.adopt_or_post(
            body.name,
            lambda: self._adoptable(client, body, frontdoor_id, props.get(IMPORT_KEY)),
            lambda: client.create_tunnel(body, frontdoor_id=frontdoor_id),
        )
        tunnel = self.wait_deployed(
            tunnel.name,
            tunnel.id,
            lambda: client.get_tunnel(tunnel.id, frontdoor_id=frontdoor_id),
            self.timeout(props, "create"),
            remove=lambda: client.delete_tunnel(tunnel.id, frontdoor_id=frontdoor_id),
        )
        return CreateResult(tunnel.id, self._outputs(client, tunnel, props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        client = self.client()
        frontdoor_id = self.frontdoor_id(props)
        try:
            tunnel = client.get_tunnel(id_, frontdoor_id=frontdoor_id)
        except NotFound:
            return ReadResult("", {})
        if tunnel.status == Status.DELETED:
            return ReadResult("", {})
        outs = self._outputs(client, tunnel, props)
        return ReadResult(tunnel.id, outs, read_inputs(outs, props, INPUTS, SERVER_FILLED))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        client = self.client()
        frontdoor_id = self.frontdoor_id(props)
        name = str(props.get("name", id_))
        try:
            self.delete_and_wait(
                name,
                id_,
                lambda: client.delete_tunnel(id_, frontdoor_id=frontdoor_id),
                lambda: client.get_tunnel(id_, frontdoor_id=frontdoor_id),
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

    def _adoptable(
        self, client: FrontdoorClient, body: TunnelCreate, frontdoor_id: str, import_id: str | None = None
    ) -> Tunnel | None:
        """The tunnel to adopt instead of POSTing: the one ``import_`` names, or a live tunnel an earlier,
        interrupted create left behind, if it is the one asked for."""
        if import_id is not None:
            found = client.get_tunnel(import_id, frontdoor_id=frontdoor_id)
        else:
            candidate = client.find_tunnel(
                name=body.name, location_id=body.location_id, frontdoor_id=frontdoor_id
            )
            if candidate is None or candidate.status in (Status.DELETING, Status.DELETED, Status.ERROR):
                return None
            found = candidate
        wanted = body.to_wire()
        mismatched = [k for k in IDENTITY if wanted.get(k) != found.to_wire().get(k)]
        for key, value in (("locationId", body.location_id), ("nlbPrivateIp", body.nlb_private_ip)):
            if value is not None and found.to_wire().get(key) != value:
                mismatched.append(key)
        if mismatched:
            differences = ", ".join(f"{k}={found.to_wire().get(k)!r}" for k in mismatched)
            raise InvalidRequest(
                f"IpsecTunnel {found.id} (named {found.name!r}) does not match the declared inputs: it has "
                f"{differences}; change the program to match, choose another name, or delete it"
            )
        return found

    def _outputs(self, client: FrontdoorClient, tunnel: Tunnel, props: Mapping[str, Any]) -> dict[str, Any]:
        outs: dict[str, Any] = carried_inputs(props)
        outs.update(
            {
                "name": tunnel.name,
                "peerPublicIp": tunnel.peer_public_ip,
                "peerCidr": tunnel.peer_cidr,
                "frontdoorId": tunnel.frontdoor_id,
                "locationId": tunnel.location_id,
                "status": tunnel.status.value,
                "nlbPrivateIp": tunnel.nlb_private_ip,
                "nlbDnsName": tunnel.nlb_dns_name,
                "vpnConnectionId": tunnel.vpn_connection_id,
            }
        )
        if tunnel.status == Status.DEPLOYED:
            outs["tunnelConfig"] = client.get_tunnel_config(
                tunnel.id, frontdoor_id=tunnel.frontdoor_id
            ).to_wire()
            outs["sampleConfig"] = client.get_sample_config(tunnel.id, frontdoor_id=tunnel.frontdoor_id)
        return outs
