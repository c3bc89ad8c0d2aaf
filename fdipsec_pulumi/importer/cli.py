"""``fdipsec-import [--frontdoor-id ID] [-o FILE]``: write the Pulumi program for an existing Frontdoor.

Settings come from where the providers take them (client/settings.py): ``--frontdoor-id``, then the
current stack's ``fdipsec:*`` config when run in a Pulumi project, then the ``FDIPSEC_*`` environment.
The module goes to standard output or FILE; what was read and what was left out goes to standard error,
by name and id only. Exit codes: 0 written; 1 the API or the file failed; 2 the settings or the
arguments are wrong.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from fdipsec_pulumi.client import FrontdoorClient, Settings
from fdipsec_pulumi.client.errors import ConfigurationError, FrontdoorError
from fdipsec_pulumi.importer import inventory, module, stackconfig
from fdipsec_pulumi.importer.inventory import Filters, Inventory, UnknownTunnel

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
PROG = "fdipsec-import"


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Write a Python module that declares every IPsec tunnel and share of a Frontdoor with "
            "import_, so that one `pulumi up` adopts them without writing to the API."
        ),
    )
    parser.add_argument(
        "--frontdoor-id",
        metavar="ID",
        help="the Frontdoor to read (default: fdipsec:frontdoorId, then FDIPSEC_FRONTDOOR_ID); when it "
        "is not the stack's, the module names it in every resource's frontdoor_id",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write the module here (default: stdout)")
    parser.add_argument("--stack", help="the stack whose fdipsec:* config to use (default: the current one)")
    parser.add_argument(
        "--name",
        action="append",
        default=[],
        metavar="PATTERN",
        help="only objects whose API name matches this shell-style pattern (repeatable)",
    )
    parser.add_argument(
        "--tunnel",
        action="append",
        default=[],
        metavar="NAME_OR_ID",
        help="only this tunnel and its shares (repeatable)",
    )
    parser.add_argument(
        "--status",
        action="append",
        default=[],
        type=str.upper,
        choices=("NEW", "DEPLOYED", "ERROR", "DELETING"),
        help="only objects in this status (repeatable); ERROR and DELETING ones are only listed",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments().parse_args(argv)
    stack = stackconfig.read(Path.cwd(), args.stack)
    if stack.note:
        _say(stack.note)
    try:
        settings = Settings.resolve({"frontdoor_id": args.frontdoor_id}, config=stack.values)
        frontdoor_id = settings.require_frontdoor_id()
        # The Frontdoor the stack's resources reach when they name none: the module need not name it.
        configured = Settings.resolve(config=stack.values).frontdoor_id
    except ConfigurationError as exc:
        _say(str(exc))
        return EXIT_USAGE
    filters = Filters(names=args.name, tunnels=args.tunnel, statuses=args.status)
    try:
        with FrontdoorClient(settings) as client:
            found = inventory.read(client, frontdoor_id, filters)
    except (ConfigurationError, UnknownTunnel) as exc:  # no credentials; a --tunnel that is not there
        _say(str(exc))
        return EXIT_USAGE
    except FrontdoorError as exc:
        _say(f"reading Frontdoor {frontdoor_id} failed: {exc}")
        return EXIT_FAILED
    text = module.render(found, frontdoor_id if frontdoor_id != configured else None)
    try:
        _write(text, args.output)
    except OSError as exc:
        _say(f"cannot write {args.output}: {exc.strerror or exc}")
        return EXIT_FAILED
    _say(_summary(found, args.output))
    return EXIT_OK


def _write(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(output)
    # Whole or not at all: a half-written module would be imported by the next `pulumi up`.
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _summary(found: Inventory, output: str | None) -> str:
    where = output if output is not None else "standard output"
    text = (
        f"Frontdoor {found.frontdoor_id}: {len(found.tunnels)} tunnel(s) and {len(found.shares)} share(s) "
        f"written to {where}"
    )
    if found.left_out:
        text += "; left out: " + ", ".join(f"{item.kind} {item.name} ({item.id})" for item in found.left_out)
    return text


def _say(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)
