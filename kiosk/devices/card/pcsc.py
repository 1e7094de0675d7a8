"""The real identity-card reader: PC/SC through pyscard's low-level ``smartcard.scard`` API.

Implements card-profile §2 and §5 on top of :mod:`kiosk.devices.card.apdu` (the APDU
procedure) and :func:`kiosk.domain.idcard.parse_identity` (decoding and validation).

Monitoring runs on one background thread that owns its PC/SC context:

- ``SCardGetStatusChange`` over the candidate readers plus ``\\\\?PnP?\\Notification``
  (reader hot-plug), with bounded waits (``POLL_S``), woken early by ``SCardCancel`` on
  ``stop()``;
- insertion → READING → read (§5) → READ or REFUSED; removal → WAITING; no candidate
  reader, or no PC/SC service → NO_READER;
- when pcscd stops or restarts, a context is dead for good (``SCARD_F_COMM_ERROR``, then
  ``SCARD_E_NO_SERVICE``; ``SCardIsValidContext`` still says it is fine), so the thread
  drops it on any unexpected error and establishes a new one every ``RETRY_S`` until the
  service is back: recovery needs no restart of the kiosk.

Reader choice (§2): with a ``reader_name`` only readers whose name contains it are used;
otherwise every reader is a candidate; the first candidate that reports a card is read.

Logs carry reason codes, reader names and sizes only: never names, ID numbers or photos.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Final

from smartcard import scard

from kiosk.devices.base import CardEvent, ReaderState
from kiosk.devices.card.apdu import CardFiles, read_card_files
from kiosk.devices.card.monitor import MonitoredCardReader, Stopped
from kiosk.domain.idcard import CardRefusal, IdentityRecord, parse_identity

__all__ = ["PNP_READER", "PcscCardReader", "PcscError"]

log = logging.getLogger(__name__)

#: pcsc-lite's pseudo reader that changes state when readers are added or removed.
PNP_READER: Final = "\\\\?PnP?\\Notification"

_OK: Final = scard.SCARD_S_SUCCESS
_TIMEOUT: Final = scard.SCARD_E_TIMEOUT
_CANCELLED: Final = scard.SCARD_E_CANCELLED
_NO_READERS: Final = scard.SCARD_E_NO_READERS_AVAILABLE
_UNKNOWN_READER: Final = scard.SCARD_E_UNKNOWN_READER
#: Errors after which a PC/SC context is useless: the service went away (pcscd stopped,
#: restarted or crashed) or the handle is no longer known to it.
_DEAD_CONTEXT: Final = frozenset(
    {
        scard.SCARD_E_NO_SERVICE,
        scard.SCARD_E_SERVICE_STOPPED,
        scard.SCARD_E_INVALID_HANDLE,
        scard.SCARD_F_COMM_ERROR,
    }
)

_STATE_CHANGED: Final = scard.SCARD_STATE_CHANGED
_STATE_PRESENT: Final = scard.SCARD_STATE_PRESENT
_STATE_GONE: Final = scard.SCARD_STATE_UNKNOWN | scard.SCARD_STATE_IGNORE


def _error_text(hresult: int) -> str:
    try:
        message = scard.SCardGetErrorMessage(hresult)
    except Exception:  # pragma: no cover - defensive: never let a log line raise
        message = "?"
    return f"0x{hresult & 0xFFFFFFFF:08X} {message}"


class PcscError(Exception):
    """A PC/SC call failed (a transmission failure in the sense of §5)."""

    def __init__(self, call: str, hresult: int) -> None:
        super().__init__(f"{call}: {_error_text(hresult)}")
        self.call = call
        self.hresult = hresult


class _Presence(enum.Enum):
    ABSENT = "absent"
    PRESENT = "present"
    GONE = "gone"  # the reader or the PC/SC service is not there any more


class PcscCardReader(MonitoredCardReader):
    """Identity-card reader over PC/SC (pcsc-lite / WinSCard) — card-profile §2, §5.

    ``today`` gives the kiosk's calendar date (Asia/Shanghai) for the validity checks;
    ``reader_name`` is a substring of the reader to use ("" = any reader, the first one
    that reports a card).
    """

    thread_name = "pcsc-card-monitor"

    #: Longest single wait in SCardGetStatusChange (reader list re-checked after it).
    POLL_S: Final = 2.0
    #: Interval between attempts to reach pcscd while it is not running.
    RETRY_S: Final = 0.5
    #: §5: how long to wait for the card to be reported absent after a failed PC/SC call.
    ABSENT_WAIT_S: Final = 1.0

    def __init__(self, today: Callable[[], dt.date], reader_name: str = "") -> None:
        super().__init__(today)
        self._reader_name = reader_name
        self._ctx_lock = threading.Lock()
        self._ctx: Any = None  # the monitoring thread's PC/SC context
        self.last_apdu_count: int | None = None

    # ------------------------------------------------------------------ MonitoredCardReader hooks
    def _probe(self) -> bool:
        """The PC/SC service answers and lists a candidate reader."""
        ctx = self._establish()
        if ctx is None:
            return False
        try:
            return bool(self._list_readers(ctx))
        finally:
            self._release_context(ctx)

    def check(self) -> tuple[str | None, list[str]]:
        """For a technician (``kiosk doctor``): why this reader cannot be used (None: it can),
        and the readers pcscd lists. Does not start monitoring and needs no card."""
        try:
            hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        except Exception as exc:  # noqa: BLE001 - pyscard without libpcsclite
            return f"the PC/SC library cannot be used ({type(exc).__name__})", []
        if hr != _OK:
            return f"the PC/SC service (pcscd) does not answer: {_error_text(hr)}", []
        try:
            hr, readers = scard.SCardListReaders(ctx, [])
        finally:
            self._release_context(ctx)
        if hr == _NO_READERS:
            return "pcscd lists no reader", []
        if hr != _OK:
            return f"pcscd cannot list its readers: {_error_text(hr)}", []
        names = list(readers)
        if not any(self._reader_name in r for r in names):
            return f"no reader's name contains {self._reader_name!r}", names
        return None, names

    def _release(self) -> None:
        """Forget the monitoring thread's context (the thread releases it itself)."""
        self._set_context(None)

    def _wake(self) -> None:
        """Cancel a blocking SCardGetStatusChange of the monitoring thread."""
        with self._ctx_lock:
            ctx = self._ctx
            if ctx is not None:
                scard.SCardCancel(ctx)

    # ------------------------------------------------------------------ synchronous read
    def read_once(self, timeout_s: float) -> IdentityRecord:
        """Wait up to ``timeout_s`` for a card in a candidate reader and read it (§5).

        A card already present is read at once. Raises ``CardRefusal('no_reader')`` if no
        candidate reader (or no PC/SC service) was available by the deadline,
        ``CardRefusal('no_card')`` if readers were there but no card, and any other
        refusal of §4-§8 for the card read. Independent of :meth:`start`.
        """
        deadline = time.monotonic() + max(0.0, timeout_s)
        never = threading.Event()
        ctx: Any = None
        saw_reader = False
        try:
            while True:
                remaining = deadline - time.monotonic()
                if ctx is None:
                    ctx = self._establish()
                    if ctx is None:
                        if remaining <= 0:
                            raise CardRefusal("no_card" if saw_reader else "no_reader")
                        time.sleep(min(self.RETRY_S, remaining))
                        continue
                readers = self._list_readers(ctx)
                if readers is None:  # context dead: the service went away
                    ctx = self._release_context(ctx)
                    if remaining <= 0:
                        raise CardRefusal("no_card" if saw_reader else "no_reader")
                    time.sleep(min(0.1, remaining))
                    continue
                if not readers:
                    if remaining <= 0:
                        raise CardRefusal("no_card" if saw_reader else "no_reader")
                    hr, _ = self._wait_pnp(ctx, min(self.POLL_S, remaining))
                    if hr in _DEAD_CONTEXT:
                        ctx = self._release_context(ctx)
                    continue
                saw_reader = True
                hr, states = scard.SCardGetStatusChange(
                    ctx, 0, [(r, scard.SCARD_STATE_UNAWARE) for r in readers]
                )
                if hr != _OK:
                    if remaining <= 0:
                        raise CardRefusal("no_card")
                    if hr in _DEAD_CONTEXT:
                        ctx = self._release_context(ctx)
                    else:
                        time.sleep(0.05)  # a reader went away meanwhile: list again
                    continue
                for reader, event_state, _atr in states:
                    if event_state & _STATE_PRESENT:
                        return self._read_card(ctx, reader, never)
                if remaining <= 0:
                    raise CardRefusal("no_card")
                current = [(r, e & ~_STATE_CHANGED) for r, e, _ in states] + [(PNP_READER, 0)]
                hr, _ = scard.SCardGetStatusChange(ctx, _ms(min(self.POLL_S, remaining)), current)
                if hr in _DEAD_CONTEXT:
                    ctx = self._release_context(ctx)
        finally:
            self._release_context(ctx)

    # ------------------------------------------------------------------ monitoring thread
    def _monitor(self) -> None:
        """One life of a PC/SC context; returns when the context is gone."""
        ctx = self._establish()
        if ctx is None:
            self._emit(CardEvent(ReaderState.NO_READER))
            self._stop.wait(self.RETRY_S)
            return
        self._set_context(ctx)
        known: dict[str, int] = {}  # reader -> last event state (CHANGED bit cleared)
        active: tuple[str, int] | None = None  # (reader, event state) of the card handled
        pnp = True
        try:
            while not self._stop.is_set():
                readers = self._list_readers(ctx)
                if readers is None:
                    log.info("PC/SC service lost; re-establishing")
                    self._emit(CardEvent(ReaderState.NO_READER))
                    self._stop.wait(0.1)
                    return
                if not readers:
                    known.clear()
                    active = None
                    self._emit(CardEvent(ReaderState.NO_READER))
                    if pnp:
                        hr, _ = self._wait_pnp(ctx, self.POLL_S)
                        if hr in _DEAD_CONTEXT:
                            self._emit(CardEvent(ReaderState.NO_READER))
                            return
                        if hr not in (_OK, _TIMEOUT, _CANCELLED):
                            log.info("PnP notification unavailable (%s); polling", _error_text(hr))
                            pnp = False
                    else:
                        self._stop.wait(self.POLL_S)
                    continue
                for gone in set(known) - set(readers):
                    del known[gone]
                request = [(r, known.get(r, scard.SCARD_STATE_UNAWARE)) for r in readers]
                if pnp:
                    request.append((PNP_READER, 0))
                # UNAWARE entries make this return at once with the current states.
                hr, states = scard.SCardGetStatusChange(ctx, _ms(self.POLL_S), request)
                if self._stop.is_set():
                    return
                if hr in _DEAD_CONTEXT:
                    log.info("PC/SC service lost (%s); re-establishing", _error_text(hr))
                    self._emit(CardEvent(ReaderState.NO_READER))
                    return
                if hr in (_TIMEOUT, _CANCELLED):
                    continue
                if hr == _UNKNOWN_READER:
                    # A reader went away between listing and waiting (or this pcsc-lite
                    # does not know the PnP pseudo reader): list again.
                    if pnp and set(readers) <= set(scard.SCardListReaders(ctx, [])[1] or []):
                        log.info("PnP notification not supported; polling the reader list")
                        pnp = False
                    known.clear()
                    self._stop.wait(0.05)
                    continue
                if hr != _OK:
                    if pnp:
                        log.info("SCardGetStatusChange with PnP failed (%s); polling", _error_text(hr))
                        pnp = False
                        continue
                    log.warning("SCardGetStatusChange failed (%s); re-establishing", _error_text(hr))
                    self._emit(CardEvent(ReaderState.NO_READER))
                    self._stop.wait(self.RETRY_S)
                    return
                for reader, event_state, _atr in states:
                    if reader != PNP_READER:
                        known[reader] = event_state & ~_STATE_CHANGED
                active = self._evaluate(ctx, readers, known, active)
        finally:
            self._set_context(None)
            self._release_context(ctx)

    def _evaluate(
        self, ctx: Any, readers: list[str], known: dict[str, int], active: tuple[str, int] | None
    ) -> tuple[str, int] | None:
        """Turn the readers' states into events; read a newly presented card."""
        if active is not None:
            reader, seen = active
            now = known.get(reader)
            # Same card still there: same presence and the same insertion/removal counter
            # (pcsc-lite keeps that counter in the upper 16 bits of the event state).
            if now is not None and now & _STATE_PRESENT and (now >> 16) == (seen >> 16):
                return active
            active = None
            self._emit(CardEvent(ReaderState.WAITING))
        for reader in readers:
            state = known.get(reader, 0)
            if state & _STATE_PRESENT and not state & _STATE_GONE:
                self._emit(CardEvent(ReaderState.READING))
                try:
                    identity = self._read_card(ctx, reader, self._stop)
                    event = CardEvent(ReaderState.READ, identity=identity)
                except CardRefusal as refusal:
                    event = CardEvent(ReaderState.REFUSED, refusal=refusal)
                self._emit(event)
                return (reader, state)
        self._emit(CardEvent(ReaderState.WAITING))
        return None

    # ------------------------------------------------------------------ one card (§5)
    def _read_card(self, ctx: Any, reader: str, cancel: threading.Event) -> IdentityRecord:
        """§5 steps 1-8 for the card in ``reader``: an identity, or CardRefusal.

        A PC/SC failure is a transmission failure: wait up to 1 s for the card to be
        reported absent (``card_removed``) or not (``card_error``). After ``card_error``
        the complete sequence is tried once more, on a fresh connection.
        """
        started = time.monotonic()
        reason = "card_error"
        for attempt in (1, 2):
            try:
                files = self._read_files(ctx, reader, cancel)
            except PcscError as exc:
                log.info("card read on %r: PC/SC failure (%s)", reader, exc)
                presence = self._wait_absent(ctx, reader, self.ABSENT_WAIT_S, cancel)
                reason = {
                    _Presence.ABSENT: "card_removed",
                    _Presence.PRESENT: "card_error",
                    _Presence.GONE: "no_reader",
                }[presence]
            except CardRefusal as refusal:
                if refusal.reason != "card_error":
                    log.info("card refused on %r: %s", reader, refusal)
                    raise
                reason = "card_error"
            else:
                self.last_read_s = time.monotonic() - started
                self.last_apdu_count = files.apdu_count
                try:
                    identity = parse_identity(files.ef0101, files.photo, files.ef0103, self._today())
                except CardRefusal as refusal:
                    log.info("card refused on %r: %s", reader, refusal)
                    raise
                log.info(
                    "card read on %r: %d APDUs in %.0f ms, photo %s",
                    reader, files.apdu_count, 1000 * self.last_read_s, identity.photo_kind,
                )
                return identity
            if reason != "card_error" or attempt == 2 or cancel.is_set():
                break
            log.info("card_error on %r: retrying the read once", reader)
        log.info("card refused on %r: %s", reader, reason)
        raise CardRefusal(reason)

    def _read_files(self, ctx: Any, reader: str, cancel: threading.Event) -> CardFiles:
        """§5 steps 1-7: connect, transaction, the APDU procedure (apdu.py), disconnect."""
        if cancel.is_set():
            raise Stopped
        hr, hcard, protocol = scard.SCardConnect(
            ctx, reader, scard.SCARD_SHARE_SHARED, scard.SCARD_PROTOCOL_T0 | scard.SCARD_PROTOCOL_T1
        )
        if hr != _OK:
            raise PcscError("SCardConnect", hr)
        pci = scard.SCARD_PCI_T1 if protocol == scard.SCARD_PROTOCOL_T1 else scard.SCARD_PCI_T0
        in_transaction = False
        try:
            hr = scard.SCardBeginTransaction(hcard)
            if hr != _OK:
                raise PcscError("SCardBeginTransaction", hr)
            in_transaction = True

            def transmit(apdu: list[int]) -> tuple[list[int], int, int]:
                if cancel.is_set():
                    raise Stopped
                hr, response = scard.SCardTransmit(hcard, pci, apdu)
                if hr != _OK:
                    raise PcscError("SCardTransmit", hr)
                if len(response) < 2:
                    raise PcscError("SCardTransmit", scard.SCARD_F_COMM_ERROR)
                return list(response[:-2]), response[-2] & 0xFF, response[-1] & 0xFF

            files = read_card_files(transmit)
            hr = scard.SCardEndTransaction(hcard, scard.SCARD_LEAVE_CARD)
            in_transaction = False
            if hr != _OK:
                # All data is in; a card that vanished right after the last APDU does not
                # make the data wrong, but §5 treats a failed call as a failure: discard.
                raise PcscError("SCardEndTransaction", hr)
            return files
        finally:
            if in_transaction:
                scard.SCardEndTransaction(hcard, scard.SCARD_LEAVE_CARD)
            scard.SCardDisconnect(hcard, scard.SCARD_LEAVE_CARD)

    def _wait_absent(self, ctx: Any, reader: str, timeout_s: float, cancel: threading.Event) -> _Presence:
        """§5: wait up to ``timeout_s`` for ``reader`` to report its card absent."""
        deadline = time.monotonic() + timeout_s
        current = scard.SCARD_STATE_UNAWARE
        while True:
            remaining = deadline - time.monotonic()
            hr, states = scard.SCardGetStatusChange(ctx, _ms(max(0.0, remaining)), [(reader, current)])
            if hr == _OK:
                event_state = states[0][1]
                if event_state & _STATE_GONE:
                    return _Presence.GONE
                if not event_state & _STATE_PRESENT:
                    return _Presence.ABSENT
                current = event_state & ~_STATE_CHANGED
            elif hr in _DEAD_CONTEXT or hr == _UNKNOWN_READER:
                return _Presence.GONE
            elif hr not in (_TIMEOUT, _CANCELLED):
                return _Presence.PRESENT  # unknown: do not claim the card was removed
            if cancel.is_set():
                raise Stopped
            if deadline - time.monotonic() <= 0:
                return _Presence.PRESENT

    # ------------------------------------------------------------------ PC/SC helpers
    def _establish(self) -> Any:
        """A new PC/SC context, or None if the service is not available."""
        try:
            hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
        except Exception as exc:  # pragma: no cover - defensive (library missing, ...)
            log.warning("SCardEstablishContext raised %s", type(exc).__name__)
            return None
        if hr != _OK:
            log.debug("SCardEstablishContext: %s", _error_text(hr))
            return None
        return ctx

    @staticmethod
    def _release_context(ctx: Any) -> None:
        if ctx is not None:
            try:
                scard.SCardReleaseContext(ctx)
            except Exception:  # pragma: no cover - defensive
                pass
        return None

    def _set_context(self, ctx: Any) -> None:
        with self._ctx_lock:
            self._ctx = ctx

    def _list_readers(self, ctx: Any) -> list[str] | None:
        """Candidate readers (by ``reader_name``); None if the context is dead."""
        hr, readers = scard.SCardListReaders(ctx, [])
        if hr == _NO_READERS:
            return []
        if hr != _OK:
            if hr not in _DEAD_CONTEXT:
                log.warning("SCardListReaders: %s", _error_text(hr))
            return None
        return [r for r in readers if self._reader_name in r]

    @staticmethod
    def _wait_pnp(ctx: Any, timeout_s: float) -> tuple[int, Any]:
        """Wait for the reader list to change (or the timeout)."""
        return scard.SCardGetStatusChange(ctx, _ms(timeout_s), [(PNP_READER, 0)])



def _ms(seconds: float) -> int:
    return max(0, int(seconds * 1000))
