"""The vendor-SDK identity-card reader: a certified reader driven through its ``sdtapi`` library.

The library, its ports and return codes are :mod:`kiosk.devices.card.sdtapi`. The text
block and the photo go to :func:`kiosk.domain.idcard.parse_identity`, shared with the
PC/SC and simulated readers.

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

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Final

from kiosk.devices.base import CardEvent, ReaderState
from kiosk.devices.card.monitor import MonitoredCardReader, Stopped
from kiosk.devices.card.sdtapi import (
    AUTO_PORT,
    PORT_ERRORS,
    READER_FAULTS,
    SDT_FOUND,
    SDT_NO_CONTENT,
    SDT_OK,
    SDT_UNKNOWN_CARD_TYPE,
    SERIAL_PORTS,
    USB_PORTS,
    SdkLoadError,
    SdtLibrary,
    appended_address,
    describe_code,
)
from kiosk.domain.idcard import EF0101_SIZE, CardRefusal, IdentityRecord, parse_identity

__all__ = ["SdkCardReader"]

log = logging.getLogger(__name__)


class _StepFailed(Exception):
    """An sdtapi call of the read sequence did not succeed."""

    def __init__(self, step: str, code: int) -> None:
        super().__init__(f"{step} returned {describe_code(code)}")
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

    def __init__(
        self,
        today: Callable[[], dt.date],
        library_path: str,
        port: int = 1001,
        poll_s: float = 0.3,
        *,
        retry_s: float = 1.0,
    ) -> None:
        retry_s = max(0.01, retry_s)
        super().__init__(today, restart_s=retry_s)
        self._library_path = library_path
        self._port_setting = port
        self._poll_s = max(0.01, poll_s)
        self._retry_s = retry_s
        self._card_serial = b""  # serial number of the card being read (never logged)
        self._lib: SdtLibrary | None = None
        self._port: int | None = None  # the open port, None when closed
        self._io_lock = threading.RLock()  # serialises every library call
        self._logged_problem: str | None = None  # last availability problem logged (no repeats)
        #: Why the reader is unavailable (library or port problem), None when it works.
        self.last_error: str | None = None

    # ------------------------------------------------------------------ MonitoredCardReader hooks
    def _probe(self) -> bool:
        """The library loads and the port opens (it is closed again)."""
        with self._io_lock:
            ok = self._ensure_open() is not None
            self._close_port()
        return ok

    def _release(self) -> None:
        self._close_port()

    def check(self) -> str | None:
        """For a technician (``kiosk doctor``): why the library or its port cannot be used, None
        when the library loads and the port opens (it is closed again). Needs no card."""
        return None if self._probe() else (self.last_error or "the reader is not available")

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
                if port is None or code in PORT_ERRORS or code in READER_FAULTS:
                    if code is not None:
                        self._port_failed(port, code)
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
            if not self._monitoring():
                self._close_port()

    def _port_failed(self, port: int | None, code: int) -> None:
        """The port answered with an error: note it for the technician and close it."""
        self._note_problem(f"StartFindIDCard on port {port} returned {describe_code(code)}")
        self._close_port()

    # ------------------------------------------------------------------ monitoring thread
    def _monitor(self) -> None:
        active: bytes | None = None  # serial number of the card read and still present
        misses = 0
        while not self._stop.is_set():
            with self._io_lock:
                port = self._ensure_open()
                code = self._call_find(port) if port is not None else None
                if code in PORT_ERRORS:
                    # The device may have been re-plugged: reopen at once before giving up.
                    self._port_failed(port, code)
                    port = self._ensure_open()
                    code = self._call_find(port) if port is not None else None
            if port is None or code in PORT_ERRORS or code in READER_FAULTS:
                if code is not None:
                    self._port_failed(port, code)
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
                raise Stopped
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
        return text, photo, appended_address(data)

    def _probe_presence(self, cancel: threading.Event) -> str:
        """After a failed step: 'card_error' (card still found), 'no_reader' or 'card_removed'."""
        for attempt in range(self.PROBE_TRIES):
            if attempt:
                if cancel.wait(self.PROBE_INTERVAL_S):
                    raise Stopped
            with self._io_lock:
                port = self._port
                code = self._call_find(port) if port is not None else 0x01
            if code == SDT_FOUND:
                return "card_error"
            if code in PORT_ERRORS or code in READER_FAULTS:
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
            self._note_problem(f"SDT_OpenPort on {where} returned {describe_code(last)}")
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
                    log.debug("SDT_ClosePort(%d) returned %s", port, describe_code(code))

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

