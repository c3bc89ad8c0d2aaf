"""``python -m fdipsec_pulumi.policy``: the pack's directory, for ``pulumi preview --policy-pack "$(...)"``.

Only the directory goes to stdout, so the command substitution gets a path and nothing else; whatever
would keep the pack from running in this interpreter goes to stderr, since the engine runs the pack with
the first ``python3`` on PATH (or ``PULUMI_PYTHON_CMD``), which must be this one.
"""

from __future__ import annotations

import importlib.util
import sys

from fdipsec_pulumi.policy.location import pack_directory


def main() -> int:
    if importlib.util.find_spec("pulumi_policy") is None:
        print(
            f"fdipsec-pulumi: pulumi-policy is not installed in {sys.prefix}; the pack cannot run until "
            "it is: pip install 'fdipsec-pulumi[policy]'",
            file=sys.stderr,
        )
    print(pack_directory())
    return 0


if __name__ == "__main__":
    sys.exit(main())
