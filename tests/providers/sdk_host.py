"""The installed SDK's dynamic-provider host, as the engine runs it, and a provider that reports what our
host-facing modules saw from inside it.

Not a test module: the host process imports it to unpickle ``Probe`` (dill pickles the class by
reference, as it does our real providers), so it imports nothing from pytest.
"""

from __future__ import annotations

import ast
import base64
import importlib.util
import json
import os
import socket
import subprocess
import sys
import threading
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dill
import grpc
from google.protobuf import struct_pb2
from pulumi.dynamic import ConfigureRequest, CreateResult, DiffResult, ReadResult, ResourceProvider
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from fdipsec_pulumi.client.errors import FrontdoorError
from fdipsec_pulumi.providers import hostpool, served

HOST_MODULE = "pulumi.dynamic.__main__"
REPO = Path(__file__).resolve().parents[2]
# Calls that must all be in the provider at once: more than the host's stock four workers.
AT_ONCE = 8
OURS = "IpsecTunnel dc1 (tnl-1): create failed: Frontdoor API rejected POST /ipsec-tunnels (401)"

ECHO = "echo:"

_barriers: dict[str, threading.Barrier] = {}
_barriers_lock = threading.Lock()


class Probe(ResourceProvider):
    """Diff and read answer with the recorded inputs ``served`` found in the host's request; create
    fails as asked, or meets ``AT_ONCE`` other creates, which only a widened host lets in together."""

    def configure(self, req: ConfigureRequest) -> None:
        hostpool.widen({hostpool.CONFIG_KEY: req.config.get(hostpool.CONFIG_KEY)})

    def diff(self, _id: str, _olds: dict[str, Any], _news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=True, replaces=[json.dumps(served.diff_old_inputs(), sort_keys=True)])

    def read(self, id_: str, _props: dict[str, Any]) -> ReadResult:
        return ReadResult(id_, {"seen": json.dumps(served.read_old_inputs(), sort_keys=True)})

    def create(self, props: dict[str, Any]) -> CreateResult:
        if props["mode"] == "ours":
            raise FrontdoorError(OURS)
        if props["mode"] == "bug":
            raise KeyError("a bug of ours")
        if props["mode"] == "elsewhere":
            # served called where the host's servicer is not on the stack: as in a host of another shape.
            thread = threading.Thread(target=served.diff_old_inputs)
            thread.start()
            thread.join()
            return CreateResult("probe-1", {})
        if props["mode"].startswith(ECHO):
            print(props["mode"], flush=True)
            return CreateResult("probe-1", {})
        with _barriers_lock:
            barrier = _barriers.setdefault(props["mode"], threading.Barrier(AT_ONCE))
        barrier.wait(timeout=10)
        return CreateResult("probe-1", {})


def struct(props: dict[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(props)
    return message


def with_provider(props: dict[str, Any]) -> struct_pb2.Struct:
    """Props as the engine sends a dynamic resource's: the pickled provider under ``__provider``."""
    return struct({**props, "__provider": base64.b64encode(dill.dumps(Probe(), recurse=True)).decode()})


class Host:
    """``python -u -m pulumi.dynamic <engine address>``, as the CLI's pulumi-resource-pulumi-python runs
    it, with a listening socket standing in for the engine, and a gRPC client in the engine's place."""

    def __init__(self) -> None:
        self.engine = socket.create_server(("127.0.0.1", 0))
        address = f"127.0.0.1:{self.engine.getsockname()[1]}"
        self.process = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.dynamic", address],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        port = self.process.stdout.readline().strip()
        assert port.isdigit(), f"the host did not print its port: {port!r}"
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def configure(self, config: dict[str, Any]) -> None:
        self.stub.Configure(provider_pb2.ConfigureRequest(args=struct(config)), timeout=10)

    def diff(self, news: dict[str, Any], old_inputs: dict[str, Any] | None) -> Any:
        request = provider_pb2.DiffRequest(
            id="probe-1", urn="urn:probe", olds=with_provider({}), news=with_provider(news)
        )
        if old_inputs is not None:
            request.old_inputs.CopyFrom(struct(old_inputs))
        return self.stub.Diff(request, timeout=10)

    def read(self, inputs: dict[str, Any] | None) -> Any:
        request = provider_pb2.ReadRequest(
            id="probe-1", urn="urn:probe", properties=with_provider({"status": "x"})
        )
        if inputs is not None:
            request.inputs.CopyFrom(struct(inputs))
        return self.stub.Read(request, timeout=10)

    def create(self, mode: str) -> Any:
        request = provider_pb2.CreateRequest(urn="urn:probe", properties=with_provider({"mode": mode}))
        return self.stub.Create(request, timeout=30)

    def printed(self) -> list[str]:
        """Everything the host has printed so far: a line printed now is read back before answering."""
        marker = f"{ECHO}{len(self.lines)}-{time.monotonic()}"
        self.create(marker)
        deadline = time.monotonic() + 10
        while marker not in self.lines:
            assert time.monotonic() < deadline, "the host's stdout was not read back"
            time.sleep(0.01)
        return [line for line in self.lines if not line.startswith(ECHO)]

    def gone_engine(self) -> None:
        """The engine's port closes, as when the CLI is killed."""
        self.engine.close()

    def stop(self) -> str:
        """Ends the host; returns its stderr."""
        self.channel.close()
        self.engine.close()
        if self.process.poll() is None:
            self.process.kill()
        _, stderr = self.process.communicate(timeout=10)
        self._reader.join(timeout=10)
        return stderr


@contextmanager
def running_host() -> Iterator[Host]:
    host = Host()
    try:
        yield host
    finally:
        host.stop()


def host_module() -> types.ModuleType:
    """The installed SDK's host module, executed in this process as ``python -m pulumi.dynamic`` executes
    it (named ``__main__``, with the module's spec and file), except the statement that starts serving:
    the module calls ``main()`` as it loads, which would serve until killed."""
    spec = importlib.util.find_spec(HOST_MODULE)
    assert spec is not None and spec.loader is not None and spec.origin is not None
    source = spec.loader.get_source(HOST_MODULE)  # type: ignore[attr-defined]
    tree = ast.parse(source, spec.origin)
    tree.body = [node for node in tree.body if not _starts_serving(node)]
    module = types.ModuleType("__main__")
    module.__spec__ = spec
    module.__file__ = spec.origin
    module.__loader__ = spec.loader
    module.__package__ = spec.parent
    exec(compile(tree, spec.origin, "exec"), module.__dict__)  # noqa: S102
    return module


def _starts_serving(node: ast.stmt) -> bool:
    """A top-level statement (not a definition) that calls ``main``: ``main()``, ``sys.exit(main())``,
    or an ``if __name__ == "__main__":`` block that does."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return False
    return any(isinstance(n, ast.Call) and ast.unparse(n.func) == "main" for n in ast.walk(node))
