"""Soak: N cycles of the whole life of a stack through the real engine, against an emulator that answers
every API request with a 503 or drops its connection about 5 % of the time.

A cycle is `pulumi up` (one tunnel, two shares), a share change (an in-place update), a tunnel replace
(every share is replaced with it), then `pulumi destroy`, and after the replace `pulumi preview
--expect-no-changes`. A command that fails is run again, as a user would, at most ``--attempts`` times;
the report counts every re-run. After each step it counts what a user of a provider must never get:
- duplicates: two live objects for one resource (one name);
- orphans: live objects the stack's state does not track (after destroy: anything live);
- stray processes: a process of a finished command still running ten seconds later;
- plaintext secrets: the token or a pre-shared key (from the sample configuration) in the state export,
  the CLI's output, or the emulator's log and request log.

Run: `PATH="$(cat .cache/pulumi-bin-dir):$PATH" .venv/bin/python benchmarks/soak.py --cycles 10`
(after `make setup`). It prints figures; it asserts nothing. The exit status is 1 when a cycle did not
converge or anything above was found, so that a CI job may run it.
"""

from __future__ import annotations

import argparse
import collections
import io
import json
import logging
import re
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from fdipsec_pulumi.emulator import EmulatorServer  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    FRONTDOOR_ID,
    PROGRAM,
    SHARE_TYPE,
    TOKEN,
    TUNNEL_TYPE,
    Emulator,
    init_stack,
    set_config,
)
from tests.e2e.harness import new_project, processes_with  # noqa: E402

# 5 % of requests in all: 2.5 % answered 503, 1.25 % dropped before the API handles them and 1.25 %
# after (the ambiguous kind). The first fault that matches and wins its roll fires, so the later ones
# roll only for what the earlier ones let through.
FAULTS = (("status", 503, 0.025), ("drop", "before", 0.0125 / 0.975), ("drop", "after", 0.0125 / 0.9625))
GONE_WITHIN = 10.0
PSK = re.compile(r'PSK "([^"]+)"')


@dataclass
class Tally:
    """What the soak counts, over all cycles."""

    converged: int = 0
    reruns: collections.Counter[str] = field(default_factory=collections.Counter)
    duplicates: list[str] = field(default_factory=list)
    orphans: list[str] = field(default_factory=list)
    stray: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    requests: collections.Counter[str] = field(default_factory=collections.Counter)
    secrets: set[str] = field(default_factory=set)
    leaks: list[str] = field(default_factory=list)
    cli_output: list[str] = field(default_factory=list)
    request_log: list[str] = field(default_factory=list)
    exports: list[str] = field(default_factory=list)
    controls: list[bool] = field(default_factory=list)
    log_lines: int = 0


