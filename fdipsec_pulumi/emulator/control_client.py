"""A client for the emulator's control API (``/_emulator``, emulator/control.py), as moto ships
``moto_api``: the one way tests, benchmarks and scripts steer an emulator, in-process or a CLI one.

The control API needs no token and answers loopback clients only; its calls stay out of the request log,
so what a test reads there is what the code under test sent.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

import requests

MUTATING = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ControlError(AssertionError):
    """The control API refused a call: a test's steering is wrong, so it fails the way an assert does."""


class ControlClient:
    """One emulator's control API at ``root_url`` (``EmulatorServer.root_url``, without ``/frontdoor``)."""

    def __init__(self, root_url: str, timeout: float = 10.0) -> None:
        self.root_url = root_url.rstrip("/")
        self.root = f"{self.root_url}/_emulator"
        self.timeout = timeout
        self.http = requests.Session()

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """Any control call; ``path`` is relative to ``/_emulator``. The answer's JSON, or None."""
        response = self.http.request(
            method, f"{self.root}/{path.lstrip('/')}", json=body, timeout=self.timeout
        )
        if not response.ok:
            raise ControlError(
                f"{method} /_emulator/{path.lstrip('/')}: {response.status_code} {response.text}"
            )
        return response.json() if response.content else None

    # --- the emulator as a whole -----------------------------------------------------------------

    def reset(self) -> None:
        """Forget every object, fault, planned failure and logged request; delays back to their defaults."""
        self.call("POST", "reset")

    def config(self) -> dict[str, float]:
        found: dict[str, float] = self.call("GET", "config")
        return found

    def configure(self, **delays: float) -> dict[str, float]:
        """Set delays in seconds: ``tunnel_delay``, ``share_delay``, ``delete_delay``, ``token_ttl``
        (camelCase works too)."""
        updated: dict[str, float] = self.call("PUT", "config", delays)
        return updated

    def advance(self, seconds: float) -> None:
        """Move the emulator's clock on, so provisioning and deletion finish without waiting."""
        self.call("POST", "advance", {"seconds": seconds})

    # --- faults ------------------------------------------------------------------------------------

    def fault(self, **spec: Any) -> None:
        """Answer matching requests with an error (emulator/faults.py, ``FaultSpec``)."""
        self.call("POST", "faults", spec)

    def clear_faults(self) -> None:
        self.call("DELETE", "faults")

    def fail_next(self, kind: str, reason: str = "Injected failure") -> None:
        """The next tunnel or share created ends in ERROR with ``reason``."""
        self.call("POST", "fail-next", {"kind": kind, "reason": reason})

    # --- objects -----------------------------------------------------------------------------------

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        """Every tunnel and share as the API shows it, under ``tunnels`` and ``shares``."""
        dumped: dict[str, list[dict[str, Any]]] = self.call("GET", "resources")
        return dumped

    def resources(self, kind: str) -> list[dict[str, Any]]:
        return self.dump()[kind]

    def tunnels(self) -> list[dict[str, Any]]:
        return self.resources("tunnels")

    def shares(self) -> list[dict[str, Any]]:
        return self.resources("shares")

    def set_status(self, kind: str, record_id: str, status: str, reason: str | None = None) -> dict[str, Any]:
        """Put an object in ``status`` as if the API had (an ERROR with ``reason``, say)."""
        changed: dict[str, Any] = self.call(
            "POST", f"resources/{kind}/{record_id}/status", {"status": status, "reason": reason}
        )
        return changed

    def drift(self, kind: str, record_id: str, **changes: Any) -> dict[str, Any]:
        """Change an object's fields behind the provider's back, as a console edit would."""
        changed: dict[str, Any] = self.call("PATCH", f"resources/{kind}/{record_id}", changes)
        return changed

    def purge(self, kind: str, record_id: str) -> None:
        """Remove an object at once, as if someone had deleted it long ago."""
        self.call("DELETE", f"resources/{kind}/{record_id}")

    # --- the request log ---------------------------------------------------------------------------

    def requests(self, method: str | None = None, path_contains: str = "") -> list[dict[str, Any]]:
        """The API requests the emulator answered, oldest first, optionally of one method and path."""
        log: list[dict[str, Any]] = self.call("GET", "requests")
        return [e for e in log if (method is None or e["method"] == method) and path_contains in e["path"]]

    def mutations(self) -> list[dict[str, Any]]:
        return [entry for entry in self.requests() if entry["method"] in MUTATING]

    def clear_requests(self) -> None:
        self.call("DELETE", "requests")

    # --- lifetime ----------------------------------------------------------------------------------

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> ControlClient:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()
