"""systemd supervision from the Qt event loop: ``READY=1`` once the window has painted the
attract screen, then ``WATCHDOG=1`` from a QTimer at half of ``$WATCHDOG_USEC``.

The pings come from the UI thread's event loop on purpose: if that loop hangs, the pings
stop and systemd (``WatchdogSec=`` in the unit) restarts the kiosk. Nothing is sent when
``$NOTIFY_SOCKET`` is unset.

Test hook (tests and ``bench/`` only, never set on a kiosk): ``KIOSK_TEST_HANG_AFTER_S=N``
blocks the event loop for good N seconds after ``READY=1``, after sending
``STATUS=test hang: event loop blocked``, so a test can watch the pings stop.
"""

from __future__ import annotations

import logging
import math
import os
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from kiosk.sdnotify import Notifier, watchdog_interval_s

log = logging.getLogger(__name__)

HANG_ENV = "KIOSK_TEST_HANG_AFTER_S"
HANG_STATUS = "STATUS=test hang: event loop blocked"


def hang_after_s(environ: dict[str, str] | None = None) -> float | None:
    """The test hook's delay, or None (unset, or not a finite number of seconds >= 0)."""
    text = (os.environ if environ is None else environ).get(HANG_ENV)
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value < 86400:
        log.warning("%s=%r ignored: not a number of seconds", HANG_ENV, text)
        return None
    return value


class Watchdog(QObject):
    """Watches ``window`` for its first paint, then tells systemd it is ready and keeps pinging."""

    def __init__(self, window: QWidget, notifier: Notifier | None = None, *, interval_s: float | None = None,
                 hang_s: float | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.notifier = notifier if notifier is not None else Notifier.from_environment()
        self.interval_s = interval_s if interval_s is not None else watchdog_interval_s()
        self.hang_s = hang_s if hang_s is not None else hang_after_s()
        self.ready = False
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.notifier.ping)
        window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self.window and event.type() == QEvent.Type.Paint and not self.ready:
            # After this paint has been delivered, from the next turn of the loop.
            QTimer.singleShot(0, self._on_first_paint)
        return False

    def _on_first_paint(self) -> None:
        if self.ready:
            return
        self.ready = True
        self.window.removeEventFilter(self)
        self.notifier.ready()
        log.info("attract screen shown%s", " (READY=1 sent to systemd)" if self.notifier.enabled else "")
        if self.interval_s is not None and self.notifier.enabled:
            self.timer.start(max(1, round(self.interval_s * 1000)))
            self.notifier.ping()
            log.info("systemd watchdog: a ping every %.1f s", self.interval_s)
        if self.hang_s is not None:
            log.warning("%s is set: the event loop will block in %.1f s (test hook)", HANG_ENV, self.hang_s)
            QTimer.singleShot(round(self.hang_s * 1000), self._hang)

    def _hang(self) -> None:
        self.notifier.notify(HANG_STATUS)
        log.warning("test hook: blocking the event loop for good")
        while True:
            time.sleep(3600)

    def stop(self) -> None:
        self.timer.stop()
        self.notifier.notify("STOPPING=1")
        self.notifier.close()
