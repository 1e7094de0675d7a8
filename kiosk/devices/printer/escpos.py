"""The receipt printer on a real ESC/POS printer, through python-escpos.

Connection: a URI (``usb://``, ``serial://``, ``network://``, ``cups://``, ``sim://``), described and
parsed in :mod:`kiosk.devices.printer.uri`.

USB needs ``pyusb``, serial ``pyserial``, CUPS ``pycups``. A missing package is not a crash:
the printer reports ``OFFLINE``, refuses jobs and :attr:`EscposPrinter.problem` says what to
install. Every call opens its own connection and closes it ("reconnect per job"), so a
printer that was switched off and on again, or a network that came back, just works.

Text modes (setting ``mode``):

* ``gb18030``: text encoded deliberately as GB18030 with Chinese mode switched on (``FS &``),
  native QR and CODE128 (:func:`kiosk.receipts.escpos_render.render_escpos`);
* ``raster``: the receipt rendered to an image with a CJK font and printed as ``GS v 0``
  bit images (:func:`kiosk.receipts.raster.render_raster_escpos`).

Status (:meth:`EscposPrinter.status`, decoded in :mod:`kiosk.devices.printer.links`): the real-time queries ``DLE EOT 1`` (printer status:
bit 3 = offline), ``DLE EOT 2`` (offline cause: bit 2 = cover open, bit 5 = stopped by paper
end, bit 6 = error) and ``DLE EOT 4`` (roll paper sensor: bits 2-3 = near end, bits 5-6 =
paper end), per the Epson ESC/POS reference; every valid answer has the fixed bits 0x12 set
and bits 0 and 7 clear. No valid answer to ``DLE EOT 1`` within ``status_timeout`` is
``OFFLINE``. Priority: cover open, paper out, offline (offline bit or error), paper low, ok.
A CUPS queue cannot be asked: ``OK`` while the queue accepts jobs, else ``OFFLINE``.

**One print per job id** (the rule; the capture printer,
:mod:`kiosk.devices.printer.capture`, makes every case observable):

1. The status is read on the job's connection first. A printer that cannot print (paper
   out, cover open, offline, no answer) gets nothing: ``ok=False``, and a retry prints.
2. The job's bytes are sent in two parts: the **body** (everything up to the final cut),
   then a status query. An answer proves the printer received the whole body (TCP, USB
   and serial deliver in order). No answer, or a failed write, means the connection
   dropped before the end of the job: the cut was never sent, so no complete receipt came
   out. The job is **not printed**: ``ok=False``, and a retry prints it in full. (A partial,
   uncut receipt may hang out of the printer; it is not a second receipt.)
3. Before the **tail** (the cut command, a few bytes) is sent, the job id is stored as
   ``committing`` in the job store (a JSON file, written atomically). Then the tail and a
   status query go out. An answer: ``printed``. No answer (the connection dropped in the
   last few bytes, or the kiosk crashed): ``uncertain``.
4. Any job id in the store (``committing``, ``uncertain`` or ``printed``) is **never sent
   again**: a retry returns ``ok=True, duplicate=True`` and sends nothing. An uncertain job
   is counted as printed: in the rare case its cut was lost the resident has an uncut
   receipt or none and staff reprints it with a *new* job id; what never happens is a
   second receipt for one job id. An uncertain job's first result is ``ok=True`` with
   ``state=OFFLINE``: printed as far as we know, but the printer needs a look.

The store survives restarts (``jobs_path``); without it, the memory of printed jobs lasts
as long as the object. Entries older than :data:`JOB_MEMORY_DAYS` are forgotten.

Never raises from :meth:`status` or :meth:`print_receipt`; logs job ids, states and byte
counts, never receipt text.
"""


from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from kiosk.devices.base import PrinterState, PrintResult, ReceiptPrinter
from kiosk.devices.printer.jobs import JobStore
from kiosk.devices.printer.links import Link, open_link
from kiosk.devices.printer.uri import PrinterTarget, missing_dependency, parse_printer_uri
from kiosk.domain.receipt import Receipt
from kiosk.receipts.decode import is_cut, split_commands

