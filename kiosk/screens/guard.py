"""No escape from the kiosk: the keys and requests that would close or leave the window.

:class:`EscapeGuard` is an application-wide event filter. While ``allowed()`` is false it
swallows, before any widget, shortcut or the on-screen keyboard sees them:

* Escape, Alt+F4, Ctrl+F4, Ctrl+W, Ctrl+Q, Alt+Tab / Alt+Shift+Tab, the Super/Meta keys and
  any key pressed with Meta held, and the Close key of multimedia keyboards;
* the shortcuts Qt would trigger for those sequences (``QEvent.Shortcut``).

Close requests (a window manager's close button, Alt+F4 handled by a compositor) arrive as
``closeEvent`` on the main window, which asks the same ``allowed()`` (``MainWindow``).
The guard also hides the mouse pointer unless ``[ui] show_cursor`` is set.

What a compositor or X server handles itself (VT switching with Ctrl+Alt+F1..F12, a desktop's
window switcher) never reaches the application: the kiosk session runs under cage, which has
no window switching (packaging, ``docs/deploy.md``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCursor, QGuiApplication, QKeyEvent, QKeySequence, QShortcutEvent

Key = Qt.Key
Mod = Qt.KeyboardModifier

#: Keys refused whatever the modifiers.
ALWAYS = frozenset({Key.Key_Escape, Key.Key_Meta, Key.Key_Super_L, Key.Key_Super_R, Key.Key_Hyper_L,
                    Key.Key_Hyper_R, Key.Key_Close, Key.Key_Exit})
#: (key, modifier that must be held).
WITH = frozenset({
    (Key.Key_F4, Mod.AltModifier), (Key.Key_F4, Mod.ControlModifier),
    (Key.Key_W, Mod.ControlModifier), (Key.Key_Q, Mod.ControlModifier),
    (Key.Key_Tab, Mod.AltModifier), (Key.Key_Backtab, Mod.AltModifier),
})
KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride)


def is_escape(key: int, modifiers: Qt.KeyboardModifier) -> bool:
    """True for a key (with its modifiers) that would close or leave the window."""
    if key in ALWAYS or modifiers & Mod.MetaModifier:
        return True
    return any(key == k and modifiers & m for k, m in WITH)


def _sequence_is_escape(seq: QKeySequence) -> bool:
    return any(is_escape(c.key(), c.keyboardModifiers()) for c in (seq[i] for i in range(seq.count())))


class EscapeGuard(QObject):
    """Install once per window (:meth:`install`); :meth:`uninstall` when the window goes."""

    def __init__(self, allowed: Callable[[], bool], *, show_cursor: bool, parent: QObject | None = None) -> None:
        # With the window as parent, a window deleted without uninstall() takes its filter along.
        super().__init__(parent)
        self.allowed = allowed
        self.show_cursor = show_cursor
        self.swallowed = 0  # key events and shortcuts refused so far (tests, diagnostics)
        self._installed = False

    def install(self) -> None:
        if self._installed:
            return
        app = QGuiApplication.instance()
        app.installEventFilter(self)
        if not self.show_cursor:
            QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
        self._installed = True

    def uninstall(self) -> None:
        if not self._installed:
            return
        self._installed = False
        app = QGuiApplication.instance()
        app.removeEventFilter(self)
        if not self.show_cursor:
            QGuiApplication.restoreOverrideCursor()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        t = event.type()
        if t in KEY_EVENTS and isinstance(event, QKeyEvent):
            refuse = is_escape(event.key(), event.modifiers())
        elif t == QEvent.Type.Shortcut and isinstance(event, QShortcutEvent):
            refuse = _sequence_is_escape(event.key())
        else:
            return False
        if refuse and not self.allowed():
            self.swallowed += 1
            return True
        return False
