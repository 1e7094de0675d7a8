"""The embedded on-screen keyboard (issue 7): Qt Virtual Keyboard's InputPanel in a
QQuickWidget inside the window, driven by tapping its keys.

Qt chooses its input method when the QApplication is created, so the environment is
prepared here, at import (collection) time, before pytest-qt creates the application.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
os.environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget  # noqa: E402

from kiosk.screens.keyboard import KeyboardPanel, TextEntry  # noqa: E402
from kiosk.screens.theme import PALETTE, stylesheet  # noqa: E402
from kiosk.screens.widgets import label  # noqa: E402
from kiosk.tour_keyboard import FUNCTION_KEYS, candidates, pick_candidate, settle, tap_key, type_keys  # noqa: E402

GRABS = Path("/tmp/keyboard")
SIZES = {1080: (1080, 1920), 1920: (1920, 1080)}  # portrait and landscape kiosks
KEYBOARD_BG = QColor("#263238")  # Qt Virtual Keyboard default style's keyboardBackgroundColor


def tap_function_key(panel: KeyboardPanel, name: str) -> None:
    """Tap a function key by name (see ``FUNCTION_KEYS``), e.g. ``"hide"`` or ``"symbols"``."""
    settle()
    key_type = FUNCTION_KEYS[name]
    key = next((k for k in panel.keys() if k["keyType"] == key_type and k["enabled"]), None)
    if key is None:
        raise LookupError(f"no {name!r} key on the {panel.layout_mode()!r} layout")
    tap_key(panel, key)


def key_rects(panel: KeyboardPanel) -> list[dict]:
    """Character keys with their visible (painted) height: the item minus the style's margins."""
    return [
        {**k, "visibleHeight": k["height"] - 2 * k["margin"]} for k in panel.keys() if k["text"] and k["text"].strip()
    ]


class EntryWindow(QWidget):
    """A minimal entry screen: a heading, one field, a button, the keyboard at the bottom."""

    def __init__(self, mode: str, caption: str) -> None:
        super().__init__()
        self.setObjectName("root")
        self.setStyleSheet(stylesheet())
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        lay = QVBoxLayout()
        lay.setContentsMargins(32, 32, 32, 32)
        lay.setSpacing(24)
        lay.addWidget(label("heading", "填写信息 Enter your details"))
        self.entry = TextEntry(caption, mode)
        lay.addWidget(self.entry)
        lay.addStretch(1)
        outer.addLayout(lay, 1)
        # A footer right above the keyboard, as in the kiosk's frame: it moves when the
        # keyboard shows or hides.
        footer = QHBoxLayout()
        footer.setContentsMargins(32, 16, 32, 16)
        self.done = QPushButton("下一步 Continue")
        self.done.setProperty("role", "primary")
        footer.addWidget(self.done)
        outer.addLayout(footer)
        # The keyboard spans the window's width, at the bottom, outside the page margins.
        self.keyboard = KeyboardPanel(self)
        outer.addWidget(self.keyboard)


@pytest.fixture
def make_window(qtbot):
    def make(mode: str = "zh", caption: str = "现居住地 Current city", width: int = 1080) -> EntryWindow:
        w = EntryWindow(mode, caption)
        qtbot.addWidget(w)
        w.resize(*SIZES[width])
        w.show()
        qtbot.waitExposed(w)
        w.entry.setFocus()
        qtbot.waitUntil(w.keyboard.is_active, timeout=2000)
        qtbot.waitUntil(w.keyboard.isVisible, timeout=2000)
        return w

    return make


def grab(w: EntryWindow, name: str) -> Path:
    GRABS.mkdir(parents=True, exist_ok=True)
    path = GRABS / f"{name}.png"
    image = w.grab().toImage()
    assert image.save(str(path))
    # The keyboard is in the window's own pixels: its background colour fills the panel area.
    g = w.keyboard.geometry()
    sample = image.pixelColor(g.x() + 3, g.bottom() - 2)
    assert sample == KEYBOARD_BG, f"no keyboard in the grab at the panel's place: {sample.name()}"
    return path


def test_panel_is_a_child_of_the_window_not_a_top_level(make_window):
    w = make_window()
    assert w.keyboard.parentWidget() is w
    assert not w.keyboard.isWindow()
    assert w.keyboard.window() is w
    # No other window showed up (the plugin's own keyboard window must not exist).
    visible = [win for win in QGuiApplication.topLevelWindows() if win.isVisible()]
    assert visible == [w.windowHandle()]
    # At the bottom of the window, full width, below the field.
    g = w.keyboard.geometry()
    assert g.bottom() == w.height() - 1
    assert g.width() == w.width()
    assert g.top() > w.entry.geometry().bottom()


