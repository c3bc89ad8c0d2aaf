"""Writes what is generated from the field tables (fdipsec_pulumi/fields/): the resource classes, their
supporting types, the lookup results, the wire models' generated part and docs/reference.md.

    .venv/bin/python scripts/generate.py          # write the files
    .venv/bin/python scripts/generate.py --check  # exit 1 and name the stale ones
"""

from __future__ import annotations

import subprocess
import sys

from fdipsec_pulumi.fields import TABLES
from fdipsec_pulumi.fields.codegen import ROOT, generated_files


def main(argv: list[str]) -> int:
    stale = []
    for path, text in generated_files(TABLES).items():
        if path.exists() and path.read_text() == text:
            continue
        stale.append(path.relative_to(ROOT))
        if "--check" not in argv:
            path.write_text(text)
    for path in stale:
        print(f"{'stale' if '--check' in argv else 'wrote'}: {path}")
    if stale and "--check" not in argv:
        # The reference documents the generated classes as this process imported them, before they were
        # rewritten: one more run, in a fresh process, writes it from the new ones.
        return subprocess.run([sys.executable, __file__, *argv], check=False).returncode
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
