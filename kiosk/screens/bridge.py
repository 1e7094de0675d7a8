"""Device callbacks (from any thread) -> Qt signals (delivered on the UI thread)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.devices.base import CardEvent, CardReader, ReaderState


class CardBridge(QObject):
    event = Signal(object)  # CardEvent

    def __init__(self, reader: CardReader) -> None:
        super().__init__()
        self.reader = reader
        # Only the reader's state is remembered, never a card's data: a card that was on the
        # reader before the resident reached the read step must be put down again (fresh read).
        self.last_state: ReaderState = ReaderState.NO_READER
        self.event.connect(self._remember)

    def start(self) -> None:
        self.reader.start(self.event.emit)  # emit is thread-safe; delivery is queued

    def stop(self) -> None:
        self.reader.stop()

    def _remember(self, ev: CardEvent) -> None:
        self.last_state = ev.state
