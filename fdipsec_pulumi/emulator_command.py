"""``fdipsec-emulator``, the console script: outside the emulator package, so that an install without
the ``[emulator]`` extra gets a line saying how to add it instead of a ModuleNotFoundError for fastapi."""

from __future__ import annotations

import sys
from collections.abc import Sequence

EXTRA_NEEDED = (
    "fdipsec-emulator: the emulator's server ({missing}) is not installed; "
    "install the extra: pip install 'fdipsec-pulumi[emulator]'"
)


def main(argv: Sequence[str] | None = None) -> int:
    try:
        from fdipsec_pulumi.emulator.__main__ import main as serve
    except ModuleNotFoundError as missing:
        if missing.name not in ("fastapi", "uvicorn", "starlette"):
            raise
        print(EXTRA_NEEDED.format(missing=missing.name), file=sys.stderr)
        return 2
    return serve(argv, prog="fdipsec-emulator")
