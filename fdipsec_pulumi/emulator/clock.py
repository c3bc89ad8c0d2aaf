"""The emulator's notion of "now".

Every timed behaviour (provisioning delays, purges, token expiry) reads this one clock, so a test can
jump ahead with ``advance`` instead of sleeping, and a unit test can inject a frozen source. Stamps are
wall-clock seconds so that a state file written by one process still makes sense to the next one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class Clock:
    def __init__(self, source: Callable[[], float] = time.time) -> None:
        self._source = source
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        return self._source() + self._offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._offset += seconds

    def reset(self) -> None:
        with self._lock:
            self._offset = 0.0
