"""How a provider's diff is answered so that previews name every change.

The Python dynamic host sends the engine only ``changes``, ``replaces`` and ``deleteBeforeReplace``, never
the changed keys or a detailed diff, so a plain ``changes=True`` gives a preview that says "update" and not
what. When ``changes`` is None (DIFF_UNKNOWN), the engine diffs the old and new *inputs* itself, fills in
the changed keys and the detailed diff, and keeps our ``replaces`` and ``deleteBeforeReplace``
(``diffResource`` in pkg/resource/deploy/step_generator.go). That is what puts ``diffReasons`` and
``detailedDiff`` into ``pulumi preview --json`` and ``[diff: ~target]`` on the plain preview line.

But when that input diff finds nothing, the engine records *no change*, replacement included. Our diff
compares the new inputs with the recorded *outputs* (what the API holds), and the two views part in two
cases: a refresh that found drift keeps the program's inputs but records the API's values as outputs, so
only we see that the next ``up`` must restore them; and an omitted ``frontdoorId`` means the stack's,
so a changed stack setting moves the object while its inputs stay the same. So DIFF_UNKNOWN is answered
only when every change we see is one the engine's input diff sees too; otherwise ``changes=True``, as
before, which still updates or replaces but names nothing (``replaceReasons`` is ours either way).

The engine's old inputs are not handed to ``diff``: the host passes the recorded outputs as ``olds``.
They are in the gRPC request the host is serving, so ``served.diff_old_inputs`` reads them from there and
says None when it cannot find them (a direct call, another host), which keeps the old, safe answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi.dynamic import DiffResult

from fdipsec_pulumi.client.models import Status
from fdipsec_pulumi.providers.inputs import is_unknown, normalized


def is_hidden(key: str) -> bool:
    """Inputs the package adds for the provider's own use (``__provider``, ``__timeouts``, ...)."""
    return key.startswith("__")


def broken(olds: Mapping[str, Any]) -> list[str]:
    """``["status"]`` for an object a refresh found in ERROR: it carries no traffic and the API will not
    repair it, so the next ``up`` replaces it, whatever its inputs say."""
    return ["status"] if olds.get("status") == Status.ERROR.value else []


def engine_sees(key: str, old_inputs: Mapping[str, Any], news: Mapping[str, Any]) -> bool:
    """Whether the engine's own input diff finds ``key`` changed. A missing key and a null are the same
    to it (``PropertyMap.Diff`` skips nulls), and numbers compare as numbers (8443 is 8443.0)."""
    new = normalized({key: news.get(key)})[key]
    old = normalized({key: old_inputs.get(key)})[key]
    return is_unknown(new) or old != new


def answer(
    changed: Iterable[str],
    news: Mapping[str, Any],
    old_inputs: Mapping[str, Any] | None,
    replaces: Iterable[str] = (),
    delete_before_replace: bool = False,
) -> DiffResult:
    """The DiffResult for the real (never hidden) inputs ``changed``, compared with the outputs.

    ``news`` must be the inputs as the engine has them (before any filling in of the stack's Frontdoor).
    Hidden inputs alone never change anything: ``changed`` holds none, so that is ``changes=False``.
    """
    keys = [key for key in changed if not is_hidden(key)]
    if not keys:
        return DiffResult(changes=False)
    named = old_inputs is not None and all(engine_sees(key, old_inputs, news) for key in keys)
    return DiffResult(
        changes=None if named else True,
        replaces=list(replaces),
        delete_before_replace=delete_before_replace,
    )
