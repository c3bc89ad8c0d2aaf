"""One info line when another package's private shape is not the one our code was written against.

Five places reach into private shapes of other packages: the dynamic-provider host's executor
(``providers/hostpool``), its servicer's ``request`` local (``providers/served``), its ``traceback`` name
(``providers/diagnostics``), how it is started (``providers/hostprocess``) and uvicorn's protocol and
server internals (``emulator/server``). Each keeps working without its shape, in the stock way, and says
so here, once per process and place, in one line: what it could not find and what it does instead. A
line rather than an exception because each is an improvement the user can live without, and a line
rather than silence so that an SDK or uvicorn release that changed the shape is noticed.

In the dynamic-provider host, stdout is the only channel the CLI shows (as an info line), so that is the
default; the emulator passes its logger instead.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

PREFIX = "fdipsec-pulumi: "

_said: set[str] = set()
_lock = threading.Lock()


def to_stdout(line: str) -> None:
    """The dynamic-provider host's only progress channel: the CLI shows each stdout line as info."""
    print(PREFIX + line, flush=True)


def shape_differs(place: str, problem: str, instead: str, *, emit: Callable[[str], None] = to_stdout) -> bool:
    """Say, once per process for ``place``, what was not found (``problem``) and what is done ``instead``.

    Returns whether the line was emitted now. Never raises: it is called on paths that must go on.
    """
    with _lock:
        if place in _said:
            return False
        _said.add(place)
    try:
        emit(f"{place}: {problem}; {instead}")
    except Exception:  # a closed stdout must not turn a fallback into a failure
        return False
    return True
