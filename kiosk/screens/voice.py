"""What the kiosk says and the short sounds it plays (BRIEF §5, 语音提示).

Every screen speaks its own translated heading and main prompt when it appears: the texts
are read from the screen's widgets (labels with the roles hero, heading and lead, and
warning or error notices), never from a second copy of the strings. Errors and warnings
that appear later are spoken once each per visit, after the error sound. 重听 / Repeat says
the last announcement again; the volume button cycles loud, medium, quiet and off for the
session. Sounds (``assets/sounds/*.wav``, made by ``scripts/make_sounds.py``) play through
Qt Multimedia's QSoundEffect: card read, page captured, error, reminder.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtWidgets import QFrame, QLabel, QWidget

from kiosk.devices.speech.base import Speaker
from kiosk.screens.theme import ASSETS

log = logging.getLogger(__name__)

SPOKEN_ROLES = ("hero", "heading", "lead")
ALERT_ROLES = ("notice-warning", "notice-error")
VOLUME_STEPS = (100, 60, 30, 0)  # what the volume button cycles through
SOUNDS = ("card", "page", "error", "reminder")
SOUND_DIR = ASSETS / "sounds"


def alert_texts(root: QWidget) -> list[str]:
    """The visible warning and error notices under ``root``: heading and body of each."""
    out = []
    for frame in root.findChildren(QFrame):
        if frame.property("role") in ALERT_ROLES and frame.isVisibleTo(root):
            parts = [w.text() for w in frame.findChildren(QLabel) if w.text() and w.isVisibleTo(root)]
            if parts:
                out.append("\n".join(parts))
    return out


def screen_texts(root: QWidget) -> list[str]:
    """What a screen says on entry: its hero/heading/lead labels in order, then its warnings.
    Labels marked ``private`` (a name, an ID number) are shown, never said aloud."""
    texts = [
        w.text()
        for w in root.findChildren(QLabel)
        if w.property("role") in SPOKEN_ROLES and w.text() and w.isVisibleTo(root) and not w.property("private")
    ]
    return texts + [t for t in alert_texts(root) if t not in texts]


class Voice(QObject):
    """Speech and sounds for one window. ``spoke(screen, text)`` tells listeners (the tour)."""

    spoke = Signal(str, str)
    played = Signal(str)

    def __init__(self, speaker: Speaker, lang: callable) -> None:  # type: ignore[valid-type]
        super().__init__()
        self.speaker = speaker
        self._lang = lang
        self.default_volume = speaker.volume
        self.last: tuple[str, str] | None = None  # (screen, text) of the last announcement
        self._alerts_said: set[str] = set()
        self._effects: dict = {}
        self._playable: bool | None = None  # Qt Multimedia and a sound card (asked once)

    # --- speech ---
    def announce(self, screen: str, texts: list[str], root: QWidget | None = None) -> None:
        """A new screen or overlay: say its texts (joined), remember them for Repeat. The
        warnings already on ``root`` are part of this announcement (not said again later)."""
        text = join(texts)
        self._alerts_said = set(alert_texts(root)) if root is not None else set()
        if not text:
            return
        self.last = (screen, text)
        self._say(screen, text)

    def alerts(self, screen: str, root: QWidget) -> None:
        """Say warnings and errors that appeared on ``root`` since the last announcement."""
        new = [t for t in alert_texts(root) if t not in self._alerts_said]
        if not new:
            return
        self._alerts_said.update(new)
        self.play("error")
        text = join(new)
        self.last = (screen, text)
        self._say(screen, text)

    def repeat(self) -> None:
        if self.last is not None:
            self._say(*self.last)

    def stop(self) -> None:
        self.speaker.stop()

    def _say(self, screen: str, text: str) -> None:
        self.spoke.emit(screen, text)
        if self.speaker.volume > 0:
            self.speaker.say(text, self._lang())

    # --- volume ---
    @property
    def volume(self) -> int:
        return self.speaker.volume

    def cycle_volume(self) -> int:
        """Next step of VOLUME_STEPS; returns the new volume (0 is off)."""
        v = self.speaker.volume
        nxt = next((s for s in VOLUME_STEPS if s < v), VOLUME_STEPS[0])
        self.set_volume(nxt)
        return nxt

    def set_volume(self, volume: int) -> None:
        self.speaker.set_volume(volume)
        if volume == 0:
            self.speaker.stop()
        for effect in self._effects.values():
            effect.setVolume(volume / 100)

    def reset(self) -> None:
        """A session ended: the next resident starts at the configured volume."""
        self.set_volume(self.default_volume)
        self._alerts_said.clear()
        self.last = None

    # --- sounds ---
    def play(self, name: str) -> None:
        """One short sound (``SOUNDS``); silent when muted or when there is no sound card."""
        self.played.emit(name)
        if self.speaker.volume == 0 or not self.speaker.plays_sounds:
            return
        effect = self._effect(name)
        if effect is not None:
            effect.play()

    def _effect(self, name: str):  # -> QSoundEffect | None
        if name not in self._effects:
            effect = None
            if self._can_play():
                from PySide6.QtMultimedia import QSoundEffect

                effect = QSoundEffect(self)
                effect.setSource(QUrl.fromLocalFile(str(SOUND_DIR / f"{name}.wav")))
                effect.setVolume(self.speaker.volume / 100)
            self._effects[name] = effect
        return self._effects[name]

    def _can_play(self) -> bool:
        """Whether Qt Multimedia and a sound card are there; asked (and logged) once."""
        if self._playable is None:
            try:
                from PySide6.QtMultimedia import QMediaDevices
            except ImportError:  # Qt Multimedia missing: sounds are an extra, never a failure
                self._playable = False
            else:
                self._playable = bool(QMediaDevices.audioOutputs())
                if not self._playable:
                    log.warning("no audio output: the kiosk's sounds are off")
        return self._playable


def join(texts: list[str]) -> str:
    """One utterance: sentences joined with a pause between them."""
    parts = [t.strip() for t in texts if t and t.strip()]
    return "\n".join(parts)
