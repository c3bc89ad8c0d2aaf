"""What the tunnel and share providers share: configuration, clients, validation, waiting, diffs.

A provider instance is pickled into every resource's state by reference, so it must carry nothing at
pickling time. It learns the stack configuration in ``configure`` (inside the provider process, after
unpickling) and builds clients per call from that configuration and the environment, so a rotated
token is picked up without touching state.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, ClassVar, TypeVar

from pulumi.dynamic import CheckFailure, CheckResult, ConfigureRequest, ResourceProvider
from pulumi.output import Unknown
from pydantic import BaseModel, ValidationError

from fdipsec_pulumi.client import FrontdoorClient, Settings
from fdipsec_pulumi.client.errors import FrontdoorError, NotFound, TransportError, WaitFailed
from fdipsec_pulumi.client.models import Share, Status, Tunnel
from fdipsec_pulumi.client.settings import SOURCES
from fdipsec_pulumi.client.waiter import Progress, wait_for

# The engine's placeholder for a value that is not known until apply (pulumi.runtime.rpc.UNKNOWN).
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
# Hidden input that carries ResourceOptions.custom_timeouts to the provider; never diffed.
TIMEOUTS_KEY = "__timeouts"
# Hidden input that carries ResourceOptions.replace_on_changes: the Python dynamic host sends the engine
# no list of changed keys, so the engine cannot apply it to an in-place update by itself.
REPLACE_ON_CHANGES_KEY = "__replaceOnChanges"
# Hidden input that carries ResourceOptions.import_: the engine's import step calls Read with the id alone,
# without the pickled provider, so a dynamic resource cannot be imported (pulumi#16175). Create adopts the
# named object instead, after checking that it matches the declared inputs.
IMPORT_KEY = "__importId"

ModelT = TypeVar("ModelT", bound=BaseModel)
RemoteT = TypeVar("RemoteT", Tunnel, Share)

_clients: dict[Settings, FrontdoorClient] = {}
_clients_lock = threading.Lock()


def is_unknown(value: object) -> bool:
    """During preview, check and diff see values that are not known yet, in either of two forms."""
    return isinstance(value, Unknown) or (isinstance(value, str) and value == UNKNOWN)


def normalized(props: Mapping[str, Any]) -> dict[str, Any]:
    """Props as the models expect them: numbers cross the engine as doubles, so 8443.0 is 8443 again."""
    return {
        key: int(value) if isinstance(value, float) and value.is_integer() else value
        for key, value in props.items()
    }


def report(update: Progress) -> None:
    """The only progress channel a dynamic provider has is stdout; the CLI shows it as info lines."""
    status = update.status.value if update.status is not None else "not found yet"
    print(f"{update.resource}: {status} after {update.elapsed:.0f}s", flush=True)


def report_deletion(update: Progress) -> None:
    """While deleting, a 404 is the goal reached, not an object that has yet to appear."""
    status = update.status.value if update.status is not None else "gone"
    print(f"{update.resource}: {status} after {update.elapsed:.0f}s", flush=True)


class FrontdoorProvider(ResourceProvider):
    """Base for both providers. Subclasses set ``kind`` and the timeouts that suit the object."""

    kind: ClassVar[str] = ""
    noun: ClassVar[str] = ""
    default_timeouts: ClassVar[Mapping[str, float]] = {}
    serialize_as_secret_always = True

    def configure(self, req: ConfigureRequest) -> None:
        # Only our own keys are kept; they are never pickled (configure runs after unpickling).
        self._stack_config = {
            key: str(value) for key, _ in SOURCES.values() if (value := req.config.get(key)) is not None
        }

    def __getstate__(self) -> dict[str, Any] | None:
        """Never pickle the stack configuration (it holds the token), even from a configured instance:
        a program that reused a provider object would otherwise write the token into every resource's
        state, and a state file outlives a rotated token. None when nothing is left, as ``object`` does,
        so the pickle (and the recorded ``__provider``) stays byte-for-byte what it always was."""
        state = {key: value for key, value in self.__dict__.items() if key != "_stack_config"}
        return state or None

    # --- clients and settings -------------------------------------------------------------------

    def settings(self) -> Settings:
        return Settings.resolve(config=getattr(self, "_stack_config", {}), environ=os.environ)

    def client(self) -> FrontdoorClient:
        """One client per distinct settings in this process, shared by the engine's worker threads."""
        settings = self.settings()
        with _clients_lock:
            client = _clients.get(settings)
            if client is None:
                client = _clients[settings] = FrontdoorClient(settings)
            return client

    def frontdoor_id(self, props: Mapping[str, Any]) -> str:
        return self.settings().require_frontdoor_id(props.get("frontdoorId"))

    def effective_frontdoor(self, props: Mapping[str, Any]) -> Any:
        """The Frontdoor an input means: its own, else the stack's, so a diff compares like with like."""
        given = props.get("frontdoorId")
        return given if given is not None else self.settings().frontdoor_id

    # --- check ----------------------------------------------------------------------------------

    def validate(self, model: type[ModelT], news: Mapping[str, Any], fields: Iterable[str]) -> CheckResult:
        """Validate the known, non-null inputs with the wire model; one failure per field."""
        news = normalized(news)
        known = {k: v for k, v in news.items() if k in fields and v is not None and not is_unknown(v)}
        unknown = {k for k, v in news.items() if is_unknown(v)}
        failures: list[CheckFailure] = []
        try:
            model.model_validate(known)
        except ValidationError as exc:
            seen: set[str] = set()
            for error in exc.errors():
                field = str(error["loc"][0]) if error["loc"] else ""
                if field in unknown or field in seen:
                    continue
                seen.add(field)
                failures.append(CheckFailure(field, _reason(field, error, news)))
        frontdoor_id = news.get("frontdoorId")
        if frontdoor_id is not None and not is_unknown(frontdoor_id) and not str(frontdoor_id).strip():
            failures.append(CheckFailure("frontdoorId", "frontdoorId must not be empty"))
        failures.extend(self.check_timeouts(news.get(TIMEOUTS_KEY)))
        return CheckResult(dict(news), failures)

    def check_timeouts(self, timeouts: object) -> list[CheckFailure]:
        if timeouts is None or is_unknown(timeouts):
            return []
        if not isinstance(timeouts, Mapping):
            return [CheckFailure(TIMEOUTS_KEY, f"custom_timeouts must be a mapping, got {timeouts!r}")]
        return [
            CheckFailure(TIMEOUTS_KEY, f"custom_timeouts.{op}={value!r} is not a positive number of seconds")
            for op, value in timeouts.items()
            if value is not None and (not isinstance(value, int | float) or value <= 0)
        ]

    # --- creating ---------------------------------------------------------------------------------

    def adopt_or_post(
        self, name: str, find: Callable[[], RemoteT | None], post: Callable[[], RemoteT]
    ) -> RemoteT:
        """Adopt what ``find`` returns, else POST once. An exception from create loses the remote object
        (the engine records nothing), so an earlier run's leftover is adopted rather than duplicated, and
        after an ambiguous failure (sent, no answer) we look again instead of POSTing twice."""
        found = find()
        if found is not None:
            print(
                f"{self.kind} {name}: adopting existing {self.noun} {found.id} ({found.status.value})",
                flush=True,
            )
            return found
        try:
            return post()
        except TransportError as exc:
            found = find() if exc.ambiguous else None
            if found is None:
                raise
            return found

    # --- waiting --------------------------------------------------------------------------------

    def timeout(self, props: Mapping[str, Any], operation: str) -> float:
        custom = props.get(TIMEOUTS_KEY) or {}
        value = custom.get(operation) if isinstance(custom, Mapping) else None
        return float(value) if value else float(self.default_timeouts[operation])

    def wait_deployed(
        self,
        name: str,
        remote_id: str,
        refresh: Callable[[], RemoteT],
        timeout: float,
        remove: Callable[[], Any] | None = None,
    ) -> RemoteT:
        """Wait for DEPLOYED. On failure, ``remove`` (when given) deletes the failed object first: one in
        ERROR is useless and would hold its name, location or port. The API's reason is what is raised."""
        try:
            deployed: RemoteT = wait_for(
                refresh,
                pending={Status.NEW},
                target={Status.DEPLOYED},
                failure={Status.ERROR, Status.DELETING, Status.DELETED},
                timeout=timeout,
                describe=f"{self.kind} {name} ({remote_id})",
                on_progress=report,
            )
        except WaitFailed as exc:
            reason = getattr(exc.last, "status_message", None) or str(exc)
            if remove is not None:
                try:
                    self.delete_and_wait(name, remote_id, remove, refresh, self.default_timeouts["delete"])
                except FrontdoorError as cleanup:
                    reason += f" (and removing the failed {self.noun} failed: {cleanup})"
            message = f"{self.kind} {name} ({remote_id}) failed to deploy: {reason}"
            raise WaitFailed(message, last=exc.last) from None
        return deployed

    def wait_gone(self, name: str, remote_id: str, refresh: Callable[[], Any], timeout: float) -> None:
        wait_for(
            refresh,
            pending={Status.DELETING, Status.NEW, Status.DEPLOYED},
            target={Status.DELETED},
            failure={Status.ERROR},
            timeout=timeout,
            describe=f"{self.kind} {name} ({remote_id})",
            gone_is_target=True,
            on_progress=report_deletion,
        )

    def delete_and_wait(
        self, name: str, remote_id: str, delete: Callable[[], Any], get: Callable[[], Any], timeout: float
    ) -> None:
        """DELETE, then wait for DELETED or 404; an object that is already gone counts as deleted."""
        try:
            delete()
        except NotFound:
            return
        self.wait_gone(name, remote_id, get, timeout)


