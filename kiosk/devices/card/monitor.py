"""The base of the readers that watch hardware on a thread of their own (PC/SC, vendor SDK).

:class:`MonitoredCardReader` owns everything the real readers share: the listener and the
state, one event per change (:meth:`~MonitoredCardReader._emit`), the monitoring thread
that restarts after an unexpected error, ``stop()``, ``state()`` and ``health()``. A
subclass says what is particular to its hardware through four hooks:

- :meth:`~MonitoredCardReader._monitor` – one life of the monitoring (a PC/SC context,
  an open port); it returns when that life is over and is then called again;
- :meth:`~MonitoredCardReader._probe` – is the reader reachable? (``health()`` while
  not monitoring);
- :meth:`~MonitoredCardReader._release` – drop the hardware connection (after a failed
  life, and once the thread has stopped);
- :meth:`~MonitoredCardReader._wake` – interrupt a blocking wait so the thread notices
  ``stop()`` (optional).

A read in progress raises :class:`Stopped` when it notices ``stop()``: the read is
abandoned and never reported.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from abc import abstractmethod
from collections.abc import Callable
from typing import Final

from kiosk.devices.base import CardEvent, CardListener, CardReader, DeviceStatus, ReaderState

__all__ = ["MonitoredCardReader", "Stopped"]

log = logging.getLogger(__name__)


class Stopped(Exception):
    """The reader is being stopped: abandon the current read without reporting it."""


class MonitoredCardReader(CardReader):
    """Event delivery, thread and life cycle shared by the readers that monitor hardware.

    ``today`` gives the kiosk's calendar date (Asia/Shanghai) for the validity checks;
    ``restart_s`` is the pause before monitoring starts over after an unexpected error.
    """

    #: The monitoring thread's name.
    thread_name = "card-monitor"
    #: How long stop() waits for the monitoring thread (it ends after the current call).
    STOP_JOIN_S: Final = 5.0

    def __init__(self, today: Callable[[], dt.date], *, restart_s: float = 1.0) -> None:
        self._today = today
        self._restart_s = restart_s
        self._listener: CardListener | None = None
        self._state = ReaderState.NO_READER
        self._emitted: ReaderState | None = None  # last state told to the listener
        self._emit_lock = threading.RLock()  # serialises listener calls against stop()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.last_read_s: float | None = None  # duration of the last read (diagnostics)

    # ------------------------------------------------------------------ hooks
    @abstractmethod
    def _monitor(self) -> None:
        """One life of the monitoring, on the monitoring thread; return to start over.

        Runs until ``self._stop`` is set or the hardware connection is gone; may raise
        :class:`Stopped`. Any other exception is logged, followed by :meth:`_release`,
        a NO_READER event and a pause of ``restart_s``.
        """

    @abstractmethod
    def _probe(self) -> bool:
        """Whether the reader can be reached now (health while not monitoring); may raise."""

    def _release(self) -> None:  # noqa: B027 - optional hook
        """Drop the hardware connection; called on the monitoring thread after a failed
        :meth:`_monitor` and once it has stopped, or by :meth:`stop` without a thread."""

    def _wake(self) -> None:  # noqa: B027 - optional hook
        """Interrupt a blocking wait of the monitoring thread (called repeatedly by stop())."""

    # ------------------------------------------------------------------ CardReader
    def start(self, listener: CardListener) -> None:
        with self._emit_lock:
            self._listener = listener
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._state = ReaderState.NO_READER
        self._emitted = None
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._emit_lock:  # waits for a listener call in progress (RLock: re-entrant)
            self._listener = None
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            deadline = time.monotonic() + self.STOP_JOIN_S
            while thread.is_alive() and time.monotonic() < deadline:
                self._wake()  # repeated: a wake-up can land between two blocking calls
                thread.join(timeout=0.1)
            if thread.is_alive():  # pragma: no cover - a device call that never returns
                log.warning("%s: thread did not stop within %.0f s", self.thread_name, self.STOP_JOIN_S)
                return  # leave the connection to that thread rather than close it under its feet
        self._release()

    def state(self) -> ReaderState:
        return self._state

    def health(self) -> DeviceStatus:
        if self._monitoring():
            return super().health()
        try:
            return DeviceStatus.OK if self._probe() else DeviceStatus.OFFLINE
        except Exception:  # pragma: no cover - defensive
            log.exception("%s: health probe failed", self.thread_name)
            return DeviceStatus.OFFLINE

    # ------------------------------------------------------------------ for subclasses
    def _monitoring(self) -> bool:
        """The monitoring thread is running."""
        thread = self._thread
        return thread is not None and thread.is_alive()

    def _emit(self, event: CardEvent) -> None:
        """Tell the listener, once per change: a repeated 'no reader' or 'waiting' is dropped."""
        with self._emit_lock:
            if self._stop.is_set():
                return
            repeated = event.state == self._emitted and event.state in (ReaderState.NO_READER, ReaderState.WAITING)
            self._state = self._emitted = event.state
            listener = self._listener
            if repeated or listener is None:
                return
            try:
                listener(event)
            except Exception:  # a listener bug must not kill the device thread
                log.exception("card listener failed")

    # ------------------------------------------------------------------ the thread
    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._monitor()
            except Stopped:
                break
            except Exception:  # never let the thread die: report and start over
                log.exception("%s: monitoring failed; restarting it", self.thread_name)
                self._release()
                self._emit(CardEvent(ReaderState.NO_READER))
                self._stop.wait(self._restart_s)
        self._release()
