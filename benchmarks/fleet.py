"""Fleet figures (issue 9): N tunnels x M shares on the real engine against the emulator.

Tunnels are spread over Frontdoors, one per Frontdoor and location (tunnel i goes to Frontdoor i mod F,
location ``loc-<i div F>``); each carries M shares. The emulator runs in its own process, the stack's
config sets ``fdipsec:maxConcurrency``, and ``PULUMI_PARALLEL`` is set high enough (256 by default) that
the engine's own limit is never the one measured. In one run it reports:

- ``up`` at zero latency: the engine's and the providers' overhead for this many resources;
- ``up`` at the given latencies against its critical path (tunnel + share latency + that overhead);
- the same with ``maxConcurrency=4`` (the dynamic-provider host's stock width), and the ratio;
- destroy against its critical path (share + tunnel delete latency + the zero-latency destroy);
- API requests per resource for up, no-op preview, refresh and destroy;
- with ``--faults P`` (default 0.05), an up and a destroy with P of all API requests answered 429
  (Retry-After 1 s) or 503 at random: whether the fleet converged, and what it cost.

Run: ``PATH="$(cat .cache/pulumi-bin-dir):$PATH" .venv/bin/python benchmarks/fleet.py [--tunnels 40
--shares 3 --tunnel-latency 10 --share-latency 3 --delete-latency 3 --out table.txt]`` after
``make setup``. It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fdipsec_pulumi.emulator import ControlClient  # noqa: E402
from tests.e2e.harness import Project, new_project  # noqa: E402

TOKEN = "fdipsec-local-token"
PROGRAM = """\
import pulumi

from fdipsec_pulumi import IpsecShare, IpsecShareArgs, IpsecTunnel, IpsecTunnelArgs

fleet = pulumi.Config().require_object("fleet")
frontdoors = fleet["frontdoors"]
for i in range(fleet["tunnels"]):
    frontdoor = frontdoors[i % len(frontdoors)]
    tunnel = IpsecTunnel(
        f"site-{i}",
        IpsecTunnelArgs(
            name=f"site-{i}",
            peer_public_ip=f"198.51.100.{i % 250 + 1}",
            peer_cidr=f"172.{16 + i % 16}.{i // 16}.0/24",
            location_id=f"loc-{i // len(frontdoors)}",
            frontdoor_id=frontdoor,
        ),
    )
    for j in range(fleet["shares"]):
        IpsecShare(
            f"site-{i}-app-{j}",
            IpsecShareArgs(
                name=f"site-{i}-app-{j}",
                ipsec_tunnel_id=tunnel.id,
                env_z_id="ijcrWb-ZOq",
                target=f"10.20.{i % 250}.{j + 1}:443",
                ingress_port=8443 + j,
                frontdoor_id=frontdoor,
            ),
        )
"""


class Emulator(ControlClient):
    """The emulator CLI in its own process, so its work does not share this process's interpreter."""

    def __init__(self, root: str) -> None:
        super().__init__(root, timeout=30)

    def take_requests(self) -> Counter[str]:
        """Requests by what they were: a write, a list, a tunnel's documents, or one object's GET."""
        log = self.requests()
        self.clear_requests()
        return Counter(kind(entry["method"], entry["path"]) for entry in log)


def kind(method: str, path: str) -> str:
    if method != "GET":
        return method
    if path.endswith(("/ipsec-tunnels", "/ipsec-shares")):
        return "GET list"
    if path.endswith(("/tunnel-config", "/sample-config")):
        return "GET config"
    return "GET one"


