"""What the engine sent with the call the dynamic-provider host is serving, beyond what it hands us.

The Python dynamic host passes a provider's ``diff`` the recorded *outputs* as ``olds`` and its ``read``
the recorded outputs as ``props``; the recorded *inputs* stay in the gRPC request (``DiffRequest.
old_inputs``, ``ReadRequest.inputs``). Diffs that the engine can name, and refreshes that record drift as
the engine shows it, need those inputs, so this module finds the request the host's servicer method holds,
by walking up this thread's frames. It answers None when there is no such request (a direct call, a host
of another shape): callers then keep their old, safe behaviour.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

from pulumi.runtime import rpc

# How far up the stack the host's servicer frame may be: host method -> our method (and its wrappers)
# -> helpers -> here.
_MAX_DEPTH = 16


def diff_old_inputs() -> dict[str, Any] | None:
    """The recorded inputs of the Diff the host is serving: what the engine will diff the news against."""
    return _request_struct("DiffRequest", "old_inputs")


def read_old_inputs() -> dict[str, Any] | None:
    """The recorded inputs of the Read the host is serving (a refresh)."""
    return _request_struct("ReadRequest", "inputs")


def _request_struct(request_type: str, field: str) -> dict[str, Any] | None:
    frame: FrameType | None = sys._getframe(2)
    for _ in range(_MAX_DEPTH):
        if frame is None:
            return None
        request: Any = frame.f_locals.get("request")
        if type(request).__name__ == request_type and hasattr(request, field):
            return _deserialize(getattr(request, field)) if request.HasField(field) else None
        frame = frame.f_back
    return None


def _deserialize(struct: Any) -> dict[str, Any]:
    """The host's own decoding, as for ``olds`` and ``news``: unknowns kept as ``rpc.UNKNOWN``."""
    inputs: dict[str, Any] = rpc.deserialize_properties(struct, True)
    return inputs
