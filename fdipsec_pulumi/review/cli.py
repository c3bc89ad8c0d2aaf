"""``fdipsec-review [FILE|-]``: read ``pulumi preview --json``, print the report, and gate on it.

Exit codes: 0 report printed; 3 the preview plans a step ``--fail-on`` names (the report is still
printed, so a CI job can post it and fail); 2 the input is not a preview (one line on stderr, no
traceback, as a CI log should read).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from fdipsec_pulumi.review import classify, markdown, text
from fdipsec_pulumi.review.preview import PreviewError, parse

EXIT_OK = 0
EXIT_INVALID = 2
EXIT_PLANNED = 3


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fdipsec-review",
        description="Report what a `pulumi preview --json` means for Frontdoor IPsec tunnels and shares.",
    )
    parser.add_argument("file", nargs="?", default="-", help="the preview JSON; - (the default) is stdin")
    parser.add_argument("--format", choices=("markdown", "text"), default="markdown")
    parser.add_argument(
        "--fail-on",
        choices=("replace", "delete", "any"),
        help=f"exit {EXIT_PLANNED} when the preview plans a replacement, a deletion, or any change",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments().parse_args(argv)
    try:
        raw = _read(args.file)
        preview = parse(raw)
    except (OSError, UnicodeDecodeError, PreviewError) as exc:
        print(f"fdipsec-review: {_one_line(exc)}", file=sys.stderr)
        return EXIT_INVALID
    review = classify.review(preview)
    sys.stdout.write(markdown.render(review) if args.format == "markdown" else text.render(review))
    sys.stdout.flush()
    if args.fail_on and classify.plans(preview, args.fail_on):
        print(
            f"fdipsec-review: the preview plans a step refused by --fail-on {args.fail_on}", file=sys.stderr
        )
        return EXIT_PLANNED
    return EXIT_OK


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.buffer.read().decode("utf-8")
    with open(name, encoding="utf-8") as handle:
        return handle.read()


def _one_line(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return f"cannot read {exc.filename or 'input'}: {exc.strerror or exc}"
    return " ".join(str(exc).split())
