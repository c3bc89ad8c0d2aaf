"""The IpsecShare's fields (seed 001). Shares update in place; only a move to another Frontdoor or
tunnel replaces one."""

from __future__ import annotations

from fdipsec_pulumi.fields.table import Change, Field, Input, Table

EXAMPLE = """\
from fdipsec_pulumi import IpsecShare, IpsecShareArgs

db = IpsecShare(
    "db",
    IpsecShareArgs(
        name="orders-db",
        ipsec_tunnel_id=tunnel.id,
        env_z_id="ijcrWb-ZOq",
        target="10.20.100.1:5432",
        ingress_port=5432,
    ),
)
"""

SHARE = Table(
    kind="IpsecShare",
    noun="share",
    description="An IPsec share: maps an ingress port on a tunnel's load balancer to a private target.",
    create_model="ShareCreate",
    patch_model="SharePatch",
    response_model="Share",
    example=EXAMPLE,
    fields=(
        Field("id", "str", "The share's id.", state=False),
        Field(
            "name",
            "str",
            "The share's name.",
            input=Input.REQUIRED,
            change=Change.IN_PLACE,
            validator="ShareName",
            rule="1-63 letters, digits and hyphens, not starting or ending with a hyphen",
        ),
        Field(
            "frontdoorId",
            "str",
            "The Frontdoor the share belongs to.",
            input=Input.OPTIONAL,
            change=Change.REPLACE,
            default="the stack's `fdipsec:frontdoorId`",
            rule="not blank",
            server_filled=True,
            path=True,
        ),
        Field(
            "ipsecTunnelId",
            "str",
            "The tunnel the share is published on (usually ``tunnel.id``).",
            input=Input.REQUIRED,
            change=Change.REPLACE,
            validator="Identifier",
            rule="not blank",
        ),
        Field(
            "envZId",
            "str",
            "The hosting agent's zrok environment id.",
            input=Input.REQUIRED,
            change=Change.IN_PLACE,
            validator="Identifier",
            rule="not blank; the API also accepts it as envId",
            accepts=("envId",),
        ),
        Field(
            "target",
            "str",
            "The private ``host:port`` the agent connects to.",
            input=Input.REQUIRED,
            change=Change.IN_PLACE,
            validator="HostPort",
            rule="host:port, with a port from 1 to 65535",
        ),
        Field(
            "ingressPort",
            "int",
            "The listener port on the tunnel's load balancer, unique per tunnel.",
            input=Input.REQUIRED,
            change=Change.IN_PLACE,
            validator="Port",
            rule="an integer from 1 to 65535, unique per tunnel",
        ),
        Field(
            "locationId",
            "str",
            "The location for the share.",
            input=Input.OPTIONAL,
            change=Change.IN_PLACE,
            default="none",
            validator="Identifier",
            rule="not blank",
            server_filled=True,
            nullable=True,
        ),
        Field("status", "str", "NEW, DEPLOYED, ERROR, DELETING or DELETED.", model_type="Status"),
        Field(
            "statusMessage",
            "str",
            "Why the share is in ERROR, when it is.",
            state=False,
            nullable=True,
        ),
    ),
)