class Soak:
    def __init__(self, server: EmulatorServer, root: Path, attempts: int, tally: Tally) -> None:
        self.server = server
        self.emulator = Emulator(server)
        self.attempts = attempts
        self.tally = tally
        self.marker = uuid.uuid4().hex
        self.project = new_project(root, PROGRAM, name="fdipsec-soak")
        self.project.extra_env["FDIPSEC_SOAK_RUN"] = self.marker
        init_stack(self.project, server.url, {})

    # --- running commands, again when they fail --------------------------------------------------

    def command(self, step: str, *args: str) -> bool:
        """Run a pulumi command until it succeeds, at most ``attempts`` times; count the re-runs."""
        for attempt in range(1, self.attempts + 1):
            proc = self.project.run(*args, check=False)
            self.tally.cli_output.append(f"{proc.stdout}\n{proc.stderr}")
            self.check_processes(step)
            if proc.returncode == 0:
                return True
            errors = [line.strip() for line in proc.stdout.splitlines() if "error:" in line]
            print(f"    {step}: attempt {attempt} failed: {errors[-1] if errors else proc.stderr[-300:]}")
            if attempt < self.attempts:
                self.tally.reruns[args[0]] += 1
        self.tally.failures.append(step)
        return False

    def up(self, step: str) -> bool:
        return self.command(step, "up", "--yes", "--skip-preview")

    def check_processes(self, step: str) -> None:
        deadline = time.monotonic() + GONE_WITHIN
        while (left := processes_with(self.marker)) and time.monotonic() < deadline:
            time.sleep(0.2)
        self.tally.stray.extend(f"{step}: {pid} {command}" for pid, command in left.items())

    # --- what the emulator holds against what the stack tracks ------------------------------------

    def live(self) -> list[tuple[str, dict[str, Any]]]:
        dumped = self.emulator.dump()
        return [
            (kind, item)
            for kind in ("tunnels", "shares")
            for item in dumped[kind]
            if item["status"] != "DELETED"
        ]

    def audit(self, step: str) -> None:
        """Duplicates and orphans after a step; the PSKs of the live tunnels join the secrets sought."""
        exported = self.project.run("stack", "export", "--stack", self.project.stack).stdout
        self.tally.exports.append(exported)
        resources = json.loads(exported)["deployment"].get("resources", [])
        tracked = {r["id"] for r in resources if r["type"] in (TUNNEL_TYPE, SHARE_TYPE)}
        live = self.live()
        names = collections.Counter((kind, item["name"]) for kind, item in live)
        self.tally.duplicates.extend(
            f"{step}: {n} live {k} named {name}" for (k, name), n in names.items() if n > 1
        )
        self.tally.orphans.extend(
            f"{step}: {kind[:-1]} {item['id']} ({item['name']}, {item['status']})"
            for kind, item in live
            if item["id"] not in tracked
        )
        psks = {
            psk
            for kind, item in live
            if kind == "tunnels" and item["status"] == "DEPLOYED"
            for psk in PSK.findall(self.sample_config(item["id"]))
        }
        self.tally.secrets.update(psks)
        if psks:
            # The control: the same search finds the PSKs where they are meant to be readable.
            args = ("stack", "export", "--show-secrets", "--stack", self.project.stack)
            shown = self.project.run(*args).stdout
            self.tally.controls.append(all(psk in shown for psk in psks))

    def sample_config(self, tunnel_id: str) -> str:
        """Read through the faulty API like any client: again, until an answer comes."""
        url = f"{self.server.url}/v2/{FRONTDOOR_ID}/ipsec-tunnels/{tunnel_id}/sample-config"
        headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "text/plain"}
        for _ in range(20):
            try:
                response = requests.get(url, headers=headers, timeout=10)
            except requests.ConnectionError:
                continue
            if response.ok:
                return response.text
        raise RuntimeError(f"no sample configuration for {tunnel_id} after 20 tries")

    def count_requests(self) -> None:
        entries = self.emulator.requests()
        self.tally.request_log.append(repr(entries))
        for entry in entries:
            self.tally.requests["all"] += 1
            self.tally.requests[entry["method"]] += 1
            status = entry["status"]
            self.tally.requests["503" if status == 503 else "dropped" if status is None else "answered"] += 1
        self.emulator.call("DELETE", "requests")

    # --- one cycle -------------------------------------------------------------------------------

    def cycle(self, number: int) -> bool:
        tunnel = {"name": f"soak-{number}", "peerPublicIp": "203.0.113.10", "peerCidr": "172.31.0.0/16"}
        shares = [
            {"name": f"db-{number}", "target": "10.20.100.1:5432", "ingressPort": 5432},
            {"name": f"api-{number}", "target": "10.20.100.2:443", "ingressPort": 443},
        ]
        steps: list[tuple[str, dict[str, Any], Callable[[str], bool]]] = [
            ("up", {"tunnel": tunnel, "shares": shares}, self.up),
            (
                "share change",
                {"shares": [{**shares[0], "target": "10.20.100.9:5432"}, shares[1]]},
                self.up,
            ),
            ("tunnel replace", {"tunnel": {**tunnel, "peerCidr": "172.30.0.0/16"}}, self.up),
            ("no changes", {}, lambda step: self.command(step, "preview", "--expect-no-changes")),
            ("destroy", {}, lambda step: self.command(step, "destroy", "--yes", "--skip-preview")),
        ]
        ok = True
        for name, config, run in steps:
            step = f"cycle {number} {name}"
            if config:
                set_config(self.project, config)
            started = time.monotonic()
            ok = run(step) and ok
            self.audit(step)
            print(f"  {name:15s} {time.monotonic() - started:6.1f} s")
            if not ok:
                break
        if not ok:  # leave nothing for the next cycle, so its figures are its own
            self.command(f"cycle {number} cleanup", "destroy", "--yes", "--skip-preview")
        self.emulator.wait_until(lambda: not self.live(), "the emulator holds nothing live", timeout=60)
        self.count_requests()
        return ok


