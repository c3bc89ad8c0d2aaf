"""Wire models for the Frontdoor V2 IPsec API (seeds 000 and 001).

One set of models serves three callers: the client parses responses with them, the emulator validates
requests with them (so its 400s and the client's checks cannot disagree), and the providers' ``check``
validates user inputs with them before any API call is made.

Response models tolerate unknown fields because the API evolves; request models forbid them because a
typo in a stack should fail at preview time, not be silently dropped.

The tunnel and share models are generated from the field tables (``fdipsec_pulumi/fields/``) into the
marked region below; the field types with the API's rules, which the tables name, are written here.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from enum import Enum
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
)
from pydantic.alias_generators import to_camel

DEFAULT_FRONTDOOR_ID = "3d6d2b6e-6c7a-4a7f-8c3d-9a9d2e1f0b1c"


class Status(str, Enum):  # noqa: UP042 - StrEnum would change str() for code already written against this
    """Lifecycle status shared by tunnels and shares.

    Unknown values become pseudo-members instead of failing, so a new server-side status never breaks a
    refresh; the waiter treats anything outside its pending/target sets as unexpected.
    """

    NEW = "NEW"
    DEPLOYED = "DEPLOYED"
    ERROR = "ERROR"
    DELETING = "DELETING"
    DELETED = "DELETED"

    @classmethod
    def _missing_(cls, value: object) -> Status | None:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value
        member._value_ = value
        return member


# --- field types with the API's rules -------------------------------------------------------------

# A peer network may be as wide as the widest private block (10.0.0.0/8) and no wider.
WIDEST_PEER_PREFIX = 8
_NAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
# A host made of digits and dots is meant as an IPv4 address, and must be one (10.0.0.256 is not a name).
_DOTTED = re.compile(r"[0-9.]+")
_HOST_LABEL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?")
# The seeds use the documentation ranges as peer addresses, so they count as public here.
_DOCUMENTATION = (
    ipaddress.IPv4Network("192.0.2.0/24"),
    ipaddress.IPv4Network("198.51.100.0/24"),
    ipaddress.IPv4Network("203.0.113.0/24"),
)


def _ipv4(value: str) -> ipaddress.IPv4Address:
    try:
        return ipaddress.IPv4Address(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 address") from None


def _public_ipv4(value: str) -> str:
    address = _ipv4(value)
    if any(address in net for net in _DOCUMENTATION):
        return value
    if (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
        or address in _CGNAT
    ):
        raise ValueError(f"{value!r} is not a publicly routable IPv4 address")
    return value


def _private_ipv4(value: str) -> str:
    address = _ipv4(value)
    documentation = any(address in net for net in _DOCUMENTATION)
    if not address.is_private or address.is_loopback or address.is_link_local or documentation:
        raise ValueError(f"{value!r} is not a private IPv4 address")
    return value


def _ipv4_cidr(value: str) -> str:
    if "/" not in value:
        raise ValueError(f"{value!r} is not an IPv4 CIDR block (expected a.b.c.d/n)")
    try:
        network = ipaddress.IPv4Network(value, strict=False)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 CIDR block") from None
    if str(network) != value:
        raise ValueError(f"{value!r} has host bits set; did you mean {network}?")
    if network.prefixlen < WIDEST_PEER_PREFIX:
        raise ValueError(
            f"{value!r} is wider than /{WIDEST_PEER_PREFIX}: the network behind a peer that wide would take "
            "public address space into the tunnel"
        )
    return value


def _share_name(value: str) -> str:
    if not _NAME_RE.fullmatch(value):  # ``match`` with ``$`` would let a trailing newline through
        raise ValueError(
            f"{value!r} must be 1-63 letters, digits and hyphens, not starting or ending with a hyphen"
        )
    return value


def _tunnel_name(value: str) -> str:
    if not value.strip():
        raise ValueError("name must not be empty")
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValueError(f"{value!r} holds control characters (a newline, a tab, ...); names are one line")
    if len(value) > 255:
        raise ValueError(f"name is {len(value)} characters long; at most 255 are allowed")
    return value


def _host_port(value: str) -> str:
    """host:port, where the host is an IPv4 address, an IPv6 address in brackets or a DNS name: the only
    forms that name one port unambiguously (``fd00::1:8443`` could be ``[fd00::1]:8443`` or an address)."""
    if "://" in value:
        raise ValueError(f"{value!r} is a URL; give host:port, such as 10.20.100.1:8443")
    host, sep, port = value.rpartition(":")
    # ``isdigit`` alone admits other scripts' digits, which int() reads: "٨٠" would be port 80.
    if not sep or not host or not (port.isascii() and port.isdigit()) or not 1 <= int(port) <= 65535:
        raise ValueError(f"{value!r} is not host:port with a port from 1 to 65535")
    if host.startswith("[") and host.endswith("]"):
        try:
            ipaddress.IPv6Address(host[1:-1])
        except ValueError:
            raise ValueError(f"{value!r}: {host[1:-1]!r} in brackets is not an IPv6 address") from None
        return value
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ValueError(
                f"{value!r} is not host:port: the host {host!r} holds ':' (an IPv6 address goes in brackets, "
                f"as in '[fd00::1]:{port}')"
            ) from None
        raise ValueError(f"{value!r} is ambiguous: write an IPv6 host in brackets, as in '[{host}]:{port}'")
    if _DOTTED.fullmatch(host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            raise ValueError(f"{value!r}: the host {host!r} is not an IPv4 address") from None
    elif len(host) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in host.split(".")):
        raise ValueError(
            f"{value!r}: the host {host!r} is neither an IP address nor a DNS name (letters, digits and "
            "hyphens in dot-separated labels)"
        )
    return value


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    if value != value.strip() or any(unicodedata.category(char) == "Cc" for char in value):
        raise ValueError(f"{value!r} holds spaces or control characters around or in it; ids hold neither")
    return value


PublicIPv4 = Annotated[StrictStr, AfterValidator(_public_ipv4)]
PrivateIPv4 = Annotated[StrictStr, AfterValidator(_private_ipv4)]
IPv4Cidr = Annotated[StrictStr, AfterValidator(_ipv4_cidr)]
TunnelName = Annotated[StrictStr, AfterValidator(_tunnel_name)]
ShareName = Annotated[StrictStr, AfterValidator(_share_name)]
HostPort = Annotated[StrictStr, AfterValidator(_host_port)]
Port = Annotated[StrictInt, Field(ge=1, le=65535)]
Identifier = Annotated[StrictStr, AfterValidator(_non_empty)]


# --- base classes -----------------------------------------------------------------------------------


class WireModel(BaseModel):
    """A response: camelCase on the wire, snake_case in Python, unknown fields kept."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


