"""What a DEPLOYED tunnel hands to the remote site: its VPN parameters and a sample device config.

Values derive from the tunnel id, so repeated reads (and restarts) agree. The sample config is the one
place the pre-shared key leaves the emulator, as in the real API.
"""

from __future__ import annotations

import hashlib
import ipaddress

from fdipsec_pulumi.client.models import TunnelConfig, TunnelEndpoint
from fdipsec_pulumi.emulator.records import Record

# The AWS side of the tunnel; a documentation range, as no real packets will flow.
_OUTSIDE = ipaddress.IPv4Network("203.0.113.0/24")
_INSIDE = ipaddress.IPv4Network("169.254.0.0/16")


def _digest(record: Record) -> bytes:
    return hashlib.sha256(record.id.encode()).digest()


def outside_ip(record: Record) -> str:
    return str(_OUTSIDE[10 + _digest(record)[0] % 200])


def inside_cidr(record: Record) -> str:
    block = int.from_bytes(_digest(record)[1:3]) % (_INSIDE.num_addresses // 4)
    return f"{_INSIDE[block * 4]}/30"


def tunnel_config(record: Record) -> TunnelConfig:
    endpoint = TunnelEndpoint(
        outside_ip_address=outside_ip(record),
        status="UP",
        status_message="IPSEC IS UP",
        inside_cidr=inside_cidr(record),
        ike_versions=["ikev2"],
        phase1_encryption_algorithms=["AES256"],
        phase1_integrity_algorithms=["SHA2-256"],
        phase1_dh_group_numbers=[14, 20],
        phase1_lifetime_seconds=28800,
        phase2_encryption_algorithms=["AES256"],
        phase2_integrity_algorithms=["SHA2-256"],
        phase2_dh_group_numbers=[14, 20],
        phase2_lifetime_seconds=3600,
        rekey_margin_time_seconds=540,
        rekey_fuzz_percentage=100,
        dpd_timeout_seconds=30,
        dpd_timeout_action="clear",
    )
    return TunnelConfig(state="available", tunnels=[endpoint])


def sample_config(record: Record) -> str:
    """A strongSwan ``ipsec.conf`` / ``ipsec.secrets`` pair for the remote site's device."""
    fields = record.fields
    peer, outside = fields["peerPublicIp"], outside_ip(record)
    return "\n".join(
        [
            f"# Sample strongSwan configuration for IPsec tunnel {record.id} ({fields['name']}).",
            "# It contains the tunnel's pre-shared key: deliver it over a secure channel.",
            "#",
            "# /etc/ipsec.conf",
            "config setup",
            "    uniqueids=yes",
            "",
            f"conn frontdoor-{record.id}",
            "    type=tunnel",
            "    keyexchange=ikev2",
            "    authby=secret",
            "    left=%defaultroute",
            f"    leftid={peer}",
            f"    leftsubnet={fields['peerCidr']}",
            f"    right={outside}",
            f"    rightid={outside}",
            f"    rightsubnet={fields['nlbPrivateIp']}/32",
            "    ike=aes256-sha256-modp2048,aes256-sha256-ecp256!",
            "    esp=aes256-sha256-modp2048,aes256-sha256-ecp256!",
            "    ikelifetime=28800s",
            "    lifetime=3600s",
            "    margintime=540s",
            "    rekeyfuzz=100%",
            "    dpddelay=10s",
            "    dpdtimeout=30s",
            "    dpdaction=clear",
            "    auto=start",
            "",
            "# /etc/ipsec.secrets",
            f'{peer} {outside} : PSK "{record.secret}"',
            "",
        ]
    )
