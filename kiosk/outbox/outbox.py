"""The :class:`Outbox`: what the journey, the application and the technician commands call.

It commits an :class:`~kiosk.outbox.item.OutboxItem` sealed (:mod:`kiosk.outbox.cipher`) into
the queue (:mod:`kiosk.outbox.store`) *before* the resident is told anything, answers for the
entries (accepted, pending, refused), reports the queue's health, and owns the background
:class:`~kiosk.outbox.sender.Sender`. The sender records its outcomes through the methods at the
end of the class, which log them (entry ids, codes and counts only) and wake whoever waits.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.backend_client import ProblemError, ReviewClient
from kiosk.outbox.cipher import Cipher, ad_document, ad_request
from kiosk.outbox.errors import OutboxError, OutboxRefused
from kiosk.outbox.item import KINDS, OutboxItem
from kiosk.outbox.key import load_or_create_key
from kiosk.outbox.policy import DEAD_RETENTION_S, DOCUMENT_RECONFIRM_S, MAX_RETRY_AFTER_S, backoff
from kiosk.outbox.sender import Sender, SenderState
from kiosk.outbox.store import Entry, NewEntry, Store
from kiosk.storage import StorageError, describe, is_storage_error, storage_problem

#: Free space the data directory must keep after an entry is committed (``[outbox] min_free_mb``).
DEFAULT_MIN_FREE_BYTES = 64 * 1024 * 1024

# The package's one logger name, as before it was split into modules: log lines are unchanged.
log = logging.getLogger("kiosk.outbox")


class Outbox:
    """The durable, encrypted queue of creating requests for the review service.

    ``client_factory`` makes the :class:`ReviewClient` the sender uses; give it no automatic
    retries (``retry=no_retry()``): the outbox does its own backoff. ``clock`` returns the wall
    time in epoch seconds (default ``time.time``); tests may pass a fake. ``min_free_bytes`` is
    the free space the data directory must keep after an entry is committed: below it,
    :meth:`enqueue` refuses with :class:`~kiosk.storage.StorageError` (so does a write the disk
    refuses), and nothing is accepted that cannot be stored.
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
        min_free_bytes: int = DEFAULT_MIN_FREE_BYTES,
    ) -> None:
        self.db_path = Path(db_path)
        self.key_path = Path(key_path)
        self.client_factory = client_factory
        self.clock = clock or time.time
        self.base_backoff_s = base_backoff_s
        self.max_backoff_s = max_backoff_s
        self.min_free_bytes = min_free_bytes
        #: The technician's reason while the sender cannot record outcomes (disk full, read-only).
        self.storage_fault: str | None = None
        self._changed = threading.Condition(threading.Lock())
        self._cipher_obj: Cipher | None = None
        self._refusals: dict[str, ProblemError] = {}  # in memory only: the service's full answer
        self._sender: Sender | None = None
        self._store = Store(self.db_path)

    # ------------------------------------------------------------ plumbing

    def _cipher(self) -> Cipher:
        with self._store.lock:
            if self._cipher_obj is None:
                self._cipher_obj = Cipher(load_or_create_key(self.key_path))
            return self._cipher_obj

    def _notify(self) -> None:
        with self._changed:
            self._changed.notify_all()
        if self._sender is not None:
            self._sender.wake()

    def _wait_for_change(self, timeout_s: float) -> None:
        with self._changed:
            # Woken by this process's sender; polled when another process is sending.
            self._changed.wait(min(timeout_s, 0.2))

    def checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it (deleted ciphertext leaves the WAL)."""
        self._store.checkpoint()

    # ------------------------------------------------------------ enqueue and results

    def enqueue(self, item: OutboxItem) -> str:
        """Commit ``item`` encrypted, durably, and wake the sender; returns the entry id.

        Enqueueing the same idempotency key again returns the existing entry (a double tap on
        Submit never makes two entries).
        """
        item.validate()
        try:
            existing = self._store.entry_for_key(item.idempotency_key)
            if existing is not None:
                return existing
            new = self._seal(item, uuid.uuid4().hex)
            need = 2 * (len(new.request) + sum(len(d[3]) for d in new.documents)) + 64 * 1024  # rows + WAL
            problem = storage_problem(self.db_path.parent, self.min_free_bytes, need)
            if problem is not None:
                raise StorageError(problem)
            entry_id = self._store.insert(new, self.clock())
        except (OSError, sqlite3.Error) as e:
            if not is_storage_error(e):
                raise
            reason = describe(e, self.db_path.parent)
            log.error("outbox: nothing queued, storage fault: %s", reason)
            raise StorageError(reason) from None
        if entry_id != new.id:
            return entry_id
        log.info("outbox: entry %s queued (%s, %d documents)", entry_id, item.kind, len(new.documents))
        self._notify()
        return entry_id

    def _seal(self, item: OutboxItem, entry_id: str) -> NewEntry:
        cipher = self._cipher()
        return NewEntry(
            id=entry_id,
            kind=item.kind,
            created_at=item.created_at.isoformat(timespec="seconds"),
            client_reference=item.client_reference,
            idempotency_key=item.idempotency_key,
            request=cipher.seal(item.stored_request(), ad_request(entry_id)),
            documents=[
                (idx, document_id, len(data), cipher.seal(data, ad_document(entry_id, idx, document_id)))
                for idx, (document_id, data) in enumerate(item.documents)
            ],
        )

    def result(self, entry_id: str) -> dict[str, Any] | None:
        """The service's (non-personal) answer for an accepted entry, else None.

        Raises :class:`OutboxRefused` for a dead entry and KeyError for an unknown one.
        """
        finished, entry = self._store.outcome(entry_id)
        if finished is not None:
            outcome, answer = finished
            if outcome == "accepted":
                return dict(json.loads(answer or "{}"))
            raise OutboxRefused(entry_id, 0, {"code": "discarded"})
        if entry is None:
            raise KeyError(entry_id)
        state, code, http_status = entry
        if state == "dead":
            known = self._refusals.get(entry_id)
            problem = dict(known.problem) if known is not None else {"code": code}
            raise OutboxRefused(entry_id, int(http_status or 0), problem)
        return None

    def result_by_reference(self, client_reference: str) -> dict[str, Any] | None:
        """Non-personal outcome for a receipt's client reference: accepted, pending or dead."""
        return self._store.result_by_reference(client_reference)

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
            self._wait_for_change(remaining)

    def progress(self, entry_id: str) -> tuple[int, int] | None:
        """(documents confirmed, documents) of a pending entry; None when it is no longer pending."""
        return self._store.progress(entry_id)

    # ------------------------------------------------------------ status and technician operations

    def status(self) -> dict[str, Any]:
        """Queue health for the heartbeat and the technician. Codes, counts and ids only."""
        status = self._store.status(self.clock())
        sender = self._sender
        status["sender"] = (sender.state if sender is not None else SenderState.STOPPED).value
        return status

    def depth(self) -> int:
        return self._store.depth()

    def discard(self, entry_id: str) -> bool:
        """Delete a dead entry's payload for good (e.g. the resident saw the refusal on screen)."""
        if not self._store.discard(entry_id, self.clock()):
            return False
        self._refusals.pop(entry_id, None)
        log.info("outbox: dead entry %s discarded", entry_id)
        self._after_delete()
        self._notify()
        return True

    def purge_dead(self, max_age_s: float = DEAD_RETENTION_S) -> int:
        """Discard dead entries enqueued more than ``max_age_s`` ago; returns how many."""
        old = self._store.dead_enqueued_before(self.clock() - max_age_s)
        return sum(self.discard(entry_id) for entry_id in old)

    def flush(self, timeout_s: float) -> bool:
        """Send everything pending now (backoff waits are cut short); True when nothing is pending.

        Needs a running sender, in this process or another one (the kiosk application).
        Dead entries do not count: they are reported by :meth:`status`.
        """
        self._store.make_due(self.clock())
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
        with self._store.lock:
            if self._store.close():
                self._cipher_obj = None

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ used by the sender

    def _next_due(self) -> tuple[Entry | None, float | None]:
        """The next entry due now, else (None, seconds until the next one is due or None)."""
        now = self.clock()
        horizon = now + MAX_RETRY_AFTER_S + self.max_backoff_s  # beyond: the wall clock jumped back
        return self._store.next_due(now, horizon)

    def _entry_age_s(self, entry: Entry) -> float | None:
        enqueued = self._store.enqueued_at(entry.id)
        return self.clock() - enqueued if enqueued is not None else None

    def _open_request(self, entry: Entry) -> bytes:
        """The entry's stored request in the clear (``InvalidTag`` if it cannot be opened)."""
        return self._cipher().open(entry.request, ad_request(entry.id))

    def _documents_to_send(self, entry_id: str) -> list[tuple[int, str]]:
        return self._store.documents_to_send(entry_id, self.clock() - DOCUMENT_RECONFIRM_S)

    def _document_bytes(self, entry_id: str, idx: int, document_id: str) -> bytes:
        blob = self._store.document_blob(entry_id, idx)
        if blob is None:
            raise OutboxError("document row vanished")
        return self._cipher().open(blob, ad_document(entry_id, idx, document_id))

    def _confirm_document(self, entry_id: str, idx: int) -> None:
        self._store.confirm_document(entry_id, idx, self.clock())
        self._notify()

    def _accept(self, entry: Entry, answer: dict[str, Any]) -> None:
        spec = KINDS[entry.kind]
        kept = {k: answer[k] for k in spec.result_fields if k in answer and not isinstance(answer[k], dict | list)}
        self._store.record_accepted(entry, kept, self.clock())
        log.info("outbox: entry %s accepted as %s", entry.id, kept.get("application_id", "-"))
        self._after_delete()
        self._notify()

    def _after_delete(self) -> None:
        if self.depth() == 0:
            self.checkpoint()

    def _retry_later(self, entry: Entry, code: str, http_status: int | None, delay_s: float) -> None:
        self._store.record_retry(entry.id, code, http_status, self.clock(), delay_s)
        log.warning("outbox: entry %s attempt %d failed (%s); next in %.1f s", entry.id, entry.attempts + 1, code, delay_s)
        self._notify()

    def _kill(self, entry: Entry, code: str, http_status: int | None, err: ProblemError | None = None) -> None:
        self._store.record_dead(entry.id, code, http_status, self.clock())
        if err is not None:
            self._refusals[entry.id] = err
        log.error("outbox: entry %s refused definitively (%s %s); kept for a technician", entry.id, http_status, code)
        self._notify()

    def _backoff(self, attempts: int) -> float:
        return backoff(attempts, self.base_backoff_s, self.max_backoff_s)
