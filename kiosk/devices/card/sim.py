"""Simulated identity-card reader, driven by a simulation control (tests, tours, demos).

A simulated card is a test-card JSON (card-profile §11). Its bytes go through exactly the
parser and validator that real PC/SC reads use, so refusals behave the same.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.devices.base import CardEvent, CardListener, CardReader, ReaderState
from kiosk.domain.idcard import CardRefusal, parse_identity
from kiosk.domain.testcard import TestCard, load_test_card

log = logging.getLogger(__name__)


class SimCardReader(CardReader):
    def __init__(self, today: Callable[[], dt.date], read_delay_s: float = 0.15) -> None:
        self._today = today
        self._delay = read_delay_s
        self._listener: CardListener | None = None
        self._state = ReaderState.NO_READER
        self._lock = threading.Lock()
        self._generation = 0  # bumps on every insert/remove so a late read is dropped
        #: Why the card on the reader was refused; None while there is none or it was read.
        self.refusal: CardRefusal | None = None

    # --- CardReader ---
    def start(self, listener: CardListener) -> None:
        self._listener = listener
        self._set(CardEvent(ReaderState.WAITING))

    def stop(self) -> None:
        with self._lock:
            self._listener = None
            self._generation += 1

    def state(self) -> ReaderState:
        return self._state

    # --- simulation control ---
    def insert(self, card: TestCard | Path | str | dict[str, Any]) -> None:
        """Put a card on the reader; the read completes after ``read_delay_s``.

        A path or dict is loaded first: a bad description raises
        :class:`~kiosk.domain.testcard.CardFileError` and leaves the reader as it was.
        """
        if not isinstance(card, TestCard):
            card = load_test_card(Path(card) if isinstance(card, str) else card)
        with self._lock:
            self._generation += 1
            gen = self._generation
            self.refusal = None
        self._set(CardEvent(ReaderState.READING))
        if self._delay > 0:
            t = threading.Timer(self._delay, self._finish, args=(card, gen))
            t.daemon = True
            t.start()
        else:
            self._finish(card, gen)

    def remove(self) -> None:
        with self._lock:
            self._generation += 1
            self.refusal = None
        self._set(CardEvent(ReaderState.WAITING))

    def unplug(self) -> None:
        with self._lock:
            self._generation += 1
            self.refusal = None
        self._set(CardEvent(ReaderState.NO_READER))

    def plug(self) -> None:
        self._set(CardEvent(ReaderState.WAITING))

    # --- internals ---
    def _finish(self, card: TestCard, gen: int) -> None:
        ef = card.files()
        try:
            identity = parse_identity(ef.get(0x0101, b""), ef.get(0x0102), ef.get(0x0103), self._today())
            event = CardEvent(ReaderState.READ, identity=identity)
        except CardRefusal as refusal:
            log.info("card refused: %s", refusal.reason)
            event = CardEvent(ReaderState.REFUSED, refusal=refusal)
        with self._lock:
            if gen != self._generation:
                return  # the card was removed or replaced meanwhile
            self.refusal = event.refusal
        self._set(event)

    def _set(self, event: CardEvent) -> None:
        self._state = event.state
        listener = self._listener
        if listener is not None:
            try:
                listener(event)
            except Exception:  # a listener bug must not kill the device thread
                log.exception("card listener failed")
