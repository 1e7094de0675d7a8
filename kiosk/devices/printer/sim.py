"""A simulated receipt printer: renders real ESC/POS bytes and keeps them in memory.

* ``set_state()`` makes it report paper out, cover open, offline, ... (as a technician or a
  test would provoke them). ``paper_low`` still prints; ``paper_out``, ``cover_open`` and
  ``offline`` refuse the job and print nothing.
* Each ``job_id`` prints at most once: printing a job id again returns ``ok=True,
  duplicate=True`` and prints nothing. A refused job was not printed, so its retry prints.
* Thread-safe: the kiosk prints from worker threads.
* ``print_receipt`` never raises; a rendering failure comes back as ``ok=False``.
"""

from __future__ import annotations

import logging
import threading
import time

from kiosk.devices.base import PrinterState, PrintResult, ReceiptPrinter
from kiosk.domain.receipt import Receipt
from kiosk.receipts.decode import decode_escpos
from kiosk.receipts.escpos_render import render_escpos

log = logging.getLogger(__name__)


class SimPrinter(ReceiptPrinter):
    def __init__(self, width: int = 32, delay: float = 0.0) -> None:
        """``width``: paper columns (32 = 58 mm, 48 = 80 mm). ``delay``: seconds a print
        takes, so screens that wait for the printer can be exercised."""
        self.width = width
        self.delay = delay
        self._lock = threading.Lock()
        self._state = PrinterState.OK
        self._jobs: list[tuple[str, bytes]] = []
        self._printed: set[str] = set()

    # --- simulation controls ------------------------------------------------------------------

    def set_state(self, state: PrinterState) -> None:
        with self._lock:
            self._state = PrinterState(state)

    def jobs(self) -> list[tuple[str, bytes]]:
        """Every printed job as ``(job_id, bytes)``, oldest first (a copy)."""
        with self._lock:
            return list(self._jobs)

    def last_text(self) -> str | None:
        """The last printed job decoded back to text, or None when nothing was printed."""
        with self._lock:
            last = self._jobs[-1][1] if self._jobs else None
        return None if last is None else decode_escpos(last, self.width)

    def clear(self) -> None:
        """Forget printed jobs and their ids (a fresh printer); the state is kept."""
        with self._lock:
            self._jobs.clear()
            self._printed.clear()

    # --- ReceiptPrinter -----------------------------------------------------------------------

    def status(self) -> PrinterState:
        with self._lock:
            return self._state

    def print_receipt(self, receipt: Receipt) -> PrintResult:
        job_id = getattr(receipt, "job_id", "")
        with self._lock:
            state = self._state
            if job_id in self._printed:  # printed, or being printed by another thread
                log.info("print job %s already printed; not printed again", job_id)
                return PrintResult(ok=True, job_id=job_id, state=state, duplicate=True)
            if not state.can_print:
                log.warning("print job %s refused: printer %s", job_id, state.value)
                return PrintResult(ok=False, job_id=job_id, state=state)
            self._printed.add(job_id)  # reserve the id: a concurrent retry is a duplicate
        try:
            data = render_escpos(receipt, self.width)
            if self.delay > 0:
                time.sleep(self.delay)  # outside the lock: status() stays answerable while printing
        except Exception as exc:  # never raise into the UI
            # Only the exception type: its message could quote receipt text (logs carry no personal data).
            log.error("print job %s failed: %s", job_id, type(exc).__name__)
            with self._lock:
                self._printed.discard(job_id)  # nothing came out: a retry may print
                return PrintResult(ok=False, job_id=job_id, state=self._state)
        with self._lock:
            self._jobs.append((job_id, data))
            return PrintResult(ok=True, job_id=job_id, state=state)


__all__ = ["SimPrinter"]
