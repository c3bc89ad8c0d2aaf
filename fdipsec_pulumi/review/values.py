"""How a property value may appear in a report: never a secret, and briefly.

A preview made with ``--show-secrets`` carries secret values in clear, so masking the CLI's ``[secret]``
is not enough: a value is also withheld when the state lists it as a secret output, when it is one of
ours known to hold a key (``sampleConfig`` carries the pre-shared key), when it is a state secret
envelope, or when its name says it is a credential.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from typing import Any

SECRET = "[secret]"  # noqa: S105 - the mask itself
# The engine's placeholder for a value not known until apply (pulumi.runtime.rpc.UNKNOWN).
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
# The key that marks a secret value in state and in `--show-secrets`-less exports (resource.SecretSig).
SECRET_SIG = "4dabf18193072939515e22adb298388d"  # noqa: S105 - a marker, not a secret
KNOWN_SECRETS = frozenset({"sampleConfig", "__provider"})
_CREDENTIAL = re.compile(r"psk|pre_?shared|presharedkey|secret|password|passphrase|token|private_?key", re.I)
MAX_CHARS = 120


def is_secret(key: str, value: Any, secret_keys: Collection[str] = ()) -> bool:
    top = key.split(".", 1)[0].split("[", 1)[0]
    return (
        top in KNOWN_SECRETS or top in secret_keys or bool(_CREDENTIAL.search(key)) or _contains_secret(value)
    )


def show(key: str, value: Any, secret_keys: Collection[str] = (), missing: bool = False) -> str:
    """The value as one short line: ``[secret]``, ``(none)``, ``(known after apply)`` or the value."""
    if missing or value is None:
        return "(none)"
    if is_secret(key, value, secret_keys):
        return SECRET
    if _contains_unknown(value):
        return "(known after apply)"
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(", ", ": "))
    text = " ".join(text.split())
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


def _contains_secret(value: Any) -> bool:
    if isinstance(value, str):
        return value == SECRET
    if isinstance(value, dict):
        return SECRET_SIG in value or any(_contains_secret(item) for item in value.values())
    if isinstance(value, list):
        return any(_contains_secret(item) for item in value)
    return False


def _contains_unknown(value: Any) -> bool:
    if isinstance(value, str):
        return value == UNKNOWN
    if isinstance(value, dict):
        return any(_contains_unknown(item) for item in value.values())
    if isinstance(value, list):
        return any(_contains_unknown(item) for item in value)
    return False
