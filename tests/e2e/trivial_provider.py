"""A dynamic provider with no dependencies, to prove the engine, language host and launcher work."""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CreateResult, DiffResult, ResourceProvider


class EchoProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        message = props["message"]
        return CreateResult(id_=f"echo-{message}", outs={"message": message, "length": len(message)})

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=olds.get("message") != news.get("message"), replaces=["message"])
