"""The idle timer (WCAG 2.2.1): warn before timing out, one tap to extend, pause while working.

It pauses only for work that makes progress: a pause lasts until :meth:`IdleMonitor.resume`, or
until ``stall_ms`` pass without :meth:`IdleMonitor.progress`; then the timer runs again, so a
session whose work has stalled (a device gone, a task that never ends) is still warned about
and wiped, never left on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
}


class IdleMonitor(QObject):
    """Emits ``warn(seconds_left)`` every second of the warning, then ``expired``."""

    warn = Signal(int)
    expired = Signal()

    def __init__(self, idle_ms: int, warning_s: int, stall_ms: int | None = None) -> None:
        super().__init__()
        self.warning_s = warning_s
        self._stall = QTimer(self)
        self._stall.setSingleShot(True)
        self._stall.setInterval(stall_ms if stall_ms is not None else idle_ms)
        self._stall.timeout.connect(self._stalled)
        self.stalls = 0
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(idle_ms)
        self._idle.timeout.connect(self._start_warning)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick)
        self._left = 0
        self.active = False  # a journey is in progress
        self._paused = False
        self.warning = False
        self.extensions = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in INPUT_EVENTS and self.active and not self.warning:
            self.poke()
        return False

    def start(self) -> None:
        self.active = True
        self.extensions = 0
        self.poke()

    def stop(self) -> None:
        self.active = False
        self.warning = False
        self._paused = False
        self._idle.stop()
        self._tick.stop()
        self._stall.stop()

    def poke(self) -> None:
        """The resident did something: restart the idle period."""
        if self.active and not self._paused and not self.warning:
            self._idle.start()

    def extend(self) -> None:
        """'Continue' on the warning."""
        self.extensions += 1
        self.warning = False
        self._tick.stop()
        self.poke()

    def pause(self) -> None:
        """The machine is working (upload, print): the resident is not idle, for as long as the
        work makes progress (see :meth:`progress`)."""
        if not self._paused:
            self._stall.start()
        self._paused = True
        self._idle.stop()

    def progress(self) -> None:
        """The work the timer is paused for moved on: it may pause another ``stall_ms``."""
        if self._paused:
            self._stall.start()

    def resume(self) -> None:
        self._paused = False
        self._stall.stop()
        self.poke()

    def _stalled(self) -> None:
        """No progress for ``stall_ms``: the work is not moving, so the resident's time runs again."""
        if self._paused:
            self.stalls += 1
            self.resume()

    @property
    def paused(self) -> bool:
        return self._paused

    def _start_warning(self) -> None:
        if not self.active or self._paused:
            return
        self.warning = True
        self._left = self.warning_s
        self.warn.emit(self._left)
        self._tick.start()

    def _on_tick(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self._tick.stop()
            self.warning = False
            self.active = False
            self.expired.emit()
        else:
            self.warn.emit(self._left)
