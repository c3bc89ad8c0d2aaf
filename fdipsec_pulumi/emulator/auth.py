"""Who may call the API: static bearer tokens, plus short-lived tokens issued to OAuth2 clients.

Issued tokens expire on the emulator's clock, so a test can advance it past the TTL and watch a client
refresh its token without waiting. Secrets are compared in constant time out of habit, not necessity.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from fdipsec_pulumi.emulator.clock import Clock

DEFAULT_TOKEN = "fdipsec-local-token"  # noqa: S105 - documented local default, not a secret
DEFAULT_CLIENTS = {"fdipsec-local": "fdipsec-local-secret"}


@dataclass(frozen=True)
class IssuedToken:
    access_token: str
    expires_in: int

    def __repr__(self) -> str:
        return f"IssuedToken(access_token=<hidden>, expires_in={self.expires_in})"


class Credentials:
    def __init__(self, tokens: Iterable[str], clients: Mapping[str, str], ttl: float, clock: Clock) -> None:
        self._static = frozenset(tokens)
        self._clients = dict(clients)
        self._issued: dict[str, float] = {}
        self._clock = clock
        self._lock = threading.Lock()
        self.ttl = ttl

    def accepts(self, token: str) -> bool:
        if token in self._static:
            return True
        with self._lock:
            expires = self._issued.get(token)
        return expires is not None and self._clock.now() < expires

    def issue(self, client_id: str, client_secret: str) -> IssuedToken | None:
        """A fresh token for a known client, or None when the client or its secret is wrong."""
        expected = self._clients.get(client_id)
        if expected is None or not hmac.compare_digest(expected.encode(), client_secret.encode()):
            return None
        token = f"fde-{secrets.token_urlsafe(32)}"
        now = self._clock.now()
        with self._lock:
            self._issued = {t: exp for t, exp in self._issued.items() if exp > now}
            self._issued[token] = now + self.ttl
        return IssuedToken(access_token=token, expires_in=max(int(self.ttl), 0))