@pytest.mark.parametrize("width", [1080, 1920])
def test_pinyin_haikou_picks_the_word(make_window, width):
    w = make_window("zh", width=width)
    state = w.keyboard.state()
    assert state["locale"] == "zh_CN"
    assert state["inputMode"] == 3  # InputEngine.InputMode.Pinyin

    type_keys(w.keyboard, "haikou")
    words = candidates(w.keyboard)
    assert "海口" in words
    assert w.keyboard.state()["preedit"] == "hai kou"
    qtbot_wait_settled(w)
    grab(w, f"zh_candidates_{width}")

    pick_candidate(w.keyboard, "海口")
    assert w.entry.text() == "海口"
    assert candidates(w.keyboard) != words  # the strip moved on to follow-up words


def test_backspace_and_enter(make_window, qtbot):
    w = make_window("zh")
    type_keys(w.keyboard, "haikou")
    pick_candidate(w.keyboard, "海口")
    type_keys(w.keyboard, "shi")
    pick_candidate(w.keyboard, "市")
    assert w.entry.text() == "海口市"
    type_keys(w.keyboard, "\b")
    assert w.entry.text() == "海口"
    with qtbot.waitSignal(w.entry.submitted, timeout=2000) as sig:
        type_keys(w.keyboard, "\n")
    assert sig.args == ["海口"]


@pytest.mark.parametrize("width", [1080, 1920])
def test_english_types_latin_letters(make_window, width):
    w = make_window("en", caption="English name", width=width)
    state = w.keyboard.state()
    assert state["locale"] == "en_US"
    assert state["inputMode"] == 0  # InputEngine.InputMode.Latin
    type_keys(w.keyboard, "abc")
    assert w.entry.text() == "abc"  # no automatic capital, no prediction
    assert candidates(w.keyboard) == []
    type_keys(w.keyboard, " Li")
    assert w.entry.text() == "abc Li"
    qtbot_wait_settled(w)
    grab(w, f"en_{width}")


@pytest.mark.parametrize("width", [1080, 1920])
def test_digits_layout_types_only_digits(make_window, width):
    w = make_window("digits", caption="手机号码 Mobile number", width=width)
    assert w.keyboard.state()["layoutType"] == "digits"
    labels = {k["text"] for k in key_rects(w.keyboard)}
    assert set("0123456789") <= labels
    assert not any(ch.isalpha() for text in labels for ch in text)
    type_keys(w.keyboard, "13800138000")
    assert w.entry.text() == "13800138000"
    with pytest.raises(LookupError):
        type_keys(w.keyboard, "a")
    # Even a hardware key or paste cannot put letters in a digits field.
    w.entry.edit.insert("x9")
    assert w.entry.text() == "13800138000"
    qtbot_wait_settled(w)
    grab(w, f"digits_{width}")


def test_switching_modes_on_one_window(make_window, qtbot):
    w = make_window("zh")
    w.entry.set_mode("en")
    qtbot.waitUntil(lambda: w.keyboard.state()["locale"] == "en_US", timeout=2000)
    type_keys(w.keyboard, "ok")
    w.entry.set_mode("digits")
    qtbot.waitUntil(lambda: w.keyboard.state()["layoutType"] == "digits", timeout=2000)
    w.entry.set_mode("zh")
    qtbot.waitUntil(lambda: w.keyboard.state()["locale"] == "zh_CN", timeout=2000)
    qtbot.waitUntil(lambda: w.keyboard.state()["layoutType"] == "main", timeout=2000)
    type_keys(w.keyboard, "haikou")
    pick_candidate(w.keyboard, "海口")
    assert w.entry.text() == "ok海口"


@pytest.mark.parametrize("width", [1080, 1920])
def test_keys_are_large(make_window, width):
    w = make_window("zh", width=width)
    keys = key_rects(w.keyboard)
    assert len(keys) >= 26
    assert min(k["visibleHeight"] for k in keys) >= 64
    assert min(k["width"] - 2 * k["margin"] for k in keys) >= 64
    # Landscape: the keyboard is capped (and centred) so the screen keeps room for content.
    assert w.keyboard.height() <= 0.5 * w.height()


def test_keyboard_shows_only_while_a_field_has_focus(make_window, qtbot):
    w = make_window("zh")
    assert w.keyboard.isVisible()
    w.done.setFocus()
    qtbot.waitUntil(lambda: not w.keyboard.isVisible(), timeout=2000)
    w.entry.setFocus()
    qtbot.waitUntil(w.keyboard.isVisible, timeout=2000)
    type_keys(w.keyboard, "haikou")
    pick_candidate(w.keyboard, "海口")
    assert w.entry.text() == "海口"


