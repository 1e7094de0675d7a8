"""Device callbacks (from any thread) -> Qt signals (delivered on the UI thread)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from kiosk.devices.base import CardEvent, CardReader, ReaderState
from kiosk.events import EventLog


class CardBridge(QObject):
    event = Signal(object)  # CardEvent

    def __init__(self, reader: CardReader, events: EventLog | None = None) -> None:
        super().__init__()
        self.reader = reader
        self.events = events
        # Only the reader's state is remembered, never a card's data: a card that was on the
        # reader before the resident reached the read step must be put down again (fresh read).
        self.last_state: ReaderState = ReaderState.NO_READER
        self.event.connect(self._remember)

    def start(self) -> None:
        self.reader.start(self.event.emit)  # emit is thread-safe; delivery is queued

    def stop(self) -> None:
        self.reader.stop()

    def _remember(self, ev: CardEvent) -> None:
        was_there = self.last_state != ReaderState.NO_READER
        self.last_state = ev.state
        is_there = ev.state != ReaderState.NO_READER
        if was_there != is_there and self.events is not None:
            self.events.emit("device_state_changed", device="card_reader", state="ok" if is_there else "unavailable")
