"""The durable outbox: what the resident submitted survives network failures and ``kill -9``.

An :class:`OutboxItem` (one creating request of the review-service contract plus the document
images it references) is committed to SQLite (WAL, ``synchronous=FULL``) *before* the resident
is told anything. A background :class:`Sender` then uploads the documents
(``PUT /v1/documents/{id}``, content-addressed, so a repeat is a harmless ``200``), and sends the
request with its stored ``Idempotency-Key`` and its stored, byte-identical body (contract §6), with
exponential backoff and jitter that honours ``Retry-After`` (contract §5). Once the service has
accepted it, the entry's payload is deleted and only a small non-personal result row remains
(``client_reference`` -> ``application_id``, status) for the UI and the technician.

Privacy (docs/architecture.md, "Privacy": queued data is encrypted at rest and deleted once
accepted upstream): everything personal - the request body (name, ID number, phone) and the
images - is stored only as AES-256-GCM ciphertext, one random 12-byte nonce per record, the record's
identity (entry id, part) as associated data, so records cannot be swapped between rows. The clear
columns are bookkeeping only: ids, kind, state, attempt counters, times, the kiosk-made
``client_reference`` (printed on the receipt) and error *codes*. ``secure_delete`` zeroes deleted
rows and the WAL is truncated when the queue drains. Logs carry entry ids, codes and counts only.

Key: 32 random bytes in a file created ``0600`` (``O_CREAT|O_EXCL`` on a temporary name, then
``link()``ed into place, so a crash never leaves a half-written key). A key file that is readable
or writable by group/others, not owned by this user, a symlink, or not exactly 32 bytes is refused
(:class:`OutboxKeyError`), like ssh refuses a private key with loose permissions: a key others could
read protects nothing, and silently tightening it would hide a deployment mistake. The key should
live outside backups of the data directory if possible (its location is a setting).

Crash safety: every state change is one committed transaction; a restart resumes from the last
commit. Exactly one application upstream follows from the idempotency key (a POST whose answer was
lost is replayed by the service), every page present from uploading all documents before the POST.

Only one process sends at a time (an ``flock`` on ``<db>.lock``): if the kiosk application is
sending, ``kiosk outbox flush`` in a technician's shell just watches the queue drain.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import random
import re
import sqlite3
import stat
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.backend_client import BackendError, ProblemError, ReviewClient, TransportError

try:  # POSIX only; elsewhere every process may send (still safe: idempotency keys)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

KEY_BYTES = 32
NONCE_BYTES = 12
SCHEMA_VERSION = 1

#: Statuses and codes the contract (§5) calls retryable with the same key and body.
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
RETRYABLE_CODES = frozenset({"idempotency_in_progress", "digest_mismatch"})
#: Kiosk-level refusals (token, certificate, kiosk disabled): checked before the idempotency store,
#: so nothing is stored for the key. They say nothing about the entry itself, so the entry is held
#: (retried slowly) until a technician fixes the kiosk, never given up.
HOLD_STATUS = frozenset({401, 403})
#: The service may purge unreferenced documents 7 days after upload (§7), and a 422
#: unknown_document is final for the key (§6): re-confirm older uploads right before the POST.
DOCUMENT_RECONFIRM_S = 24 * 3600.0
#: Keys are retained at least 45 days (§6): after that a retry could never be a replay.
MAX_ENTRY_AGE_S = 45 * 24 * 3600.0
#: Longest Retry-After honoured as such (a larger one is capped; the entry is retried then).
MAX_RETRY_AFTER_S = 3600.0
#: Non-personal result rows are kept this long (the UI and ``outbox status`` read them).
RESULT_RETENTION_S = 30 * 24 * 3600.0
#: Dead entries (personal, encrypted) wait this long for a technician, then are discarded:
#: ``created_at`` may be at most 30 days old (§8), so they could never be sent afterwards anyway.
DEAD_RETENTION_S = 30 * 24 * 3600.0

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CLIENT_REFERENCE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{5,39}$")
MAX_DOCUMENTS = 20
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class KindSpec:
    """How the outbox treats one kind of request."""

    path: re.Pattern[str]
    ok: tuple[int, ...]
    #: The only members of the service's answer that are kept (none of them personal).
    result_fields: tuple[str, ...]
    #: A member that every acceptable answer must carry (else the answer is treated as garbled).
    required: str | None = None


KINDS: dict[str, KindSpec] = {
    "application": KindSpec(
        re.compile(r"^/v1/applications$"),
        (200, 201),  # the contract says 201; any 2xx carrying an application_id is an acceptance
        ("application_id", "status", "client_reference", "received_at", "expected_decision_by"),
        "application_id",
    ),
}


class OutboxError(Exception):
    """The outbox cannot do what was asked."""


class OutboxKeyError(OutboxError):
    """The key file is missing-and-uncreatable, malformed or too widely readable."""


class OutboxRefused(ProblemError):
    """The service definitively refused an outbox entry (the entry is now ``dead``).

    A :class:`ProblemError`, so the journey's refusal handling (``problem_reasons``) works as is.
    """

    def __init__(self, entry_id: str, status: int, problem: dict[str, Any]) -> None:
        super().__init__(status, problem)
        self.entry_id = entry_id
        self.retryable = False


# ---------------------------------------------------------------- items


def _json_bytes(body: dict[str, Any]) -> bytes:
    # Exactly how ReviewClient serialises a JSON body.
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _content_type(data: bytes | bytearray) -> str:
    return "application/pdf" if bytes(data[:5]) == b"%PDF-" else "image/jpeg"


@dataclass
class OutboxItem:
    """One creating request and the documents it references, as the service must receive them."""

    kind: str
    method: str
    path: str
    body: dict[str, Any]
    idempotency_key: str
    client_reference: str
    created_at: dt.datetime
    documents: Sequence[tuple[str, bytes | bytearray]] = field(default_factory=list)

    @classmethod
    def application(
        cls, body: dict[str, Any], idempotency_key: str, documents: Sequence[tuple[str, bytes | bytearray]]
    ) -> OutboxItem:
        """``POST /v1/applications`` with ``body`` (ApplicationCreate) and its pages."""
        return cls(
            kind="application",
            method="POST",
            path="/v1/applications",
            body=body,
            idempotency_key=idempotency_key,
            client_reference=str(body["client_reference"]),
            created_at=dt.datetime.fromisoformat(str(body["created_at"])),
            documents=list(documents),
        )

    def validate(self) -> None:
        spec = KINDS.get(self.kind)
        if spec is None:
            raise ValueError(f"unknown outbox kind {self.kind!r}; known: {', '.join(KINDS)}")
        if self.method != "POST" or not spec.path.match(self.path):
            raise ValueError(f"{self.kind}: unexpected request {self.method} {self.path}")
        if not UUID_RE.match(self.idempotency_key):
            raise ValueError("idempotency_key must be a lowercase canonical UUID")
        if not CLIENT_REFERENCE_RE.match(self.client_reference):
            raise ValueError("client_reference does not match the contract pattern")
        if self.created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")
        if len(self.documents) > MAX_DOCUMENTS:
            raise ValueError(f"at most {MAX_DOCUMENTS} documents")
        ids = [d for d, _ in self.documents]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate document id")
        for document_id, data in self.documents:
            if not UUID_RE.match(document_id):
                raise ValueError("document ids must be lowercase canonical UUIDs")
            if not 0 < len(data) <= MAX_DOCUMENT_BYTES:
                raise ValueError("a document must hold 1 byte .. 10 MiB")
        referenced = self.body.get("documents")
        if isinstance(referenced, list):
            wanted = {str(r.get("document_id")) for r in referenced if isinstance(r, dict)}
            if wanted != set(ids):
                # Every page referenced must travel with the request, and nothing else.
                raise ValueError("the documents do not match the body's document references")


@dataclass(frozen=True)
class _Entry:
    id: str
    kind: str
    attempts: int
    request: bytes


# ---------------------------------------------------------------- key and cipher


def load_or_create_key(path: Path) -> bytes:
    """The outbox key at ``path``; created (32 random bytes, mode 0600) if there is none."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as e:
        raise OutboxKeyError(
            f"{path}: cannot create the directory {path.parent} for the outbox key "
            f"({'a file is in the way' if isinstance(e, FileExistsError | NotADirectoryError) else e.strerror})"
        ) from None
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as e:
        raise OutboxKeyError(f"{path}: cannot create the outbox key in {path.parent} ({e.strerror})") from None
    try:
        try:
            os.fchmod(fd, 0o600)  # whatever the umask
            os.write(fd, os.urandom(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # atomic, fails if another process created the key meanwhile
        except FileExistsError:
            pass
        else:
            _fsync_dir(path.parent)
            log.info("outbox key created")
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    try:
        # O_NONBLOCK: a FIFO in the key's place must not hang the kiosk (no effect on a file)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        if isinstance(e, FileNotFoundError):
            raise
        raise OutboxKeyError(f"{path}: cannot open the outbox key ({e.strerror}); it must be a regular file") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise OutboxKeyError(f"{path}: is a directory; the outbox key must be a file (mode 600) of {KEY_BYTES} bytes")
        if not stat.S_ISREG(st.st_mode):
            raise OutboxKeyError(f"{path}: is not a regular file; the outbox key must be a file (mode 600) of {KEY_BYTES} bytes")
        if st.st_mode & 0o077:
            raise OutboxKeyError(
                f"{path}: the outbox key has mode {st.st_mode & 0o777:o}; it must be readable by its owner only "
                f"(chmod 600 {path})"
            )
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise OutboxKeyError(f"{path}: the outbox key belongs to another user")
        key = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(key) != KEY_BYTES:
        raise OutboxKeyError(f"{path}: the outbox key must be exactly {KEY_BYTES} bytes, found {len(key)}")
    return key


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _Cipher:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes | bytearray, ad: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, bytes(plaintext), ad.encode())

    def open(self, blob: bytes, ad: str) -> bytes:
        return self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], ad.encode())


