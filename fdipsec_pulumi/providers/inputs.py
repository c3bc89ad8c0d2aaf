"""What the engine hands a provider as inputs, and what a provider hands back: values not known yet,
numbers that crossed the engine as doubles, the keys that changed, and the inputs a read reports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi.output import Unknown

from fdipsec_pulumi.client.models import Status
from fdipsec_pulumi.contract import REPLACE_ON_CHANGES_KEY, TIMEOUTS_KEY
from fdipsec_pulumi.providers import served

# The engine's placeholder for a value that is not known until apply (pulumi.runtime.rpc.UNKNOWN).
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def is_unknown(value: object) -> bool:
    """During preview, check and diff see values that are not known yet, in either of two forms."""
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


def normalized(props: Mapping[str, Any]) -> dict[str, Any]:
    """Props as the models expect them: numbers cross the engine as doubles, so 8443.0 is 8443 again."""
    return {
        key: int(value) if isinstance(value, float) and value.is_integer() else value
        for key, value in props.items()
    }


def changed_keys(
    olds: Mapping[str, Any], news: Mapping[str, Any], keys: Iterable[str], server_filled: Iterable[str] = ()
) -> list[str]:
    """Input keys whose new value differs from the recorded one.

    An omitted input the server fills in (``None`` in ``news``) never counts as a change, so leaving the
    location or the NLB address to the API gives no perpetual diff. Unknown values count as changes: they
    may differ once known, and the engine needs to know what would be replaced.
    """
    filled = set(server_filled)
    changed = []
    for key in keys:
        new = news.get(key)
        if new is None and key in filled:
            continue
        if is_unknown(new) or new != olds.get(key):
            changed.append(key)
    return changed


def read_inputs(
    outs: Mapping[str, Any], props: Mapping[str, Any], inputs: Iterable[str], server_filled: Iterable[str]
) -> dict[str, Any] | None:
    """The inputs a read reports.

    A refresh (``props`` are recorded outputs) reports the recorded inputs with the API's values in place
    of the ones the program gave: drift then shows as the engine shows any change, by name
    (``~ target``), and the next ``up`` names what it restores. Inputs the program left to the server
    stay left out, so a refresh never causes a diff by itself. An object in ERROR also reports its status,
    which drops out again once a refresh finds it healthy. When the recorded inputs cannot be read
    from the engine's request, the recorded inputs are kept as they are (None).

    A ``get`` or an import has only the program's inputs, so it takes the API's values for the inputs the
    program gave and leaves the server-filled ones it omitted out.
    """
    if "status" in props:
        recorded = served.read_old_inputs()
        if recorded is None:
            return None
        found = {key: value for key, value in recorded.items() if key != "status"}
        found.update({key: outs.get(key) for key in inputs if recorded.get(key) is not None})
        if outs.get("status") == Status.ERROR.value:
            # Not an input, but reported as one so that the engine's input diff names it: the refresh
            # shows ``~ status`` and the next preview replaces with ``replaceReasons: ["status"]``.
            found["status"] = Status.ERROR.value
        return found
    filled = set(server_filled)
    return {key: outs.get(key) for key in inputs if props.get(key) is not None or key not in filled}


def carried_inputs(props: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs an object's outputs repeat; the timeouts ride along so that delete can honour them."""
    return {key: value for key, value in props.items() if not key.startswith("__") or key == TIMEOUTS_KEY}


def forced_replacements(news: Mapping[str, Any], changed: Iterable[str]) -> list[str]:
    """The changed keys the user asked to replace on (``replace_on_changes``; ``*`` means all)."""
    wanted = news.get(REPLACE_ON_CHANGES_KEY) or []
    return [key for key in changed if key in wanted or "*" in wanted]


def failure_reason(field: str, error: Any, news: Mapping[str, Any]) -> str:
    if error["type"] == "missing":
        return f"{field} is required"
    value = news.get(field)
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return f"{field} is not a known input"
    return f"invalid value for {field} ({value!r}): {message}"
