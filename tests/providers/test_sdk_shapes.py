"""The four places that reach into the installed SDK's dynamic-provider host, checked against that host.

``sdk_host.Host`` starts the real host as the CLI's ``pulumi-resource-pulumi-python`` does
(``python -u -m pulumi.dynamic <engine address>``) and speaks gRPC to it in the engine's place, with a
provider (``sdk_host.Probe``) that calls our modules from inside. No pulumi CLI, a second or two each. A
``pulumi`` release that changes a shape these rely on fails here, and the fallback it would take is the
one info line checked in the second half of this file, on the real host module loaded in-process with
one thing changed.
"""

from __future__ import annotations

import importlib.metadata
import json
import sys
import threading
import traceback
import types
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from packaging.version import Version

from fdipsec_pulumi import shapes
from fdipsec_pulumi.client.errors import FrontdoorError
from fdipsec_pulumi.providers import diagnostics, hostpool, hostprocess, served

from .sdk_host import AT_ONCE, OURS, Host, host_module, running_host

# The host wraps every servicer method in _abort_with_traceback, which answers format_exc(), since SDK
# 3.260. Before it (3.235 to 3.259, inside the declared range) gRPC itself answers
# "Exception calling application: <message>", with no traceback to take off, and diagnostics.py says
# once that it found no wrapper.
WRAPS_ERRORS = Version(importlib.metadata.version("pulumi")) >= Version("3.260.0")
NO_WRAPPER = "the host has no _abort_with_traceback"
GRPC_PREFIX = "Exception calling application: "


def error_lines(problem: str) -> list[str]:
    return [
        f"{shapes.PREFIX}error messages: {problem}; errors reach the CLI as the host reports them, unchanged"
    ]


@pytest.fixture(scope="module")
def host() -> Iterator[Host]:
    """One real host for the checks that leave it running; configured as the engine does first."""
    with running_host() as running:
        running.configure({hostpool.CONFIG_KEY: "16"})
        yield running


@pytest.fixture(autouse=True)
def fresh_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test sees the once-per-process lines afresh."""
    monkeypatch.setattr(shapes, "_said", set())


def fallback_lines(host: Host, *places: str) -> list[str]:
    """The fallback lines the host printed for these places (all places when none are named)."""
    prefixes = tuple(f"{shapes.PREFIX}{place}:" for place in places) or (shapes.PREFIX,)
    return [line for line in host.printed() if line.startswith(prefixes)]


# --- the real host ----------------------------------------------------------------------------------


def test_diff_reads_the_recorded_inputs_from_the_hosts_request(host: Host) -> None:
    old_inputs = {"target": "10.0.0.1:443", "ingressPort": 443}
    assert json.loads(host.diff({"target": "10.0.0.2:443"}, old_inputs).replaces[0]) == old_inputs
    # An engine that sends none: None, which is no shape change and says nothing.
    assert json.loads(host.diff({}, None).replaces[0]) is None
    assert fallback_lines(host, "DiffRequest.old_inputs") == []


def test_read_reads_the_recorded_inputs_from_the_hosts_request(host: Host) -> None:
    from pulumi.runtime import rpc

    response = host.read({"target": "10.0.0.1:443"})
    outs = rpc.deserialize_properties(response.properties)
    assert json.loads(outs["seen"]) == {"target": "10.0.0.1:443"}
    assert fallback_lines(host, "ReadRequest.inputs") == []


def test_our_errors_reach_the_engine_as_their_message_alone(host: Host) -> None:
    with pytest.raises(grpc.RpcError) as raised:
        host.create("ours")
    details = raised.value.details()  # type: ignore[attr-defined]
    assert details == (OURS if WRAPS_ERRORS else GRPC_PREFIX + OURS)
    # Anything else, our own bugs included, keeps what the host makes of it: its traceback, where it has one.
    with pytest.raises(grpc.RpcError) as raised:
        host.create("bug")
    details = raised.value.details()  # type: ignore[attr-defined]
    if WRAPS_ERRORS:
        assert (
            details.startswith("Traceback (most recent call last):")
            and "KeyError: 'a bug of ours'" in details
        )
    else:
        assert details == GRPC_PREFIX + "'a bug of ours'"
    assert fallback_lines(host, "error messages") == ([] if WRAPS_ERRORS else error_lines(NO_WRAPPER))


def test_the_host_is_widened_past_its_stock_four_workers(host: Host) -> None:
    """``AT_ONCE`` creates that each wait for all the others: only a widened host lets them all in."""
    results: list[Any] = []

    def create() -> None:
        try:
            results.append(host.create("meet"))
        except grpc.RpcError as exc:
            results.append(exc)

    threads = [threading.Thread(target=create) for _ in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [getattr(result, "id", result) for result in results] == ["probe-1"] * AT_ONCE
    assert fallback_lines(host, hostpool.CONFIG_KEY) == []


def test_the_host_ends_itself_when_the_engine_is_gone() -> None:
    """The engine watch runs in the real host (so it recognised itself), and ends it when the engine's
    port closes, as after a killed CLI."""
    with running_host() as host:
        host.configure({})
        host.diff({}, None)  # unpickling the probe imports our package, which starts the watch
        assert fallback_lines(host, "host detection", "engine watch") == []
        assert host.process.poll() is None
        host.gone_engine()
        assert host.process.wait(timeout=4 * hostprocess.CHECK_INTERVAL + 5) == 0


def test_the_installed_sdks_host_takes_no_fallback(host: Host) -> None:
    """After every kind of call above: the installed SDK has each shape the code relies on."""
    host.diff({}, {})
    host.read({})
    assert fallback_lines(host) == ([] if WRAPS_ERRORS else error_lines(NO_WRAPPER))


def test_a_fallback_line_reaches_the_hosts_stdout_once() -> None:
    """What the CLI shows as an info line: the host's stdout, one line however often it happens."""
    with running_host() as host:
        host.create("elsewhere")
        host.create("elsewhere")
        assert fallback_lines(host, "DiffRequest.old_inputs") == [
            f"{shapes.PREFIX}DiffRequest.old_inputs: no DiffRequest named 'request' in the frames of the "
            "host's servicer; diffs compare with the recorded outputs and name no changed inputs"
        ]


