"""Our pace against the engine's floor (issue 19): `up` and `destroy` of our stacks and of a no-op dynamic
provider of the same shape, at zero API latency, and the requests of a refresh.

The floor is ``tests/e2e/trivial_provider.py``'s ``EchoProvider`` (create returns at once, no API) laid
out as our stacks are: N/4 "tunnels", each with three "shares" whose input is the tunnel's id. Whatever
our `up` takes beyond the floor's is ours: waiting, listings, configuration fetches, claim checks.

For each size (4, 160 and 400 resources by default) it prints `up` and `destroy`, ours and the floor's,
their ratio and the cost per resource; then a refresh of 20 tunnels x 2 shares over 2 Frontdoors with
its requests against the minimum (one listing per Frontdoor and kind, plus each tunnel's two documents).
Everything runs once by default: on a machine shared with other work the figures move by tens of percent
between runs, so read them with that in mind. ``--repeat N`` alternates ours and the floor N times per
size and also prints the medians, which move much less.

Run: ``PATH="$(cat .cache/pulumi-bin-dir):$PATH" .venv/bin/python benchmarks/floor.py [--sizes 4 160
400] [--repeat N]`` after ``make setup``. It prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks.fleet import DESTROY, UP, Step, emulator, stack  # noqa: E402
from tests.e2e.harness import Project, new_project  # noqa: E402

SHARES = 3
PARALLEL = 256
FLOOR_PROGRAM = """\
import pulumi
from pulumi.dynamic import Resource

from tests.e2e.trivial_provider import EchoProvider


class Echo(Resource):
    def __init__(self, name: str, message: pulumi.Input[str]) -> None:
        super().__init__(EchoProvider(), name, {"message": message})


fleet = pulumi.Config().require_object("fleet")
for i in range(fleet["tunnels"]):
    tunnel = Echo(f"site-{i}", f"site-{i}")
    for j in range(fleet["shares"]):
        Echo(f"site-{i}-app-{j}", tunnel.id.apply(lambda id_, j=j: f"{id_}-app-{j}"))
"""


def floor_stack(root: Path, name: str, fleet: dict[str, Any]) -> Project:
    project = new_project(root / name, FLOOR_PROGRAM, name=f"fdipsec-floor-{name}")
    project.extra_env["PULUMI_PARALLEL"] = str(PARALLEL)
    project.init(config={"fleet": json.dumps(fleet)})
    return project


def frontdoor_ids(count: int) -> list[str]:
    return [str(uuid.UUID(int=0xFD000000_0000_4000_8000_000000000000 + n)) for n in range(count)]


def report(resources: int, step: str, mine: float, base: float) -> None:
    """One line: a run, or (step ending in ~) the medians of the runs."""
    print(
        f"{resources:9d} {step:8s} {mine:7.1f}s {base:7.1f}s {mine / base:6.2f} "
        f"{1000 * mine / resources:7.0f}ms {1000 * base / resources:7.0f}ms",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 160, 400])
    parser.add_argument("--refresh-tunnels", type=int, default=20)
    parser.add_argument("--refresh-shares", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="runs per size, alternating ours and the floor")
    args = parser.parse_args()
    frontdoors = frontdoor_ids(2)
    zero = {"tunnelDelay": 0, "shareDelay": 0, "deleteDelay": 0}
    runs = (
        "every figure from one run"
        if args.repeat == 1
        else f"{args.repeat} runs each, then their medians (~)"
    )
    print(f"PULUMI_PARALLEL={PARALLEL}, zero API latency, {os.cpu_count()} cores; {runs}")
    print(
        f"{'resources':>9s} {'step':8s} {'ours':>8s} {'floor':>8s} {'ratio':>6s} "
        f"{'ours/res':>9s} {'floor/res':>9s}"
    )
    with tempfile.TemporaryDirectory() as tmp, emulator(frontdoors) as emu:
        root = Path(tmp)
        emu.configure(**zero)
        for size in args.sizes:
            fleet = {"tunnels": max(1, size // (1 + SHARES)), "shares": SHARES, "frontdoors": frontdoors}
            resources = fleet["tunnels"] * (1 + SHARES)
            ours = stack(root, f"ours-{size}", emu, fleet, 64, PARALLEL)
            floor = floor_stack(root, f"floor-{size}", fleet)
            seconds: dict[str, tuple[list[float], list[float]]] = {"up": ([], []), "destroy": ([], [])}
            for _ in range(args.repeat):
                for name, args_ in (("up", UP), ("destroy", DESTROY)):
                    mine, base = Step(ours, emu, *args_), Step(floor, emu, *args_)
                    seconds[name][0].append(mine.seconds)
                    seconds[name][1].append(base.seconds)
                    report(resources, name, mine.seconds, base.seconds)
            if args.repeat > 1:
                for name, (mine_all, base_all) in seconds.items():
                    report(resources, f"{name}~", statistics.median(mine_all), statistics.median(base_all))
            emu.reset()
            emu.configure(**zero)
        refresh_fleet = {
            "tunnels": args.refresh_tunnels,
            "shares": args.refresh_shares,
            "frontdoors": frontdoors,
        }
        refreshed = stack(root, "refresh", emu, refresh_fleet, 64, PARALLEL)
        Step(refreshed, emu, *UP)
        refresh = Step(refreshed, emu, "refresh", "--yes", "--skip-preview", "--expect-no-changes")
        Step(refreshed, emu, *DESTROY)
    minimum = 2 * len(frontdoors) + 2 * args.refresh_tunnels
    calls = ", ".join(f"{kind} {count}" for kind, count in sorted(refresh.calls.items()))
    print(
        f"refresh of {args.refresh_tunnels} x {args.refresh_shares} over {len(frontdoors)} Frontdoors: "
        f"{refresh.requests} requests ({calls}); minimum {minimum}, ratio {refresh.requests / minimum:.2f}; "
        f"{refresh.seconds:.1f}s, {'no changes' if refresh.ok else 'CHANGES OR FAILURE'}"
    )


if __name__ == "__main__":
    main()
