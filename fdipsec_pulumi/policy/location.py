"""Where the pack lives, so that a project finds it through the installed package rather than a path."""

from __future__ import annotations

from pathlib import Path

PACK_DIRECTORY = Path(__file__).resolve().parent / "pack"
"""The directory ``pulumi preview --policy-pack`` takes: ``PulumiPolicy.yaml`` beside ``__main__.py``.

It is a directory of its own because the engine runs the pack with that directory first on
``sys.path``: the pack's modules stay in ``fdipsec_pulumi.policy``, where they cannot shadow anything.
"""


def pack_directory() -> Path:
    return PACK_DIRECTORY
