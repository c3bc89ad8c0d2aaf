"""What the engine sent with the call the dynamic-provider host is serving, beyond what it hands us.

The Python dynamic host passes a provider's ``diff`` the recorded *outputs* as ``olds`` and its ``read``
the recorded outputs as ``props``; the recorded *inputs* stay in the gRPC request (``DiffRequest.
old_inputs``, ``ReadRequest.inputs``). Diffs that the engine can name, and refreshes that record drift as
the engine shows it, need those inputs, so this module finds the request the host's servicer method holds,
by walking up this thread's frames. It answers None when there is no such request: callers then keep
their old, safe behaviour. Outside the host (a direct call, a test) that is expected and silent; inside
it, the host has another shape than the one this was written against, and that is said in one info line
(``fdipsec_pulumi.shapes``). ``tests/providers/test_sdk_shapes.py`` sends real requests to the installed
SDK's host, so a release that moves the request fails our tests.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

from pulumi.runtime import rpc

from fdipsec_pulumi.providers.hostprocess import in_dynamic_provider_host
from fdipsec_pulumi.shapes import shape_differs

# How far up the stack the host's servicer frame may be: host method -> our method (and its wrappers)
# -> helpers -> here.
_MAX_DEPTH = 16
# The servicer's parameter that holds the gRPC request (``def Diff(self, request, context)``).
REQUEST_LOCAL = "request"


def diff_old_inputs() -> dict[str, Any] | None:
    """The recorded inputs of the Diff the host is serving: what the engine will diff the news against."""
    return _request_struct(
        "DiffRequest", "old_inputs", "diffs compare with the recorded outputs and name no changed inputs"
    )


def read_old_inputs() -> dict[str, Any] | None:
    """The recorded inputs of the Read the host is serving (a refresh)."""
    return _request_struct(
        "ReadRequest", "inputs", "a refresh keeps the recorded inputs and names no drift in them"
    )


def _request_struct(request_type: str, field: str, instead: str) -> dict[str, Any] | None:
    try:
        request = _find_request(sys._getframe(2), request_type)
        if request is None:
            problem = f"no {request_type} named {REQUEST_LOCAL!r} in the frames of the host's servicer"
        elif field not in _fields(request):
            problem = f"the host's {request_type} has no field {field!r}"
        else:
            return _deserialize(getattr(request, field)) if request.HasField(field) else None
    except Exception as exc:  # never fail a diff or a refresh over a better answer
        problem = f"reading {request_type}.{field} failed ({type(exc).__name__}: {exc})"
    if in_dynamic_provider_host():
        shape_differs(f"{request_type}.{field}", problem, instead)
    return None


def _find_request(frame: FrameType | None, request_type: str) -> Any:
    for _ in range(_MAX_DEPTH):
        if frame is None:
            return None
        request: Any = frame.f_locals.get(REQUEST_LOCAL)
        if type(request).__name__ == request_type:
            return request
        frame = frame.f_back
    return None


def _fields(request: Any) -> set[str]:
    descriptor = getattr(request, "DESCRIPTOR", None)
    return set(getattr(descriptor, "fields_by_name", None) or ())


def _deserialize(struct: Any) -> dict[str, Any]:
    """The host's own decoding, as for ``olds`` and ``news``: unknowns kept as ``rpc.UNKNOWN``."""
    inputs: dict[str, Any] = rpc.deserialize_properties(struct, True)
    return inputs
