"""The background thread that drains an :class:`~kiosk.outbox.outbox.Outbox`.

Only one process sends at a time (an ``flock`` on ``<db>.lock``): if the kiosk application is
sending, ``kiosk outbox flush`` in a technician's shell just watches the queue drain. A 429 or 503
with ``Retry-After`` pauses every entry, not just the one refused. The thread never dies of an
unexpected exception: the entry backs off and the loop goes on.
"""

from __future__ import annotations

import contextlib
import enum
import logging
import os
import sqlite3
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.backend_client import ReviewClient
from kiosk.outbox.delivery import attempt
from kiosk.outbox.errors import OutboxError
from kiosk.outbox.store import Entry
from kiosk.storage import describe, is_storage_error

if TYPE_CHECKING:
    from kiosk.outbox.outbox import Outbox

try:  # POSIX only; elsewhere every process may send (still safe: idempotency keys)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

# The package's one logger name, as before it was split into modules: log lines are unchanged.
log = logging.getLogger("kiosk.outbox")

#: How often dead entries past their retention are purged.
PURGE_EVERY_S = 3600


class SenderState(enum.StrEnum):
    STOPPED = "stopped"  # no thread
    ACTIVE = "active"  # holds the lock and sends
    STANDBY = "standby"  # another process holds the lock and sends


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
        self._purged_at = 0.0
        self._client: ReviewClient | None = None
        self._failures = 0  # tries in a row that ended in an exception (each pauses longer)
        self.state = SenderState.STOPPED

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
        self.state = SenderState.STOPPED

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
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            # A read-only or full data directory: send without the lock (safe: idempotency keys);
            # recording the outcomes will fail and pause the sender (see _attempt).
            log.warning("outbox: no sender lock file (%s); sending without it", e.strerror)
            return True
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
        self._client = None
        self._purged_at = 0.0
        try:
            while not self._stop.is_set():
                if not self._hold_lock():
                    self._stand_by()
                    continue
                self.state = SenderState.ACTIVE
                self._wake.clear()
                if self._stop.is_set():  # stop() sets _stop before _wake: never sleep through it
                    break
                self._purge_now_and_then()
                pause = self._paused_until - time.monotonic()
                if pause > 0:
                    self._stop.wait(pause)
                    continue
                self._send_next()
        finally:
            if self._client is not None:
                with contextlib.suppress(Exception):
                    self._client.close()
                self._client = None
            self._release_lock()
            self.state = SenderState.STOPPED

    def _stand_by(self) -> None:
        """Another process holds the lock: wait a while before trying for it again."""
        if self.state != SenderState.STANDBY:
            log.info("outbox: another process is sending; standing by")
        self.state = SenderState.STANDBY
        self._wake.wait(self.lock_retry_s)
        self._wake.clear()

    def _purge_now_and_then(self) -> None:
        if time.monotonic() - self._purged_at > PURGE_EVERY_S or not self._purged_at:
            self._purged_at = time.monotonic()
            with contextlib.suppress(sqlite3.Error, OutboxError):
                self.outbox.purge_dead()

    def _send_next(self) -> None:
        """Send the next entry due, or wait until one is (or something changes)."""
        try:
            entry, wait_s = self.outbox._next_due()
        except (sqlite3.Error, OutboxError) as e:
            log.error("outbox: cannot read the queue (%s)", type(e).__name__)
            self._stop.wait(1.0)
            return
        if entry is None:
            # Poll now and then too: another process (``kiosk outbox flush``) may change the queue.
            self._wake.wait(min(wait_s, self.poll_s) if wait_s is not None else self.poll_s)
            return
        if self._client is None:
            self._client = self.outbox.client_factory()
        pause_s = self._attempt(entry, self._client)
        if pause_s:
            self._paused_until = time.monotonic() + pause_s

    def _attempt(self, entry: Entry, client: ReviewClient) -> float | None:
        """One try; whatever goes wrong, the sender pauses before the next (no hot loop).

        When even recording the outcome fails (disk full, read-only), the pause is kept in memory:
        the entry stays pending, and once the disk takes writes again its stored key makes the
        next try a replay, never a second application.
        """
        try:
            pause = attempt(self.outbox, entry, client)
        except Exception as e:  # never let the thread die: back off and try again
            self._failures += 1
            delay = self.outbox._backoff(entry.attempts + self._failures - 1)
            if is_storage_error(e):
                self.outbox.storage_fault = describe(e, self.outbox.db_path.parent)
                log.error("outbox: cannot record entry %s (%s); next try in %.1f s", entry.id, self.outbox.storage_fault, delay)
                code = "storage"
            else:
                log.error("outbox: unexpected %s while sending entry %s at %s", type(e).__name__, entry.id, where(e))
                code = "client_error"
            try:
                self.outbox._retry_later(entry, code, None, delay)
            except Exception as again:  # noqa: BLE001 - the pause below holds anyway
                log.debug("outbox: retry of %s not recorded (%s)", entry.id, type(again).__name__)
            return delay
        self._failures = 0
        self.outbox.storage_fault = None
        return pause


def where(e: BaseException) -> str:
    """The innermost frame of ``e`` as ``file:line function`` (no values: they may be personal)."""
    tb = traceback.extract_tb(e.__traceback__)[-1:] if e.__traceback__ else []
    return " ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in tb) or "unknown"
