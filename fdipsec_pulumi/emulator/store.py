"""Where records live: always in memory, and with a state file also in SQLite.

Reads are served from memory; every change is written through to SQLite at once, so a restarted
emulator (or one that was killed) resumes with the same tunnels, shares, statuses and pre-shared keys.
The store does no locking of its own: the backend holds one lock around every operation.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from fdipsec_pulumi.emulator.records import Kind, Record

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (kind, id)
)
"""


class Store:
    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._records: dict[Kind, dict[str, Record]] = {kind: {} for kind in Kind}
        self._seq = 0
        self._db: sqlite3.Connection | None = None
        if path is not None:
            self._db = _open(Path(path))
            for (doc,) in self._db.execute("SELECT doc FROM records ORDER BY seq"):
                record = Record.from_row(json.loads(doc))
                self._records[record.kind][record.id] = record
                self._seq = max(self._seq, record.seq)

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def get(self, kind: Kind, record_id: str) -> Record | None:
        return self._records[kind].get(record_id)

    def all(self, kind: Kind | None = None) -> list[Record]:
        """Records in creation order."""
        if kind is not None:
            return list(self._records[kind].values())
        return [record for kind in Kind for record in self._records[kind].values()]

    def put(self, *records: Record) -> None:
        for record in records:
            self._records[record.kind][record.id] = record
        if self._db is not None and records:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO records (kind, id, seq, doc) VALUES (?, ?, ?, ?)",
                    [(r.kind.value, r.id, r.seq, json.dumps(r.to_row())) for r in records],
                )

    def remove(self, *records: Record) -> None:
        for record in records:
            self._records[record.kind].pop(record.id, None)
        if self._db is not None and records:
            with self._db:
                self._db.executemany(
                    "DELETE FROM records WHERE kind = ? AND id = ?",
                    [(r.kind.value, r.id) for r in records],
                )

    def clear(self) -> None:
        for records in self._records.values():
            records.clear()
        if self._db is not None:
            with self._db:
                self._db.execute("DELETE FROM records")

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def _open(path: Path) -> sqlite3.Connection:
    # The file holds pre-shared keys, so it is created readable by its owner only.
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    db = sqlite3.connect(path, check_same_thread=False)
    with db:
        db.execute(_SCHEMA)
    return db
