"""Pulumi's unit-test mocks, set up and torn down per test so no runtime state leaks between tests.

``set_mocks`` replaces the process-wide runtime settings; the fixture puts the defaults back afterwards,
so tests that run later (in any directory) see an unconfigured runtime again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pulumi
import pulumi.runtime.config as runtime_config
import pulumi.runtime.settings as runtime_settings
from pulumi.runtime import MockCallArgs, MockResourceArgs, Mocks

TUNNEL_TYPE = "pulumi-python:dynamic/fdipsec:IpsecTunnel"
SHARE_TYPE = "pulumi-python:dynamic/fdipsec:IpsecShare"
NewResource = Callable[[MockResourceArgs], dict[str, Any]]
# The one endpoint of every mocked tunnel's configuration document.
MOCK_ENDPOINT = {"outsideIpAddress": "198.51.100.200", "status": "UP", "insideCidr": "169.254.10.0/30"}


class RecordingMocks(Mocks):
    """Answers every resource with its inputs plus the extra outputs ``outputs_for`` returns, and
    records what was registered so a test can inspect the wiring."""

    def __init__(self, outputs_for: NewResource | None = None) -> None:
        self.outputs_for = outputs_for or (lambda args: {})
        self.resources: list[MockResourceArgs] = []

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.resources.append(args)
        outputs = {**args.inputs, **self.outputs_for(args)}
        return outputs.get("id") or f"{args.name}-id", outputs

    def call(self, args: MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, []  # the SDK iterates the failures

    def of_type(self, typ: str) -> list[MockResourceArgs]:
        return [r for r in self.resources if r.typ == typ]

    def named(self, name: str) -> MockResourceArgs:
        [found] = [r for r in self.resources if r.name == name]
        return found


def frontdoor_outputs(args: MockResourceArgs) -> dict[str, Any]:
    """What the real providers add to a tunnel's and a share's inputs once DEPLOYED."""
    if args.typ == TUNNEL_TYPE:
        return {
            "status": "DEPLOYED",
            "locationId": args.inputs.get("locationId") or "us-east-1",
            "nlbPrivateIp": args.inputs.get("nlbPrivateIp") or "10.1.0.10",
            "nlbDnsName": f"nlb-{args.name}.elb.us-east-1.amazonaws.com",
            "vpnConnectionId": f"vpn-{args.name}",
            "tunnelConfig": {"state": "available", "tunnels": [MOCK_ENDPOINT]},
            "sampleConfig": "! sample config with a pre-shared key",
        }
    if args.typ == SHARE_TYPE:
        return {"status": "DEPLOYED"}
    return {}


def install(mocks: Mocks, project: str, preview: bool = False) -> None:
    # The SDK asks for the current event loop; an earlier test's asyncio.run() may have left none.
    asyncio.set_event_loop(asyncio.new_event_loop())
    pulumi.runtime.set_mocks(mocks, project=project, stack="test", preview=preview)


def uninstall() -> None:
    asyncio.get_event_loop().close()
    asyncio.set_event_loop(None)
    runtime_settings.configure(
        runtime_settings.Settings(
            project="project", stack="stack", root_directory="root_directory", organization="organization"
        )
    )
    runtime_settings.ROOT.set(None)


@contextmanager
def stack_config(values: dict[str, str]) -> Iterator[None]:
    """Stack config for one test; the runtime keeps config in a context variable, reset afterwards."""
    token = runtime_config.CONFIG.set(dict(values))
    try:
        yield
    finally:
        runtime_config.CONFIG.reset(token)