def changed_keys(
    olds: Mapping[str, Any], news: Mapping[str, Any], keys: Iterable[str], server_filled: Iterable[str] = ()
) -> list[str]:
    """Input keys whose new value differs from the recorded one.

    An omitted input the server fills in (``None`` in ``news``) never counts as a change, so leaving the
    location or the NLB address to the API gives no perpetual diff. Unknown values count as changes: they
    may differ once known, and the engine needs to know what would be replaced.
    """
    filled = set(server_filled)
    changed = []
    for key in keys:
        new = news.get(key)
        if new is None and key in filled:
            continue
        if is_unknown(new) or new != olds.get(key):
            changed.append(key)
    return changed


def read_inputs(
    outs: Mapping[str, Any], props: Mapping[str, Any], inputs: Iterable[str], server_filled: Iterable[str]
) -> dict[str, Any] | None:
    """The inputs a read reports. A refresh (``props`` are recorded outputs) keeps the recorded inputs,
    so it never causes a diff by itself; a ``get`` or an import has only the program's inputs, so it takes
    the API's values for the inputs the program gave and leaves the server-filled ones it omitted out.
    """
    if "status" in props:
        return None
    filled = set(server_filled)
    return {key: outs.get(key) for key in inputs if props.get(key) is not None or key not in filled}


def carried_inputs(props: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs an object's outputs repeat; the timeouts ride along so that delete can honour them."""
    return {key: value for key, value in props.items() if not key.startswith("__") or key == TIMEOUTS_KEY}


def forced_replacements(news: Mapping[str, Any], changed: Iterable[str]) -> list[str]:
    """The changed keys the user asked to replace on (``replace_on_changes``; ``*`` means all)."""
    wanted = news.get(REPLACE_ON_CHANGES_KEY) or []
    return [key for key in changed if key in wanted or "*" in wanted]


def _reason(field: str, error: Any, news: Mapping[str, Any]) -> str:
    if error["type"] == "missing":
        return f"{field} is required"
    value = news.get(field)
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return f"{field} is not a known input"
    return f"invalid value for {field} ({value!r}): {message}"
