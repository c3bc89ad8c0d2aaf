"""A bounded record of the API requests the emulator answered, for tests to assert on.

Tests use it to prove what a client did ("exactly one POST, then polling GETs"), so it holds only
method, path, query, status and timing: never headers or bodies, which carry tokens and keys.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import UTC, datetime
from typing import Any


class RequestLog:
    def __init__(self, limit: int = 10_000) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=limit)
        self._lock = threading.Lock()

    def record(
        self, *, method: str, path: str, query: str, status: int | None, at: float, duration_ms: float
    ) -> None:
        entry = {
            "method": method,
            "path": path,
            "query": query,
            "status": status,
            "time": datetime.fromtimestamp(at, UTC).isoformat(timespec="milliseconds"),
            "durationMs": round(duration_ms, 3),
        }
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
