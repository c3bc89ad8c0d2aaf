"""``fdipsec-review [FILE|-]``: read ``pulumi preview --json`` (or ``pulumi refresh --preview-only
--json``), print the report, and gate on it.

Exit codes: 0 report printed; 3 the input trips ``--fail-on`` (the report is still printed, so a CI job
can post it and fail); 2 the input is not a preview or a refresh, or ``--fail-on`` is not understood
(one line on stderr, no traceback, as a CI log should read).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence

from fdipsec_pulumi.review import classify, drift, gate, markdown, text
from fdipsec_pulumi.review.preview import Preview, PreviewError, parse

EXIT_OK = 0
EXIT_INVALID = 2
EXIT_PLANNED = 3

DESCRIPTION = """\
Report what `pulumi preview --json` means for Frontdoor IPsec tunnels and shares, or, given
`pulumi refresh --preview-only --json`, what drift the refresh found (the JSON tells which it is).
"""


def _values() -> str:
    return "\n".join(
        textwrap.fill(meaning, 78, initial_indent=f"  {value:<11} ", subsequent_indent=" " * 14)
        for value, meaning in gate.VALUES.items()
    )


EPILOG = f"""\
--fail-on values (several, comma-separated):
{_values()}

exit codes:
  {EXIT_OK}  the report is printed
  {EXIT_PLANNED}  the report is printed, and the input trips --fail-on
  {EXIT_INVALID}  the input is not a preview or a refresh, or --fail-on is not understood
     (one line on stderr)

examples:
  # a pull request: fail when IPsec traffic would be interrupted, and post the report
  pulumi preview --json | fdipsec-review --fail-on disruptive > report.md

  # a schedule: report drift, and exit 3 when there is any
  pulumi refresh --preview-only --json | fdipsec-review --fail-on drift > drift.md
"""


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fdipsec-review",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "file", nargs="?", default="-", help="the preview or refresh JSON; - (the default) is stdin"
    )
    parser.add_argument(
        "--format",
        choices=("markdown", "text"),
        default="markdown",
        help="markdown (the default) for a pull-request comment or an issue; text for a terminal",
    )
    parser.add_argument(
        "--fail-on",
        metavar="VALUES",
        help=f"exit {EXIT_PLANNED} when the input has a step these values refuse, e.g. replace,delete "
        "(listed below); by default only this package's tunnels and shares count",
    )
    parser.add_argument(
        "--all-resources",
        action="store_true",
        help="let --fail-on count every resource in the stack, not only tunnels and shares "
        "(disruptive still means IPsec traffic only)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments().parse_args(argv)
    try:
        fail_on = gate.parse(args.fail_on) if args.fail_on is not None else frozenset()
        preview = parse(_read(args.file))
    except (OSError, UnicodeDecodeError, PreviewError, gate.GateError) as exc:
        print(f"fdipsec-review: {_one_line(exc)}", file=sys.stderr)
        return EXIT_INVALID
    sys.stdout.write(_render(preview, args.format))
    sys.stdout.flush()
    if tripped := gate.tripped(preview, fail_on, args.all_resources):
        what = "refresh found drift" if preview.is_refresh else "preview plans a step"
        print(f"fdipsec-review: the {what} refused by --fail-on {','.join(tripped)}", file=sys.stderr)
        return EXIT_PLANNED
    return EXIT_OK


def _render(preview: Preview, format_: str) -> str:
    if preview.is_refresh:
        found = drift.read(preview)
        return markdown.render_drift(found) if format_ == "markdown" else text.render_drift(found)
    review = classify.review(preview)
    return markdown.render(review) if format_ == "markdown" else text.render(review)


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.buffer.read().decode("utf-8")
    with open(name, encoding="utf-8") as handle:
        return handle.read()


def _one_line(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"cannot read {exc.filename or 'input'}: {exc.strerror or exc}"
    return " ".join(str(exc).split())
