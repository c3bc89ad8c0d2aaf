"""Shared checks for the fault matrix: what "converged" means, read from the emulator and the state.

Every fault test ends with ``converge``: a clean ``pulumi up``, ``pulumi preview --expect-no-changes``,
and then the three properties the matrix promises, checked against the emulator itself:

- no duplicate: at most one live object per resource (the test stacks give every object its own name);
- no orphan: every live object is tracked by the stack, and every tracked object is live, as recorded;
- no stray write: each test compares the API's accepted writes (``accepted_writes``) with exactly the
  writes its fault and its recovery justify.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any, cast

import requests

from fdipsec_pulumi.emulator import ControlClient, EmulatorServer
from fdipsec_pulumi.emulator.control_client import ControlError
from tests.e2e.conftest import SHARE_TYPE, TUNNEL_TYPE, Emulator
from tests.e2e.harness import Project
from tests.e2e.test_resources import assert_state_matches_emulator

GONE = frozenset({"DELETING", "DELETED"})
_WRITE_PATH = re.compile(r"/v2/[^/]+/ipsec-(?P<kind>tunnel|share)s(?:/[^/]+)?$")
_MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def live(emulator: Emulator) -> dict[str, list[dict[str, Any]]]:
    """The emulator's objects that are not being deleted, by kind."""
    return {
        kind: [o for o in objects if o["status"] not in GONE] for kind, objects in emulator.dump().items()
    }


def writes(emulator: Emulator) -> list[tuple[str, str, int | None]]:
    """Every write the API saw, as (method, kind, status); a dropped connection has status None."""
    found = []
    for entry in emulator.requests():
        match = _WRITE_PATH.search(entry["path"])
        if entry["method"] in _MUTATING and match:
            found.append((entry["method"], match["kind"], entry["status"]))
    return found


def accepted_writes(emulator: Emulator) -> Counter[tuple[str, str]]:
    """(method, kind) -> how many such writes the API handled and answered with a 2xx."""
    return Counter((m, k) for m, k, status in writes(emulator) if status is not None and status < 300)


def assert_no_duplicate_no_orphan(stack: Project, emulator: Emulator) -> None:
    now = live(emulator)
    for kind, objects in now.items():
        names = Counter(o["name"] for o in objects)
        assert all(n == 1 for n in names.values()), f"duplicate {kind}: {objects}"
    tracked = {r["id"] for r in stack.resources(TUNNEL_TYPE) + stack.resources(SHARE_TYPE)}
    untracked = [o for objects in now.values() for o in objects if o["id"] not in tracked]
    assert untracked == [], f"orphans (live, not in the stack): {untracked}"
    assert all(o["status"] == "DEPLOYED" for objects in now.values() for o in objects), now
    assert_state_matches_emulator(stack, emulator)


def converge(stack: Project, emulator: Emulator) -> subprocess.CompletedProcess[str]:
    """The end of every fault test: a clean up, a preview with no changes, no duplicate, no orphan."""
    emulator.call("DELETE", "faults")
    up = stack.up()
    stack.run("preview", "--expect-no-changes")
    assert_no_duplicate_no_orphan(stack, emulator)
    return up


def fault(emulator: Emulator, **spec: Any) -> None:
    emulator.call("POST", "faults", spec)


class Background:
    """A pulumi command running while the test injects a fault; ``result`` waits for it."""

    def __init__(self, stack: Project, *args: str) -> None:
        self._result: subprocess.CompletedProcess[str] | None = None
        self._thread = threading.Thread(target=self._run, args=(stack, args), daemon=True)
        self._thread.start()

    def _run(self, stack: Project, args: tuple[str, ...]) -> None:
        self._result = stack.run(*args, check=False)

    def result(self, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        self._thread.join(timeout)
        assert self._result is not None, "the pulumi command did not finish"
        return self._result


class EmulatorProcess:
    """``python -m fdipsec_pulumi.emulator`` on a fixed port and a state file, so it can be restarted
    under a running ``pulumi up``. It has the ``url``/``root_url`` an ``Emulator`` needs."""

    def __init__(self, state_file: Path, *flags: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.root_url = f"http://127.0.0.1:{self.port}"
        self.url = f"{self.root_url}/frontdoor"
        self._argv = [
            sys.executable,
            "-m",
            "fdipsec_pulumi.emulator",
            "--port",
            str(self.port),
            "--state-file",
            str(state_file),
            *flags,
        ]
        self._proc: subprocess.Popen[bytes] | None = None
        self._log = state_file.with_suffix(".log")

    def start(self) -> None:
        with self._log.open("ab") as log:
            self._proc = subprocess.Popen(self._argv, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        probe = ControlClient(self.root_url, timeout=1)
        while True:
            try:
                probe.config()
                probe.close()
                return
            except (requests.ConnectionError, ControlError):
                pass
            assert self._proc.poll() is None, self._log.read_text()
            assert time.monotonic() < deadline, f"the emulator did not start: {self._log.read_text()}"
            time.sleep(0.1)

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            self._proc.wait(timeout=30)
        self._proc = None

    def emulator(self) -> Emulator:
        return Emulator(cast(EmulatorServer, self))