class RequestModel(WireModel):
    """A request body: strict, with unknown fields refused."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


# --- generated from fdipsec_pulumi/fields/ by scripts/generate.py: do not edit by hand ---


class TunnelCreate(RequestModel):
    """The tunnel a create sends."""

    name: TunnelName
    peer_public_ip: PublicIPv4
    peer_cidr: IPv4Cidr
    location_id: Identifier | None = None
    nlb_private_ip: PrivateIPv4 | None = None


class Tunnel(WireModel):
    """A tunnel as the API reports it."""

    id: str
    name: str
    frontdoor_id: str
    location_id: str | None = None
    status: Status
    peer_public_ip: str
    peer_cidr: str
    nlb_private_ip: str | None = None
    nlb_dns_name: str | None = None
    vpn_connection_id: str | None = None
    status_message: str | None = None


class ShareCreate(RequestModel):
    """The share a create sends."""

    name: ShareName
    ipsec_tunnel_id: Identifier
    env_z_id: Identifier = Field(
        validation_alias=AliasChoices("envZId", "envId", "env_z_id"), serialization_alias="envZId"
    )
    target: HostPort
    ingress_port: Port
    location_id: Identifier | None = None


class SharePatch(RequestModel):
    """PATCH body: only the fields being changed."""

    name: ShareName | None = None
    ipsec_tunnel_id: Identifier | None = None
    env_z_id: Identifier | None = Field(
        default=None,
        validation_alias=AliasChoices("envZId", "envId", "env_z_id"),
        serialization_alias="envZId",
    )
    target: HostPort | None = None
    ingress_port: Port | None = None
    location_id: Identifier | None = None


class Share(WireModel):
    """A share as the API reports it."""

    id: str
    name: str
    frontdoor_id: str
    ipsec_tunnel_id: str
    env_z_id: str = Field(
        validation_alias=AliasChoices("envZId", "envId", "env_z_id"), serialization_alias="envZId"
    )
    target: str
    ingress_port: int
    location_id: str | None = None
    status: Status
    status_message: str | None = None


# --- end of generated code ---


# --- a tunnel's configuration document ---------------------------------------------------------------


class TunnelEndpoint(WireModel):
    """The AWS side of the tunnel's IPsec connection: where the peer connects, and with what."""

    outside_ip_address: str
    status: str
    status_message: str | None = None
    inside_cidr: str | None = None
    ike_versions: list[str] = Field(default_factory=list)
    phase1_encryption_algorithms: list[str] = Field(default_factory=list)
    phase1_integrity_algorithms: list[str] = Field(default_factory=list)
    phase1_dh_group_numbers: list[int] = Field(
        default_factory=list,
        validation_alias=AliasChoices("phase1DHGroupNumbers", "phase1_dh_group_numbers"),
        serialization_alias="phase1DHGroupNumbers",
    )
    phase1_lifetime_seconds: int | None = None
    phase2_encryption_algorithms: list[str] = Field(default_factory=list)
    phase2_integrity_algorithms: list[str] = Field(default_factory=list)
    phase2_dh_group_numbers: list[int] = Field(
        default_factory=list,
        validation_alias=AliasChoices("phase2DHGroupNumbers", "phase2_dh_group_numbers"),
        serialization_alias="phase2DHGroupNumbers",
    )
    phase2_lifetime_seconds: int | None = None
    rekey_margin_time_seconds: int | None = None
    rekey_fuzz_percentage: int | None = None
    dpd_timeout_seconds: int | None = None
    dpd_timeout_action: str | None = None


