"""One clean diagnostic per failure: the message a user can act on, not a Python traceback.

Pulumi's Python dynamic-provider host answers every exception with ``traceback.format_exc()``
(``_abort_with_traceback`` in ``pulumi/dynamic/__main__.py``, since SDK 3.260; before it, gRPC answered
``Exception calling application: <message>``), so a wrong token printed some thirty lines of frames
before the one line that mattered. Two pieces fix that:

- ``reported`` wraps each provider operation: an error of ours (a ``FrontdoorError``) leaves it naming
  the resource and the operation, besides the API's status, reason and hint (config key, field or
  command) that it already carries; its type is kept, so callers still catch it by meaning;
- ``install_in_host`` makes that host print such an error as its message alone. It acts only inside the
  host process and only when the host has the shape it was written against, checked by passing an error
  through the host's own wrapper; a host of another shape (an SDK before 3.260 included) is left to
  report errors its own way, and that is said in one info line (``fdipsec_pulumi.shapes``). Anything
  other than our errors, our own bugs included, keeps the full traceback.
  ``tests/providers/test_sdk_shapes.py`` raises through the installed SDK's host.
"""

from __future__ import annotations

import functools
import sys
import traceback
import types
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from fdipsec_pulumi.client.errors import FrontdoorError
from fdipsec_pulumi.providers.hostprocess import in_dynamic_provider_host
from fdipsec_pulumi.shapes import shape_differs

F = TypeVar("F", bound=Callable[..., Any])
# The host's decorator of each servicer method, which answers an exception with traceback.format_exc().
WRAPPER = "_abort_with_traceback"


def reported(operation: str) -> Callable[[F], F]:
    """Re-raise our errors as one sentence naming the resource and the operation."""

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def wrapper(self: Any, *args: Any) -> Any:
            try:
                return method(self, *args)
            except FrontdoorError as exc:
                exc.args = (_sentence(self, operation, args, exc),)
                raise

        return wrapper  # type: ignore[return-value]

    return decorate


def _sentence(provider: Any, operation: str, args: tuple[Any, ...], exc: FrontdoorError) -> str:
    """``IpsecTunnel dc1 (tnl-1): delete failed: <the error>``, unless the error already names it."""
    kind = getattr(provider, "kind", type(provider).__name__)
    props = next((arg for arg in reversed(args) if isinstance(arg, Mapping)), {})
    remote_id = args[0] if args and isinstance(args[0], str) and args[0] else None
    name = props.get("name") if isinstance(props.get("name"), str) else None
    text = str(exc)
    if name and f"{kind} {name}" in text:
        return text
    who = " ".join(part for part in (kind, name, f"({remote_id})" if remote_id else None) if part)
    return f"{who}: {operation} failed: {text}"


class _MessageOnly(types.ModuleType):
    """Stands in for the ``traceback`` module in the host's namespace: our errors print as their
    message, everything else exactly as before."""

    def __init__(self) -> None:
        super().__init__("traceback")
        self.__dict__.update({k: v for k, v in traceback.__dict__.items() if k != "format_exc"})

    @staticmethod
    def format_exc(limit: int | None = None, chain: bool = True) -> str:
        error = sys.exc_info()[1]
        if isinstance(error, FrontdoorError):
            return str(error)
        return traceback.format_exc(limit, chain)


def install_in_host(host: types.ModuleType | None = None) -> bool:
    """Make the dynamic-provider host print our errors as their message. True when it does.

    Outside the host nothing happens. Inside it, the swap is made only where the host has the shape this
    was written against, and then proven on the host's own wrapper with an error of ours; otherwise the
    host is left as it was (full tracebacks) and one info line says why.
    """
    host = host if host is not None else sys.modules.get("__main__")
    if host is None or not in_dynamic_provider_host(host):
        return False
    if isinstance(getattr(host, "traceback", None), _MessageOnly):
        return True
    problem = _shape_problem(host)
    if problem is None:
        host.traceback = _MessageOnly()  # type: ignore[attr-defined]
        problem = _probe(host)
        if problem is not None:
            host.traceback = traceback  # type: ignore[attr-defined]
    if problem is not None:
        shape_differs("error messages", problem, "errors reach the CLI as the host reports them, unchanged")
        return False
    return True


def _shape_problem(host: types.ModuleType) -> str | None:
    if not callable(getattr(host, WRAPPER, None)):
        return f"the host has no {WRAPPER}"
    if getattr(host, "traceback", None) is not traceback:
        return "the host's name `traceback` is not the traceback module"
    return None


class _Aborted(Exception):
    """What a gRPC context's ``abort`` raises, so the wrapper's call ends there as in the host."""


class _ProbeContext:
    """Records what the host's wrapper answers, as the gRPC servicer context would carry it."""

    def __init__(self) -> None:
        self.details: object = None

    def abort(self, code: object, details: object) -> None:
        self.details = details
        raise _Aborted

    def set_code(self, code: object) -> None:
        pass

    def set_details(self, details: object) -> None:
        self.details = details


def _probe(host: types.ModuleType) -> str | None:
    """Pass an error of ours through the host's own wrapper: what the engine would be told."""
    error = FrontdoorError("fdipsec-pulumi diagnostics probe")

    def fail(self: object, request: object, context: object) -> None:
        raise error

    context = _ProbeContext()
    try:
        getattr(host, WRAPPER)(fail)(None, None, context)
    except _Aborted:
        pass
    except Exception as exc:
        return f"the host's {WRAPPER} raised {type(exc).__name__} when probed"
    if context.details != str(error):
        return f"the host's {WRAPPER} did not answer with format_exc()"
    return None
