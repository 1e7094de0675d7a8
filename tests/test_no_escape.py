"""No escape (issue 15, item 3): outside maintenance mode the window ignores close requests and
the keys that close or leave it, and shows no mouse pointer unless configured. In maintenance
mode a demo kiosk can be quit; a production kiosk cannot (README, "Production or demo").

Keys are sent as the platform sends them (QTest on the QWindow: Qt's shortcut map, then the
widgets); a probe on the focused widget sees what got through."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtTest import QTest

from kiosk.domain.maintenance import DEMO_PIN
from tests.conftest import make_kiosk
from tests.journey_steps import to_identity
from tests.test_maintenance import enter_pin, hold_title

K, M = Qt.Key, Qt.KeyboardModifier
ESCAPES = {
    "Escape": (K.Key_Escape, M.NoModifier),
    "Alt+F4": (K.Key_F4, M.AltModifier),
    "Ctrl+F4": (K.Key_F4, M.ControlModifier),
    "Ctrl+W": (K.Key_W, M.ControlModifier),
    "Ctrl+Q": (K.Key_Q, M.ControlModifier),
    "Alt+Tab": (K.Key_Tab, M.AltModifier),
    "Super": (K.Key_Super_L, M.NoModifier),
    "Meta": (K.Key_Meta, M.NoModifier),
    "Meta+D": (K.Key_D, M.MetaModifier),
}

MODIFIER_KEYS = {K.Key_Control, K.Key_Alt, K.Key_Shift}


class Probe(QObject):
    """Counts the key events and shortcuts that reach one object."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[int] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        # The modifiers themselves (QTest presses Ctrl before Ctrl+Q) may pass: alone they do nothing.
        if event.type() in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and event.key() not in MODIFIER_KEYS:
            self.keys.append(event.key())
        return False


@pytest.fixture
def production_kiosk(qtbot, kiosk_config):
    k, d = make_kiosk(qtbot, kiosk_config.with_overrides(kiosk={"mode": "production"}))
    yield k, d
    k.close()


def press(win, key: Qt.Key, mod: Qt.KeyboardModifier) -> None:
    QTest.keyClick(win.windowHandle(), key, mod)


def shortcuts(win) -> dict[str, list[int]]:
    """Application shortcuts for every escape sequence, as a desktop program would have them."""
    fired: dict[str, list[int]] = {}
    for name in ("Ctrl+W", "Ctrl+Q", "Alt+F4", "Esc"):
        fired[name] = []
        sc = QShortcut(QKeySequence(name), win)
        sc.setContext(Qt.ShortcutContext.ApplicationShortcut)
        sc.activated.connect(lambda n=name: fired[n].append(1))
    return fired


def focus_probe(win) -> Probe:
    probe = Probe()
    target = QGuiApplication.focusObject() or win
    target.installEventFilter(probe)
    win.installEventFilter(probe)
    return probe


@pytest.mark.parametrize("fixture", ["kiosk", "production_kiosk"])
def test_escape_keys_and_shortcuts_do_nothing_during_a_journey(fixture, request):
    k, d = request.getfixturevalue(fixture)
    to_identity(d)
    win = d.win
    name_before = k.session.identity.name
    fired = shortcuts(win)
    probe = focus_probe(win)
    for key, mod in ESCAPES.values():
        press(win, key, mod)
    d.pump(50)
    assert probe.keys == []
    assert fired == {"Ctrl+W": [], "Ctrl+Q": [], "Alt+F4": [], "Esc": []}
    assert win.guard.swallowed >= len(ESCAPES)
    assert win.isVisible() and d.step() == "identity" and k.session.identity.name == name_before
    assert win.overlay.kind is None or not win.overlay.isVisible()
    # The probe does see keys that are not escapes: the test would notice a guard that let all through.
    press(win, K.Key_A, M.NoModifier)
    assert K.Key_A in probe.keys


@pytest.mark.parametrize("fixture", ["kiosk", "production_kiosk"])
def test_close_requests_are_ignored_outside_maintenance(fixture, request, qtbot):
    k, d = request.getfixturevalue(fixture)
    to_identity(d)
    assert d.win.close() is False
    # A window manager's close button or a compositor's Alt+F4 arrives as a close event.
    QGuiApplication.sendEvent(d.win.windowHandle(), QEvent(QEvent.Type.Close))
    d.pump(50)
    assert d.win.isVisible() and d.step() == "identity" and k.session.identity is not None


def test_production_maintenance_has_no_way_out(production_kiosk):
    k, d = production_kiosk
    hold_title(d)
    enter_pin(d, DEMO_PIN)  # the test kiosk keeps the demo PIN; the CLI would have refused it
    assert d.step() == "maintenance"
    screen = d.win.current_screen()
    assert not screen.quit_button.isVisible()
    fired = shortcuts(d.win)
    press(d.win, K.Key_Q, M.ControlModifier)
    press(d.win, K.Key_F4, M.AltModifier)
    assert d.win.close() is False
    assert d.win.isVisible() and d.step() == "maintenance" and fired["Ctrl+Q"] == [] and fired["Alt+F4"] == []


def test_demo_maintenance_can_quit(kiosk):
    k, d = kiosk
    assert d.win.close() is False  # not before the PIN
    hold_title(d)
    assert d.win.close() is False  # nor on the PIN screen
    enter_pin(d, DEMO_PIN)
    assert d.step() == "maintenance"
    fired = shortcuts(d.win)
    press(d.win, K.Key_Q, M.ControlModifier)
    assert fired["Ctrl+Q"] == [1]  # keys reach the application again
    screen = d.win.current_screen()
    assert screen.quit_button.isVisible()
    d.tap(screen.quit_button)
    assert not d.win.isVisible()


def test_no_cursor_unless_configured(qtbot, kiosk_config):
    assert QGuiApplication.overrideCursor() is None
    k, _ = make_kiosk(qtbot, kiosk_config)  # [ui] show_cursor defaults to false
    try:
        assert QGuiApplication.overrideCursor().shape() == Qt.CursorShape.BlankCursor
    finally:
        k.close()
    assert QGuiApplication.overrideCursor() is None
    k, _ = make_kiosk(qtbot, kiosk_config.with_overrides(ui={"show_cursor": True}))
    try:
        assert QGuiApplication.overrideCursor() is None
    finally:
        k.close()
