"""Text entry for a touchscreen: Qt Virtual Keyboard, embedded in the window.

The keyboard is Qt Virtual Keyboard's QML ``InputPanel`` (Pinyin with candidates, English,
digits), hosted by a :class:`QQuickWidget` that the window lays out like any other widget.
It is never the plugin's separate top-level keyboard window (that one never shows offscreen
and floats over a kiosk's full-screen window).

Three things must hold for it to work:

* :func:`prepare_environment` runs **before the QApplication is created**: Qt chooses the
  platform input context (``QT_IM_MODULE=qtvirtualkeyboard``) when the application starts.
* There is exactly one :class:`KeyboardPanel` per application (an InputPanel limit), placed
  in the main window, normally at the bottom, full width.
* Text fields are :class:`TextEntry` (or any widget with input-method support). Focusing one
  shows the keyboard; its mode (``"zh"`` Pinyin, ``"en"`` English, ``"digits"``) chooses the
  layout.

Visibility: the panel follows the input method. It shows while a text field has focus and
hides when focus leaves text fields (``auto_hide=True``, the default), so screens without
fields never lose space to it; it hides only once the finger has lifted, so a tap on a button
that moves when the panel goes still lands. ``auto_hide=False`` keeps it shown (entry-only
screens). The Chinese and English layouts have no "hide keyboard" key (a kiosk keeps the
keyboard while a field is focused); Qt's built-in digits layout always has one: tapping the
field brings the keyboard back.

Sizes: keys are taller than Qt's default aspect ratio and their glyphs larger (at 1080 px
wide a letter key is about 88 px tall); the candidate strip is a touch target tall, always
reserved so the panel does not jump while typing. On landscape windows the panel is capped
at ``max_height_ratio`` of the window height (default 0.42, elder mode 0.5) and the keyboard
narrows and centres.

Styling: the fields' QSS (the red border of an invalid entry) is part of the theme
(``assets/theme.qss``). The tour and the tests drive the keyboard the way a finger does,
with :mod:`kiosk.tour_keyboard`.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import (
    Q_ARG,
    Q_RETURN_ARG,
    QEvent,
    QEventLoop,
    QMetaObject,
    QObject,
    QRegularExpression,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QColor, QGuiApplication, QRegularExpressionValidator
from PySide6.QtQml import QQmlComponent
from PySide6.QtQuickWidgets import QQuickWidget
from PySide6.QtWidgets import QLineEdit, QSizePolicy, QVBoxLayout, QWidget

from kiosk.screens.theme import ASSETS, PALETTE, Metrics
from kiosk.screens.widgets import label, repolish

QML = ASSETS / "qml" / "keyboard.qml"
MODES = ("zh", "en", "digits")

# Extra input-method hints per mode, on the field itself (the panel adds the same through
# VirtualKeyboardSettings.inputMethodHints, so the layout is right whichever is seen first).
_HINTS = {
    "zh": Qt.InputMethodHint.ImhNone,
    "en": Qt.InputMethodHint.ImhPreferLatin
    | Qt.InputMethodHint.ImhNoAutoUppercase
    | Qt.InputMethodHint.ImhNoPredictiveText,
    "digits": Qt.InputMethodHint.ImhDigitsOnly,
}

# Dynamic property on a text field that tells the panel which layout to show.
MODE_PROPERTY = "keyboardMode"


def prepare_environment() -> bool:
    """Select Qt Virtual Keyboard as the input method. Call before creating the QApplication.

    Sets ``QT_IM_MODULE=qtvirtualkeyboard`` (the platform input-context plugin
    ``plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so``) and
    ``QT_VIRTUALKEYBOARD_DESKTOP_DISABLE=1`` (never create the plugin's own top-level keyboard
    window: the kiosk embeds the InputPanel).

    When a QGuiApplication already exists it is too late (Qt chose its input context when
    the application was created): nothing is changed, and the result says whether the
    environment was right at that time (True) or not (False).
    """
    if QGuiApplication.instance() is not None:
        return os.environ.get("QT_IM_MODULE") == "qtvirtualkeyboard"
    os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    os.environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"
    return True


_PANELS: weakref.WeakSet[KeyboardPanel] = weakref.WeakSet()


def _to_py(value: Any) -> Any:
    """QML return values arrive as QJSValue or QVariant containers: make them plain Python."""
    if hasattr(value, "toVariant"):
        value = value.toVariant()
    if isinstance(value, dict):
        return {k: _to_py(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_py(v) for v in value]
    return value


class KeyboardPanel(QQuickWidget):
    """The on-screen keyboard as a widget: put one at the bottom of the main window.

    Its height follows its width (it sets a fixed height; lay it out full width). Only one
    may exist at a time. ``elder`` makes keys and candidates larger (:meth:`set_elder`).
    """

    activeChanged = Signal(bool)  # noqa: N815 - Qt naming
    layoutChanged = Signal(str)  # noqa: N815 - Qt naming
    HIDE_DELAY_MS = 150

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        elder: bool = False,
        auto_hide: bool = True,
        max_height_ratio: float | None = None,
    ) -> None:
        if os.environ.get("QT_IM_MODULE") != "qtvirtualkeyboard":
            raise RuntimeError(
                "Qt Virtual Keyboard is not the input method: call "
                "kiosk.screens.keyboard.prepare_environment() before creating the QApplication"
            )
        super().__init__(parent)
        self.setObjectName("keyboardPanel")
        self._auto_hide = auto_hide
        self._max_height_ratio = max_height_ratio
        self._elder = elder
        self._mode = "zh"
        self._watched: QWidget | None = None
        # Tapping a key must never take focus from the text field being typed into.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        self.setClearColor(QColor(PALETTE.background))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.setInterval(self.HIDE_DELAY_MS)
        self._hide_timer.timeout.connect(self._hide_if_still_inactive)
        root = self._load(QUrl.fromLocalFile(str(QML)))
        root.preferredHeightChanged.connect(self._fit_height)
        root.activeChanged.connect(self._on_active)
        self.set_elder(elder)
        app = QGuiApplication.instance()
        app.focusObjectChanged.connect(self._on_focus_object)
        _PANELS.add(self)
        self._fit_height()
        self._on_active()

    def _load(self, url: QUrl) -> QObject:
        """Load the QML without blocking the main thread.

        ``setSource()`` waits for QML's loader thread while holding Python's GIL. When that
        thread logs (Qt Virtual Keyboard's types do: "qt.qml.propertyCache.append ...") and a
        Python Qt message handler is installed (pytest-qt installs one), the handler waits
        for the GIL: a deadlock. Loading asynchronously inside a local event loop releases
        the GIL while the loader thread works.
        """
        component = QQmlComponent(self.engine(), url, QQmlComponent.CompilationMode.Asynchronous, self)
        if component.isLoading():
            loop = QEventLoop()
            component.statusChanged.connect(loop.quit)
            if component.isLoading():
                loop.exec()
        root = component.create() if component.isReady() else None
        if root is None:
            errors = "; ".join(e.toString() for e in component.errors())
            raise RuntimeError(f"cannot load {url.toString()}: {errors or component.status()}")
        self.setContent(url, component, root)
        return self.rootObject()

    # ---- public API ----

    def set_layout(self, mode: str) -> None:
        """Show the Chinese Pinyin (``"zh"``), English (``"en"``) or numeric (``"digits"``) layout."""
        if mode not in MODES:
            raise ValueError(f"keyboard mode must be one of {MODES}, not {mode!r}")
        self._call("setMode", mode)
        if mode != self._mode:
            self._mode = mode
            self.layoutChanged.emit(mode)

    def layout_mode(self) -> str:
        return self._mode

    def set_elder(self, elder: bool) -> None:
        """Elder mode (适老化): taller keys and larger candidates."""
        self._elder = elder
        root = self.rootObject()
        root.setProperty("keyHeightFactor", 1.35 if elder else 1.15)
        root.setProperty("glyphScale", 1.6 if elder else 1.3)
        m = Metrics.for_mode(elder)
        root.setProperty("candidateHeight", max(m.target, 88 if not elder else 104))
        root.setProperty("candidateFontSize", m.lead + 2)
        self._update_cap()

    def reset(self) -> None:
        """Drop any half-typed Pinyin (preedit text and candidates) without committing it,
        e.g. when a session times out: the next resident must not see it."""
        QGuiApplication.inputMethod().reset()

    def is_active(self) -> bool:
        """True while the input method shows the keyboard (a text field has focus)."""
        return bool(self.rootObject().property("active"))

    def state(self) -> dict[str, Any]:
        """Diagnostics: locale, input mode, layout, preedit text, sizes."""
        return self._call("state")

    def keys(self) -> list[dict[str, Any]]:
        """The keys on screen with their text, Qt key code and rectangle in this widget."""
        return self._call("keys")

    def candidates(self) -> list[str]:
        """The word candidates (Pinyin: Chinese words for the syllables typed so far)."""
        return [str(c) for c in self._call("candidates")]

    def candidate_rect(self, index: int) -> dict[str, Any] | None:
        """Where candidate ``index`` is drawn (its item and the strip's view), None if not laid out."""
        return self._call("candidateRect", index)

    # ---- internals ----

    def _call(self, name: str, *args: Any) -> Any:
        qargs = [Q_ARG("QVariant", a) for a in args]
        result = QMetaObject.invokeMethod(self.rootObject(), name, Q_RETURN_ARG("QVariant"), *qargs)
        return _to_py(result)

    def _fit_height(self) -> None:
        h = int(self.rootObject().property("preferredHeight") or 0)
        if h > 0 and h != self.height():
            self.setFixedHeight(h)

    def _on_active(self) -> None:
        active = self.is_active()
        self._apply_visibility()
        self.activeChanged.emit(active)

    def _apply_visibility(self) -> None:
        if self.parentWidget() is None:
            return  # never turn the panel into a window of its own
        show = self.is_active() or not self._auto_hide
        if show:
            self._hide_timer.stop()
            self.setVisible(True)
        elif self.isVisible() and not self._hide_timer.isActive():
            self._hide_timer.start()

    def _hide_if_still_inactive(self) -> None:
        # Tapping a button takes focus from the field on the press. Hiding the panel then
        # would move the widgets above it before the release, and the tap would miss.
        if QGuiApplication.mouseButtons() != Qt.MouseButton.NoButton:
            self._hide_timer.start()
            return
        if self._auto_hide and not self.is_active():
            self.setVisible(False)

    def _on_focus_object(self, obj: QObject | None) -> None:
        mode = obj.property(MODE_PROPERTY) if obj is not None else None
        if mode in MODES:
            self.set_layout(mode)

    def _update_cap(self) -> None:
        win = self.window()
        if win is None or win is self:
            return
        # Portrait windows: no cap (the keyboard is far below half the height). Landscape: cap.
        root = self.rootObject()
        cap = 0.0
        if win.width() > win.height():
            strip = float(root.property("candidateHeight") or 0)
            ratio = self._max_height_ratio or (0.5 if self._elder else 0.42)
            cap = max(1.0, win.height() * ratio - strip)
        root.setProperty("maxKeyboardHeight", cap)

    def _sync_root_size(self) -> None:
        # SizeRootObjectToView misses resizes made while the widget is hidden (auto-hide):
        # keep the QML root exactly the widget's size, or key positions would be off.
        root = self.rootObject()
        if root is not None and (root.width() != self.width() or root.height() != self.height()):
            root.setSize(self.size().toSizeF())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._sync_root_size()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._sync_root_size()
        win = self.window()
        if win is not self and win is not self._watched:
            if self._watched is not None:
                self._watched.removeEventFilter(self)
            win.installEventFilter(self)
            self._watched = win
        self._update_cap()
        super().showEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ParentChange and hasattr(self, "_hide_timer"):
            self._apply_visibility()
        return super().event(event)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if obj is self._watched and event.type() == QEvent.Type.Resize:
            self._update_cap()
        return super().eventFilter(obj, event)


class _Edit(QLineEdit):
    """A line edit that asks for the on-screen keyboard whenever it gains focus (QLineEdit
    alone asks only when tapped, not when focused by code or by Tab)."""

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        QGuiApplication.inputMethod().show()


class TextEntry(QWidget):
    """A labelled, large text field with a validation hook, typed on the embedded keyboard.

    ``mode`` picks the keyboard: ``"zh"`` Chinese Pinyin with candidates, ``"en"`` English
    (no auto-capitals, no prediction), ``"digits"`` the numeric pad (the field then also
    rejects anything but digits). ``validator`` maps the text to an error message, or None
    when the text is acceptable; :meth:`validate` runs it and shows the message.

    Styling (``assets/theme.qss``): the field has ``role="entry"`` and ``invalid="true"``
    while a message shows, the caption ``role="label"`` and the message ``role="error"``.
    """

    textChanged = Signal(str)  # noqa: N815 - Qt naming
    submitted = Signal(str)

    def __init__(
        self,
        caption: str = "",
        mode: str = "zh",
        parent: QWidget | None = None,
        *,
        placeholder: str = "",
        max_length: int | None = None,
        validator: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._validator = validator
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        self.caption = label("label", caption)
        self.caption.setVisible(bool(caption))
        self.edit = _Edit()
        self.edit.setProperty("role", "entry")
        self.edit.setPlaceholderText(placeholder)
        self.edit.setMinimumHeight(Metrics.for_mode(False).target)
        if max_length:
            self.edit.setMaxLength(max_length)
        self.caption.setBuddy(self.edit)
        self.message = label("error")
        self.message.setVisible(False)
        lay.addWidget(self.caption)
        lay.addWidget(self.edit)
        lay.addWidget(self.message)
        self.setFocusProxy(self.edit)
        self.edit.textChanged.connect(self._on_text)
        self.edit.returnPressed.connect(lambda: self.submitted.emit(self.text()))
        self._mode = ""
        self.set_mode(mode)

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"keyboard mode must be one of {MODES}, not {mode!r}")
        self._mode = mode
        self.edit.setProperty(MODE_PROPERTY, mode)
        self.edit.setInputMethodHints(_HINTS[mode])
        if mode == "digits":
            self.edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]*"), self.edit))
        else:
            self.edit.setValidator(None)
        if self.edit.hasFocus():
            for panel in list(_PANELS):
                if shiboken6.isValid(panel):
                    panel.set_layout(mode)
            QGuiApplication.inputMethod().update(Qt.InputMethodQuery.ImHints)

    def mode(self) -> str:
        return self._mode

    def text(self) -> str:
        return self.edit.text()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)

    def clear(self) -> None:
        self.edit.clear()
        self.set_error("")

    def set_validator(self, validator: Callable[[str], str | None] | None) -> None:
        self._validator = validator

    def validate(self) -> bool:
        """Run the validation hook; show its message. True when the text is acceptable."""
        error = self._validator(self.text()) if self._validator is not None else None
        self.set_error(error or "")
        return not error

    def error(self) -> str:
        return self.message.text() if self.message.isVisible() else ""

    def set_error(self, message: str) -> None:
        self.message.setText(message)
        self.message.setVisible(bool(message))
        self.edit.setProperty("invalid", "true" if message else "false")
        repolish(self.edit)

    def _on_text(self, text: str) -> None:
        if self.message.isVisible():
            self.validate()
        self.textChanged.emit(text)


__all__ = ["KeyboardPanel", "TextEntry", "prepare_environment"]