class TunnelConfig(WireModel):
    """A tunnel's VPN configuration document: its state and its endpoints (the API returns one)."""

    state: str
    tunnels: list[TunnelEndpoint]


# --- metrics ----------------------------------------------------------------------------------------


class MetricPoint(WireModel):
    timestamp: str
    bytes_in: int
    bytes_out: int
    packets_in: int | None = None
    packets_out: int | None = None


class TunnelMetrics(WireModel):
    id: str
    window: str
    step_seconds: int
    datapoints: list[MetricPoint]


class ShareMetrics(WireModel):
    id: str
    duration: str
    step_seconds: int
    datapoints: list[MetricPoint]


TUNNEL_METRIC_WINDOWS = ("30m", "1h", "1d", "7d")


# --- pages and errors -------------------------------------------------------------------------------

ItemT = TypeVar("ItemT")


class Pageable(WireModel):
    page_number: int
    page_size: int


class Page(WireModel, Generic[ItemT]):
    """The ``application/json`` page shape from seed 000."""

    content: list[ItemT]
    pageable: Pageable
    total_elements: int
    total_pages: int


class HalPageMetadata(WireModel):
    size: int
    total_elements: int
    total_pages: int
    number: int


class ErrorBody(WireModel):
    error: str
    message: str


# The collection names used under ``_embedded`` in HAL pages, as Spring HATEOAS derives them.
HAL_COLLECTIONS = {"ipsec-tunnels": "ipsecTunnels", "ipsec-shares": "ipsecShares"}
