"""The Pulumi program every resource e2e test deploys; each project's ``__main__.py`` only calls ``main``.

Everything comes from stack config, so a test changes what is deployed with ``pulumi config set``:

- ``tunnel`` (JSON object, camelCase inputs) and ``shares`` (JSON list of ``name``, ``target``,
  ``ingressPort``, optional ``envZId``): the managed tunnel and the shares published on it. Values are
  passed through untouched (``"80"`` stays a string), so the providers' ``check`` sees what was typed.
- ``tunnelCreateTimeout``: ``custom_timeouts.create`` for the tunnel; ``importTunnelId``: ``import_``.
- ``shareReplaceOnChanges`` (JSON list of snake_case names): ``replace_on_changes`` for every share.
- ``noTunnel``: deploy no managed tunnel (and so no shares).
- ``getTunnelId``: also look up that tunnel with ``IpsecTunnel.get`` and export its name.
- ``cases`` (JSON object): extra, independent resources for bad-input tests, each
  ``{"kind": "tunnel"|"share", "inputs": {...}, "createTimeout": "..."}``; shares name their tunnel id
  literally (``tnl-0000000000000000`` unless ``inputs`` gives ``ipsecTunnelId``), so nothing ties one
  case to another.
"""

from __future__ import annotations

from typing import Any

import pulumi

from fdipsec_pulumi import IpsecShare, IpsecShareArgs, IpsecTunnel, IpsecTunnelArgs

DEFAULT_TUNNEL = {"name": "e2e-dc1", "peerPublicIp": "203.0.113.10", "peerCidr": "172.31.0.0/16"}
DEFAULT_ENV_Z_ID = "ijcrWb-ZOq"


def tunnel_args(spec: dict[str, Any]) -> IpsecTunnelArgs:
    return IpsecTunnelArgs(
        name=spec.get("name"),  # type: ignore[arg-type]
        peer_public_ip=spec.get("peerPublicIp"),  # type: ignore[arg-type]
        peer_cidr=spec.get("peerCidr"),  # type: ignore[arg-type]
        location_id=spec.get("locationId"),
        nlb_private_ip=spec.get("nlbPrivateIp"),
        frontdoor_id=spec.get("frontdoorId"),
    )


def share_args(spec: dict[str, Any], tunnel_id: pulumi.Input[str]) -> IpsecShareArgs:
    return IpsecShareArgs(
        name=spec.get("name"),  # type: ignore[arg-type]
        ipsec_tunnel_id=tunnel_id,
        env_z_id=spec.get("envZId", DEFAULT_ENV_Z_ID),
        target=spec.get("target"),  # type: ignore[arg-type]
        ingress_port=spec.get("ingressPort"),  # type: ignore[arg-type]
        location_id=spec.get("locationId"),
        frontdoor_id=spec.get("frontdoorId"),
    )


def timeouts(create: str | None) -> pulumi.CustomTimeouts | None:
    return pulumi.CustomTimeouts(create=create) if create else None


def main() -> None:
    config = pulumi.Config()

    if not config.get_bool("noTunnel"):
        opts = pulumi.ResourceOptions(
            custom_timeouts=timeouts(config.get("tunnelCreateTimeout")),
            import_=config.get("importTunnelId"),
        )
        tunnel = IpsecTunnel("tunnel", tunnel_args(config.get_object("tunnel") or DEFAULT_TUNNEL), opts)
        share_opts = pulumi.ResourceOptions(replace_on_changes=config.get_object("shareReplaceOnChanges"))
        shares = {
            spec["name"]: IpsecShare(spec["name"], share_args(spec, tunnel.id), share_opts)
            for spec in config.get_object("shares") or []
        }
        pulumi.export("tunnelId", tunnel.id)
        pulumi.export("tunnelStatus", tunnel.status)
        pulumi.export("sampleConfig", tunnel.sample_config)
        pulumi.export("outsideIpAddress", tunnel.outside_ip_address)
        pulumi.export("insideCidr", tunnel.inside_cidr)
        # What the program holds: the typed classes and an attribute's Python type, by name.
        pulumi.export(
            "tunnelConfigTypes",
            tunnel.tunnel_config.apply(
                lambda config: [
                    type(config).__name__,
                    type(config.tunnels[0]).__name__,
                    type(config.tunnels[0].phase1_lifetime_seconds).__name__,
                ]
            ),
        )
        pulumi.export("shares", {name: share.id for name, share in shares.items()})

    if looked_up := config.get("getTunnelId"):
        found = IpsecTunnel.get("looked-up", looked_up)
        pulumi.export("lookedUpName", found.name)
        pulumi.export("lookedUpCidr", found.peer_cidr)

    for case, spec in (config.get_object("cases") or {}).items():
        opts = pulumi.ResourceOptions(custom_timeouts=timeouts(spec.get("createTimeout")))
        inputs = spec.get("inputs", {})
        if spec["kind"] == "tunnel":
            IpsecTunnel(case, tunnel_args({**DEFAULT_TUNNEL, **inputs}), opts)
        else:
            share = {"name": "ok-share", "target": "10.20.0.1:443", "ingressPort": 443, **inputs}
            IpsecShare(case, share_args(share, share.get("ipsecTunnelId", "tnl-0000000000000000")), opts)
