"""The idle timer (WCAG 2.2.1): warn before timing out, one tap to extend, pause while working."""

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

    def __init__(self, idle_ms: int, warning_s: int) -> None:
        super().__init__()
        self.warning_s = warning_s
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
        self._idle.stop()
        self._tick.stop()

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
        """The machine is working (upload, print): the resident is not idle."""
        self._paused = True
        self._idle.stop()

    def resume(self) -> None:
        self._paused = False
        self.poke()

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