# --- the real host module, in-process, with one thing changed ---------------------------------------


@pytest.fixture
def real_host(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """The SDK's host module, as this process's ``__main__``, as in the host."""
    module = host_module()
    monkeypatch.setitem(sys.modules, "__main__", module)
    return module


class Context:
    """What the host's wrapper tells the engine, as a gRPC servicer context carries it."""

    def __init__(self) -> None:
        self.details: object = None

    def abort(self, code: object, details: object) -> None:
        self.details = details
        raise RuntimeError("aborted")


def answered(host: types.ModuleType, error: Exception) -> object:
    """What the host's own wrapper of a servicer method answers for ``error``."""

    def method(self: object, request: object, context: object) -> None:
        raise error

    context = Context()
    with pytest.raises(RuntimeError, match="aborted"):
        host._abort_with_traceback(method)(None, None, context)
    return context.details


def info_lines(capsys: pytest.CaptureFixture[str]) -> list[str]:
    return [line for line in capsys.readouterr().out.splitlines() if line.startswith(shapes.PREFIX)]


def test_the_real_host_module_is_recognised(real_host: types.ModuleType) -> None:
    assert hostprocess.in_dynamic_provider_host(real_host)
    assert hostprocess.in_dynamic_provider_host()


def test_install_on_the_real_wrapper(real_host: types.ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    if not WRAPS_ERRORS:
        assert diagnostics.install_in_host() is False
        assert info_lines(capsys) == error_lines(NO_WRAPPER)
        return
    assert diagnostics.install_in_host() is True
    assert diagnostics.install_in_host() is True  # idempotent
    assert answered(real_host, FrontdoorError(OURS)) == OURS
    text = str(answered(real_host, KeyError("boom")))
    assert text.startswith("Traceback (most recent call last):") and "KeyError: 'boom'" in text
    assert info_lines(capsys) == []


def answers_repr(fn: Any) -> Any:
    """A wrapper of another shape: it answers an exception's repr, not format_exc()."""

    def wrapper(self: object, request: object, context: Any) -> Any:
        try:
            return fn(self, request, context)
        except Exception as exc:
            context.abort(None, repr(exc))

    return wrapper


NOT_TRACEBACK = "the host's name `traceback` is not the traceback module"


# Each change, what a host with the wrapper reports, and what a host from before it (no wrapper, and no
# `traceback` name either) reports once the change is made.
@pytest.mark.parametrize(
    ("change", "problem", "problem_before_the_wrapper"),
    [
        (lambda host: host.__dict__.pop("_abort_with_traceback", None), NO_WRAPPER, NO_WRAPPER),
        (lambda host: setattr(host, "traceback", types.ModuleType("traceback")), NOT_TRACEBACK, NO_WRAPPER),
        # A wrapper that no longer turns exceptions into format_exc(): the probe's error escapes it.
        (
            lambda host: setattr(host, "_abort_with_traceback", lambda fn: fn),
            "the host's _abort_with_traceback raised FrontdoorError when probed",
            NOT_TRACEBACK,
        ),
        # One that answers something else than format_exc() (here, the exception's repr).
        (
            lambda host: setattr(host, "_abort_with_traceback", answers_repr),
            "the host's _abort_with_traceback did not answer with format_exc()",
            NOT_TRACEBACK,
        ),
    ],
)
def test_a_host_of_another_shape_is_left_as_it_is_and_says_so_once(
    real_host: types.ModuleType,
    capsys: pytest.CaptureFixture[str],
    change: Any,
    problem: str,
    problem_before_the_wrapper: str,
) -> None:
    change(real_host)
    before = getattr(real_host, "traceback", None)
    assert diagnostics.install_in_host() is False
    assert diagnostics.install_in_host() is False
    assert getattr(real_host, "traceback", None) is before  # left as it was
    assert info_lines(capsys) == error_lines(problem if WRAPS_ERRORS else problem_before_the_wrapper)


def test_served_outside_the_host_is_silent(capsys: pytest.CaptureFixture[str]) -> None:
    assert served.diff_old_inputs() is None
    assert served.read_old_inputs() is None
    assert info_lines(capsys) == []


def test_served_in_a_host_without_the_request_says_so_once(
    real_host: types.ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    """As in a host whose servicer names its request otherwise: our diff finds none in its frames."""
    for _ in range(2):
        assert served.diff_old_inputs() is None
        assert served.read_old_inputs() is None
    assert info_lines(capsys) == [
        f"{shapes.PREFIX}DiffRequest.old_inputs: no DiffRequest named 'request' in the frames of the host's "
        "servicer; diffs compare with the recorded outputs and name no changed inputs",
        f"{shapes.PREFIX}ReadRequest.inputs: no ReadRequest named 'request' in the frames of the host's "
        "servicer; a refresh keeps the recorded inputs and names no drift in them",
    ]


def test_served_with_a_request_of_another_shape_says_so_and_never_raises(
    real_host: types.ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    from pulumi.runtime.proto import provider_pb2

    def servicer(request: object) -> dict[str, Any] | None:
        return served.diff_old_inputs()

    # A DiffRequest without the field (an SDK whose protocol predates it) ...
    assert servicer(type("DiffRequest", (), {"DESCRIPTOR": provider_pb2.ReadRequest.DESCRIPTOR})()) is None
    # ... and one whose field cannot be read.
    broken = type(
        "ReadRequest",
        (),
        {"DESCRIPTOR": provider_pb2.ReadRequest.DESCRIPTOR, "inputs": None, "HasField": None},
    )()

    def read_servicer(request: object) -> dict[str, Any] | None:
        return served.read_old_inputs()

    assert read_servicer(broken) is None
    assert info_lines(capsys) == [
        f"{shapes.PREFIX}DiffRequest.old_inputs: the host's DiffRequest has no field 'old_inputs'; "
        "diffs compare with the recorded outputs and name no changed inputs",
        f"{shapes.PREFIX}ReadRequest.inputs: reading ReadRequest.inputs failed (TypeError: 'NoneType' object "
        "is not callable); a refresh keeps the recorded inputs and names no drift in them",
    ]


def test_a_host_started_by_its_file_is_recognised_and_says_so(
    real_host: types.ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    """``python .../pulumi/dynamic/__main__.py`` gives ``__main__`` no spec, only the file."""
    real_host.__spec__ = None  # type: ignore[assignment]
    assert hostprocess.in_dynamic_provider_host()
    assert hostprocess.in_dynamic_provider_host()
    [line] = info_lines(capsys)
    assert line.startswith(
        f"{shapes.PREFIX}host detection: __main__ has no module spec naming pulumi.dynamic"
    )
    assert line.endswith(f"recognised as the dynamic-provider host by its file, {real_host.__file__}")


def test_a_host_without_the_engines_address_watches_its_parent_and_says_so(
    real_host: types.ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    watched: list[tuple[object, int]] = []
    monkeypatch.setattr(hostprocess, "_started", False)
    monkeypatch.setattr(hostprocess, "watch", lambda address, parent: watched.append((address, parent)))
    monkeypatch.setattr(sys, "argv", [str(real_host.__file__), "--some-flag"])
    assert hostprocess.activate() is True
    assert hostprocess.activate() is True
    assert [address for address, _ in watched] == [None]
    assert info_lines(capsys) == [
        f"{shapes.PREFIX}engine watch: the host's first argument is not the engine's host:port "
        "(['--some-flag']); the host ends itself only when its parent process exits"
    ]


def test_a_watch_that_cannot_start_says_so_and_never_raises(
    real_host: types.ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(hostprocess, "_started", False)
    monkeypatch.setattr(sys, "argv", [str(real_host.__file__), "127.0.0.1:1"])
    monkeypatch.setattr(threading.Thread, "start", refuse)
    assert hostprocess.activate() is False
    assert info_lines(capsys) == [
        f"{shapes.PREFIX}engine watch: it did not start (RuntimeError: can't start new thread); "
        "the host may outlive a killed CLI, as stock"
    ]


def test_the_real_wrapper_left_alone_prints_a_traceback(real_host: types.ModuleType) -> None:
    """Without the swap, the host's answer is format_exc(): the reason for diagnostics.py."""
    if not WRAPS_ERRORS:
        assert not hasattr(real_host, "_abort_with_traceback")  # gRPC answers; nothing to take off
        return
    assert real_host.traceback is traceback
    text = str(answered(real_host, FrontdoorError(OURS)))
    assert text.startswith("Traceback (most recent call last):") and text.rstrip().endswith(OURS)
