"""A tunnel the stack does not protect: one mistaken delete or replace cuts a site off.

Deleting a tunnel drops the IPsec session and every share published on it, and a new tunnel comes back
with a new load-balancer address and pre-shared key that the remote site must be given by hand.
``protect=True`` makes the engine refuse that until someone lifts the protection on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fdipsec_pulumi.policy.records import Record, exempt, is_tunnel, label

Report = Callable[[str, str | None], None]


def check(record: Record, config: Mapping[str, Any], report: Report) -> None:
    if not is_tunnel(record) or exempt(record, config) or record.opts.protect:
        return
    report(
        f"{label(record)} is not protected: deleting or replacing it cuts the remote site off until the site "
        f"is given the new tunnel's address and key. Create it with "
        f"opts=pulumi.ResourceOptions(protect=True), or list it in this policy's exemptResources if it is "
        f"disposable.",
        None,
    )
