"""Waiting for an object to deploy or to go, and the progress lines a user sees meanwhile."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from fdipsec_pulumi.client.errors import FrontdoorError, NotFound, WaitFailed
from fdipsec_pulumi.client.models import Status
from fdipsec_pulumi.client.poller import FleetSchedule
from fdipsec_pulumi.client.waiter import Progress, wait_for
from fdipsec_pulumi.contract import TIMEOUTS_KEY
from fdipsec_pulumi.providers.adoption import RemoteT


def report(update: Progress) -> None:
    """The only progress channel a dynamic provider has is stdout; the CLI shows it as info lines."""
    status = update.status.value if update.status is not None else "not found yet"
    print(f"{update.resource}: {status} after {update.elapsed:.0f}s", flush=True)


def say(line: str) -> None:
    """A progress line, such as a retry and its reason, on the provider's one channel (stdout)."""
    print(line, flush=True)


def report_deletion(update: Progress) -> None:
    """While deleting, a 404 is the goal reached, not an object that has yet to appear."""
    status = update.status.value if update.status is not None else "gone"
    print(f"{update.resource}: {status} after {update.elapsed:.0f}s", flush=True)


class Waiting:
    """The waits of a provider, which names its kind and noun and the timeouts that suit them."""

    kind: ClassVar[str] = ""
    noun: ClassVar[str] = ""
    default_timeouts: ClassVar[Mapping[str, float]] = {}

    def timeout(self, props: Mapping[str, Any], operation: str) -> float:
        custom = props.get(TIMEOUTS_KEY) or {}
        value = custom.get(operation) if isinstance(custom, Mapping) else None
        return float(value) if value else float(self.default_timeouts[operation])

    def wait_deployed(
        self,
        name: str,
        remote_id: str,
        refresh: Callable[[float], RemoteT],
        timeout: float,
        remove: Callable[[], Any] | None = None,
    ) -> RemoteT:
        """Wait for DEPLOYED. On failure, ``remove`` (when given) deletes the failed object first: one in
        ERROR is useless and would hold its name, location or port. The API's reason is what is raised.

        ``refresh(not_before)`` reads the object as listed at or after that clock time: each poll asks for
        its planned time, so the waiters planning the same time share one list request."""
        plan = FleetSchedule()
        try:
            deployed: RemoteT = wait_for(
                lambda: refresh(plan.not_before()),
                pending={Status.NEW},
                target={Status.DEPLOYED},
                failure={Status.ERROR, Status.DELETING, Status.DELETED},
                timeout=timeout,
                describe=f"{self.kind} {name} ({remote_id})",
                on_progress=report,
                schedule=plan,
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

    def wait_gone(self, name: str, remote_id: str, refresh: Callable[[float], Any], timeout: float) -> None:
        plan = FleetSchedule()
        wait_for(
            lambda: refresh(plan.not_before()),
            pending={Status.DELETING, Status.NEW, Status.DEPLOYED},
            target={Status.DELETED},
            failure={Status.ERROR},
            timeout=timeout,
            describe=f"{self.kind} {name} ({remote_id})",
            gone_is_target=True,
            on_progress=report_deletion,
            schedule=plan,
        )

    def delete_and_wait(
        self,
        name: str,
        remote_id: str,
        delete: Callable[[], Any],
        get: Callable[[float], Any],
        timeout: float,
    ) -> None:
        """DELETE, then wait for DELETED or 404; an object that is already gone counts as deleted."""
        try:
            delete()
        except NotFound:
            return
        self.wait_gone(name, remote_id, get, timeout)
