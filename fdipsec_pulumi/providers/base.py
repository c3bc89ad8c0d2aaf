"""The shape both providers share: configuration, clients and shared listings, check, and the create
path. The create policy lives in ``creating``, the waits in ``waiting``, and the input helpers in
``inputs``.

The pickled classes are the shells in ``tunnel.py`` and ``share.py`` (``shell.py``); these run in the
provider process behind them. They learn the stack configuration in ``configure`` (after unpickling)
and build clients per call from that configuration and the environment, so a rotated token is picked up
without touching state.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar, Generic, TypeVar

from pulumi.dynamic import CheckFailure, CheckResult, ConfigureRequest, CreateResult, ResourceProvider
from pydantic import BaseModel, ValidationError

from fdipsec_pulumi.client import FrontdoorClient, Settings
from fdipsec_pulumi.client.errors import FrontdoorError
from fdipsec_pulumi.client.models import RequestModel, Status
from fdipsec_pulumi.client.poller import GATHER, Burst, Snapshots, shared
from fdipsec_pulumi.client.settings import SOURCES
from fdipsec_pulumi.contract import IMPORT_KEY, OWNER_KEY, TIMEOUTS_KEY
from fdipsec_pulumi.fields.table import snake_case
from fdipsec_pulumi.providers import creating, hostpool
from fdipsec_pulumi.providers.adoption import Operations, Remote, RemoteT, imported, without_settled_import
from fdipsec_pulumi.providers.claims import Claim, claim_conflict, declared_twice, holds
from fdipsec_pulumi.providers.diagnostics import reported
from fdipsec_pulumi.providers.inputs import failure_reason, is_unknown, normalized
from fdipsec_pulumi.providers.journal import JOURNAL_DIR_CONFIG, JournalSlot, journal_dir, journal_slot
from fdipsec_pulumi.providers.waiting import Waiting, say

# Listings for the shared per-Frontdoor snapshots: one page holds a large Frontdoor.
LIST_PAGE_SIZE = 1000
ModelT = TypeVar("ModelT", bound=BaseModel)
WriteT = TypeVar("WriteT")

# The checks before a create's first POST accept a listing sent this long before the create began, such
# as the one its own check read a moment earlier: an object an earlier run made, or another team's, was
# there before either. Not one sent before a DELETE or PATCH of ours (``changing``), which would show the
# object as it was; and a POST whose outcome is unknown is followed by a listing sent after it.
RECENT_LISTING = 2.0
# The reads this process is serving, as one run while they overlap (a refresh).
READS = Burst()
# (kind, Frontdoor) whose listing a check could not read; their later checks do not try again.
_UNREADABLE: set[tuple[str, str]] = set()

_clients: dict[Settings, FrontdoorClient] = {}
_clients_lock = threading.Lock()


def wire_values(values: Mapping[str, Any]) -> Callable[[Any], bool]:
    """Whether a listed object's wire fields hold these values, read by attribute: dumping every listed
    object for every create made a fleet's look-alike checks grow with the square of its size."""
    attributes = {snake_case(key): str(value) for key, value in values.items()}
    return lambda found: all(str(getattr(found, name, None)) == value for name, value in attributes.items())


