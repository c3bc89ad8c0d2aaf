"""The multi-site example's logic: sites from config, checked up front, one tunnel per site.

Importable (``build``) so that unit tests can run it under Pulumi's mocks. Checking the list before
creating anything matters here: two sites in one location, or two shares on one port, would otherwise be
found by the API halfway through an ``up``, after some tunnels (tens of minutes each) already exist.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pulumi

from fdipsec_pulumi import IpsecShare, IpsecShareArgs, IpsecTunnel, IpsecTunnelArgs

DEFAULT_ENV_Z_ID = "ijcrWb-ZOq"


@dataclass(frozen=True)
class ShareSpec:
    name: str
    target: str
    ingress_port: int
    env_z_id: str


@dataclass(frozen=True)
class Site:
    name: str
    peer_public_ip: str
    peer_cidr: str
    location_id: str
    shares: tuple[ShareSpec, ...]


@dataclass
class SiteResources:
    tunnel: IpsecTunnel
    shares: dict[str, IpsecShare]


def parse_sites(raw: Any, default_env_z_id: str = DEFAULT_ENV_Z_ID) -> list[Site]:
    """The ``sites`` config value as typed sites; raises ValueError naming every problem found."""
    if not isinstance(raw, list) or not raw:
        raise ValueError("config 'sites' must be a non-empty list of sites")
    problems: list[str] = []
    sites: list[Site] = []
    for index, entry in enumerate(raw):
        where = f"sites[{index}]"
        if not isinstance(entry, dict):
            problems.append(f"{where} must be an object")
            continue
        missing = [k for k in ("name", "peerPublicIp", "peerCidr", "locationId") if not entry.get(k)]
        if missing:
            problems.append(f"{where} is missing {', '.join(missing)}")
            continue
        shares = tuple(
            ShareSpec(
                name=str(share["name"]),
                target=str(share["target"]),
                ingress_port=int(share["ingressPort"]),
                env_z_id=str(share.get("envZId") or entry.get("envZId") or default_env_z_id),
            )
            for share in entry.get("shares") or []
        )
        site = Site(
            str(entry["name"]),
            str(entry["peerPublicIp"]),
            str(entry["peerCidr"]),
            str(entry["locationId"]),
            shares,
        )
        problems += _duplicates(f"{where} ({site.name}) share name", (s.name for s in shares))
        problems += _duplicates(f"{where} ({site.name}) ingress port", (s.ingress_port for s in shares))
        sites.append(site)
    problems += _duplicates("site name", (s.name for s in sites))
    # The API allows one tunnel per Frontdoor and location.
    problems += _duplicates("locationId", (s.location_id for s in sites))
    if problems:
        raise ValueError("invalid 'sites' config: " + "; ".join(problems))
    return sites


def build(config: pulumi.Config) -> dict[str, SiteResources]:
    """One tunnel per site and its shares, keyed by site name."""
    sites = parse_sites(config.require_object("sites"), config.get("envZId") or DEFAULT_ENV_Z_ID)
    built: dict[str, SiteResources] = {}
    for site in sites:
        tunnel = IpsecTunnel(
            site.name,
            IpsecTunnelArgs(
                name=site.name,
                peer_public_ip=site.peer_public_ip,
                peer_cidr=site.peer_cidr,
                location_id=site.location_id,
            ),
        )
        shares = {
            spec.name: IpsecShare(
                # Resource names are global to the stack; share names only to their tunnel.
                f"{site.name}-{spec.name}",
                IpsecShareArgs(
                    name=spec.name,
                    ipsec_tunnel_id=tunnel.id,
                    env_z_id=spec.env_z_id,
                    target=spec.target,
                    ingress_port=spec.ingress_port,
                ),
            )
            for spec in site.shares
        }
        built[site.name] = SiteResources(tunnel, shares)
    return built


def _duplicates(what: str, values: Iterable[object]) -> list[str]:
    return [
        f"{what} {value!r} appears {count} times" for value, count in Counter(values).items() if count > 1
    ]
