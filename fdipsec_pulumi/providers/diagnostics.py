"""One clean diagnostic per failure: the message a user can act on, not a Python traceback.

Pulumi's Python dynamic-provider host answers every exception with ``traceback.format_exc()``
(``_abort_with_traceback`` in ``pulumi/dynamic/__main__.py``), so a wrong token printed some thirty lines
of frames before the one line that mattered. Two pieces fix that:

- ``reported`` wraps each provider operation: an error of ours (a ``FrontdoorError``) leaves it naming
  the resource and the operation, besides the API's status, reason and hint (config key, field or
  command) that it already carries; its type is kept, so callers still catch it by meaning;
- ``install_in_host`` makes that host print such an error as its message alone. It acts only inside the
  host process and only when the host has the shape it was written against (SDK 3.272.0); anything else,
  our own bugs included, keeps the full traceback.
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

F = TypeVar("F", bound=Callable[..., Any])


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
    """Make the dynamic-provider host print our errors as their message. True when it did."""
    host = host if host is not None else sys.modules.get("__main__")
    if host is None or not _is_dynamic_host(host):
        return False
    if isinstance(getattr(host, "traceback", None), _MessageOnly):
        return True
    if getattr(host, "traceback", None) is not traceback:
        return False  # a host of another shape: leave it as it is
    host.traceback = _MessageOnly()  # type: ignore[attr-defined]
    return True


def _is_dynamic_host(module: types.ModuleType) -> bool:
    return (
        in_dynamic_provider_host(module)
        and callable(getattr(module, "_abort_with_traceback", None))
        and hasattr(module, "DynamicResourceProviderServicer")
    )
