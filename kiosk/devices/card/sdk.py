"""The vendor-SDK identity-card reader: a certified reader driven through its ``sdtapi`` library.

Certified second-generation ID-card readers (with their SAM) ship a C library with the
common ``sdtapi`` API. This backend loads it with :mod:`ctypes` and uses:

=========================  ==============================================================
``SDT_OpenPort``           ``int (int iPort)`` – open the device on a port
``SDT_ClosePort``          ``int (int iPort)``
``SDT_StartFindIDCard``    ``int (int iPort, unsigned char *pucManaInfo, int iIfOpen)``
``SDT_SelectIDCard``       ``int (int iPort, unsigned char *pucManaMsg, int iIfOpen)``
``SDT_ReadBaseMsg``        ``int (int iPort, unsigned char *pucCHMsg, unsigned int *puiCHMsgLen,
                           unsigned char *pucPHMsg, unsigned int *puiPHMsgLen, int iIfOpen)``
``SDT_ReadNewAppMsg``      ``int (int iPort, unsigned char *pucAppMsg, unsigned int *puiAppMsgLen,
                           int iIfOpen)`` – optional (appended address 追加住址); only some SDKs
                           export it, its absence means "no appended address"
=========================  ==============================================================

Ports: USB devices are 1001-1016, serial devices 1-16; port 0 (:data:`AUTO_PORT`) tries
1001-1016 then 1-16 and keeps the first that opens. The kiosk opens the port once and
passes ``iIfOpen = 0`` to every other call.

``SDT_ReadBaseMsg`` yields the same 256-byte UCS-2LE text block as EF 0101 of the card
profile and the photo (a 1024-byte WLT blob on real readers), so decoding and validation
are :func:`kiosk.domain.idcard.parse_identity`, shared with the PC/SC and simulated readers.
The WLT photo is kept as read (``photo_kind`` "wlt"); it is never decoded here.

Return codes and what the kiosk makes of them (:data:`RETURN_CODES` has the SDK's own
descriptions)::

    step           code                              outcome
    -------------  --------------------------------  -----------------------------------------
    OpenPort       0x90                              reader available (WAITING)
                   anything else                     NO_READER; retried every retry_s
    StartFind      0x9F                              card present -> select, read
                   0x01 0x02 0x03 0x05               port lost: close, reopen at once;
                                                     NO_READER if it does not reopen
                   0x23 0x60 0x66                    reader/SAM fault: NO_READER, retried
                   0x80 and any other code           no card this poll
    Select/Read/   0x90                              next step
    ReadNewAppMsg  0x40                              refusal not_identity_card
                   0x91 (ReadNewAppMsg only)         no appended address (not a failure)
                   any other code                    presence probe (StartFind up to
                                                     PROBE_TRIES times): 0x9F -> card_error
                                                     (the whole read is retried once first);
                                                     port or fault code -> no_reader; else card_removed
    ReadBaseMsg    0x90 with text < 256 bytes        refusal data_truncated
    library        missing / not loadable /          NO_READER (read_once: no_reader);
                   required symbol missing           reason in ``last_error`` and one log line

Monitoring runs on one background thread (like :class:`~kiosk.devices.card.pcsc.PcscCardReader`):
StartFind every ``poll_s`` → READING → read → READ or REFUSED; the card then counts as
present while StartFind keeps finding it (and SelectIDCard gives the same card serial
number), and as gone after ``GONE_POLLS`` consecutive polls without it → WAITING. A card
with a different serial number found without a gap is read as a new card.

Library calls are serialised by a lock, so :meth:`SdkCardReader.read_once` may run beside
the monitor. Logs carry return codes, ports and sizes only: never names, ID numbers,
card serial numbers or photos.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, Final

from kiosk.devices.base import (
    CardEvent,
    CardListener,
    DeviceStatus,
    MonitoredCardReader,
    ReaderState,
)
from kiosk.domain.idcard import EF0101_SIZE, EF0103_SIZE, CardRefusal, IdentityRecord, parse_identity

__all__ = [
    "AUTO_PORT",
    "RETURN_CODES",
    "SERIAL_PORTS",
    "USB_PORTS",
    "SdkCardReader",
    "SdkLoadError",
    "SdtLibrary",
    "is_valid_port",
]

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- return codes
SDT_OK: Final = 0x90
SDT_NO_CONTENT: Final = 0x91
SDT_FOUND: Final = 0x9F
SDT_FIND_FAILED: Final = 0x80
SDT_SELECT_FAILED: Final = 0x81
SDT_READ_FAILED: Final = 0x41
SDT_UNKNOWN_CARD_TYPE: Final = 0x40

#: The SDKs' documented return codes (for diagnostics only).
RETURN_CODES: Final = {
    0x90: "success",
    0x91: "no such content on the card",
    0x9F: "card found",
    0x01: "port open failed / port not open / bad port number",
    0x02: "receive timeout",
    0x03: "data transmission error",
    0x05: "SAM serial port unavailable",
    0x09: "file open failed",
    0x10: "checksum error in data from the host",
    0x11: "length error in data from the host",
    0x21: "command error",
    0x23: "operation not permitted",
    0x24: "unrecognised error",
    0x31: "card failed to authenticate the SAM",
    0x32: "SAM failed to authenticate the card",
    0x33: "information verification failed",
    0x37: "fingerprint verification error",
    0x3F: "information length error",
    0x40: "unrecognised card type",
    0x41: "card read failed",
    0x47: "random number failed",
    0x60: "SAM self-test failed",
    0x66: "SAM not authorised",
    0x80: "find card failed",
    0x81: "select card failed",
}

#: The port or the device went away (or never answered): reopen the port.
_PORT_ERRORS: Final = frozenset({0x01, 0x02, 0x03, 0x05})
#: The reader answers but cannot read any card (SAM or authorisation fault).
_READER_FAULTS: Final = frozenset({0x23, 0x60, 0x66})

USB_PORTS: Final = tuple(range(1001, 1017))
SERIAL_PORTS: Final = tuple(range(1, 17))
#: Port setting meaning "find the device": USB ports first, then serial ports.
AUTO_PORT: Final = 0

# Buffer sizes. Real SDKs write 256 text bytes and a 1024-byte WLT photo and do not take
# the buffer size; the buffers are generous so no SDK can write past them, and the length
# variables are preset to the buffer sizes for SDKs that do read them.
_INFO_BUF: Final = 64  # StartFind management info (4-8 bytes) / Select serial number (8 bytes)
_TEXT_BUF: Final = 4096
_PHOTO_BUF: Final = 65536
_APPENDED_BUF: Final = 4096


def is_valid_port(port: int) -> bool:
    """A port the SDKs know: 1001-1016 (USB), 1-16 (serial) or 0 (automatic)."""
    return port == AUTO_PORT or port in USB_PORTS or port in SERIAL_PORTS


def _code(code: int) -> str:
    return f"0x{code & 0xFF:02X} ({RETURN_CODES.get(code, 'unknown code')})"


# --------------------------------------------------------------------------- the library
class SdkLoadError(Exception):
    """The sdtapi library cannot be used (not found, not loadable, symbols missing)."""


_Buffer = Any  # a ctypes c_ubyte array


class SdtLibrary:
    """One loaded sdtapi library with its C signatures declared.

    Raises :class:`SdkLoadError` (never ``OSError``/``AttributeError``) if ``path`` is empty,
    cannot be loaded or lacks one of :attr:`REQUIRED`.
    """

    REQUIRED: Final = ("SDT_OpenPort", "SDT_ClosePort", "SDT_StartFindIDCard", "SDT_SelectIDCard", "SDT_ReadBaseMsg")
    OPTIONAL_APPENDED: Final = "SDT_ReadNewAppMsg"

    def __init__(self, path: str) -> None:
        if not path:
            # ctypes.CDLL("") would load the running program itself.
            raise SdkLoadError("no sdtapi library configured ([devices] sdk_library is empty)")
        # The Windows sdtapi.dll uses __stdcall; the Linux .so files use the C convention.
        loader: Callable[[str], Any] = ctypes.WinDLL if sys.platform == "win32" else ctypes.CDLL  # type: ignore[attr-defined]
        try:
            dll = loader(path)
        except OSError as exc:
            raise SdkLoadError(f"cannot load sdtapi library {path!r}: {exc}") from exc
        missing = [name for name in self.REQUIRED if not hasattr(dll, name)]
        if missing:
            raise SdkLoadError(f"sdtapi library {path!r} lacks required function(s): {', '.join(missing)}")
        self.path = path
        u8p = ctypes.POINTER(ctypes.c_ubyte)
        uintp = ctypes.POINTER(ctypes.c_uint)
        c_int = ctypes.c_int

        def declare(name: str, *argtypes: Any) -> Any:
            fn = getattr(dll, name)
            fn.argtypes = list(argtypes)
            fn.restype = c_int
            return fn

        self._open = declare("SDT_OpenPort", c_int)
        self._close = declare("SDT_ClosePort", c_int)
        self._find = declare("SDT_StartFindIDCard", c_int, u8p, c_int)
        self._select = declare("SDT_SelectIDCard", c_int, u8p, c_int)
        self._read_base = declare("SDT_ReadBaseMsg", c_int, u8p, uintp, u8p, uintp, c_int)
        self._read_appended = (
            declare(self.OPTIONAL_APPENDED, c_int, u8p, uintp, c_int) if hasattr(dll, self.OPTIONAL_APPENDED) else None
        )

    @property
    def has_appended_address(self) -> bool:
        return self._read_appended is not None

    def open_port(self, port: int) -> int:
        return int(self._open(port))

    def close_port(self, port: int) -> int:
        return int(self._close(port))

    def find_card(self, port: int) -> int:
        info = (ctypes.c_ubyte * _INFO_BUF)()
        return int(self._find(port, info, 0))

    def select_card(self, port: int) -> tuple[int, bytes]:
        """(code, card serial number as written by the SDK; 8 bytes)."""
        serial = (ctypes.c_ubyte * _INFO_BUF)()
        code = int(self._select(port, serial, 0))
        return code, bytes(serial[:8])

    def read_base(self, port: int) -> tuple[int, bytes, bytes]:
        """(code, text block, photo) from SDT_ReadBaseMsg."""
        text, photo = (ctypes.c_ubyte * _TEXT_BUF)(), (ctypes.c_ubyte * _PHOTO_BUF)()
        text_len, photo_len = ctypes.c_uint(_TEXT_BUF), ctypes.c_uint(_PHOTO_BUF)
        code = int(self._read_base(port, text, ctypes.byref(text_len), photo, ctypes.byref(photo_len), 0))
        if code != SDT_OK:
            return code, b"", b""
        return code, _take(text, text_len.value), _take(photo, photo_len.value)

    def read_appended(self, port: int) -> tuple[int, bytes]:
        """(code, appended-address bytes) from SDT_ReadNewAppMsg; (0x91, b"") if not exported."""
        if self._read_appended is None:
            return SDT_NO_CONTENT, b""
        data = (ctypes.c_ubyte * _APPENDED_BUF)()
        length = ctypes.c_uint(_APPENDED_BUF)
        code = int(self._read_appended(port, data, ctypes.byref(length), 0))
        if code != SDT_OK:
            return code, b""
        return code, _take(data, length.value)


def _take(buffer: _Buffer, length: int) -> bytes:
    """The first ``length`` bytes of a ctypes buffer, never more than the buffer holds."""
    return bytes(buffer[: max(0, min(length, len(buffer)))])


def _appended_address(data: bytes) -> bytes | None:
    """EF 0103 equivalent from SDT_ReadNewAppMsg data.

    SDKs return one 70-byte entry per appended address (some up to four); the last
    non-blank entry is the current one. All-zero data (what some SDKs answer for a card
    without one) means "no appended address". A trailing partial entry is passed on as is,
    so the parser refuses it as ``data_truncated``.
    """
    entries = [data[i : i + EF0103_SIZE] for i in range(0, len(data), EF0103_SIZE)]
    entries = [entry for entry in entries if entry.strip(b"\x00")]
    return entries[-1] if entries else None


# --------------------------------------------------------------------------- the reader
class _Stopped(Exception):
    """The reader is being stopped: abandon the current read without reporting it."""


class _StepFailed(Exception):
    """An sdtapi call of the read sequence did not succeed."""

    def __init__(self, step: str, code: int) -> None:
        super().__init__(f"{step} returned {_code(code)}")
        self.step = step
        self.code = code


class SdkCardReader(MonitoredCardReader):
    """Identity-card reader through a vendor ``sdtapi`` library (see the module docstring).

    ``today`` gives the kiosk's calendar date (Asia/Shanghai) for the validity checks;
    ``library_path`` is the sdtapi shared library (``[devices] sdk_library``); ``port`` the
    SDK port (1001-1016 USB, 1-16 serial, 0 automatic); ``poll_s`` the card-search interval;
    ``retry_s`` the interval between attempts to load the library / open the port while
    they are unavailable.
    """

    thread_name = "sdk-card-monitor"

    #: Consecutive polls without the card before a read card counts as removed.
    GONE_POLLS: Final = 2
    #: Presence probe after a failed read step: StartFind attempts and their spacing.
    PROBE_TRIES: Final = 3
    PROBE_INTERVAL_S: Final = 0.1
    #: How long stop() waits for the monitoring thread (it ends after the current call).
    STOP_JOIN_S: Final = 5.0

    def __init__(
        self,
        today: Callable[[], dt.date],
        library_path: str,
        port: int = 1001,
        poll_s: float = 0.3,
        *,
        retry_s: float = 1.0,
    ) -> None:
        self._today = today
        self._library_path = library_path
        self._port_setting = port
        self._poll_s = max(0.01, poll_s)
        self._retry_s = max(0.01, retry_s)
        self._card_serial = b""  # serial number of the card being read (never logged)
        self._lib: SdtLibrary | None = None
        self._port: int | None = None  # the open port, None when closed
        self._io_lock = threading.RLock()  # serialises every library call
        self._listener: CardListener | None = None
        self._state = ReaderState.NO_READER
        self._emitted: ReaderState | None = None
        self._emit_lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._logged_problem: str | None = None  # last availability problem logged (no repeats)
        #: Why the reader is unavailable (library or port problem), None when it works.
        self.last_error: str | None = None
        self.last_read_s: float | None = None  # duration of the last read (diagnostics)

    # ------------------------------------------------------------------ CardReader
    def stop(self) -> None:
        with self._emit_lock:  # waits for a listener call in progress
            self._listener = None
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=self.STOP_JOIN_S)
            if thread.is_alive():  # pragma: no cover - a library call that never returns
                log.warning("sdk card reader thread did not stop within %.0f s", self.STOP_JOIN_S)
                return  # leave the port to that thread rather than close it under its feet
        self._close_port()

    def state(self) -> ReaderState:
        return self._state

    def health(self) -> DeviceStatus:
        thread = self._thread
        if thread is not None and thread.is_alive():
            return super().health()
        # Not monitoring: can the library be loaded and the port opened?
        try:
            with self._io_lock:
                ok = self._ensure_open() is not None
                self._close_port()
            return DeviceStatus.OK if ok else DeviceStatus.OFFLINE
        except Exception:  # pragma: no cover - defensive
            log.exception("sdk card reader health probe failed")
            return DeviceStatus.OFFLINE

    # ------------------------------------------------------------------ synchronous read
    def read_once(self, timeout_s: float) -> IdentityRecord:
        """Wait up to ``timeout_s`` for a card and read it.

        A card already present is read at once. Raises ``CardRefusal('no_reader')`` if the
        library or the port was not available by the deadline, ``CardRefusal('no_card')``
        if the reader was there but no card, and any other refusal for the card read.
        Independent of :meth:`start`; closes the port afterwards unless monitoring.
        """
        try:
            return self._read_once(timeout_s)
        except CardRefusal:
            raise
        except Exception:  # a misbehaving library must not crash the caller
            log.exception("sdk card reader: library call failed")
            self._close_port()
            raise CardRefusal("no_reader") from None

    def _read_once(self, timeout_s: float) -> IdentityRecord:
        deadline = time.monotonic() + max(0.0, timeout_s)
        never = threading.Event()
        saw_reader = False
        try:
            while True:
                remaining = deadline - time.monotonic()
                with self._io_lock:
                    port = self._ensure_open()
                    code = self._call_find(port) if port is not None else None
                if port is None or code in _PORT_ERRORS or code in _READER_FAULTS:
                    if code is not None:
                        self._note_problem(f"StartFindIDCard on port {port} returned {_code(code)}")
                        self._close_port()
                    if remaining <= 0:
                        raise CardRefusal("no_card" if saw_reader else "no_reader")
                    time.sleep(min(self._retry_s if port is None else self._poll_s, remaining))
                    continue
                saw_reader = True
                self._mark_working(port)
                if code == SDT_FOUND:
                    return self._read_card(never, found=True)
                if remaining <= 0:
                    raise CardRefusal("no_card")
                time.sleep(min(self._poll_s, remaining))
        finally:
            if not (self._thread is not None and self._thread.is_alive()):
                self._close_port()

    # ------------------------------------------------------------------ monitoring thread
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._monitor()
            except _Stopped:
                break
            except Exception:  # never let the thread die: report and start over
                log.exception("sdk card reader monitoring failed; restarting it")
                self._close_port()
                self._emit(CardEvent(ReaderState.NO_READER))
                self._stop.wait(self._retry_s)

    def _monitor(self) -> None:
        active: bytes | None = None  # serial number of the card read and still present
        misses = 0
        while not self._stop.is_set():
            with self._io_lock:
                port = self._ensure_open()
                code = self._call_find(port) if port is not None else None
                if code in _PORT_ERRORS:
                    # The device may have been re-plugged: reopen at once before giving up.
                    self._note_problem(f"StartFindIDCard on port {port} returned {_code(code)}")
                    self._close_port()
                    port = self._ensure_open()
                    code = self._call_find(port) if port is not None else None
            if port is None or code in _PORT_ERRORS or code in _READER_FAULTS:
                if code is not None:
                    self._note_problem(f"StartFindIDCard on port {port} returned {_code(code)}")
                    self._close_port()
                active, misses = None, 0
                self._emit(CardEvent(ReaderState.NO_READER))
                self._stop.wait(self._retry_s)
                continue
            self._mark_working(port)
            if code == SDT_FOUND:
                misses = 0
                if active is None:
                    active = self._read_and_report(found=True)
                else:
                    with self._io_lock:
                        select_code, serial = self._call_select(port)
                    if select_code == SDT_OK and active and any(serial) and serial != active:
                        # A different card, put down without a gap: a new read.
                        active = self._read_and_report(found=True, selected=serial)
            elif active is not None:
                misses += 1
                if misses >= self.GONE_POLLS:
                    active, misses = None, 0
                    self._emit(CardEvent(ReaderState.WAITING))
            else:
                self._emit(CardEvent(ReaderState.WAITING))
            self._stop.wait(self._poll_s)

    def _read_and_report(self, found: bool, selected: bytes | None = None) -> bytes | None:
        """READING, read, READ/REFUSED.

        Returns what identifies the card now on the reader: its serial number (b"" if the
        SDK did not give one), or None when the card was removed during the read or the
        reader was lost, so that the next card found is read whatever it is.
        """
        self._emit(CardEvent(ReaderState.READING))
        try:
            identity = self._read_card(self._stop, found=found, selected=selected)
            event = CardEvent(ReaderState.READ, identity=identity)
            active: bytes | None = self._card_serial
        except CardRefusal as refusal:
            event = CardEvent(ReaderState.REFUSED, refusal=refusal)
            active = None if refusal.reason in ("card_removed", "no_reader") else self._card_serial
            if refusal.reason == "no_reader":
                self._close_port()
        self._emit(event)
        return active

    # ------------------------------------------------------------------ one card
    def _read_card(self, cancel: threading.Event, found: bool, selected: bytes | None = None) -> IdentityRecord:
        """Select (unless ``selected``), ReadBaseMsg, ReadNewAppMsg, parse.

        ``found``: StartFindIDCard just answered 0x9F; ``selected``: SelectIDCard just
        succeeded with this serial number. A failed step is classified by a presence probe
        (card_error / card_removed / no_reader); after ``card_error`` the whole sequence
        (find, select, read) is tried once more. Leaves the serial number of the card in
        ``_card_serial`` (b"" if none was selected).
        """
        started = time.monotonic()
        self._card_serial = selected or b""
        reason = "card_error"
        for attempt in (1, 2):
            if cancel.is_set():
                raise _Stopped
            try:
                with self._io_lock:
                    port = self._port
                    if port is None:
                        raise CardRefusal("no_reader")
                    if not found:
                        code = self._call_find(port)
                        if code != SDT_FOUND:
                            raise _StepFailed("SDT_StartFindIDCard", code)
                    if selected is None:
                        code, serial = self._call_select(port)
                        if code != SDT_OK:
                            raise _StepFailed("SDT_SelectIDCard", code)
                        self._card_serial = serial
                    text, photo, appended = self._read_files(port)
            except _StepFailed as failure:
                log.info("sdk card read on port %s: %s", self._port, failure)
                if failure.code == SDT_UNKNOWN_CARD_TYPE:
                    reason = "not_identity_card"
                    break
                reason = self._probe_presence(cancel)
            else:
                self.last_read_s = time.monotonic() - started
                try:
                    identity = parse_identity(text, photo or None, appended, self._today())
                except CardRefusal as refusal:
                    log.info("card refused (sdk port %s): %s", port, refusal)
                    raise
                log.info(
                    "card read (sdk port %s) in %.0f ms: text %d bytes, photo %s (%d bytes), appended address %s",
                    port, 1000 * self.last_read_s, len(text), identity.photo_kind, len(photo),
                    "present" if appended is not None else "absent",
                )
                return identity
            if reason != "card_error" or attempt == 2 or cancel.is_set():
                break
            log.info("card_error (sdk port %s): retrying the read once", self._port)
            found, selected = False, None
        log.info("card refused (sdk port %s): %s", self._port, reason)
        raise CardRefusal(reason)

    def _read_files(self, port: int) -> tuple[bytes, bytes, bytes | None]:
        """(text, photo, appended address or None) of the selected card; _StepFailed on failure."""
        lib = self._lib
        assert lib is not None
        code, text, photo = lib.read_base(port)
        if code != SDT_OK:
            raise _StepFailed("SDT_ReadBaseMsg", code)
        if len(text) < EF0101_SIZE:
            log.info("sdk ReadBaseMsg gave %d text bytes (< %d)", len(text), EF0101_SIZE)
            raise CardRefusal("data_truncated")
        code, data = lib.read_appended(port)
        if code == SDT_NO_CONTENT:
            return text, photo, None
        if code != SDT_OK:
            raise _StepFailed("SDT_ReadNewAppMsg", code)
        return text, photo, _appended_address(data)

    def _probe_presence(self, cancel: threading.Event) -> str:
        """After a failed step: 'card_error' (card still found), 'no_reader' or 'card_removed'."""
        for attempt in range(self.PROBE_TRIES):
            if attempt:
                if cancel.wait(self.PROBE_INTERVAL_S):
                    raise _Stopped
            with self._io_lock:
                port = self._port
                code = self._call_find(port) if port is not None else 0x01
            if code == SDT_FOUND:
                return "card_error"
            if code in _PORT_ERRORS or code in _READER_FAULTS:
                return "no_reader"
        return "card_removed"

    # ------------------------------------------------------------------ library and port
    def _ensure_open(self) -> int | None:
        """The open port, opening it (and loading the library) if needed; None if unavailable."""
        with self._io_lock:
            if self._port is not None:
                return self._port
            lib = self._load()
            if lib is None:
                return None
            ports: Iterable[int] = (
                USB_PORTS + SERIAL_PORTS if self._port_setting == AUTO_PORT else (self._port_setting,)
            )
            last = 0
            for port in ports:
                try:
                    last = lib.open_port(port)
                except Exception as exc:  # e.g. an access violation reported by ctypes on Windows
                    self._note_problem(f"SDT_OpenPort({port}) raised {type(exc).__name__}")
                    return None
                if last == SDT_OK:
                    self._port = port
                    log.debug("sdk card reader: port %d open (%s)", port, lib.path)
                    return port
            where = "ports 1001-1016 and 1-16" if self._port_setting == AUTO_PORT else f"port {self._port_setting}"
            self._note_problem(f"SDT_OpenPort on {where} returned {_code(last)}")
            return None

    def _load(self) -> SdtLibrary | None:
        if self._lib is None:
            try:
                self._lib = SdtLibrary(self._library_path)
            except SdkLoadError as exc:
                self._note_problem(str(exc), level=logging.ERROR)
                return None
            if not self._lib.has_appended_address:
                log.info("sdtapi library has no SDT_ReadNewAppMsg: appended addresses are not read")
        return self._lib

    def _close_port(self) -> None:
        with self._io_lock:
            port, self._port = self._port, None
            if port is not None and self._lib is not None:
                try:
                    code = self._lib.close_port(port)
                except Exception as exc:  # pragma: no cover - defensive
                    log.warning("SDT_ClosePort(%d) raised %s", port, type(exc).__name__)
                    return
                if code != SDT_OK:
                    log.debug("SDT_ClosePort(%d) returned %s", port, _code(code))

    def _call_find(self, port: int) -> int:
        assert self._lib is not None
        return self._lib.find_card(port)

    def _call_select(self, port: int) -> tuple[int, bytes]:
        assert self._lib is not None
        return self._lib.select_card(port)

    def _mark_working(self, port: int) -> None:
        """The reader answered a card search normally: clear any recorded problem."""
        if self.last_error is not None or self._logged_problem is not None:
            log.info("sdk card reader available on port %d (%s)", port, self._library_path)
        self.last_error = None
        self._logged_problem = None

    def _note_problem(self, problem: str, level: int = logging.WARNING) -> None:
        """Record why the reader is unavailable; log each distinct problem once."""
        self.last_error = problem
        if problem != self._logged_problem:
            self._logged_problem = problem
            log.log(level, "sdk card reader unavailable: %s", problem)