def test_a_tap_on_a_button_above_the_keyboard_lands(make_window, qtbot):
    """The tap takes focus from the field (the keyboard goes away), yet the button gets it:
    the panel hides only after the finger lifts, so the button does not move under it."""
    w = make_window("zh")
    clicks = []
    w.done.clicked.connect(lambda: clicks.append(True))
    centre = w.done.rect().center()
    QTest.mousePress(w.done, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    QTest.qWait(120)  # a finger's tap: the event loop runs between press and release
    assert w.keyboard.isVisible()
    QTest.mouseRelease(w.done, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    assert clicks == [True]
    qtbot.waitUntil(lambda: not w.keyboard.isVisible(), timeout=2000)


def test_digits_hide_key_and_tapping_the_field_brings_the_keyboard_back(make_window, qtbot):
    """Qt's digits layout always has a hide-keyboard key; the kiosk's other layouts do not."""
    w = make_window("digits")
    tap_function_key(w.keyboard, "hide")
    qtbot.waitUntil(lambda: not w.keyboard.isVisible(), timeout=2000)
    assert w.entry.edit.hasFocus()
    QTest.mouseClick(w.entry.edit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(w.keyboard.isVisible, timeout=2000)
    type_keys(w.keyboard, "110")
    assert w.entry.text() == "110"


def test_reset_drops_half_typed_pinyin(make_window):
    w = make_window("zh")
    type_keys(w.keyboard, "hai")
    assert candidates(w.keyboard)
    w.keyboard.reset()
    w.entry.clear()
    assert candidates(w.keyboard) == []
    assert w.keyboard.state()["preedit"] == ""
    assert w.entry.text() == ""
    type_keys(w.keyboard, "kou")
    assert w.keyboard.state()["preedit"] == "kou"


def test_validation_hook(make_window):
    w = make_window("digits")
    w.entry.set_validator(lambda t: None if len(t) == 11 else "请输入11位手机号码")
    type_keys(w.keyboard, "1380")
    assert not w.entry.validate()
    assert w.entry.error() == "请输入11位手机号码"
    assert border_colour(w.entry) == QColor(PALETTE.danger)  # the theme's red border
    type_keys(w.keyboard, "0138000")
    assert w.entry.validate()  # and the message goes away as soon as the text is right
    assert w.entry.error() == ""
    assert border_colour(w.entry) == QColor(PALETTE.primary)  # focused, valid


def border_colour(entry: TextEntry) -> QColor:
    """The colour of the field's left border, half-way down (the theme draws it 3 px wide)."""
    image = entry.edit.grab().toImage()
    return QColor(image.pixelColor(1, image.height() // 2).rgb())


INVALID_RULE = 'QLineEdit[role="entry"][invalid="true"] {{ border-color: {}; }}'


def test_the_kiosk_window_carries_the_invalid_entry_border(kiosk):
    """The real kiosk's window stylesheet (the theme) has the red border of an invalid
    entry, in both text sizes: nothing has to add it to the theme."""
    k, _ = kiosk
    rule = INVALID_RULE.format(PALETTE.danger)
    assert rule in k.window.styleSheet()
    k.window.toggle_text_size()
    assert k.window.elder and rule in k.window.styleSheet()


def qtbot_wait_settled(w: EntryWindow, ms: int = 400) -> None:
    """Let the candidate strip's slide-in animation finish before a grab."""
    from PySide6.QtTest import QTest

    QTest.qWait(ms)


#: Keys a kiosk keyboard must not offer: they close, switch or leave the window, or reach the system.
SYSTEM_KEYS = {
    Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Control,
    Qt.Key.Key_Meta, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R, Qt.Key.Key_Hyper_L, Qt.Key.Key_Hyper_R, Qt.Key.Key_Menu,
    Qt.Key.Key_Close, Qt.Key.Key_Exit, Qt.Key.Key_SysReq, Qt.Key.Key_Print, Qt.Key.Key_PowerOff, Qt.Key.Key_Sleep,
    *(Qt.Key(Qt.Key.Key_F1.value + i) for i in range(35)),
}


@pytest.mark.parametrize("mode", ["zh", "en", "digits"])
def test_no_system_keys_on_any_layout(make_window, mode):
    w = make_window(mode)
    layouts = [w.keyboard.keys()]
    if mode != "digits":  # the symbols pages too
        tap_function_key(w.keyboard, "symbols")
        settle(50)
        layouts.append(w.keyboard.keys())
    for keys in layouts:
        assert len(keys) >= 10
        codes = {Qt.Key(k["key"]) for k in keys if k["key"]}
        assert not codes & SYSTEM_KEYS, sorted(c.name for c in codes & SYSTEM_KEYS)
        # Function keys: only the ones the module documents (no hide key on the text layouts).
        types = {k["keyType"] for k in keys} - {0}
        allowed = {FUNCTION_KEYS[n] for n in ("backspace", "language", "enter", "mode", "shift", "space", "symbols")}
        if mode == "digits":
            allowed.add(FUNCTION_KEYS["hide"])
        # QtVirtualKeyboard.KeyType: 4 filler (blank), 8 character, 9 mode toggle (symbol pages), 10 number.
        assert types <= allowed | {4, 8, 9, 10}, types
