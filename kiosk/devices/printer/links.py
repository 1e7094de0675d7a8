"""Connections to an ESC/POS printer (network, USB, serial, CUPS) and its status bytes.

Every call of :class:`~kiosk.devices.printer.escpos.EscposPrinter` opens its own
:class:`Link` (:func:`open_link`) and closes it. Status (:meth:`Link.status`): the
real-time queries ``DLE EOT 1``, ``2`` and ``4``, decoded by :func:`decode_status` (see
the notes in :mod:`kiosk.devices.printer.escpos`).
"""

from __future__ import annotations

import contextlib
import socket
from abc import ABC, abstractmethod
from typing import Any

from kiosk.devices.base import PrinterState
from kiosk.devices.printer.uri import PrinterTarget

__all__ = ["CHUNK", "DLE_EOT", "Link", "decode_status", "open_link", "valid_status_byte"]

CHUNK = 4096  # bytes per write: a stuck printer is noticed within one write timeout

DLE_EOT = b"\x10\x04"


# --- status bytes ------------------------------------------------------------------------------------


def valid_status_byte(byte: int | None) -> bool:
    """An ESC/POS status byte: bits 1 and 4 set, bits 0 and 7 clear."""
    return byte is not None and byte & 0x93 == 0x12


def decode_status(printer: int | None, cause: int | None, paper: int | None) -> PrinterState:
    """The state from the answers to DLE EOT 1 (``printer``), 2 (``cause``) and 4 (``paper``);
    None (or an invalid byte) is a missing answer (see the module notes)."""
    if not valid_status_byte(printer):
        return PrinterState.OFFLINE
    assert printer is not None
    cause = cause if valid_status_byte(cause) else None
    paper = paper if valid_status_byte(paper) else None
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


class Link(ABC):
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
        return valid_status_byte(self.query(1, timeout))

    def status(self, timeout: float) -> PrinterState | None:
        """The decoded state, or None when the printer did not answer DLE EOT 1."""
        first = self.query(1, timeout)
        if not valid_status_byte(first):
            return None
        return decode_status(first, self.query(2, timeout), self.query(4, timeout))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.p.close()


class _NetworkLink(Link):
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


class _UsbLink(Link):
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


class _SerialLink(Link):
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


class _CupsLink(Link):
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


def open_link(target: PrinterTarget, job_name: str, *, connect_timeout: float, write_timeout: float) -> Link:
    """A new connection to ``target``; ``job_name`` names the job in a CUPS queue."""
    match target.kind:
        case "network":
            return _NetworkLink(target, connect_timeout)
        case "usb":
            return _UsbLink(target, write_timeout)
        case "serial":
            return _SerialLink(target, write_timeout)
        case "cups":
            return _CupsLink(target, job_name)
    raise ValueError(f"no connection for {target.kind}")
