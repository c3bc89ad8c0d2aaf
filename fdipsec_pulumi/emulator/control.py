"""The control API under ``/_emulator``: how tests steer the emulator over HTTP.

It needs no token, because tests (and other processes driving a CLI emulator) must reach it without
credentials, and it answers loopback clients only, because it can rewrite any state. It is outside the
API's OpenAPI document and its calls are not in the request log, so assertions about what a client did
are not polluted by the test's own steering.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, StrictStr
from pydantic.alias_generators import to_camel

from fdipsec_pulumi.client.models import Status
from fdipsec_pulumi.emulator.backend import Backend
from fdipsec_pulumi.emulator.errors import ApiError
from fdipsec_pulumi.emulator.faults import FaultSpec
from fdipsec_pulumi.emulator.records import Kind

OK = {"ok": True}


class _ControlModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class ConfigUpdate(_ControlModel):
    tunnel_delay: float | None = Field(default=None, ge=0)
    share_delay: float | None = Field(default=None, ge=0)
    delete_delay: float | None = Field(default=None, ge=0)
    token_ttl: float | None = Field(default=None, ge=0)


class FailNext(_ControlModel):
    kind: Literal["tunnel", "share", "tunnels", "shares"]
    reason: StrictStr = "Injected failure"


class StatusChange(_ControlModel):
    status: Status
    reason: StrictStr | None = None


class Advance(_ControlModel):
    seconds: float = Field(ge=0)


def _loopback_only(request: Request) -> None:
    host = request.client.host if request.client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    mapped = getattr(address, "ipv4_mapped", None)
    if address is None or not (address.is_loopback or (mapped is not None and mapped.is_loopback)):
        raise ApiError(403, "forbidden", "The emulator's control API answers loopback clients only")


def _config(backend: Backend) -> dict[str, float]:
    config = backend.config
    return {
        "tunnelDelay": config.tunnel_delay,
        "shareDelay": config.share_delay,
        "deleteDelay": config.delete_delay,
        "tokenTtl": config.token_ttl,
    }


def control_router(backend: Backend) -> APIRouter:
    router = APIRouter(prefix="/_emulator", include_in_schema=False, dependencies=[Depends(_loopback_only)])

    @router.post("/reset")
    async def reset() -> dict[str, bool]:
        backend.reset()
        return OK

    @router.get("/config")
    async def get_config() -> dict[str, float]:
        return _config(backend)

    @router.put("/config")
    async def put_config(update: ConfigUpdate) -> dict[str, float]:
        backend.configure(**update.model_dump(exclude_none=True))
        return _config(backend)

    @router.post("/faults")
    async def add_fault(spec: FaultSpec) -> dict[str, str]:
        return {"id": backend.faults.add(spec)}

    @router.delete("/faults")
    async def clear_faults() -> dict[str, bool]:
        backend.faults.clear()
        return OK

    @router.post("/fail-next")
    async def fail_next(plan: FailNext) -> dict[str, bool]:
        backend.fail_next(Kind.TUNNEL if plan.kind.startswith("tunnel") else Kind.SHARE, plan.reason)
        return OK

    @router.post("/advance")
    async def advance(step: Advance) -> dict[str, str]:
        backend.advance(step.seconds)
        return {"now": datetime.fromtimestamp(backend.clock.now(), UTC).isoformat()}

    @router.post("/resources/{kind}/{record_id}/status")
    async def set_status(kind: Kind, record_id: str, change: StatusChange) -> dict[str, Any]:
        return backend.set_status(kind, record_id, change.status, change.reason)

    @router.patch("/resources/{kind}/{record_id}")
    async def drift(kind: Kind, record_id: str, changes: Annotated[dict[str, Any], Body()]) -> dict[str, Any]:
        return backend.drift(kind, record_id, changes)

    @router.delete("/resources/{kind}/{record_id}")
    async def purge(kind: Kind, record_id: str) -> dict[str, bool]:
        backend.purge(kind, record_id)
        return OK

    @router.get("/resources")
    async def resources() -> dict[str, list[dict[str, Any]]]:
        return backend.dump()

    @router.get("/requests")
    async def requests() -> list[dict[str, Any]]:
        return backend.requests.entries()

    @router.delete("/requests")
    async def clear_requests() -> dict[str, bool]:
        backend.requests.clear()
        return OK

    return router
