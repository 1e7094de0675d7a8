"""The speech device: says one text at a time in Mandarin or English, at a volume.

Like every device it never raises into the UI: ``say`` returns at once (the speaking runs
elsewhere), a missing engine is reported by ``health()`` and the kiosk goes on silently.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from kiosk.devices.base import DeviceStatus

LANGS = ("zh", "en")


@dataclass(frozen=True)
class Utterance:
    text: str
    lang: str  # "zh" (Mandarin) or "en"
    volume: int  # 0..100


class Speaker(ABC):
    """Text-to-speech. A new ``say`` interrupts the one still speaking."""

    #: Whether the window should also play its short sounds through the sound card. The
    #: simulated speaker records and stays silent (tests, the headless tour).
    plays_sounds = True

    def __init__(self, volume: int = 80) -> None:
        self.volume = max(0, min(100, volume))

    def set_volume(self, volume: int) -> None:
        """0 is silent (muted); 100 the loudest."""
        self.volume = max(0, min(100, volume))

    @abstractmethod
    def say(self, text: str, lang: str) -> None:
        """Start saying ``text`` (``lang`` "zh" or "en"); returns at once, never raises."""

    @abstractmethod
    def stop(self) -> None:
        """Stop speaking now."""

    @abstractmethod
    def health(self) -> DeviceStatus: ...

    def close(self) -> None:
        self.stop()
