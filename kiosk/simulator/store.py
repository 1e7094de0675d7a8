"""SQLite persistence of the simulator: one connection, serialised by a re-entrant lock.

Every public method must be called inside ``with store.transaction():`` (which takes the lock
and runs ``BEGIN IMMEDIATE`` .. ``COMMIT``/``ROLLBACK``; nested use joins the outer transaction).
"""

from __future__ import annotations

import contextlib
import json
import pathlib
import sqlite3
import threading
from collections.abc import Iterator
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS permits (
    id_number TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
    document_id TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    received_at TEXT NOT NULL,
    content BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS applications (
    application_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL UNIQUE,
    kiosk_id TEXT NOT NULL,
    client_reference TEXT NOT NULL,
    id_number TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (kiosk_id, client_reference)
);
CREATE INDEX IF NOT EXISTS applications_person ON applications (id_number);
CREATE TABLE IF NOT EXISTS idempotency (
    kiosk_id TEXT NOT NULL,
    idem_key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    body BLOB,
    location TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (kiosk_id, idem_key)
);
CREATE TABLE IF NOT EXISTS kiosks (
    kiosk_id TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS help_requests (
    seq INTEGER PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS help_requests_kiosk ON help_requests (kiosk_id, seq);
"""

OPEN_STATUSES = ("submitted", "under_review", "needs_more_material", "approved", "card_ready", "pickup_chosen")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Store:
    def __init__(self, path: pathlib.Path) -> None:
        self._lock = threading.RLock()
        self._depth = 0
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            str(path), check_same_thread=False, isolation_level=None
        )
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)

    # ------------------------------------------------------------ plumbing

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("the simulator database is closed")
        return self._conn

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
            finally:
                self._depth = 0

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # ------------------------------------------------------------ meta

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def next_sequence(self, name: str = "application_seq") -> int:
        current = int(self.get_meta(name) or "0") + 1
        self.set_meta(name, str(current))
        return current

    def clear_all(self) -> None:
        """Delete every application, document, idempotency record, kiosk state, help request and permit."""
        for table in ("applications", "documents", "idempotency", "kiosks", "help_requests", "permits"):
            self.conn.execute(f"DELETE FROM {table}")

    # ------------------------------------------------------------ permits

    def get_permit(self, id_number: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT data FROM permits WHERE id_number = ?", (id_number,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put_permit(self, record: dict[str, Any]) -> bool:
        """Insert or replace; True when a new record was created."""
        existed = self.get_permit(record["id_number"]) is not None
        self.conn.execute(
            "INSERT INTO permits (id_number, data) VALUES (?, ?) "
            "ON CONFLICT(id_number) DO UPDATE SET data = excluded.data",
            (record["id_number"], _dumps(record)),
        )
        return not existed

    # ------------------------------------------------------------ documents

    def get_document(self, document_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT document_id, kiosk_id, content_type, size_bytes, sha256, received_at "
            "FROM documents WHERE document_id = ?",
            (document_id,),
        ).fetchone()
        if row is None:
            return None
        keys = ("document_id", "kiosk_id", "content_type", "size_bytes", "sha256", "received_at")
        return dict(zip(keys, row, strict=True))

    def document_content(self, document_id: str) -> bytes | None:
        row = self.conn.execute("SELECT content FROM documents WHERE document_id = ?", (document_id,)).fetchone()
        return None if row is None else bytes(row[0])

    def add_document(self, meta: dict[str, Any], content: bytes) -> None:
        self.conn.execute(
            "INSERT INTO documents (document_id, kiosk_id, content_type, size_bytes, sha256, received_at, content) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                meta["document_id"],
                meta["kiosk_id"],
                meta["content_type"],
                meta["size_bytes"],
                meta["sha256"],
                meta["received_at"],
                content,
            ),
        )

    # ------------------------------------------------------------ applications

    def add_application(self, seq: int, app: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO applications (application_id, seq, kiosk_id, client_reference, id_number, name, status, "
            "received_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                app["application_id"],
                seq,
                app["kiosk_id"],
                app["client_reference"],
                app["applicant"]["id_number"],
                app["applicant"]["name"],
                app["status"],
                app["received_at"],
                _dumps(app),
            ),
        )

    def save_application(self, app: dict[str, Any]) -> None:
        self.conn.execute(
            "UPDATE applications SET status = ?, data = ? WHERE application_id = ?",
            (app["status"], _dumps(app), app["application_id"]),
        )

    def get_application(self, application_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT data FROM applications WHERE application_id = ?", (application_id,)
        ).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def application_id_by_client_reference(self, kiosk_id: str, client_reference: str) -> str | None:
        row = self.conn.execute(
            "SELECT application_id FROM applications WHERE kiosk_id = ? AND client_reference = ?",
            (kiosk_id, client_reference),
        ).fetchone()
        return None if row is None else str(row[0])

    def open_application_id(self, id_number: str) -> str | None:
        """The newest open application of this person, if any."""
        marks = ",".join("?" * len(OPEN_STATUSES))
        row = self.conn.execute(
            f"SELECT application_id FROM applications WHERE id_number = ? AND status IN ({marks}) "
            "ORDER BY received_at DESC, application_id DESC LIMIT 1",
            (id_number, *OPEN_STATUSES),
        ).fetchone()
        return None if row is None else str(row[0])

    def person_applications(self, id_number: str, name: str) -> list[dict[str, Any]]:
        """Exact match on both fields, newest first (ties: application_id descending)."""
        rows = self.conn.execute(
            "SELECT data FROM applications WHERE id_number = ? AND name = ? "
            "ORDER BY received_at DESC, application_id DESC",
            (id_number, name),
        ).fetchall()
        return [dict(json.loads(row[0])) for row in rows]

    def all_applications(self) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT data FROM applications ORDER BY seq").fetchall()
        return [dict(json.loads(row[0])) for row in rows]

    def applications_in_status(self, statuses: tuple[str, ...]) -> list[str]:
        marks = ",".join("?" * len(statuses))
        rows = self.conn.execute(
            f"SELECT application_id FROM applications WHERE status IN ({marks}) ORDER BY seq",
            statuses,
        ).fetchall()
        return [str(row[0]) for row in rows]

    # ------------------------------------------------------------ idempotency

    def get_idempotency(self, kiosk_id: str, key: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT fingerprint, state, status, content_type, body, location FROM idempotency "
            "WHERE kiosk_id = ? AND idem_key = ?",
            (kiosk_id, key),
        ).fetchone()
        if row is None:
            return None
        return {
            "fingerprint": row[0],
            "state": row[1],
            "status": row[2],
            "content_type": row[3],
            "body": None if row[4] is None else bytes(row[4]),
            "location": row[5],
        }

    def claim_idempotency(self, kiosk_id: str, key: str, fingerprint: str, created_at: str) -> None:
        self.conn.execute(
            "INSERT INTO idempotency (kiosk_id, idem_key, fingerprint, state, created_at) "
            "VALUES (?, ?, ?, 'in_progress', ?)",
            (kiosk_id, key, fingerprint, created_at),
        )

    def finish_idempotency(
        self, kiosk_id: str, key: str, status: int, content_type: str, body: bytes, location: str | None
    ) -> None:
        self.conn.execute(
            "UPDATE idempotency SET state = 'done', status = ?, content_type = ?, body = ?, location = ? "
            "WHERE kiosk_id = ? AND idem_key = ?",
            (status, content_type, body, location, kiosk_id, key),
        )

    def release_idempotency(self, kiosk_id: str, key: str) -> None:
        self.conn.execute(
            "DELETE FROM idempotency WHERE kiosk_id = ? AND idem_key = ? AND state = 'in_progress'",
            (kiosk_id, key),
        )

    def release_all_in_progress(self) -> None:
        """Claims left by a previous process never finished: a retry is evaluated afresh."""
        self.conn.execute("DELETE FROM idempotency WHERE state = 'in_progress'")

    # ------------------------------------------------------------ kiosks

    def get_kiosk(self, kiosk_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT data FROM kiosks WHERE kiosk_id = ?", (kiosk_id,)).fetchone()
        return None if row is None else dict(json.loads(row[0]))

    def put_kiosk(self, state: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO kiosks (kiosk_id, data) VALUES (?, ?) ON CONFLICT(kiosk_id) DO UPDATE SET data = excluded.data",
            (state["kiosk_id"], _dumps(state)),
        )

    # ------------------------------------------------------------ help requests

    def add_help_request(self, seq: int, kiosk_id: str, record: dict[str, Any]) -> None:
        self.conn.execute(
            "INSERT INTO help_requests (seq, kiosk_id, data) VALUES (?, ?, ?)", (seq, kiosk_id, _dumps(record))
        )

    def kiosk_help_requests(self, kiosk_id: str) -> list[dict[str, Any]]:
        """The help requests of one kiosk, oldest first."""
        rows = self.conn.execute(
            "SELECT data FROM help_requests WHERE kiosk_id = ? ORDER BY seq", (kiosk_id,)
        ).fetchall()
        return [dict(json.loads(row[0])) for row in rows]
