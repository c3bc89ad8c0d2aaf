"""Figures for the real-engine path: time and API calls of `pulumi up` / refresh / destroy of the root
stack's shape (one tunnel, three shares) against an in-process emulator, the state size and the size of
the pickled `__provider`.

Run: `PATH="$(cat .cache/pulumi-bin-dir):$PATH" .venv/bin/python benchmarks/stack_up.py`
(after `make setup`). It prints figures; it asserts nothing.
"""

from __future__ import annotations

import collections
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fdipsec_pulumi.emulator import ControlClient, EmulatorServer  # noqa: E402
from tests.e2e.harness import new_project  # noqa: E402

PROGRAM = (REPO / "__main__.py").read_text()
FD = "3d6d2b6e-6c7a-4a7f-8c3d-9a9d2e1f0b1c"


def api_calls(server: EmulatorServer) -> collections.Counter[str]:
    with ControlClient(server.root_url) as control:
        log = control.requests()
        control.clear_requests()
    return collections.Counter(entry["method"] for entry in log)


def main() -> None:
    with (
        EmulatorServer(tunnel_delay=2.0, share_delay=1.0, delete_delay=0.5) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        project = new_project(Path(tmp) / "bench", PROGRAM, name="fdipsec-bench")
        project.init(
            config={"fdipsec:apiUrl": server.url, "fdipsec:frontdoorId": FD},
            secrets={"fdipsec:token": "fdipsec-local-token"},
        )
        for step, args in (
            ("up", ("up", "--yes", "--skip-preview")),
            ("preview (no changes)", ("preview", "--expect-no-changes")),
            ("refresh", ("refresh", "--yes", "--skip-preview")),
        ):
            started = time.monotonic()
            project.run(*args)
            print(f"{step:22s} {time.monotonic() - started:6.1f} s  API calls {dict(api_calls(server))}")
            if step == "up":
                exported = json.dumps(project.export())
                resources = project.resources("pulumi-python:dynamic/fdipsec:IpsecTunnel")
                provider = json.dumps(resources[0]["inputs"]["__provider"])
                sizes = f"{len(exported)} bytes; tunnel __provider {len(provider)} bytes (encrypted)"
                print(f"{'state':22s} {sizes}")
        started = time.monotonic()
        project.run("destroy", "--yes", "--skip-preview")
        print(f"{'destroy':22s} {time.monotonic() - started:6.1f} s  API calls {dict(api_calls(server))}")


if __name__ == "__main__":
    main()
