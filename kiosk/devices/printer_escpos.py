"""The receipt printer on a real ESC/POS printer, through python-escpos.

Connection (a URI, see :func:`parse_printer_uri`)::

    usb://VID:PID[?in_ep=0x82&out_ep=0x01]      e.g. usb://0x0416:0x5011 (hex, 0x optional)
    serial:///dev/ttyS0[?baudrate=9600&parity=N&stopbits=1&bytesize=8&flow=dsrdtr]
    network://HOST[:PORT]                        port 9100 by default; [v6] addresses allowed
    cups://QUEUE                                 a raw CUPS queue (needs the pycups package)
    sim://                                       the simulated printer (kiosk.devices.printer_sim)

USB needs ``pyusb``, serial ``pyserial``, CUPS ``pycups``. A missing package is not a crash:
the printer reports ``OFFLINE``, refuses jobs and :attr:`EscposPrinter.problem` says what to
install. Every call opens its own connection and closes it ("reconnect per job"), so a
printer that was switched off and on again, or a network that came back, just works.

Text modes (setting ``mode``):

* ``gb18030``: text encoded deliberately as GB18030 with Chinese mode switched on (``FS &``),
  native QR and CODE128 (:func:`kiosk.receipts.escpos_render.render_escpos`);
* ``raster``: the receipt rendered to an image with a CJK font and printed as ``GS v 0``
  bit images (:func:`kiosk.receipts.raster.render_raster_escpos`).

Status (:meth:`EscposPrinter.status`): the real-time queries ``DLE EOT 1`` (printer status:
bit 3 = offline), ``DLE EOT 2`` (offline cause: bit 2 = cover open, bit 5 = stopped by paper
end, bit 6 = error) and ``DLE EOT 4`` (roll paper sensor: bits 2-3 = near end, bits 5-6 =
paper end), per the Epson ESC/POS reference; every valid answer has the fixed bits 0x12 set
and bits 0 and 7 clear. No valid answer to ``DLE EOT 1`` within ``status_timeout`` is
``OFFLINE``. Priority: cover open, paper out, offline (offline bit or error), paper low, ok.
A CUPS queue cannot be asked: ``OK`` while the queue accepts jobs, else ``OFFLINE``.

**One print per job id** (the rule; the capture printer,
:mod:`kiosk.devices.capture_printer`, makes every case observable):

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

import contextlib
import datetime as dt
import json
import logging
import os
import socket
import threading
import time
import urllib.parse
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.devices.base import PrinterState, PrintResult, ReceiptPrinter
from kiosk.domain.receipt import Receipt
from kiosk.receipts.decode import is_cut, split_commands

log = logging.getLogger(__name__)

MODES: tuple[str, ...] = ("gb18030", "raster")
WIDTHS: tuple[int, ...] = (32, 48)  # 58 mm = 32 columns / 384 dots, 80 mm = 48 columns / 576 dots
SCHEMES: tuple[str, ...] = ("usb", "serial", "network", "cups", "sim")
JOB_MEMORY_DAYS = 30
CHUNK = 4096  # bytes per write: a stuck printer is noticed within one write timeout

DLE_EOT = b"\x10\x04"


# --- the URI ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrinterTarget:
    """A parsed printer URI."""

    kind: str  # usb | serial | network | cups | sim
    host: str = ""  # network
    port: int = 9100  # network
    vendor_id: int = 0  # usb
    product_id: int = 0  # usb
    in_ep: int = 0x82  # usb
    out_ep: int = 0x01  # usb
    device: str = ""  # serial
    baudrate: int = 9600  # serial
    bytesize: int = 8  # serial
    parity: str = "N"  # serial: N | E | O
    stopbits: int = 1  # serial
    flow: str = "dsrdtr"  # serial: dsrdtr | rtscts | xonxoff | none
    queue: str = ""  # cups (empty: the default queue)
    options: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def summary(self) -> str:
        """A short description for the test page, logs and the technician (no secrets)."""
        match self.kind:
            case "network":
                host = f"[{self.host}]" if ":" in self.host else self.host
                return f"network://{host}:{self.port}"
            case "usb":
                return f"usb://{self.vendor_id:04x}:{self.product_id:04x}"
            case "serial":
                return f"serial://{self.device}?baudrate={self.baudrate}"
            case "cups":
                return f"cups://{self.queue}"
            case _:
                return "sim://"


def _int(value: str, what: str, base: int = 10) -> int:
    try:
        return int(value, base)
    except ValueError:
        raise ValueError(f"{what} must be a number, got {value!r}") from None


def _hex_id(value: str, what: str) -> int:
    text = value.strip().lower().removeprefix("0x")
    if not text or len(text) > 4 or any(ch not in "0123456789abcdef" for ch in text):
        raise ValueError(f"{what} must be a 4-digit hex number such as 0416, got {value!r}")
    return int(text, 16)


def parse_printer_uri(uri: str) -> PrinterTarget:
    """Parse a printer URI (forms in the module notes). Raises ValueError with a message
    that says what is wrong and what is expected."""
    if not isinstance(uri, str) or "://" not in uri:
        raise ValueError(
            f"printer must be a URI like network://HOST:PORT, usb://VID:PID, serial:///dev/ttyS0, "
            f"cups://QUEUE or sim://, got {uri!r}"
        )
    scheme, rest = uri.split("://", 1)
    scheme = scheme.lower()
    if scheme not in SCHEMES:
        raise ValueError(f"unknown printer scheme {scheme!r} in {uri!r}: use one of {', '.join(SCHEMES)}")
    parsed = urllib.parse.urlsplit(uri)
    query = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))

    def unknown(allowed: set[str]) -> None:
        bad = sorted(set(query) - allowed)
        if bad:
            raise ValueError(f"{uri!r}: unknown option(s) {', '.join(bad)} (allowed: {', '.join(sorted(allowed)) or 'none'})")

    if scheme == "sim":
        return PrinterTarget("sim", options=query)
    if scheme == "network":
        unknown(set())
        host = parsed.hostname or ""
        if not host:
            raise ValueError(f"{uri!r}: network printer needs a host, e.g. network://192.168.1.50:9100")
        try:
            port = parsed.port or 9100
        except ValueError:
            raise ValueError(f"{uri!r}: the port must be a number from 1 to 65535") from None
        if parsed.path not in ("", "/"):
            raise ValueError(f"{uri!r}: a network printer URI has no path, e.g. network://192.168.1.50:9100")
        return PrinterTarget("network", host=host, port=port)
    if scheme == "usb":
        unknown({"in_ep", "out_ep"})
        ids = rest.split("?", 1)[0].strip("/")
        if ids.count(":") != 1:
            raise ValueError(f"{uri!r}: USB printer is usb://VID:PID in hex, e.g. usb://0416:5011")
        vid_text, pid_text = ids.split(":")
        vid, pid = _hex_id(vid_text, "USB vendor id"), _hex_id(pid_text, "USB product id")
        if not vid or not pid:
            raise ValueError(f"{uri!r}: USB vendor and product ids must not be 0")
        in_ep = _int(query.get("in_ep", "0x82"), "in_ep", 0)
        out_ep = _int(query.get("out_ep", "0x01"), "out_ep", 0)
        return PrinterTarget("usb", vendor_id=vid, product_id=pid, in_ep=in_ep, out_ep=out_ep)
    if scheme == "serial":
        unknown({"baudrate", "bytesize", "parity", "stopbits", "flow"})
        device = urllib.parse.unquote(rest.split("?", 1)[0])
        if not device:
            raise ValueError(f"{uri!r}: serial printer needs a device, e.g. serial:///dev/ttyS0?baudrate=9600")
        baudrate = _int(query.get("baudrate", "9600"), "baudrate")
        if baudrate not in (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400):
            raise ValueError(f"{uri!r}: unusual baudrate {baudrate}; printers use 9600, 19200, 38400 or 115200")
        bytesize = _int(query.get("bytesize", "8"), "bytesize")
        if bytesize not in (7, 8):
            raise ValueError(f"{uri!r}: bytesize must be 7 or 8")
        parity = query.get("parity", "N").upper()
        if parity not in ("N", "E", "O"):
            raise ValueError(f"{uri!r}: parity must be N, E or O")
        stopbits = _int(query.get("stopbits", "1"), "stopbits")
        if stopbits not in (1, 2):
            raise ValueError(f"{uri!r}: stopbits must be 1 or 2")
        flow = query.get("flow", "dsrdtr").lower()
        if flow not in ("dsrdtr", "rtscts", "xonxoff", "none"):
            raise ValueError(f"{uri!r}: flow must be dsrdtr, rtscts, xonxoff or none")
        return PrinterTarget(
            "serial", device=device, baudrate=baudrate, bytesize=bytesize, parity=parity, stopbits=stopbits, flow=flow
        )
    # cups
    unknown(set())
    queue = urllib.parse.unquote(rest.split("?", 1)[0]).strip("/")
    if "/" in queue:
        raise ValueError(f"{uri!r}: a CUPS queue name has no '/', e.g. cups://receipt")
    return PrinterTarget("cups", queue=queue)


def missing_dependency(target: PrinterTarget) -> str | None:
    """What is missing to use ``target`` on this machine (a sentence), or None."""
    import importlib.util

    need = {"usb": ("usb", "pyusb"), "serial": ("serial", "pyserial"), "cups": ("cups", "pycups")}.get(target.kind)
    if need is None or importlib.util.find_spec(need[0]) is not None:
        return None
    extra = " (and the system package libcups2-dev to build it)" if target.kind == "cups" else ""
    return f"{target.kind}:// printers need the Python package {need[1]}{extra}, which is not installed"


# --- status bytes ------------------------------------------------------------------------------------


def _valid(byte: int | None) -> bool:
    """An ESC/POS status byte: bits 1 and 4 set, bits 0 and 7 clear."""
    return byte is not None and byte & 0x93 == 0x12


def decode_status(printer: int | None, cause: int | None, paper: int | None) -> PrinterState:
    """The state from the answers to DLE EOT 1 (``printer``), 2 (``cause``) and 4 (``paper``);
    None (or an invalid byte) is a missing answer (see the module notes)."""
    if not _valid(printer):
        return PrinterState.OFFLINE
    assert printer is not None
    cause = cause if _valid(cause) else None
    paper = paper if _valid(paper) else None
    if cause is not None and cause & 0x04:
        return PrinterState.COVER_OPEN
    if (paper is not None and paper & 0x60) or (cause is not None and cause & 0x20):
        return PrinterState.PAPER_OUT
    if printer & 0x08 or (cause is not None and cause & 0x40):
        return PrinterState.OFFLINE
    if paper is not None and paper & 0x0C:
        return PrinterState.PAPER_LOW
    return PrinterState.OK


# --- connections ---------------------------------------------------------------------------------------


class _Link(ABC):
    """One open connection to the printer, built on a python-escpos printer object."""

    def __init__(self, printer: Any) -> None:
        self.p = printer  # an escpos.escpos.Escpos

    @abstractmethod
    def query(self, n: int, timeout: float) -> int | None:
        """Send DLE EOT n and return the answer byte, or None (no answer / connection gone)."""

    def write(self, data: bytes, timeout: float) -> None:
        for i in range(0, len(data), CHUNK):
            self.p._raw(data[i : i + CHUNK])

    def finish(self) -> None:  # noqa: B027 - optional hook: most links have nothing to flush
        """Make sure everything written has left the kiosk."""

    def acknowledge(self, timeout: float) -> bool:
        """Whether the printer proves it received everything written so far (an answer to a
        status query, which travels behind the data)."""
        return _valid(self.query(1, timeout))

    def status(self, timeout: float) -> PrinterState | None:
        """The decoded state, or None when the printer did not answer DLE EOT 1."""
        first = self.query(1, timeout)
        if not _valid(first):
            return None
        return decode_status(first, self.query(2, timeout), self.query(4, timeout))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.p.close()


class _NetworkLink(_Link):
    def __init__(self, target: PrinterTarget, connect_timeout: float) -> None:
        from escpos.printer import Network

        super().__init__(Network(target.host, target.port, timeout=connect_timeout))
        self.p.open()  # raises DeviceNotFoundError when nobody listens
        self.sock = self.p.device
        # Small writes (a status query after the body) go out at once, not after a delayed ACK.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def write(self, data: bytes, timeout: float) -> None:
        self.sock.settimeout(timeout)
        super().write(data, timeout)

    def _drain(self) -> None:
        """Throw away bytes nobody asked for (a late answer to an earlier query)."""
        self.sock.settimeout(0)
        try:
            while True:
                if not self.sock.recv(64):
                    raise ConnectionError("closed by the printer")
        except BlockingIOError:
            pass

    def query(self, n: int, timeout: float) -> int | None:
        try:
            self._drain()
            self.sock.settimeout(timeout)
            self.p._raw(DLE_EOT + bytes([n]))
            answer = self.p._read()  # recv(16); b"" when the printer closed the connection
        except (OSError, ConnectionError):
            return None
        return answer[-1] if answer else None


class _UsbLink(_Link):
    def __init__(self, target: PrinterTarget, write_timeout: float) -> None:
        from escpos.printer import Usb

        super().__init__(
            Usb(
                target.vendor_id,
                target.product_id,
                timeout=int(write_timeout * 1000),
                in_ep=target.in_ep,
                out_ep=target.out_ep,
            )
        )
        self.p.open()

    def query(self, n: int, timeout: float) -> int | None:
        try:
            self.p._raw(DLE_EOT + bytes([n]))
            answer = bytes(self.p.device.read(self.p.in_ep, 16, int(timeout * 1000)))
        except Exception:  # usb.core.USBTimeoutError / USBError: no answer
            return None
        return answer[-1] if answer else None


class _SerialLink(_Link):
    def __init__(self, target: PrinterTarget, write_timeout: float) -> None:
        from escpos.printer import Serial

        parity = {"N": "N", "E": "E", "O": "O"}[target.parity]
        super().__init__(
            Serial(
                devfile=target.device,
                baudrate=target.baudrate,
                bytesize=target.bytesize,
                timeout=write_timeout,
                parity=parity,
                stopbits=target.stopbits,
                xonxoff=target.flow == "xonxoff",
                dsrdtr=target.flow == "dsrdtr",
            )
        )
        self.p.open()
        if target.flow == "rtscts":
            self.p.device.rtscts = True
        self.p.device.write_timeout = write_timeout

    def query(self, n: int, timeout: float) -> int | None:
        try:
            self.p.device.reset_input_buffer()
            self.p._raw(DLE_EOT + bytes([n]))
            self.p.device.timeout = timeout
            answer = self.p.device.read(1)  # read(16) would always wait the whole timeout
        except Exception:
            return None
        return answer[-1] if answer else None

    def finish(self) -> None:
        self.p.device.flush()


class _CupsLink(_Link):
    """A raw CUPS queue: bytes are spooled to a file and handed to CUPS by ``finish()``."""

    def __init__(self, target: PrinterTarget, job_name: str) -> None:
        from escpos.printer import CupsPrinter

        super().__init__(CupsPrinter(target.queue))
        self.p.open(job_name=job_name)

    def query(self, n: int, timeout: float) -> int | None:
        return None  # never write DLE EOT into a spooled job

    def acknowledge(self, timeout: float) -> bool:
        return True  # spooled to a local file; the job exists once finish() returns

    def status(self, timeout: float) -> PrinterState | None:
        """From the queue's attributes (escpos's ``_read()`` would call a busy queue offline)."""
        try:
            info = self.p.printers.get(self.p.printer_name) or {}
        except Exception:
            return None
        if not info:
            return None
        reasons = " ".join(info.get("printer-state-reasons") or ())
        if info.get("printer-state") == 5 or info.get("printer-is-accepting-jobs") is False:
            if "cover-open" in reasons or "door-open" in reasons:
                return PrinterState.COVER_OPEN
            if "media-empty" in reasons or "media-needed" in reasons:
                return PrinterState.PAPER_OUT
            return PrinterState.OFFLINE
        return PrinterState.PAPER_LOW if "media-low" in reasons else PrinterState.OK

    def finish(self) -> None:
        self.p.send()  # printFile(): the job exists in CUPS once this returns

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.p._clear()  # never send a half-written job from close()
        self.p.pending_job = False
        super().close()


# --- the job store ---------------------------------------------------------------------------------------


class JobStore:
    """Job ids whose printing began its final step, with their outcome (see the module notes).

    A JSON object ``{job_id: {"state": ..., "at": ISO time}}``, replaced atomically on each
    change. Job ids only: no receipt content.
    """

    STATES = ("committing", "uncertain", "printed")

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._jobs: dict[str, dict[str, str]] = {}
        if path is not None and path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if not isinstance(loaded, dict):
                    raise ValueError("not an object")
                self._jobs = {str(k): v for k, v in loaded.items() if isinstance(v, dict)}
            except (OSError, ValueError) as e:
                log.error("print job store %s unreadable (%s); starting empty", path, type(e).__name__)
                with contextlib.suppress(OSError):
                    path.replace(path.with_suffix(path.suffix + ".corrupt"))
        self._prune()

    def get(self, job_id: str) -> str | None:
        entry = self._jobs.get(job_id)
        return None if entry is None else str(entry.get("state"))

    def set(self, job_id: str, state: str) -> None:
        assert state in self.STATES
        self._jobs[job_id] = {"state": state, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        self._save()

    def _prune(self) -> None:
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=JOB_MEMORY_DAYS)
        keep: dict[str, dict[str, str]] = {}
        for job_id, entry in self._jobs.items():
            try:
                at = dt.datetime.fromisoformat(str(entry.get("at")))
            except ValueError:
                at = dt.datetime.now(dt.UTC)
            if at.tzinfo is None:
                at = at.replace(tzinfo=dt.UTC)
            if at >= cutoff:
                keep[job_id] = entry
        self._jobs = keep

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self._jobs, f, indent=0, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)


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
            raise ValueError("sim:// is the simulated printer: use kiosk.devices.printer_sim.SimPrinter")
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

    def _open(self, job_name: str = "receipt") -> _Link:
        if self.problem:
            raise RuntimeError(self.problem)
        match self.target.kind:
            case "network":
                return _NetworkLink(self.target, self.connect_timeout)
            case "usb":
                return _UsbLink(self.target, self.write_timeout)
            case "serial":
                return _SerialLink(self.target, self.write_timeout)
            case "cups":
                return _CupsLink(self.target, job_name)
        raise ValueError(f"no connection for {self.target.kind}")

    def _note(self, state: PrinterState) -> PrinterState:
        if state != self._last_state:
            log.info("printer %s: %s", self.target.summary, state.value)
        self._last_state = state
        return state

    # --- ReceiptPrinter ------------------------------------------------------------------------------

    def status(self) -> PrinterState:
        with self._lock:
            link: _Link | None = None
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


__all__ = [
    "EscposPrinter",
    "JobStore",
    "MODES",
    "PrinterTarget",
    "WIDTHS",
    "decode_status",
    "missing_dependency",
    "parse_printer_uri",
    "render_job",
    "split_tail",
]