@contextmanager
def emulator(frontdoors: list[str]) -> Iterator[Emulator]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    argv = [sys.executable, "-m", "fdipsec_pulumi.emulator", "--port", str(port)]
    argv += [arg for frontdoor in frontdoors for arg in ("--frontdoor-id", frontdoor)]
    proc = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        emu = Emulator(f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 30
        while True:
            try:
                emu.call("GET", "config")
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield emu
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def stack(root: Path, name: str, emu: Emulator, fleet: dict[str, Any], width: int, parallel: int) -> Project:
    project = new_project(root / name, PROGRAM, name=f"fdipsec-fleet-{name}")
    project.extra_env["PULUMI_PARALLEL"] = str(parallel)
    project.init(
        config={
            "fdipsec:apiUrl": f"{emu.root_url}/frontdoor",
            "fdipsec:frontdoorId": fleet["frontdoors"][0],
            "fdipsec:maxConcurrency": str(width),
            "fleet": json.dumps(fleet),
        },
        secrets={"fdipsec:token": TOKEN},
    )
    return project


class Step:
    """One CLI command's wall time, API requests and pool warnings."""

    def __init__(self, project: Project, emu: Emulator, *args: str, check: bool = True) -> None:
        emu.call("DELETE", "requests")
        started = time.monotonic()
        proc = project.run(*args, check=check, timeout=3600)
        self.seconds = time.monotonic() - started
        self.ok = proc.returncode == 0
        self.calls = emu.take_requests()
        self.pool_warnings = (proc.stdout + proc.stderr).count("pool is full")
        self.output = proc.stdout + proc.stderr

    @property
    def requests(self) -> int:
        return sum(self.calls.values())


UP = ("up", "--yes", "--skip-preview")
DESTROY = ("destroy", "--yes", "--skip-preview")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tunnels", type=int, default=40)
    parser.add_argument("--shares", type=int, default=3)
    parser.add_argument("--frontdoors", type=int, default=4)
    parser.add_argument("--tunnel-latency", type=float, default=10.0)
    parser.add_argument("--share-latency", type=float, default=3.0)
    parser.add_argument("--delete-latency", type=float, default=3.0)
    parser.add_argument("--max-concurrency", type=int, default=64)
    parser.add_argument("--parallel", type=int, default=256)
    parser.add_argument("--faults", type=float, default=0.05, help="share of requests answered 429/503")
    parser.add_argument("--skip-stock", action="store_true", help="skip the maxConcurrency=4 up")
    parser.add_argument("--out", type=Path, help="also write the table here")
    args = parser.parse_args()

    frontdoors = [
        str(uuid.UUID(int=0xFD000000_0000_4000_8000_000000000000 + n)) for n in range(args.frontdoors)
    ]
    fleet = {"tunnels": args.tunnels, "shares": args.shares, "frontdoors": frontdoors}
    resources = args.tunnels * (1 + args.shares)
    latencies = {
        "tunnelDelay": args.tunnel_latency,
        "shareDelay": args.share_latency,
        "deleteDelay": args.delete_latency,
    }
    zero = {"tunnelDelay": 0, "shareDelay": 0, "deleteDelay": 0}
    lines: list[str] = []

    def say(line: str) -> None:
        print(line, flush=True)
        lines.append(line)

    say(
        f"fleet: {args.tunnels} tunnels x {args.shares} shares = {resources} resources over "
        f"{args.frontdoors} Frontdoors; latencies tunnel {args.tunnel_latency:g} s, share "
        f"{args.share_latency:g} s, delete {args.delete_latency:g} s"
    )
    say(
        f"PULUMI_PARALLEL={args.parallel} (above the resource count, so the engine is not the limit); "
        f"fdipsec:maxConcurrency={args.max_concurrency}; {os.cpu_count()} cores"
    )
    with tempfile.TemporaryDirectory() as tmp, emulator(frontdoors) as emu:
        root = Path(tmp)
        emu.call("PUT", "config", zero)
        overhead = stack(root, "zero", emu, fleet, args.max_concurrency, args.parallel)
        zero_up = Step(overhead, emu, *UP)
        zero_destroy = Step(overhead, emu, *DESTROY)

        emu.call("PUT", "config", latencies)
        wide = stack(root, "wide", emu, fleet, args.max_concurrency, args.parallel)
        up = Step(wide, emu, *UP)
        preview = Step(wide, emu, "preview", "--expect-no-changes")
        refresh = Step(wide, emu, "refresh", "--yes", "--skip-preview", "--expect-no-changes")
        destroy = Step(wide, emu, *DESTROY)

        stock_up: Step | None = None
        if not args.skip_stock:
            emu.call("POST", "reset")
            emu.call("PUT", "config", latencies)
            stock = stack(root, "stock", emu, fleet, 4, args.parallel)
            stock_up = Step(stock, emu, *UP)

        faulty_up = faulty_destroy = None
        if args.faults > 0:
            emu.call("POST", "reset")
            emu.call("PUT", "config", latencies)
            half = args.faults / 2
            emu.call(
                "POST",
                "faults",
                {"method": "*", "path": "/v2/", "status": 429, "retryAfter": 1, "probability": half},
            )
            # The first matching fault wins, so the second one's odds are of what the first let through.
            emu.call(
                "POST",
                "faults",
                {"method": "*", "path": "/v2/", "status": 503, "probability": half / (1 - half)},
            )
            faulty = stack(root, "faults", emu, fleet, args.max_concurrency, args.parallel)
            faulty_up = Step(faulty, emu, *UP, check=False)
            faulty_destroy = Step(faulty, emu, *DESTROY, check=False)

    critical = args.tunnel_latency + args.share_latency + zero_up.seconds
    destroy_critical = 2 * args.delete_latency + zero_destroy.seconds
    say("")
    say(f"{'measure':44s} {'value':>10s}  note")
    say(f"{'up at zero latency (overhead)':44s} {zero_up.seconds:9.1f}s  {zero_up.requests} requests")
    say(f"{'destroy at zero latency (overhead)':44s} {zero_destroy.seconds:9.1f}s")
    say(f"{'critical path of up':44s} {critical:9.1f}s  tunnel + share latency + overhead")
    say(
        f"{f'up, maxConcurrency={args.max_concurrency}':44s} {up.seconds:9.1f}s  "
        f"{up.seconds / critical:.2f} x critical path"
    )
    if stock_up is not None:
        say(
            f"{'up, maxConcurrency=4 (stock host)':44s} {stock_up.seconds:9.1f}s  "
            f"{stock_up.seconds / critical:.2f} x critical path"
        )
        say(f"{'ratio stock / widened':44s} {stock_up.seconds / up.seconds:9.1f}x")
    say(
        f"{'critical path of destroy':44s} {destroy_critical:9.1f}s  share + tunnel delete latency + overhead"
    )
    say(f"{'destroy':44s} {destroy.seconds:9.1f}s  {destroy.seconds / destroy_critical:.2f} x critical path")
    for name, step in (("up", up), ("no-op preview", preview), ("refresh", refresh), ("destroy", destroy)):
        calls = ", ".join(f"{method} {count}" for method, count in sorted(step.calls.items()))
        say(
            f"{f'API requests per resource, {name}':44s} {step.requests / resources:10.2f}  "
            f"{step.requests} ({calls or 'none'})"
        )
    refresh_note = "no changes" if refresh.ok else "CHANGES OR FAILURE"
    say(f"{'refresh --expect-no-changes':44s} {refresh_note:>10s}")
    warnings = sum(s.pool_warnings for s in (zero_up, zero_destroy, up, preview, refresh, destroy))
    say(f"{'connection pool is full warnings':44s} {warnings:10d}")
    if faulty_up is not None and faulty_destroy is not None:
        for name, step in (("up", faulty_up), ("destroy", faulty_destroy)):
            verdict = "converged" if step.ok else "FAILED"
            say(
                f"{f'with {args.faults:.0%} 429/503, {name}':44s} {verdict:>10s}  {step.seconds:.1f}s, "
                f"{step.requests / resources:.2f} requests per resource"
            )
            if not step.ok:
                print(step.output[-4000:], flush=True)
    if args.out is not None:
        args.out.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
