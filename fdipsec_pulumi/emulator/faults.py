"""Injected failures: the misbehaviour a client must survive, on demand.

A fault matches requests by method and a regex on the path and then delays, answers with a chosen
status, or drops the connection before or after the request is handled. ``count`` and ``probability``
bound how often it fires so retry loops can be tested deterministically (probability 0 or 1) or
statistically.
"""

from __future__ import annotations

import random
import re
import threading
import uuid
from dataclasses import dataclass
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StrictStr, model_validator
from pydantic.alias_generators import to_camel


class FaultSpec(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    method: StrictStr = "*"
    path: StrictStr = ".*"
    status: int | None = Field(default=None, ge=100, le=599)
    retry_after: float | None = Field(default=None, ge=0)
    drop: Literal["before", "after"] | None = None
    latency: float | None = Field(default=None, ge=0, le=60)
    count: int | None = Field(default=None, ge=1)
    probability: float = Field(default=1.0, ge=0, le=1)

    @model_validator(mode="after")
    def _check(self) -> Self:
        try:
            re.compile(self.path)
        except re.error as exc:
            raise ValueError(f"path is not a regular expression: {exc}") from None
        if self.status is None and self.drop is None and self.latency is None:
            raise ValueError("a fault needs at least one of status, drop or latency")
        return self


@dataclass
class _Armed:
    spec: FaultSpec
    pattern: re.Pattern[str]
    remaining: int | None


class Faults:
    def __init__(self, rng: random.Random | None = None) -> None:
        self._armed: dict[str, _Armed] = {}
        self._rng = rng or random.Random()
        self._lock = threading.Lock()

    def add(self, spec: FaultSpec) -> str:
        fault_id = f"flt-{uuid.uuid4().hex[:12]}"
        with self._lock:
            self._armed[fault_id] = _Armed(spec, re.compile(spec.path), spec.count)
        return fault_id

    def clear(self) -> None:
        with self._lock:
            self._armed.clear()

    def fire(self, method: str, path: str) -> FaultSpec | None:
        """The first fault that matches and wins its dice roll; each firing uses up one of its count."""
        with self._lock:
            for fault_id, armed in list(self._armed.items()):
                spec = armed.spec
                if spec.method.upper() not in ("*", method.upper()) or not armed.pattern.search(path):
                    continue
                if self._rng.random() >= spec.probability:
                    continue
                if armed.remaining is not None:
                    armed.remaining -= 1
                    if armed.remaining == 0:
                        del self._armed[fault_id]
                return spec
        return None