__all__ = ["MODES", "WIDTHS", "EscposPrinter", "render_job", "split_tail"]

log = logging.getLogger(__name__)

MODES: tuple[str, ...] = ("gb18030", "raster")
WIDTHS: tuple[int, ...] = (32, 48)  # 58 mm = 32 columns / 384 dots, 80 mm = 48 columns / 576 dots


# --- the printer ---------------------------------------------------------------------------------------------


def render_job(receipt: Receipt, mode: str, width: int) -> bytes:
    """The ESC/POS bytes of ``receipt`` in text mode ``mode`` at ``width`` columns."""
    if mode == "raster":
        from kiosk.receipts.raster import render_raster_escpos

        return render_raster_escpos(receipt, width * 12)
    from kiosk.receipts.escpos_render import render_escpos

    return render_escpos(receipt, width)


def split_tail(data: bytes) -> tuple[bytes, bytes]:
    """``(body, tail)``: the tail is the final cut command, or the last byte of a job
    without a final cut. The printer completes the job only once the tail arrives."""
    commands = split_commands(data)
    if commands and is_cut(commands[-1]):
        return data[: -len(commands[-1])], commands[-1]
    return data[:-1], data[-1:]


class EscposPrinter(ReceiptPrinter):
    """A ReceiptPrinter on an ESC/POS printer (see the module notes)."""

    def __init__(
        self,
        uri: str | PrinterTarget,
        *,
        mode: str = "gb18030",
        width: int = 32,
        jobs_path: Path | None = None,
        connect_timeout: float = 3.0,
        status_timeout: float = 1.0,
        write_timeout: float = 15.0,
        ack_timeout: float = 10.0,
    ) -> None:
        """``uri``: the connection (raises ValueError for a malformed URI or ``sim://``).
        ``mode``: ``gb18030`` or ``raster``. ``width``: 32 (58 mm) or 48 (80 mm) columns.
        ``jobs_path``: the JSON file remembering printed job ids (None: in memory only).
        Timeouts in seconds: opening the connection; each status answer before a job;
        each write; the answers that acknowledge a job (the printer may be busy printing)."""
        self.target = uri if isinstance(uri, PrinterTarget) else parse_printer_uri(uri)
        if self.target.kind == "sim":
            raise ValueError("sim:// is the simulated printer: use kiosk.devices.printer.sim.SimPrinter")
        if mode not in MODES:
            raise ValueError(f"printer text mode must be one of {', '.join(MODES)}, got {mode!r}")
        if width not in WIDTHS:
            raise ValueError(f"paper width must be 32 (58 mm) or 48 (80 mm) columns, got {width!r}")
        self.mode = mode
        self.width = width
        self.connect_timeout = connect_timeout
        self.status_timeout = status_timeout
        self.write_timeout = write_timeout
        self.ack_timeout = ack_timeout
        self._lock = threading.RLock()
        self._jobs = JobStore(jobs_path)
        self._last_state = PrinterState.OFFLINE
        self.problem: str | None = missing_dependency(self.target)  # why the printer cannot work
        if self.problem:
            log.error("printer %s unusable: %s", self.target.summary, self.problem)

    # --- information -------------------------------------------------------------------------------

    @property
    def width_dots(self) -> int:
        return self.width * 12

    def describe(self) -> str:
        """``network://10.0.0.5:9100, gb18030, 58 mm`` (for the test page and the technician)."""
        paper = "58 mm" if self.width == 32 else "80 mm"
        return f"{self.target.summary}, {self.mode}, {paper}"

    def job_state(self, job_id: str) -> str | None:
        """``printed``, ``uncertain``, ``committing`` or None (never got to its final step)."""
        with self._lock:
            return self._jobs.get(job_id)

    @property
    def last_state(self) -> PrinterState:
        """The state seen by the last status read (no I/O)."""
        return self._last_state

    # --- connections -------------------------------------------------------------------------------

    def _open(self, job_name: str = "receipt") -> Link:
        if self.problem:
            raise RuntimeError(self.problem)
        return open_link(
            self.target, job_name, connect_timeout=self.connect_timeout, write_timeout=self.write_timeout
        )

    def _note(self, state: PrinterState) -> PrinterState:
        if state != self._last_state:
            log.info("printer %s: %s", self.target.summary, state.value)
        self._last_state = state
        return state

    # --- ReceiptPrinter ------------------------------------------------------------------------------

    def status(self) -> PrinterState:
        with self._lock:
            link: Link | None = None
            try:
                link = self._open("status")
                state = link.status(self.status_timeout) or PrinterState.OFFLINE
            except Exception as e:
                log.warning("printer %s: status failed: %s", self.target.summary, type(e).__name__)
                state = PrinterState.OFFLINE
            finally:
                if link is not None:
                    link.close()
            return self._note(state)

    def print_receipt(self, receipt: Receipt) -> PrintResult:
        job_id = str(getattr(receipt, "job_id", ""))
        with self._lock:
            try:
                return self._print(receipt, job_id)
            except Exception as e:  # never raise into the UI; the message could quote receipt text
                log.error("print job %s failed: %s", job_id, type(e).__name__)
                return PrintResult(ok=False, job_id=job_id, state=self._last_state)

    def _print(self, receipt: Receipt, job_id: str) -> PrintResult:
        known = self._jobs.get(job_id)
        if known is not None:
            log.info("print job %s already %s; not sent again", job_id, known)
            return PrintResult(ok=True, job_id=job_id, state=self.status(), duplicate=True)
        t0 = time.monotonic()
        try:
            link = self._open(job_id)
        except Exception as e:
            log.warning("print job %s: printer %s unreachable: %s", job_id, self.target.summary, type(e).__name__)
            return PrintResult(ok=False, job_id=job_id, state=self._note(PrinterState.OFFLINE))
        try:
            # 1. status on the job's own connection
            state = self._note(link.status(self.status_timeout) or PrinterState.OFFLINE)
            if not state.can_print:
                log.warning("print job %s refused: printer %s", job_id, state.value)
                return PrintResult(ok=False, job_id=job_id, state=state)
            try:
                data = render_job(receipt, self.mode, self.width)
            except Exception as e:
                log.error("print job %s: rendering failed: %s", job_id, type(e).__name__)
                return PrintResult(ok=False, job_id=job_id, state=state)
            body, tail = split_tail(data)
            # 2. the body, acknowledged by a status answer
            try:
                link.write(body, self.write_timeout)
                received = link.acknowledge(self.ack_timeout)
            except Exception as e:
                log.warning("print job %s: connection lost in the body: %s", job_id, type(e).__name__)
                received = False
            if not received:
                log.warning("print job %s: body not acknowledged (%d bytes); not printed", job_id, len(body))
                return PrintResult(ok=False, job_id=job_id, state=self._note(PrinterState.OFFLINE))
            # 3. commit: from here on the job id is never sent again
            self._jobs.set(job_id, "committing")
            after: PrinterState | None
            try:
                link.write(tail, self.write_timeout)
                link.finish()
                after = link.status(self.ack_timeout)
            except Exception as e:
                log.warning("print job %s: connection lost in the tail: %s", job_id, type(e).__name__)
                after = None
            if after is None:
                self._jobs.set(job_id, "uncertain")
                log.warning("print job %s: end not acknowledged; counted as printed (uncertain)", job_id)
                return PrintResult(ok=True, job_id=job_id, state=self._note(PrinterState.OFFLINE))
            self._jobs.set(job_id, "printed")
            log.info(
                "print job %s printed (%s, %d bytes, %.2f s)", job_id, self.mode, len(data), time.monotonic() - t0
            )
            return PrintResult(ok=True, job_id=job_id, state=self._note(after))
        finally:
            link.close()