def find_leaks(tally: Tally, soak: Soak, emulator_log: str) -> None:
    places = {
        "state exports": "\n".join(tally.exports),
        "stack config file": (soak.project.root / f"Pulumi.{soak.project.stack}.yaml").read_text(),
        "CLI output": "\n".join(tally.cli_output),
        "emulator log": emulator_log,
    }
    for secret in sorted(tally.secrets | {TOKEN}):
        label = "token" if secret == TOKEN else "a PSK"
        tally.leaks.extend(f"{label} in the {place}" for place, text in places.items() if secret in text)
    tally.log_lines = emulator_log.count("\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=10)
    parser.add_argument("--probability", type=float, default=0.05, help="share of requests faulted")
    parser.add_argument("--attempts", type=int, default=3, help="runs of a failing command, re-runs included")
    args = parser.parse_args()

    log = io.StringIO()
    handler = logging.StreamHandler(log)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    emulator_logger = logging.getLogger("fdipsec_pulumi.emulator")
    emulator_logger.addHandler(handler)
    emulator_logger.setLevel(logging.DEBUG)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).addHandler(handler)

    tally = Tally()
    started = time.monotonic()
    with (
        EmulatorServer(tunnel_delay=1.0, share_delay=0.5, delete_delay=0.3) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        soak = Soak(server, Path(tmp) / "soak", args.attempts, tally)
        scale = args.probability / 0.05
        for kind, value, probability in FAULTS:
            soak.emulator.call("POST", "faults", {kind: value, "probability": probability * scale})
        soak.emulator.call("DELETE", "requests")
        for number in range(1, args.cycles + 1):
            print(f"cycle {number}/{args.cycles}")
            cycle_started = time.monotonic()
            if soak.cycle(number):
                tally.converged += 1
            print(f"  cycle total     {time.monotonic() - cycle_started:6.1f} s")
        soak.emulator.call("DELETE", "faults")
        find_leaks(tally, soak, log.getvalue() + "\n".join(tally.request_log))
    elapsed = time.monotonic() - started

    faulted = tally.requests["503"] + tally.requests["dropped"]
    print()
    print(f"cycles converged     {tally.converged}/{args.cycles} (each: up, share change, tunnel replace, ")
    print("                     preview --expect-no-changes, destroy)")
    print(f"re-runs              {sum(tally.reruns.values())} {dict(tally.reruns)}")
    print(f"failed after re-runs {len(tally.failures)} {tally.failures}")
    print(f"API requests         {tally.requests['all']} ({dict(tally.requests)})")
    print(f"faulted requests     {faulted} ({100 * faulted / max(tally.requests['all'], 1):.1f} %)")
    print(f"duplicates           {len(tally.duplicates)} {tally.duplicates}")
    print(f"orphans              {len(tally.orphans)} {tally.orphans}")
    print(f"stray processes      {len(tally.stray)} {tally.stray}")
    print(f"secrets sought       {len(tally.secrets | {TOKEN})} (the token and every tunnel's PSK)")
    print(f"plaintext secrets    {len(tally.leaks)} {tally.leaks}")
    print(
        f"searched             {len(tally.exports)} state exports, {len(tally.cli_output)} CLI outputs, "
        f"{tally.log_lines} emulator log lines and the request log"
    )
    found = sum(tally.controls)
    print(
        f"control              the PSKs found in {found}/{len(tally.controls)} `stack export --show-secrets`"
    )
    print(f"wall time            {elapsed:.0f} s")
    clean = not (tally.failures or tally.duplicates or tally.orphans or tally.stray or tally.leaks)
    clean = clean and all(tally.controls)
    return 0 if clean and tally.converged == args.cycles else 1


if __name__ == "__main__":
    sys.exit(main())