def _ad_request(entry_id: str) -> str:
    return f"outbox/v1/{entry_id}/request"


def _ad_document(entry_id: str, idx: int, document_id: str) -> str:
    return f"outbox/v1/{entry_id}/document/{idx}/{document_id}"


# ---------------------------------------------------------------- the outbox

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


class Outbox:
    """The durable, encrypted queue of creating requests for the review service.

    ``client_factory`` makes the :class:`ReviewClient` the sender uses; give it no automatic
    retries (``retry=no_retry()``): the outbox does its own backoff. ``clock`` returns the wall
    time in epoch seconds (default ``time.time``); tests may pass a fake.
    """

    def __init__(
        self,
        db_path: Path,
        key_path: Path,
        client_factory: Callable[[], ReviewClient],
        *,
        clock: Callable[[], float] | None = None,
        base_backoff_s: float = 0.5,
        max_backoff_s: float = 60.0,
    ) -> None:
        self.db_path = Path(db_path)
        self.key_path = Path(key_path)
        self.client_factory = client_factory
        self.clock = clock or time.time
        self.base_backoff_s = base_backoff_s
        self.max_backoff_s = max_backoff_s
        self._lock = threading.RLock()
        self._changed = threading.Condition(threading.Lock())
        self._cipher_obj: _Cipher | None = None
        self._refusals: dict[str, ProblemError] = {}  # in memory only: the service's full answer
        self._sender: Sender | None = None
        self._closed = False
        self._db = self._open_db()

    # ------------------------------------------------------------ storage

    def _open_db(self) -> sqlite3.Connection:
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
    def _tx(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._closed:
                raise OutboxError("the outbox is closed")
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _query(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            if self._closed:
                raise OutboxError("the outbox is closed")
            return self._db.execute(sql, args).fetchall()

    def _cipher(self) -> _Cipher:
        with self._lock:
            if self._cipher_obj is None:
                self._cipher_obj = _Cipher(load_or_create_key(self.key_path))
            return self._cipher_obj

    def _notify(self) -> None:
        with self._changed:
            self._changed.notify_all()
        if self._sender is not None:
            self._sender.wake()

    def checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it (deleted ciphertext leaves the WAL)."""
        with self._lock:
            if not self._closed:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # ------------------------------------------------------------ enqueue and results

    def enqueue(self, item: OutboxItem) -> str:
        """Commit ``item`` encrypted, durably, and wake the sender; returns the entry id.

        Enqueueing the same idempotency key again returns the existing entry (a double tap on
        Submit never makes two entries).
        """
        item.validate()
        existing = self._query("SELECT id FROM entries WHERE idempotency_key = ?", (item.idempotency_key,))
        if existing:
            return str(existing[0][0])
        entry_id = uuid.uuid4().hex
        cipher = self._cipher()
        request = json.dumps(
            {
                "v": 1,
                "method": item.method,
                "path": item.path,
                "idempotency_key": item.idempotency_key,
                "body": _json_bytes(item.body).decode("utf-8"),
            },
            ensure_ascii=False,
        ).encode("utf-8")
        sealed_request = cipher.seal(request, _ad_request(entry_id))
        sealed_docs = [
            (idx, document_id, len(data), cipher.seal(data, _ad_document(entry_id, idx, document_id)))
            for idx, (document_id, data) in enumerate(item.documents)
        ]
        now = self.clock()
        with self._tx() as db:
            row = db.execute("SELECT id FROM entries WHERE idempotency_key = ?", (item.idempotency_key,)).fetchone()
            if row is not None:
                return str(row[0])
            db.execute(
                "INSERT INTO entries (id, kind, state, attempts, next_attempt_at, created_at, enqueued_at,"
                " client_reference, idempotency_key, request) VALUES (?, ?, 'pending', 0, ?, ?, ?, ?, ?, ?)",
                (
                    entry_id,
                    item.kind,
                    now,
                    item.created_at.isoformat(timespec="seconds"),
                    now,
                    item.client_reference,
                    item.idempotency_key,
                    sealed_request,
                ),
            )
            db.executemany(
                "INSERT INTO entry_documents (entry_id, idx, document_id, size_bytes, blob) VALUES (?, ?, ?, ?, ?)",
                [(entry_id, idx, document_id, size, blob) for idx, document_id, size, blob in sealed_docs],
            )
        log.info("outbox: entry %s queued (%s, %d documents)", entry_id, item.kind, len(sealed_docs))
        self._notify()
        return entry_id

    def result(self, entry_id: str) -> dict[str, Any] | None:
        """The service's (non-personal) answer for an accepted entry, else None.

        Raises :class:`OutboxRefused` for a dead entry and KeyError for an unknown one.
        """
        # Both tables in one look: the sender moves an accepted entry from entries to results in
        # one transaction, and between two separate reads the entry was in neither (KeyError).
        with self._lock:
            rows = self._query("SELECT outcome, answer FROM results WHERE entry_id = ?", (entry_id,))
            if not rows:
                entry = self._query(
                    "SELECT state, last_error_code, last_http_status FROM entries WHERE id = ?", (entry_id,)
                )
        if rows:
            outcome, answer = rows[0]
            if outcome == "accepted":
                return dict(json.loads(answer or "{}"))
            raise OutboxRefused(entry_id, 0, {"code": "discarded"})
        rows = entry
        if not rows:
            raise KeyError(entry_id)
        state, code, http_status = rows[0]
        if state == "dead":
            known = self._refusals.get(entry_id)
            problem = dict(known.problem) if known is not None else {"code": code}
            raise OutboxRefused(entry_id, int(http_status or 0), problem)
        return None

    def result_by_reference(self, client_reference: str) -> dict[str, Any] | None:
        """Non-personal outcome for a receipt's client reference: accepted, pending or dead."""
        rows = self._query(
            "SELECT outcome, answer FROM results WHERE client_reference = ? ORDER BY finished_at DESC LIMIT 1",
            (client_reference,),
        )
        if rows:
            out = {"outcome": rows[0][0]}
            out.update(json.loads(rows[0][1] or "{}"))
            return out
        rows = self._query(
            "SELECT state, last_error_code FROM entries WHERE client_reference = ? ORDER BY seq DESC LIMIT 1",
            (client_reference,),
        )
        if rows:
            return {"outcome": rows[0][0], "last_error_code": rows[0][1], "client_reference": client_reference}
        return None

    def wait_accepted(self, entry_id: str, timeout_s: float) -> dict[str, Any] | None:
        """Wait up to ``timeout_s`` for the service's answer: the (non-personal) receipt, or None.

        Raises :class:`OutboxRefused` when the service definitively refused the entry.
        """
        deadline = time.monotonic() + timeout_s
        while True:
            answer = self.result(entry_id)
            if answer is not None:
                return answer
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            with self._changed:
                # Woken by this process's sender; polled when another process is sending.
                self._changed.wait(min(remaining, 0.2))

    def progress(self, entry_id: str) -> tuple[int, int] | None:
        """(documents confirmed, documents) of a pending entry; None when it is no longer pending."""
        rows = self._query(
            "SELECT COUNT(d.idx), COUNT(d.confirmed_at) FROM entries e LEFT JOIN entry_documents d"
            " ON d.entry_id = e.id WHERE e.id = ? AND e.state = 'pending' GROUP BY e.id",
            (entry_id,),
        )
        return (int(rows[0][1]), int(rows[0][0])) if rows else None

    # ------------------------------------------------------------ status and technician operations

    def status(self) -> dict[str, Any]:
        """Queue health for the heartbeat and the technician. Codes, counts and ids only."""
        now = self.clock()
        pending = self._query(
            "SELECT COUNT(*), MIN(enqueued_at), MIN(next_attempt_at), MAX(attempts) FROM entries WHERE state = 'pending'"
        )[0]
        last = self._query(
            "SELECT last_error_code FROM entries WHERE state = 'pending' AND last_attempt_at IS NOT NULL"
            " ORDER BY last_attempt_at DESC LIMIT 1"
        )
        dead = self._query(
            "SELECT id, kind, client_reference, created_at, last_error_code, last_http_status, attempts"
            " FROM entries WHERE state = 'dead' ORDER BY seq"
        )
        accepted = self._query("SELECT COUNT(*), MAX(finished_at) FROM results WHERE outcome = 'accepted'")[0]
        uploads = self._query(
            "SELECT COUNT(*) FROM entry_documents d JOIN entries e ON e.id = d.entry_id"
            " WHERE e.state = 'pending' AND d.confirmed_at IS NULL"
        )[0][0]
        depth = int(pending[0])
        sender = self._sender
        return {
            "depth": depth,
            # The heartbeat's outbox_depth counts requests: documents still to upload + POSTs (contract).
            "requests_pending": depth + int(uploads),
            "oldest_age_s": max(0, int(now - pending[1])) if depth else None,
            "next_attempt_in_s": round(max(0.0, pending[2] - now), 1) if depth else None,
            "max_attempts": int(pending[3]) if depth else 0,
            "last_error_code": last[0][0] if last else None,
            "dead": len(dead),
            "dead_entries": [
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
            ],
            "accepted_recent": int(accepted[0]),
            "last_accepted_at": (
                dt.datetime.fromtimestamp(accepted[1], dt.UTC).isoformat(timespec="seconds") if accepted[1] else None
            ),
            "sender": sender.state if sender is not None else "stopped",
        }

    def depth(self) -> int:
        return int(self._query("SELECT COUNT(*) FROM entries WHERE state = 'pending'")[0][0])

    def discard(self, entry_id: str) -> bool:
        """Delete a dead entry's payload for good (e.g. the resident saw the refusal on screen)."""
        with self._tx() as db:
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
                (entry_id, row[0], row[1], self.clock()),
            )
        self._refusals.pop(entry_id, None)
        log.info("outbox: dead entry %s discarded", entry_id)
        self._after_delete()
        self._notify()
        return True

    def purge_dead(self, max_age_s: float = DEAD_RETENTION_S) -> int:
        """Discard dead entries enqueued more than ``max_age_s`` ago; returns how many."""
        old = self._query(
            "SELECT id FROM entries WHERE state = 'dead' AND enqueued_at < ?", (self.clock() - max_age_s,)
        )
        return sum(self.discard(str(r[0])) for r in old)

    def flush(self, timeout_s: float) -> bool:
        """Send everything pending now (backoff waits are cut short); True when nothing is pending.

        Needs a running sender, in this process or another one (the kiosk application).
        Dead entries do not count: they are reported by :meth:`status`.
        """
        with self._tx() as db:
            db.execute(
                "UPDATE entries SET next_attempt_at = ? WHERE state = 'pending' AND next_attempt_at > ?",
                (self.clock(), self.clock()),
            )
        self._notify()
        deadline = time.monotonic() + timeout_s
        while True:
            if self.depth() == 0:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            with self._changed:
                self._changed.wait(min(remaining, 0.2))

    # ------------------------------------------------------------ sender lifecycle

    def start(self) -> Sender:
        """Start the background sender (loads or creates the key first, so a bad key fails here)."""
        self._cipher()
        if self._sender is None:
            self._sender = Sender(self)
        self._sender.start()
        return self._sender

    def stop(self, timeout_s: float = 5.0) -> None:
        if self._sender is not None:
            self._sender.stop(timeout_s)

    def close(self) -> None:
        self.stop()
        with self._lock:
            if self._closed:
                return
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.close()
            self._closed = True
            self._cipher_obj = None

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ used by the sender

    def _next_due(self) -> tuple[_Entry | None, float | None]:
        """The next entry due now, else (None, seconds until the next one is due or None)."""
        now = self.clock()
        horizon = now + MAX_RETRY_AFTER_S + self.max_backoff_s  # beyond: the wall clock jumped back
        row = self._query(
            "SELECT id, kind, attempts, request FROM entries WHERE state = 'pending'"
            " AND (next_attempt_at <= ? OR next_attempt_at > ?) ORDER BY next_attempt_at, seq LIMIT 1",
            (now, horizon),
        )
        if row:
            r = row[0]
            return _Entry(str(r[0]), str(r[1]), int(r[2]), bytes(r[3])), None
        nxt = self._query("SELECT MIN(next_attempt_at) FROM entries WHERE state = 'pending'")[0][0]
        return None, (max(0.0, nxt - now) if nxt is not None else None)

    def _documents_to_send(self, entry_id: str) -> list[tuple[int, str]]:
        fresh_after = self.clock() - DOCUMENT_RECONFIRM_S
        rows = self._query(
            "SELECT idx, document_id FROM entry_documents WHERE entry_id = ?"
            " AND (confirmed_at IS NULL OR confirmed_at < ?) ORDER BY idx",
            (entry_id, fresh_after),
        )
        return [(int(r[0]), str(r[1])) for r in rows]

    def _document_bytes(self, entry_id: str, idx: int, document_id: str) -> bytes:
        rows = self._query("SELECT blob FROM entry_documents WHERE entry_id = ? AND idx = ?", (entry_id, idx))
        if not rows:
            raise OutboxError("document row vanished")
        return self._cipher().open(bytes(rows[0][0]), _ad_document(entry_id, idx, document_id))

    def _confirm_document(self, entry_id: str, idx: int) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE entry_documents SET confirmed_at = ? WHERE entry_id = ? AND idx = ?",
                (self.clock(), entry_id, idx),
            )
        self._notify()

    def _accept(self, entry: _Entry, answer: dict[str, Any]) -> None:
        spec = KINDS[entry.kind]
        kept = {k: answer[k] for k in spec.result_fields if k in answer and not isinstance(answer[k], dict | list)}
        now = self.clock()
        with self._tx() as db:
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
        log.info("outbox: entry %s accepted as %s", entry.id, kept.get("application_id", "-"))
        self._after_delete()
        self._notify()

    def _after_delete(self) -> None:
        if self.depth() == 0:
            self.checkpoint()

    def _retry_later(self, entry: _Entry, code: str, http_status: int | None, delay_s: float) -> None:
        now = self.clock()
        with self._tx() as db:
            db.execute(
                "UPDATE entries SET attempts = attempts + 1, next_attempt_at = ?, last_error_code = ?,"
                " last_http_status = ?, last_attempt_at = ? WHERE id = ? AND state = 'pending'",
                (now + delay_s, code, http_status, now, entry.id),
            )
        log.warning("outbox: entry %s attempt %d failed (%s); next in %.1f s", entry.id, entry.attempts + 1, code, delay_s)
        self._notify()

    def _kill(self, entry: _Entry, code: str, http_status: int | None, err: ProblemError | None = None) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE entries SET state = 'dead', attempts = attempts + 1, last_error_code = ?,"
                " last_http_status = ?, last_attempt_at = ? WHERE id = ?",
                (code, http_status, self.clock(), entry.id),
            )
        if err is not None:
            self._refusals[entry.id] = err
        log.error("outbox: entry %s refused definitively (%s %s); kept for a technician", entry.id, http_status, code)
        self._notify()

    def _backoff(self, attempts: int) -> float:
        """Exponential with 'equal jitter': half fixed, half random, capped."""
        d = min(self.max_backoff_s, self.base_backoff_s * (2 ** min(attempts, 30)))
        return d / 2 + random.uniform(0, d / 2)

    def _attempt(self, entry: _Entry, client: ReviewClient) -> float | None:
        """One try at one entry. Returns a kiosk-wide pause (Retry-After of 429/503) or None."""
        now = self.clock()
        enq = self._query("SELECT enqueued_at FROM entries WHERE id = ?", (entry.id,))
        if enq and now - float(enq[0][0]) > MAX_ENTRY_AGE_S:
            self._kill(entry, "outbox_expired", None)
            return None
        try:
            request = json.loads(self._cipher().open(entry.request, _ad_request(entry.id)))
        except (InvalidTag, ValueError):
            self._kill(entry, "undecryptable", None)
            return None
        spec = KINDS.get(entry.kind)
        if spec is None:
            self._kill(entry, "unknown_kind", None)
            return None
        try:
            for idx, document_id in self._documents_to_send(entry.id):
                try:
                    data = self._document_bytes(entry.id, idx, document_id)
                except InvalidTag:
                    self._kill(entry, "undecryptable", None)
                    return None
                client.upload_document(document_id, data, _content_type(data))
                del data
                self._confirm_document(entry.id, idx)
            # The stored body bytes as they are (not re-serialised) with the stored key.
            answer = client.send_stored(
                request["method"],
                request["path"],
                request["body"].encode("utf-8"),
                request["idempotency_key"],
                ok=spec.ok,
            )
            if spec.required and not answer.get(spec.required):
                raise TransportError(f"2xx answer without {spec.required}")
        except ProblemError as e:
            if e.status in RETRYABLE_STATUS or e.code in RETRYABLE_CODES:
                retry_after = min(MAX_RETRY_AFTER_S, e.retry_after) if e.retry_after is not None else None
                delay = self._backoff(entry.attempts)
                if retry_after is not None:
                    delay = max(delay, retry_after)
                self._retry_later(entry, e.code, e.status, delay)
                if e.status in (429, 503) and retry_after is not None:
                    return retry_after  # the whole service said "not now"
                return None
            if e.status in HOLD_STATUS:
                self._retry_later(entry, e.code, e.status, self.max_backoff_s)
                return None
            existing = e.problem.get("existing_application_id")
            if e.code == "client_reference_conflict" and entry.kind == "application" and isinstance(existing, str):
                # The safety net of §6: this kiosk's journey reference is already an application
                # upstream (sent under another key, e.g. before an upgrade). It is there: accepted.
                log.warning("outbox: entry %s already upstream as %s (client_reference_conflict)", entry.id, existing)
                self._accept(entry, {"application_id": existing, "client_reference": _request_reference(request)})
                return None
            self._kill(entry, e.code, e.status, e)
            return None
        except BackendError as e:
            self._retry_later(entry, e.code, None, self._backoff(entry.attempts))
            return None
        self._accept(entry, answer)
        return None


