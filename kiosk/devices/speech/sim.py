"""The simulated speaker: records what it was asked to say (tests, the tour, demos)."""

from __future__ import annotations

import threading

from kiosk.devices.base import DeviceStatus
from kiosk.devices.speech.base import Speaker, Utterance


class SimSpeaker(Speaker):
    plays_sounds = False  # the window's sounds are recorded (Voice.played), never played
    def __init__(self, volume: int = 80) -> None:
        super().__init__(volume)
        self._lock = threading.Lock()
        self.spoken: list[Utterance] = []  # every utterance, oldest first (muted ones too)
        self.stops = 0

    def say(self, text: str, lang: str) -> None:
        with self._lock:
            self.spoken.append(Utterance(text, lang, self.volume))

    def stop(self) -> None:
        self.stops += 1

    def health(self) -> DeviceStatus:
        return DeviceStatus.OK

    def texts(self) -> list[str]:
        with self._lock:
            return [u.text for u in self.spoken]

    def clear(self) -> None:
        with self._lock:
            self.spoken.clear()
