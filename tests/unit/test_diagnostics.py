"""Provider errors read as one sentence, and the dynamic host prints ours as that sentence alone."""

from __future__ import annotations

import importlib.machinery
import traceback
import types
from typing import Any

import pytest

from fdipsec_pulumi.client.errors import Unauthorized, WaitFailed
from fdipsec_pulumi.providers.diagnostics import install_in_host, reported


class Provider:
    kind = "IpsecTunnel"

    def __init__(self, error: Exception) -> None:
        self.error = error

    @reported("delete")
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        raise self.error


def test_our_errors_gain_the_resource_and_operation_and_keep_their_type() -> None:
    error = Unauthorized("token expired", http_status=401, code="unauthorized", method="DELETE", path="/t/1")

    with pytest.raises(Unauthorized) as raised:
        Provider(error).delete("tnl-1", {"name": "dc1"})

    text = str(raised.value)
    assert text.startswith("IpsecTunnel dc1 (tnl-1): delete failed: Frontdoor API rejected DELETE /t/1 (401")
    assert "fdipsec:token" in text  # the hint, the fix, is kept


def test_a_message_that_already_names_the_resource_is_left_alone() -> None:
    error = WaitFailed("IpsecTunnel dc1 (tnl-1) failed to deploy: capacity exhausted")
    with pytest.raises(WaitFailed) as raised:
        Provider(error).delete("tnl-1", {"name": "dc1"})
    assert str(raised.value) == "IpsecTunnel dc1 (tnl-1) failed to deploy: capacity exhausted"


def test_other_exceptions_pass_untouched() -> None:
    with pytest.raises(KeyError) as raised:
        Provider(KeyError("name")).delete("tnl-1", {})
    assert raised.value.args == ("name",)


def fake_host(name: str = "pulumi.dynamic.__main__") -> types.ModuleType:
    host = types.ModuleType("__main__")
    host.__spec__ = importlib.machinery.ModuleSpec(name, None)
    host._abort_with_traceback = lambda fn: fn  # type: ignore[attr-defined]
    host.DynamicResourceProviderServicer = object  # type: ignore[attr-defined]
    host.traceback = traceback  # type: ignore[attr-defined]
    return host


def formatted(host: types.ModuleType, error: Exception) -> str:
    try:
        raise error
    except Exception:
        return str(host.traceback.format_exc())


def test_in_the_dynamic_host_our_errors_print_as_their_message_alone() -> None:
    host = fake_host()
    assert install_in_host(host) is True
    assert install_in_host(host) is True  # idempotent

    assert formatted(host, WaitFailed("IpsecTunnel dc1 (tnl-1) failed to deploy: x")) == (
        "IpsecTunnel dc1 (tnl-1) failed to deploy: x"
    )
    # Anything else, our own bugs included, keeps its traceback.
    text = formatted(host, KeyError("boom"))
    assert text.startswith("Traceback (most recent call last):") and "KeyError: 'boom'" in text
    assert host.traceback.format_exception is traceback.format_exception


def test_outside_that_host_nothing_changes() -> None:
    for host in (fake_host("some.program"), types.ModuleType("__main__")):
        assert install_in_host(host) is False
    other_shape = fake_host()
    other_shape.traceback = types.ModuleType("traceback")  # type: ignore[attr-defined]
    assert install_in_host(other_shape) is False
    assert install_in_host() is False  # pytest's own __main__
