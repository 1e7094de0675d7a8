"""Drive the on-screen keyboard the way a finger does (the tour and the tests).

:func:`type_keys` taps the keys at their positions on the panel, :func:`pick_candidate`
taps a word in the candidate strip; :func:`tap_key` taps any key of ``panel.keys()``.
Uses QtTest's mouse clicks, so it is for the tour and tests, never the kiosk's screens.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication

from kiosk.screens.keyboard import KeyboardPanel

__all__ = ["FUNCTION_KEYS", "candidates", "pick_candidate", "settle", "tap_key", "type_keys"]

# QtVirtualKeyboard.KeyType values of the function keys.
FUNCTION_KEYS = {
    "backspace": 1,
    "language": 2,
    "enter": 3,
    "hide": 6,
    "mode": 7,  # Pinyin <-> English inside the Chinese layout
    "shift": 11,
    "space": 12,
    "symbols": 13,
}

_SPECIAL = {"\b": Qt.Key.Key_Backspace, "\n": Qt.Key.Key_Return, " ": Qt.Key.Key_Space}


def settle(ms: int = 0) -> None:
    """Let posted work finish (and wait ``ms`` more with the event loop running)."""
    from PySide6.QtTest import QTest

    QGuiApplication.processEvents()
    if ms:
        QTest.qWait(ms)


def _click(panel: KeyboardPanel, x: float, y: float) -> None:
    from PySide6.QtTest import QTest

    pos = QPoint(round(x), round(y))
    QTest.mouseClick(panel, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos)
    settle()


def tap_key(panel: KeyboardPanel, key: dict[str, Any]) -> None:
    """Tap the centre of ``key`` (an entry of ``panel.keys()``)."""
    _click(panel, key["x"] + key["width"] / 2, key["y"] + key["height"] / 2)


def _find_key(keys: list[dict[str, Any]], ch: str) -> tuple[dict[str, Any] | None, bool]:
    """The key that types ``ch`` and whether Shift is needed first."""
    if ch in _SPECIAL:
        code = int(_SPECIAL[ch].value)
        for k in keys:
            if k["key"] == code and k["enabled"]:
                return k, False
        return None, False
    for k in keys:
        if k["enabled"] and k["text"] == ch:
            return k, False
    for k in keys:
        if k["enabled"] and k["text"] and k["text"].lower() == ch.lower() and k["text"] != ch:
            return k, True
    return None, False


def type_keys(panel: KeyboardPanel, text: str, *, delay_ms: int = 0) -> None:
    """Tap the keys that type ``text`` (``"\\b"`` is Backspace, ``"\\n"`` Enter) at their
    positions on the panel, as a finger would. The focused field receives the input."""
    if not panel.is_active():
        raise RuntimeError("the keyboard is not showing: focus a text field first")
    for ch in text:
        # Let posted work finish before looking (a layout or input-method switch, a resize,
        # completes in the event loop, which always runs between a finger's taps).
        settle()
        keys = panel.keys()
        key, shift = _find_key(keys, ch)
        if key is None:
            shown = " ".join(repr(k["text"]) for k in keys if k["text"])
            raise LookupError(f"no key types {ch!r} on the {panel.layout_mode()!r} layout; keys: {shown}")
        if shift:
            shift_key = next((k for k in keys if k["keyType"] == FUNCTION_KEYS["shift"]), None)
            if shift_key is None:
                raise LookupError(f"{ch!r} needs Shift, and the layout has no Shift key")
            tap_key(panel, shift_key)
        tap_key(panel, key)
        if delay_ms:
            settle(delay_ms)


def candidates(panel: KeyboardPanel) -> list[str]:
    """The word candidates (Pinyin: Chinese words for the syllables typed so far)."""
    return panel.candidates()


def pick_candidate(panel: KeyboardPanel, word: str) -> None:
    """Tap ``word`` in the candidate strip (scrolling the strip to it first)."""
    settle()
    words = candidates(panel)
    if word not in words:
        raise LookupError(f"{word!r} is not a candidate; candidates: {words[:20]}")
    index = words.index(word)
    # Wait until the strip has settled (candidates slide and fade in), as a finger would.
    rect, previous = None, None
    for _ in range(50):
        rect = panel.candidate_rect(index)
        if rect and rect == previous and rect["opacity"] >= 1 and abs(rect["y"] - rect["viewY"]) < 1:
            break
        previous = rect
        settle(20)
    if not rect:
        raise LookupError(f"{word!r} is a candidate but its item is not laid out")
    # Tap the part of the item that is inside the strip.
    left = max(rect["x"], rect["viewX"])
    right = min(rect["x"] + rect["width"], rect["viewX"] + rect["viewWidth"])
    _click(panel, (left + right) / 2, rect["y"] + rect["height"] / 2)
