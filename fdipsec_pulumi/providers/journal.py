"""The create journal: which object a resource's own POST made, kept on disk until its create returns.

An exception in ``create`` (a timeout, a killed ``pulumi up``) records nothing in state, so the object
the POST made would be lost, and the next ``up`` would POST a duplicate. Adopting "whatever matches"
instead would take over objects other stacks made. The journal is how create tells the two apart:
right after a POST returns, create writes the new id under the resource's owner key (its organization,
project, stack, type and name, with the API and Frontdoor it went to). The next create of the same
resource adopts that id, and nothing else; a create that returns forgets its entry, because the state
holds the id from then on. See docs/adoption.md.

Entries are one small JSON file each, written atomically, so concurrent creates of different resources
never touch the same file. Where the journal lives: ``fdipsec:journalDir``, else ``FDIPSEC_JOURNAL_DIR``,
else ``$XDG_STATE_HOME/fdipsec-pulumi/creates`` (``~/.local/state/...``).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

JOURNAL_DIR_CONFIG = "fdipsec:journalDir"
JOURNAL_DIR_ENV = "FDIPSEC_JOURNAL_DIR"


def journal_dir(config: Mapping[str, str], environ: Mapping[str, str]) -> Path:
    chosen = (config.get(JOURNAL_DIR_CONFIG) or "").strip() or (environ.get(JOURNAL_DIR_ENV) or "").strip()
    if chosen:
        return Path(chosen).expanduser()
    state_home = (environ.get("XDG_STATE_HOME") or "").strip()
    base = Path(state_home) if state_home else Path.home() / ".local" / "state"
    return base / "fdipsec-pulumi" / "creates"


@dataclass(frozen=True)
class JournalSlot:
    """The one entry a resource can have: the object its own POST made, until its create returns."""

    path: Path
    owner: str

    def record(self, remote_id: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".entry-")
        try:
            with os.fdopen(fd, "w") as file:
                json.dump({"owner": self.owner, "id": remote_id}, file)
                file.flush()
                os.fsync(file.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def lookup(self) -> str | None:
        try:
            recorded = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return None
        # A hash collision or a hand-edited file must not make us adopt another resource's object.
        if not isinstance(recorded, dict) or recorded.get("owner") != self.owner or not recorded.get("id"):
            return None
        return str(recorded["id"])

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)


def journal_slot(directory: Path, owner: str, api_url: str, frontdoor_id: str) -> JournalSlot:
    """The same resource on another API or Frontdoor is another object, so they are part of the key; only
    their hash is written, as an API URL may carry more than a user would want in a file."""
    digest = hashlib.sha256(f"{api_url}\n{frontdoor_id}\n{owner}".encode()).hexdigest()[:32]
    return JournalSlot(path=directory / f"{digest}.json", owner=owner)
