"""A card-reader listener for tests: records every event and lets a test wait for a state."""

from __future__ import annotations

import queue
import threading
import time

from kiosk.devices.base import CardEvent, ReaderState


class Events:
    def __init__(self, default_timeout_s: float = 5.0) -> None:
        self.default_timeout_s = default_timeout_s
        self.all: list[CardEvent] = []
        self.threads: set[str] = set()  # names of the threads the listener was called from
        self._queue: queue.Queue[CardEvent] = queue.Queue()

    def __call__(self, event: CardEvent) -> None:
        self.threads.add(threading.current_thread().name)
        self.all.append(event)
        self._queue.put(event)

    def wait_for(self, state: ReaderState, timeout_s: float | None = None) -> CardEvent:
        timeout_s = self.default_timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + timeout_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {state} event within {timeout_s} s; got {self.states()}")
            try:
                event = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            if event.state == state:
                return event

    def drain(self) -> list[ReaderState]:
        """The states not yet waited for, emptying the queue."""
        out = []
        while True:
            try:
                out.append(self._queue.get_nowait().state)
            except queue.Empty:
                return out

    def states(self) -> list[ReaderState]:
        return [e.state for e in self.all]
