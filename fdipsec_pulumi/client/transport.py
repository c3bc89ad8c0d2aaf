"""HTTP with retries that never duplicate a create, and with the credentials attached.

Retry policy (numbers in ``RetryPolicy``):

- GET, PUT, PATCH and DELETE are idempotent here (PUT and PATCH set absolute values), so they are
  retried after connection errors, timeouts, 429 and 502/503/504.
- POST is retried only when the server certainly did not act on it: a 429 (the API refuses rate-limited
  requests before processing them) and a connection that could not even be opened. A POST whose
  connection dropped after it was sent, or that got a 5xx, is NOT retried: the create may have happened,
  so it raises ``TransportError(ambiguous=True)`` or ``ServerError`` and the caller looks the object up
  (the providers list its look-alikes, providers/adoption.py) before trying again.
- A 429's Retry-After is honoured when it is at most ``max_retry_after``; a longer one is not waited
  out but raised as ``RateLimited`` so a deploy does not hang silently. Other retries back off
  exponentially with jitter. Both are bounded by time, not by a count of attempts: a request rides out
  ``max_elapsed`` seconds of trouble (the ``retryTimeout`` setting), whether the API answers 503 ten
  times fast or twice slowly, and then raises the last answer with how long it was tried.
- Each retry is told to ``on_retry`` (the providers print it: the only progress channel they have).
- A 401 is retried once with a freshly fetched token when the credentials can be refreshed.
- A Retry-After on a 429 is a statement about the client, not about one request: every thread of this
  transport holds its next request until it has passed, so 64 workers do not each learn it separately.

Each thread gets its own ``requests.Session`` (sessions are not thread-safe; the provider host serves up
to ``fdipsec:maxConcurrency`` calls at once). Log lines carry method, path, status, duration and request
id (and for a connection failure the library's reason, scrubbed of known secrets), never headers or
bodies, so neither the credentials nor a pre-shared key can reach a log.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase
from requests.models import PreparedRequest
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError

from fdipsec_pulumi.client.auth import token_source_for
from fdipsec_pulumi.client.errors import (
    API,
    Endpoint,
    TransportError,
    error_from_response,
    parse_retry_after,
    redact,
)
from fdipsec_pulumi.client.settings import DEFAULT_RETRY_TIMEOUT, Settings, names

logger = logging.getLogger("fdipsec_pulumi.client")

IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "PATCH", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})
JSON = "application/json"

Params = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class RetryPolicy:
    max_elapsed: float = DEFAULT_RETRY_TIMEOUT
    backoff_base: float = 0.5
    backoff_cap: float = 5.0
    max_retry_after: float = 30.0
    connect_timeout: float = 10.0
    read_timeout: float = 60.0

    def backoff(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """Delay after failed attempt ``attempt`` (1-based): exponential, capped, 50-100% jitter.

        Half the delay is fixed so retries never bunch up near zero; the other half spreads the
        provider's threads apart.
        """
        ceiling = min(self.backoff_cap, self.backoff_base * 2.0 ** min(attempt - 1, 32))
        return ceiling * (0.5 + rng() / 2)


class Transport:
    def __init__(
        self,
        settings: Settings,
        *,
        policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        user_agent: str = "fdipsec-pulumi",
        on_retry: Callable[[str], None] | None = None,
    ) -> None:
        api_url = urlsplit(settings.api_url)
        self._root_url = f"{api_url.scheme}://{api_url.netloc}"
        self.base_path = api_url.path
        self._policy = policy or RetryPolicy(max_elapsed=settings.retry_timeout)
        self._on_retry = on_retry
        self._clock = clock
        self._sleep = sleep
        self._user_agent = user_agent
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()
        # Clock time before which no thread sends: the API's last Retry-After on a 429.
        self._hold_until = 0.0
        self._hold_lock = threading.Lock()
        self._auth = token_source_for(settings, self._post_token_request, clock)
        self._static_secrets = (settings.token, settings.client_secret)
        # A 401/403 names this server and the settings that chose the credentials it refused.
        self._endpoint = Endpoint(origin=self._root_url, check=self._auth.check)

    def __repr__(self) -> str:
        return f"Transport({self._root_url + self.base_path!r})"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        body: Mapping[str, Any] | None = None,
        accept: str = JSON,
    ) -> requests.Response:
        """Send a request for ``path`` (which starts with ``base_path``); non-2xx answers are raised."""
        for attempt in ("first", "after refresh"):
            token = self._auth.token()
            answer = self._send(
                method,
                self._root_url + path,
                path=path,
                headers={"Accept": accept},
                auth=_Authorization(self._auth.authorization(token)),
                params=params,
                body=body,
                idempotent=method in IDEMPOTENT_METHODS,
            )
            response = answer.response
            if response.status_code == 401 and self._auth.refreshable and attempt == "first":
                logger.debug("%s %s got 401; fetching a new token and retrying once", method, path)
                self._auth.invalidate(token)
                continue
            break
        if response.status_code >= 400:
            raise error_from_response(
                response,
                method=method,
                path=path,
                secrets=self.secrets(),
                endpoint=self._endpoint,
                retried=self._retried(answer),
            )
        return response

    @property
    def retry_budget(self) -> float:
        """Seconds one request may spend on retries; a create repeating its POST keeps to it too."""
        return self._policy.max_elapsed

    def budget_spent(self, attempts: int, elapsed: float) -> str:
        """How long a request was tried, for the message of the error that ends it."""
        return (
            f"gave up after {attempts} attempt(s) over {elapsed:.0f} s, the retry budget of "
            f"{self._policy.max_elapsed:g} s ({names('retry_timeout')})"
        )

    def _retried(self, answer: _Answer) -> str | None:
        return None if answer.attempts <= 1 else self.budget_spent(answer.attempts, answer.elapsed)

    def secrets(self) -> tuple[str, ...]:
        """Every credential this transport knows, for scrubbing text that came from outside."""
        return tuple(s for s in (*self._static_secrets, *self._auth.secrets()) if s)

    def close(self) -> None:
        with self._sessions_lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def _post_token_request(
        self, url: str, form: dict[str, str], basic_auth: tuple[str, str]
    ) -> requests.Response:
        # Asking for a token twice has no side effect, so token requests retry like GETs.
        return self._send(
            "POST",
            url,
            path=urlsplit(url).path,
            headers={"Accept": JSON},
            form=form,
            auth=basic_auth,
            idempotent=True,
        ).response

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers["User-Agent"] = self._user_agent
            self._local.session = session
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def _send(
        self,
        method: str,
        url: str,
        *,
        path: str,
        headers: dict[str, str],
        idempotent: bool,
        params: Params | None = None,
        body: Mapping[str, Any] | None = None,
        form: dict[str, str] | None = None,
        auth: AuthBase | tuple[str, str] | None = None,
    ) -> _Answer:
        started = self._clock()
        attempt = 0
        while True:
            attempt += 1
            self._wait_for_hold(method, path)
            sent_at = self._clock()
            try:
                response = self._session().request(
                    method,
                    url,
                    params=params,
                    json=body,
                    data=form,
                    auth=auth,
                    headers=headers,
                    timeout=(self._policy.connect_timeout, self._policy.read_timeout),
                    allow_redirects=False,
                )
            except requests.RequestException as exc:
                reached = _may_have_reached_server(exc)
                reason = redact(f"{type(exc).__name__}: {exc}", self.secrets())
                logger.debug("%s %s failed after %.0f ms: %s", method, path, self._ms(sent_at), reason)
                delay = self._policy.backoff(attempt)
                if (idempotent or not reached) and self._may_retry(started, delay):
                    self._pause(method, path, started, delay, "no answer (connection failed)")
                    continue
                raise TransportError(
                    f"no response from the Frontdoor API to {method} {path}: {reason}"
                    + (f" ({self.budget_spent(attempt, self._clock() - started)})" if attempt > 1 else "")
                    + (
                        "; the request may have been processed, so look the object up before repeating it"
                        if reached and not idempotent
                        else ""
                    ),
                    ambiguous=reached,
                    method=method,
                    path=path,
                ) from None
            logger.debug(
                "%s %s -> %s in %.0f ms [request id %s]",
                method,
                path,
                response.status_code,
                self._ms(sent_at),
                response.headers.get("X-Request-Id", "-"),
            )
            retry_delay = self._retry_delay(response, attempt, idempotent)
            if retry_delay is None or not self._may_retry(started, retry_delay):
                return _Answer(response, attempt, self._clock() - started)
            response.close()
            self._pause(method, path, started, retry_delay, f"HTTP {response.status_code}")

    def _retry_delay(self, response: requests.Response, attempt: int, idempotent: bool) -> float | None:
        """How long to wait before repeating this response's request, or None to stop here."""
        status = response.status_code
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if status == 429:
            if retry_after is None:
                return self._policy.backoff(attempt)
            if retry_after > self._policy.max_retry_after:
                return None
            with self._hold_lock:
                self._hold_until = max(self._hold_until, self._clock() + retry_after)
            return retry_after
        if status in RETRY_STATUSES and idempotent:
            backoff = self._policy.backoff(attempt)
            if retry_after is None:
                return backoff
            return max(backoff, retry_after) if retry_after <= self._policy.max_retry_after else None
        return None

    def _wait_for_hold(self, method: str, path: str) -> None:
        """Honour a Retry-After another thread was given (see the module docstring)."""
        with self._hold_lock:
            delay = self._hold_until - self._clock()
        if delay > 0:
            logger.debug("%s %s: holding %.2f s for the API's Retry-After", method, path, delay)
            self._sleep(delay)

    def _may_retry(self, started: float, delay: float) -> bool:
        return self._clock() - started + delay <= self._policy.max_elapsed

    def _pause(self, method: str, path: str, started: float, delay: float, why: str) -> None:
        left = self._policy.max_elapsed - (self._clock() - started)
        line = f"{method} {path}: {why}; retrying in {delay:.1f} s ({left:.0f} s of the retry budget left)"
        logger.info("%s", line)
        if self._on_retry is not None:
            self._on_retry(f"{API}: {line}")
        self._sleep(delay)

    def _ms(self, since: float) -> float:
        return (self._clock() - since) * 1000


class _Answer(NamedTuple):
    """A response and what it took, so the error that ends a retried request says how long it was tried."""

    response: requests.Response
    attempts: int
    elapsed: float


class _Authorization(AuthBase):
    """Passing auth explicitly also keeps requests from replacing it with ~/.netrc credentials."""

    def __init__(self, value: str) -> None:
        self._value = value

    def __repr__(self) -> str:
        return "_Authorization(<redacted>)"

    def __call__(self, request: PreparedRequest) -> PreparedRequest:
        request.headers["Authorization"] = self._value
        return request


def _may_have_reached_server(exc: requests.RequestException) -> bool:
    """False only when the connection was never opened, so not a byte of the request left."""
    if isinstance(exc, requests.ConnectTimeout):
        return False
    cause = exc.args[0] if exc.args else None
    return not (isinstance(cause, MaxRetryError) and isinstance(cause.reason, ConnectTimeoutError))