def _request_reference(request: dict[str, Any]) -> str | None:
    try:
        ref = json.loads(request["body"]).get("client_reference")
    except (ValueError, AttributeError, KeyError):
        return None
    return ref if isinstance(ref, str) else None


# ---------------------------------------------------------------- the sender


class Sender:
    """The background thread draining an :class:`Outbox`.

    Holds an exclusive ``flock`` on ``<db>.lock`` while sending; without it (another process is
    sending) it stands by and tries again every couple of seconds.
    """

    def __init__(self, outbox: Outbox, *, lock_retry_s: float = 2.0, poll_s: float = 1.0) -> None:
        self.outbox = outbox
        self.lock_retry_s = lock_retry_s
        self.poll_s = poll_s
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock_fd: int | None = None
        self._fd_guard = threading.Lock()
        self._paused_until = 0.0  # monotonic: a 429/503 Retry-After pauses every entry
        self.state = "stopped"  # stopped | active | standby

    def start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="outbox-sender", daemon=True)
        self._thread.start()

    def stop(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
            if self._thread.is_alive():
                log.warning("outbox: sender still busy after %.1f s (a request in flight)", timeout_s)
            self._thread = None
        self._release_lock()
        self.state = "stopped"

    def wake(self) -> None:
        self._wake.set()

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ------------------------------------------------------------ the cross-process lock

    def _hold_lock(self) -> bool:
        if self._lock_fd is not None or fcntl is None:
            return True
        path = self.outbox.db_path.with_name(self.outbox.db_path.name + ".lock")
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._lock_fd = fd
        return True

    def _release_lock(self) -> None:
        with self._fd_guard:  # stop() and the ending thread may both get here: close once
            fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)  # closing releases the flock

    # ------------------------------------------------------------ the loop

    def _run(self) -> None:
        client: ReviewClient | None = None
        purged_at = 0.0
        try:
            while not self._stop.is_set():
                if not self._hold_lock():
                    if self.state != "standby":
                        log.info("outbox: another process is sending; standing by")
                    self.state = "standby"
                    self._wake.wait(self.lock_retry_s)
                    self._wake.clear()
                    continue
                self.state = "active"
                self._wake.clear()
                if self._stop.is_set():  # stop() sets _stop before _wake: never sleep through it
                    break
                if time.monotonic() - purged_at > 3600 or not purged_at:
                    purged_at = time.monotonic()
                    with contextlib.suppress(sqlite3.Error, OutboxError):
                        self.outbox.purge_dead()
                pause = self._paused_until - time.monotonic()
                if pause > 0:
                    self._stop.wait(pause)
                    continue
                try:
                    entry, wait_s = self.outbox._next_due()
                except (sqlite3.Error, OutboxError) as e:
                    log.error("outbox: cannot read the queue (%s)", type(e).__name__)
                    self._stop.wait(1.0)
                    continue
                if entry is None:
                    # Poll now and then too: another process (``kiosk outbox flush``) may change the queue.
                    self._wake.wait(min(wait_s, self.poll_s) if wait_s is not None else self.poll_s)
                    continue
                if client is None:
                    client = self.outbox.client_factory()
                try:
                    pause_s = self.outbox._attempt(entry, client)
                except Exception as e:  # never let the thread die: back off and try again
                    log.exception("outbox: unexpected %s while sending entry %s", type(e).__name__, entry.id)
                    with contextlib.suppress(Exception):
                        self.outbox._retry_later(entry, "client_error", None, self.outbox._backoff(entry.attempts))
                    pause_s = None
                if pause_s:
                    self._paused_until = time.monotonic() + pause_s
        finally:
            if client is not None:
                with contextlib.suppress(Exception):
                    client.close()
            self._release_lock()
            self.state = "stopped"

