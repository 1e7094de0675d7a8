"""The outbox's SQLite queue: one file, WAL, ``synchronous=FULL``, ``secure_delete``.

Crash safety: every state change is one committed transaction; a restart resumes from the last
commit. The clear columns are bookkeeping only: ids, kind, state, attempt counters, times, the
kiosk-made ``client_reference`` (printed on the receipt) and error *codes*; the request and the
documents are stored sealed (:mod:`kiosk.outbox.cipher`) and this module never sees them in the
clear. ``secure_delete`` zeroes deleted rows and the WAL is truncated when the queue drains.

The schema is unchanged since version 1: an existing kiosk's ``outbox.sqlite3`` opens as it is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.outbox.errors import OutboxError
from kiosk.outbox.policy import RESULT_RETENTION_S

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    created_at TEXT NOT NULL,
    enqueued_at REAL NOT NULL,
    client_reference TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    last_error_code TEXT,
    last_http_status INTEGER,
    last_attempt_at REAL,
    request BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_due ON entries (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS entry_documents (
    entry_id TEXT NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    document_id TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    confirmed_at REAL,
    blob BLOB NOT NULL,
    PRIMARY KEY (entry_id, idx)
);
CREATE TABLE IF NOT EXISTS results (
    entry_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    client_reference TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'discarded')),
    answer TEXT,
    finished_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS results_reference ON results (client_reference);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class Entry:
    """A pending entry as the sender sees it: the request still sealed."""

    id: str
    kind: str
    attempts: int
    request: bytes


@dataclass(frozen=True)
class NewEntry:
    """A row to insert: the bookkeeping in the clear, the request and the documents sealed."""

    id: str
    kind: str
    created_at: str
    client_reference: str
    idempotency_key: str
    request: bytes
    #: (idx, document_id, size in bytes, sealed bytes)
    documents: list[tuple[int, str, int, bytes]]


class Store:
    """The queue's tables behind one connection, shared by the caller's threads and the sender."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        #: Serialises every use of the connection; re-entrant, so a caller can group reads.
        self.lock = threading.RLock()
        self.closed = False
        self._db = self._open()

    # ------------------------------------------------------------ connection

    def _open(self) -> sqlite3.Connection:
        self.db_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not self.db_path.exists():
            # Create the file 0600 ourselves: SQLite gives the -wal and -shm files the same mode.
            fd = os.open(self.db_path, os.O_WRONLY | os.O_CREAT, 0o600)
            os.close(fd)
        db = sqlite3.connect(self.db_path, timeout=30.0, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA busy_timeout = 30000")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise OutboxError(f"{self.db_path}: cannot switch to WAL mode ({mode})")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA secure_delete = ON")
        db.execute("PRAGMA foreign_keys = ON")
        db.executescript(_SCHEMA)
        db.execute("INSERT OR IGNORE INTO meta (name, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        return db

    @contextlib.contextmanager
    def tx(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            if self.closed:
                raise OutboxError("the outbox is closed")
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.lock:
            if self.closed:
                raise OutboxError("the outbox is closed")
            return self._db.execute(sql, args).fetchall()

    def checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it (deleted ciphertext leaves the WAL)."""
        with self.lock:
            if not self.closed:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> bool:
        """Checkpoint and close; False if it was closed already."""
        with self.lock:
            if self.closed:
                return False
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()
            self.closed = True
            return True

    # ------------------------------------------------------------ enqueue and reads

    def entry_for_key(self, idempotency_key: str) -> str | None:
        rows = self.query("SELECT id FROM entries WHERE idempotency_key = ?", (idempotency_key,))
        return str(rows[0][0]) if rows else None

    def insert(self, new: NewEntry, now: float) -> str:
        """Commit ``new`` with its documents; the id of the entry holding its key (``new.id`` unless
        another thread or process queued the same key first)."""
        with self.tx() as db:
            row = db.execute("SELECT id FROM entries WHERE idempotency_key = ?", (new.idempotency_key,)).fetchone()
            if row is not None:
                return str(row[0])
            db.execute(
                "INSERT INTO entries (id, kind, state, attempts, next_attempt_at, created_at, enqueued_at,"
                " client_reference, idempotency_key, request) VALUES (?, ?, 'pending', 0, ?, ?, ?, ?, ?, ?)",
                (
                    new.id,
                    new.kind,
                    now,
                    new.created_at,
                    now,
                    new.client_reference,
                    new.idempotency_key,
                    new.request,
                ),
            )
            db.executemany(
                "INSERT INTO entry_documents (entry_id, idx, document_id, size_bytes, blob) VALUES (?, ?, ?, ?, ?)",
                [(new.id, idx, document_id, size, blob) for idx, document_id, size, blob in new.documents],
            )
        return new.id

    def outcome(
        self, entry_id: str
    ) -> tuple[tuple[str, str | None] | None, tuple[str, str | None, int | None] | None]:
        """(outcome, answer) from the results, else (state, last_error_code, last_http_status) of the entry.

        Both tables in one look: the sender moves an accepted entry from entries to results in
        one transaction, and between two separate reads the entry was in neither.
        """
        with self.lock:
            rows = self.query("SELECT outcome, answer FROM results WHERE entry_id = ?", (entry_id,))
            if rows:
                return (rows[0][0], rows[0][1]), None
            entry = self.query("SELECT state, last_error_code, last_http_status FROM entries WHERE id = ?", (entry_id,))
        return None, (entry[0][0], entry[0][1], entry[0][2]) if entry else None

    def result_by_reference(self, client_reference: str) -> dict[str, Any] | None:
        """Non-personal outcome for a receipt's client reference: accepted, pending or dead."""
        rows = self.query(
            "SELECT outcome, answer FROM results WHERE client_reference = ? ORDER BY finished_at DESC LIMIT 1",
            (client_reference,),
        )
        if rows:
            out = {"outcome": rows[0][0]}
            out.update(json.loads(rows[0][1] or "{}"))
            return out
        rows = self.query(
            "SELECT state, last_error_code FROM entries WHERE client_reference = ? ORDER BY seq DESC LIMIT 1",
            (client_reference,),
        )
        if rows:
            return {"outcome": rows[0][0], "last_error_code": rows[0][1], "client_reference": client_reference}
        return None

    def progress(self, entry_id: str) -> tuple[int, int] | None:
        """(documents confirmed, documents) of a pending entry; None when it is no longer pending."""
        rows = self.query(
            "SELECT COUNT(d.idx), COUNT(d.confirmed_at) FROM entries e LEFT JOIN entry_documents d"
            " ON d.entry_id = e.id WHERE e.id = ? AND e.state = 'pending' GROUP BY e.id",
            (entry_id,),
        )
        return (int(rows[0][1]), int(rows[0][0])) if rows else None

    def depth(self) -> int:
        return int(self.query("SELECT COUNT(*) FROM entries WHERE state = 'pending'")[0][0])

    def status(self, now: float) -> dict[str, Any]:
        """Queue health: codes, counts and ids only (the sender's state is the caller's to add)."""
        pending = self.query(
            "SELECT COUNT(*), MIN(enqueued_at), MIN(next_attempt_at), MAX(attempts) FROM entries WHERE state = 'pending'"
        )[0]
        last = self.query(
            "SELECT last_error_code FROM entries WHERE state = 'pending' AND last_attempt_at IS NOT NULL"
            " ORDER BY last_attempt_at DESC LIMIT 1"
        )
        accepted = self.query("SELECT COUNT(*), MAX(finished_at) FROM results WHERE outcome = 'accepted'")[0]
        uploads = self.query(
            "SELECT COUNT(*) FROM entry_documents d JOIN entries e ON e.id = d.entry_id"
            " WHERE e.state = 'pending' AND d.confirmed_at IS NULL"
        )[0][0]
        depth = int(pending[0])
        dead = self._dead_entries()
        return {
            "depth": depth,
            # The heartbeat's outbox_depth counts requests: documents still to upload + POSTs (contract).
            "requests_pending": depth + int(uploads),
            "oldest_age_s": max(0, int(now - pending[1])) if depth else None,
            "next_attempt_in_s": round(max(0.0, pending[2] - now), 1) if depth else None,
            "max_attempts": int(pending[3]) if depth else 0,
            "last_error_code": last[0][0] if last else None,
            "dead": len(dead),
            "dead_entries": dead,
            "accepted_recent": int(accepted[0]),
            "last_accepted_at": (
                dt.datetime.fromtimestamp(accepted[1], dt.UTC).isoformat(timespec="seconds") if accepted[1] else None
            ),
        }

    def _dead_entries(self) -> list[dict[str, Any]]:
        dead = self.query(
            "SELECT id, kind, client_reference, created_at, last_error_code, last_http_status, attempts"
            " FROM entries WHERE state = 'dead' ORDER BY seq"
        )
        return [
            {
                "entry_id": r[0],
                "kind": r[1],
                "client_reference": r[2],
                "created_at": r[3],
                "error_code": r[4],
                "http_status": r[5],
                "attempts": r[6],
            }
            for r in dead
        ]

    # ------------------------------------------------------------ technician operations

    def discard(self, entry_id: str, now: float) -> bool:
        """Delete a dead entry and its documents, leaving a 'discarded' result; False if not dead."""
        with self.tx() as db:
            row = db.execute(
                "SELECT kind, client_reference FROM entries WHERE id = ? AND state = 'dead'", (entry_id,)
            ).fetchone()
            if row is None:
                return False
            db.execute("DELETE FROM entry_documents WHERE entry_id = ?", (entry_id,))
            db.execute("DELETE FROM entries WHERE id = ?", (entry_id,))
            db.execute(
                "INSERT OR REPLACE INTO results (entry_id, kind, client_reference, outcome, answer, finished_at)"
                " VALUES (?, ?, ?, 'discarded', NULL, ?)",
                (entry_id, row[0], row[1], now),
            )
        return True

    def dead_enqueued_before(self, cutoff: float) -> list[str]:
        return [str(r[0]) for r in self.query("SELECT id FROM entries WHERE state = 'dead' AND enqueued_at < ?", (cutoff,))]

    def make_due(self, now: float) -> None:
        """Every pending entry due now: backoff waits are cut short."""
        with self.tx() as db:
            db.execute(
                "UPDATE entries SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at > ?",
                (now, now),
            )

    # ------------------------------------------------------------ used by the sender

    def next_due(self, now: float, horizon: float) -> tuple[Entry | None, float | None]:
        """The next entry due at ``now``, else (None, seconds until the next one is due or None).

        An entry due after ``horizon`` counts as due now: the wall clock jumped back.
        """
        row = self.query(
            "SELECT id, kind, attempts, request FROM entries WHERE state = 'pending'"
            " AND (next_attempt_at <= ? OR next_attempt_at > ?) ORDER BY next_attempt_at, seq LIMIT 1",
            (now, horizon),
        )
        if row:
            r = row[0]
            return Entry(str(r[0]), str(r[1]), int(r[2]), bytes(r[3])), None
        nxt = self.query("SELECT MIN(next_attempt_at) FROM entries WHERE state = 'pending'")[0][0]
        return None, (max(0.0, nxt - now) if nxt is not None else None)

    def enqueued_at(self, entry_id: str) -> float | None:
        rows = self.query("SELECT enqueued_at FROM entries WHERE id = ?", (entry_id,))
        return float(rows[0][0]) if rows else None

    def documents_to_send(self, entry_id: str, fresh_after: float) -> list[tuple[int, str]]:
        """(idx, document_id) of the documents not confirmed upstream since ``fresh_after``."""
        rows = self.query(
            "SELECT idx, document_id FROM entry_documents WHERE entry_id = ?"
            " AND (confirmed_at IS NULL OR confirmed_at < ?) ORDER BY idx",
            (entry_id, fresh_after),
        )
        return [(int(r[0]), str(r[1])) for r in rows]

    def document_blob(self, entry_id: str, idx: int) -> bytes | None:
        rows = self.query("SELECT blob FROM entry_documents WHERE entry_id = ? AND idx = ?", (entry_id, idx))
        return bytes(rows[0][0]) if rows else None

    def confirm_document(self, entry_id: str, idx: int, now: float) -> None:
        with self.tx() as db:
            db.execute(
                "UPDATE entry_documents SET confirmed_at = ? WHERE entry_id = ? AND idx = ?",
                (now, entry_id, idx),
            )

    def record_accepted(self, entry: Entry, kept: dict[str, Any], now: float) -> None:
        """Replace the entry by its non-personal result row; old result rows go."""
        with self.tx() as db:
            row = db.execute("SELECT client_reference FROM entries WHERE id = ?", (entry.id,)).fetchone()
            reference = row[0] if row is not None else str(kept.get("client_reference", ""))
            db.execute(
                "INSERT OR REPLACE INTO results (entry_id, kind, client_reference, outcome, answer, finished_at)"
                " VALUES (?, ?, ?, 'accepted', ?, ?)",
                (entry.id, entry.kind, reference, json.dumps(kept, ensure_ascii=False), now),
            )
            db.execute("DELETE FROM entry_documents WHERE entry_id = ?", (entry.id,))
            db.execute("DELETE FROM entries WHERE id = ?", (entry.id,))
            db.execute("DELETE FROM results WHERE finished_at < ?", (now - RESULT_RETENTION_S,))

    def record_retry(self, entry_id: str, code: str, http_status: int | None, now: float, delay_s: float) -> None:
        with self.tx() as db:
            db.execute(
                "UPDATE entries SET attempts = attempts + 1, next_attempt_at = ?, last_error_code = ?,"
                " last_http_status = ?, last_attempt_at = ? WHERE id = ? AND state = 'pending'",
                (now + delay_s, code, http_status, now, entry_id),
            )

    def record_dead(self, entry_id: str, code: str, http_status: int | None, now: float) -> None:
        with self.tx() as db:
            db.execute(
                "UPDATE entries SET state = 'dead', attempts = attempts + 1, last_error_code = ?,"
                " last_http_status = ?, last_attempt_at = ? WHERE id = ?",
                (code, http_status, now, entry_id),
            )
