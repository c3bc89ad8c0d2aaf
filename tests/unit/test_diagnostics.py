"""Provider errors read as one sentence. The dynamic host printing ours as that sentence alone is checked
against the installed SDK's host in ``tests/providers/test_sdk_shapes.py``."""

from __future__ import annotations

import sys
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


def test_outside_the_dynamic_host_nothing_changes(capsys: pytest.CaptureFixture[str]) -> None:
    """A program, a test or a script: no swap and no line. The host itself is in test_sdk_shapes.py."""
    assert install_in_host(types.ModuleType("__main__")) is False
    assert install_in_host() is False  # pytest's own __main__
    assert getattr(sys.modules["__main__"], "traceback", traceback) is traceback
    assert capsys.readouterr().out == ""
