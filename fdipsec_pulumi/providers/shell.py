"""The classes a program pickles into state, kept light: the work they do loads where it is done.

A program only instantiates a provider to pickle it (by reference) into each resource's ``__provider``;
the provider's calls run in the dynamic-provider host. So the pickled class needs nothing of the client
(``requests``, pydantic's models), and a program that imported it all paid about 0.15 s on every
``pulumi up``, ``preview`` and ``destroy`` for code it never ran. ``ProviderShell`` hands each call to its
implementation, imported on the first call, in the host.

The shell carries no state at pickling time (invariant 1): its implementation, once loaded, is dropped
from the pickle like the stack configuration is.
"""

from __future__ import annotations

import importlib
from typing import Any, ClassVar

from pulumi.dynamic import (
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

IMPL = "_impl"


class ProviderShell(ResourceProvider):
    """A pickled provider class; ``implementation`` names the class (``module:Class``) that does its work."""

    implementation: ClassVar[str]
    serialize_as_secret_always = True

    def impl(self) -> Any:
        found = self.__dict__.get(IMPL)
        if found is None:
            module, _, name = self.implementation.partition(":")
            found = self.__dict__[IMPL] = getattr(importlib.import_module(module), name)()
        return found

    def __getattr__(self, name: str) -> Any:
        """Everything else (settings, clients, timeouts) is the implementation's; never a dunder, so
        pickling and copying see the shell alone."""
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.impl(), name)

    def __getstate__(self) -> dict[str, Any] | None:
        """None, as ``object`` gives, so the recorded ``__provider`` stays byte for byte what it always was:
        the implementation (which holds the stack configuration) is never pickled."""
        state = {key: value for key, value in self.__dict__.items() if key != IMPL}
        return state or None

    def configure(self, req: ConfigureRequest) -> None:
        self.impl().configure(req)

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        result: CheckResult = self.impl().check(_olds, news)
        return result

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        result: DiffResult = self.impl().diff(_id, _olds, _news)
        return result

    def create(self, props: dict[str, Any]) -> CreateResult:
        result: CreateResult = self.impl().create(props)
        return result

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        result: ReadResult = self.impl().read(id_, props)
        return result

    def update(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> UpdateResult:
        result: UpdateResult = self.impl().update(_id, _olds, _news)
        return result

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        self.impl().delete(_id, _props)