class FrontdoorProvider(Waiting, ResourceProvider, Generic[RemoteT]):
    """Base for both providers: one check and one create path. Subclasses name the request model and
    its fields, how to reach their kind of object, and the timeouts that suit it."""

    # The POST body: the request model and, explicitly, the input keys it is built from.
    body_model: ClassVar[type[RequestModel]]
    body_fields: ClassVar[tuple[str, ...]] = ()

    def configure(self, req: ConfigureRequest) -> None:
        # Only our own keys are kept; the shell never pickles this object (providers/shell.py).
        keys = [key for key, _ in SOURCES.values()] + [JOURNAL_DIR_CONFIG]
        self._stack_config = {key: str(value) for key in keys if (value := req.config.get(key)) is not None}
        # Inside the dynamic-provider host only: serve more than its stock four calls at once.
        hostpool.widen({hostpool.CONFIG_KEY: req.config.get(hostpool.CONFIG_KEY)})

    # --- what each kind provides --------------------------------------------------------------

    operations: ClassVar[Operations[Any]]

    def remote(self, client: FrontdoorClient, frontdoor_id: str, body: RequestModel) -> Remote[RemoteT]:
        """This kind of object in one Frontdoor, as create reaches it."""
        ops: Operations[RemoteT] = self.operations
        wanted = {key: body.to_wire()[key] for key in ops.same_name_fields}
        # The look-alike and claim checks share one listing, usually the one the check read.
        recent = max(time.monotonic() - RECENT_LISTING, self.listing(client, frontdoor_id).changed_at)
        return Remote(
            kind=self.kind,
            noun=self.noun,
            frontdoor_id=frontdoor_id,
            get=lambda object_id: ops.get(client, object_id, frontdoor_id),
            post=lambda: ops.create(client, body, frontdoor_id),
            delete=lambda object_id: self.remove(client, frontdoor_id, object_id),
            same_named=lambda not_before: self.matching(client, frontdoor_id, wanted, not_before),
            watch=self.watcher(client, frontdoor_id),
            listed_since=recent,
            claimed=lambda: claim_conflict(
                ops.claim,
                self.kind,
                self.noun,
                body,
                lambda by: self.matching(client, frontdoor_id, by, recent),
            ),
        )

    def matching(
        self,
        client: FrontdoorClient,
        frontdoor_id: str,
        values: Mapping[str, Any],
        not_before: float | None = None,
    ) -> list[RemoteT]:
        """The objects of the Frontdoor's shared listing (fresh, or sent at or after ``not_before``) whose
        wire fields hold these values."""
        holds = wire_values(values)
        return [found for found in self.fresh(client, frontdoor_id, not_before).values() if holds(found)]

    def outputs(self, client: FrontdoorClient, found: RemoteT, props: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def list_all(self, client: FrontdoorClient, frontdoor_id: str) -> Iterable[RemoteT]:
        listed: Iterable[RemoteT] = self.operations.list(client, frontdoor_id, page_size=LIST_PAGE_SIZE)
        return listed

    # --- shared listings (client/poller.py) -----------------------------------------------------

    def listing(self, client: FrontdoorClient, frontdoor_id: str) -> Snapshots[RemoteT]:
        """This process's one shared listing of our kind in ``frontdoor_id``: every waiter, look-alike
        check and read on that Frontdoor shares its requests, so a fleet does not multiply them."""
        return shared(client, self.kind, frontdoor_id, lambda: self.list_all(client, frontdoor_id))

    def remove(self, client: FrontdoorClient, frontdoor_id: str, object_id: str) -> Any:
        """The DELETE of one object of our kind (every delete goes through here, see ``changing``)."""
        ops: Operations[RemoteT] = self.operations
        return self.changing(client, frontdoor_id, lambda: ops.delete(client, object_id, frontdoor_id))

    def changing(self, client: FrontdoorClient, frontdoor_id: str, write: Callable[[], WriteT]) -> WriteT:
        """A DELETE or PATCH; once answered (or failed), a create's checks need a listing sent after it."""
        try:
            return write()
        finally:
            self.listing(client, frontdoor_id).changed()

    def watcher(self, client: FrontdoorClient, frontdoor_id: str) -> Callable[[str, float], RemoteT]:
        """A waiter's poll: the object from a listing sent at or after the poll's planned time, which
        the other waiters polling at that time share."""
        return self.listing(client, frontdoor_id).get

    @contextmanager
    def reading(self, client: FrontdoorClient, frontdoor_id: str) -> Iterator[Mapping[str, RemoteT]]:
        """For a read: every object of our kind in ``frontdoor_id`` from a listing sent at or after the
        reads overlapping this one began (client/poller.py ``Burst``), so a refresh lists each Frontdoor
        and kind once. Held for the whole read, which keeps the run unbroken while later reads arrive."""
        with READS.joined() as began:
            yield self.listing(client, frontdoor_id).snapshot(began, gather=GATHER)

    def fresh(
        self, client: FrontdoorClient, frontdoor_id: str, not_before: float | None = None
    ) -> Mapping[str, RemoteT]:
        """Every object of our kind in ``frontdoor_id`` from a listing sent after this call began (so as
        fresh as a GET of our own), or after ``not_before``, shared with the calls that arrive in the next
        ``GATHER`` seconds."""
        since = time.monotonic() if not_before is None else not_before
        return self.listing(client, frontdoor_id).snapshot(since, gather=GATHER)

    # --- clients and settings -------------------------------------------------------------------

    def settings(self) -> Settings:
        return Settings.resolve(config=getattr(self, "_stack_config", {}), environ=os.environ)

    def client(self) -> FrontdoorClient:
        """One client per distinct settings in this process, shared by the engine's worker threads."""
        settings = self.settings()
        with _clients_lock:
            client = _clients.get(settings)
            if client is None:
                client = _clients[settings] = FrontdoorClient(settings, on_retry=say)
            return client

    def frontdoor_id(self, props: Mapping[str, Any]) -> str:
        return self.settings().require_frontdoor_id(props.get("frontdoorId"))

    def effective_frontdoor(self, props: Mapping[str, Any]) -> Any:
        """The Frontdoor an input means: its own, else the stack's, so a diff compares like with like."""
        given = props.get("frontdoorId")
        return given if given is not None else self.settings().frontdoor_id

    def journal_slot(self, props: Mapping[str, Any], frontdoor_id: str) -> JournalSlot | None:
        """Where this resource's own POST is journaled; None for a program that sent no owner."""
        owner = props.get(OWNER_KEY)
        if not isinstance(owner, str) or not owner:
            return None
        directory = journal_dir(getattr(self, "_stack_config", {}), os.environ)
        return journal_slot(directory, owner, self.settings().api_url, frontdoor_id)

    # --- check ----------------------------------------------------------------------------------

    @reported("check")
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Once a resource is in state, ``import_`` means nothing any more, as with the engine's own: a
        later replacement must create, not re-import."""
        result = self.validate(self.body_model, without_settled_import(olds, news), self.body_fields)
        if not result.failures:
            result.failures.extend(self.check_claim(olds, result.inputs))
        return result

    def check_claim(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[CheckFailure]:
        """Two resources that claim the same location or port fail the preview: the API would refuse the
        second at ``up``, after the first was created (providers/claims.py). The newcomer is refused: a
        resource already in the state with that place keeps it, whether the engine checks it first (the
        claims of this process) or second (the Frontdoor's listing shows its object holding the place)."""
        claim = self.operations.claim
        frontdoor_id = self.effective_frontdoor(news)
        if claim is None or is_unknown(frontdoor_id):
            return []
        known = {k: v for k, v in normalized(news).items() if v is not None and not is_unknown(v)}
        settled = bool(olds) and self.effective_frontdoor(olds) == frontdoor_id and holds(claim, olds, known)
        reason = declared_twice(claim, self.kind, frontdoor_id, known, news.get(OWNER_KEY), settled)
        # An import takes over the very object that holds its place; create reads it by id, and a preview
        # of an import sends the API nothing (providers/adoption.py).
        importing = news.get(IMPORT_KEY) is not None
        if reason is None and not settled and not importing and claim.filters_from(known) is not None:
            reason = self.held_in_frontdoor(claim, str(frontdoor_id), known)
        return [] if reason is None else [CheckFailure(claim.held, reason)]

    def held_in_frontdoor(self, claim: Claim, frontdoor_id: str, known: Mapping[str, Any]) -> str | None:
        """Why a newcomer cannot have a place an existing object holds, from any listing this process has
        (one request per Frontdoor and kind for a whole preview); None when none can be had, as in a
        preview without credentials or with the API out of reach. An object of the same name is left to
        create's own rules: it may be this resource's lost create, to adopt (providers/adoption.py)."""
        if (self.kind, frontdoor_id) in _UNREADABLE:
            return None
        try:
            listed = self.listing(self.client(), frontdoor_id).snapshot(-math.inf)
        except FrontdoorError:
            # Once per process: the checks of a preview against an API out of reach do not each wait out
            # the retry budget.
            _UNREADABLE.add((self.kind, frontdoor_id))
            return None
        holds = wire_values(claim.filters_from(known) or {})
        holders = [
            found
            for found in listed.values()
            if found.status != Status.DELETED and found.name != known.get("name") and holds(found)
        ]
        if not holders:
            return None
        holder = holders[0]
        return (
            f"{claim.held} {known[claim.held]!r} is already taken by {self.noun} {holder.id} "
            f"({holder.name!r}, {holder.status.value}); {claim.rule}"
        )

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
                failures.append(CheckFailure(field, failure_reason(field, error, news)))
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

    @reported("create")
    def create(self, props: dict[str, Any]) -> CreateResult:
        """Import, adopt this resource's own lost POST, or POST; then wait for DEPLOYED.

        An exception here records nothing in state, so whatever a POST made must be findable by the next
        create of this very resource (the journal) and by nobody else's (docs/adoption.md).
        """
        props = normalized(props)
        client = self.client()
        frontdoor_id = self.frontdoor_id(props)
        body = self.body_model.model_validate(
            {key: props[key] for key in self.body_fields if props.get(key) is not None}
        )
        remote = self.remote(client, frontdoor_id, body)
        timeout = self.timeout(props, "create")

        import_id = props.get(IMPORT_KEY)
        if import_id is not None:
            found = imported(remote, body, str(import_id))
            # No removal on failure: an imported object is never written to.
            found = self.wait_deployed(found.name, found.id, lambda at: remote.watch(found.id, at), timeout)
            return CreateResult(found.id, self.outputs(client, found, props))

        slot = self.journal_slot(props, frontdoor_id)
        ours = creating.journaled(remote, body, slot, self.removal(remote)) or creating.post(
            remote, body, slot, client
        )
        deployed = self.wait_deployed(
            ours.name,
            ours.id,
            lambda at: remote.watch(ours.id, at),
            timeout,
            remove=lambda: remote.delete(ours.id),
        )
        if slot is not None:
            slot.forget()  # the state holds the id from here on
        return CreateResult(deployed.id, self.outputs(client, deployed, props))

    def removal(self, remote: Remote[RemoteT]) -> Callable[[RemoteT], None]:
        """How the create policy removes an object a lost create left in ERROR: delete it and wait."""

        def remove(found: RemoteT) -> None:
            self.delete_and_wait(
                found.name,
                found.id,
                lambda: remote.delete(found.id),
                lambda at: remote.watch(found.id, at),
                self.default_timeouts["delete"],
            )

        return remove
