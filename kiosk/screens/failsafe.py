"""The failsafe: an unexpected exception anywhere ends the session calmly, and the kiosk
keeps serving.

Installed by :func:`kiosk.app.build` while the kiosk runs, it takes over

* ``sys.excepthook``: exceptions in Qt slots and overrides (PySide6 reports them there) and
  in ``QThread.run``;
* ``threading.excepthook``: exceptions that end a Python thread (device adapters, senders);
* Qt's own messages (``qInstallMessageHandler``), which go to ``logging``.

An exception is logged as its type and where it happened (file, line, function), never its
message or a traceback's values, which may hold a resident's data. Then, on the UI thread, the
window wipes the session and every view of it, shows "this machine cannot continue right now"
with what to do, and returns to the attract screen. Errors that kill the interpreter itself
(a C extension's fatal error) cannot be caught here: the supervisor restarts the kiosk, and the
outbox (committed to disk before the receipt) loses nothing.

Where an earlier hook was installed by someone else (pytest-qt, pytest's thread-exception
plugin), it is still called, so tests keep failing on errors they did not expect.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QtMsgType, Signal, qInstallMessageHandler

from kiosk.events import EventLog

log = logging.getLogger(__name__)
qt_log = logging.getLogger("qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def where(tb: TracebackType | None, depth: int = 3) -> str:
    """The innermost frames as ``file:line function``, innermost first (no values)."""
    frames = traceback.extract_tb(tb)[-depth:]
    return " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames)) or "unknown"


class Failsafe(QObject):
    """Catches what nothing else caught and hands it to ``on_trip`` on the UI thread."""

    tripped = Signal(str)  # the exception's type name; delivered on the UI thread

    def __init__(self, on_trip: Callable[[str], None], events: EventLog | None = None) -> None:
        super().__init__()
        self.events = events
        self.trips = 0
        self._on_trip = on_trip
        self._installed = False
        self._prev_sys = sys.excepthook
        self._prev_thread = threading.excepthook
        self._prev_qt = None
        self.tripped.connect(self._deliver)

    def install(self) -> None:
        if self._installed:
            return
        self._prev_sys, self._prev_thread = sys.excepthook, threading.excepthook
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook
        self._prev_qt = qInstallMessageHandler(self._qt_message)
        self._installed = True

    def uninstall(self) -> None:
        if not self._installed:
            return
        if sys.excepthook == self._sys_hook:
            sys.excepthook = self._prev_sys
        if threading.excepthook == self._thread_hook:
            threading.excepthook = self._prev_thread
        qInstallMessageHandler(self._prev_qt)
        self._installed = False

    # --- hooks (any thread) ---
    def _sys_hook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        self.report(exc_type, tb, threading.current_thread().name)
        if self._prev_sys is not sys.__excepthook__:
            self._prev_sys(exc_type, exc, tb)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        self.report(args.exc_type, args.exc_traceback, args.thread.name if args.thread else "thread")
        if self._prev_thread is not threading.__excepthook__:
            self._prev_thread(args)

    def report(self, exc_type: type[BaseException], tb: TracebackType | None, thread: str) -> None:
        """Log the exception without its values, and trip the failsafe."""
        place = where(tb)
        log.critical("failsafe: unexpected %s in thread %s at %s", exc_type.__name__, thread, place)
        if self.events is not None:
            self.events.emit("failsafe", exception=exc_type.__name__, where=place)
        self.tripped.emit(exc_type.__name__)

    def _qt_message(self, kind: QtMsgType, context, message: str) -> None:
        qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)
        if self._prev_qt is not None:
            self._prev_qt(kind, context, message)

    # --- UI thread ---
    def _deliver(self, name: str) -> None:
        self.trips += 1
        try:
            self._on_trip(name)
        except Exception as e:  # noqa: BLE001 - the failsafe itself must never raise
            log.critical("failsafe: could not end the session: %s at %s", type(e).__name__, where(e.__traceback__))
