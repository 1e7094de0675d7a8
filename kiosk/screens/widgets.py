"""Small building blocks shared by the screens. Styling comes from the theme via ``role``."""

from __future__ import annotations

import functools

import qtawesome as qta
from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.screens.theme import PALETTE


def label(role: str = "body", text: str = "", *, wrap: bool = True, center: bool = False) -> QLabel:
    w = QLabel(text)
    w.setProperty("role", role)
    w.setWordWrap(wrap)
    w.setTextFormat(Qt.TextFormat.PlainText)
    if center:
        w.setAlignment(Qt.AlignmentFlag.AlignCenter)
    # Vertically Preferred, not Minimum: a wrapped label's size hint guesses a narrow width
    # (several lines); the layouts give it its real height for its real width instead.
    w.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    return w


def button(role: str = "", text: str = "", icon: str | None = None, color: str | None = None) -> QPushButton:
    b = QPushButton(text)
    if role:
        b.setProperty("role", role)
    if icon:
        b.setIcon(qicon(icon, color or (PALETTE.primary_text if role == "primary" else PALETTE.primary)))
        b.setIconSize(QSize(BUTTON_ICON, BUTTON_ICON))
    b.setCursor(Qt.CursorShape.PointingHandCursor)
    b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return b


BUTTON_ICON = 36  # px, the icon beside a button's words


@functools.cache
def icon_pixmap(name: str, size: int, color: str = PALETTE.primary) -> QPixmap:
    """A qtawesome glyph drawn once at ``size`` px and kept.

    qtawesome paints through a QIconEngine written in Python, so every time Qt paints such an
    icon it calls back into Python, and PySide6 (6.10 and 6.11 at least) keeps one reference
    to ``None`` too many on each of those calls: thousands a session, without end (see
    bench/soak). Drawn once here, icons are plain pixmaps and painting stays in C++.
    """
    return qta.icon(name, color=color).pixmap(QSize(size, size))


@functools.cache
def qicon(name: str, color: str = PALETTE.primary) -> QIcon:
    """A button icon made of pixmaps (see :func:`icon_pixmap`), at 1x and 2x."""
    icon = QIcon()
    for size in (BUTTON_ICON, 2 * BUTTON_ICON):
        icon.addPixmap(icon_pixmap(name, size, color))
    return icon


@functools.cache
def picture(name: str, width: int) -> QPixmap:
    """A drawing from ``assets/icons/<name>.svg`` at ``width`` px (its own aspect ratio), drawn once."""
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgRenderer

    from kiosk.screens.theme import ASSETS

    renderer = QSvgRenderer(str(ASSETS / "icons" / f"{name}.svg"))
    size = renderer.defaultSize()
    pix = QPixmap(width, max(1, round(width * size.height() / max(1, size.width()))))
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    renderer.render(p)
    p.end()
    return pix


class TakeThings(QFrame):
    """The reader and the tray with "take your ID card and all your original documents"."""

    def __init__(self, width: int = 200) -> None:
        super().__init__()
        self.setObjectName("takeThings")
        self.setProperty("role", "notice-warning")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(20, 12, 20, 12)
        lay.setSpacing(20)
        self.pic = QLabel()
        self.pic.setPixmap(picture("take-your-things", width))
        lay.addWidget(self.pic, 0, Qt.AlignmentFlag.AlignVCenter)
        self.text = label("value")
        lay.addWidget(self.text, 1)

    def retranslate(self) -> None:
        self.text.setText(self.tr("Take your ID card and all your original documents with you."))


def pictogram(name: str, size: int = 160, color: str = PALETTE.primary) -> QLabel:
    """A large icon that says what to do (never the only cue: always beside words)."""
    w = QLabel()
    w.setPixmap(icon_pixmap(name, size, color))
    w.setAlignment(Qt.AlignmentFlag.AlignCenter)
    w.setFixedHeight(size + 8)
    return w


class Notice(QFrame):
    """A calm box with an icon, a heading and a body: info, warning, error or success."""

    ICONS = {
        "info": ("fa5s.info-circle", PALETTE.primary),
        "warning": ("fa5s.exclamation-triangle", PALETTE.warning_border),
        "error": ("fa5s.exclamation-circle", PALETTE.danger),
        "success": ("fa5s.check-circle", PALETTE.success),
    }

    def __init__(self, kind: str = "info") -> None:
        super().__init__()
        self.setProperty("role", f"notice-{kind}")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(24, 20, 24, 20)
        lay.setSpacing(20)
        self.icon = QLabel()
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.icon)
        col = QVBoxLayout()
        col.setSpacing(8)
        self.heading = label("value")
        self.body = label("body")
        col.addWidget(self.heading)
        col.addWidget(self.body)
        lay.addLayout(col, 1)
        self.set_kind(kind)

    def set_kind(self, kind: str) -> None:
        self.kind = kind
        name, color = self.ICONS[kind]
        self.setProperty("role", f"notice-{kind}")
        self.icon.setPixmap(icon_pixmap(name, 48, color))
        repolish(self)

    def set_text(self, heading: str, body: str = "") -> None:
        self.heading.setText(heading)
        self.heading.setVisible(bool(heading))
        self.body.setText(body)
        self.body.setVisible(bool(body))


class Row(QFrame):
    """A check-your-answers row: label, value and an optional "Change" link."""

    PAD, DENSE_PAD = 10, 4  # above and below (dense: a long summary in large text)

    def __init__(self, with_change: bool = True) -> None:
        super().__init__()
        self.setProperty("role", "row")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, self.PAD, 0, self.PAD)
        # Tall screens: the label above the value. Wide screens: side by side (a summary list).
        self.col = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.col.setSpacing(2)
        self.name = label("label")
        self.value = label("value")
        self.col.addWidget(self.name)
        self.col.addWidget(self.value, 1)
        lay.addLayout(self.col, 1)
        self.change = button("link") if with_change else None
        if self.change is not None:
            lay.addWidget(self.change, 0, Qt.AlignmentFlag.AlignVCenter)

    def set_orientation(self, portrait: bool) -> None:
        self.col.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self.col.setSpacing(2 if portrait else 24)
        # Wide: the label's column is as wide as the text size needs (the theme's m_row_label).
        self.setProperty("wide", not portrait)
        repolish(self, self.name)

    def set_dense(self, dense: bool) -> None:
        """Less space above and below (a long summary in large text)."""
        pad = self.DENSE_PAD if dense else self.PAD
        self.layout().setContentsMargins(0, pad, 0, pad)

    def set(self, name: str, value: str, change_text: str = "") -> None:
        self.name.setText(name)
        self.value.setText(value)
        if self.change is not None:
            self.change.setText(change_text)


def repolish(*widgets: QWidget) -> None:
    """Apply the theme again to ``widgets`` after a property its rules select on changed."""
    for w in widgets:
        w.style().unpolish(w)
        w.style().polish(w)


def clear_layout(layout) -> None:  # QLayout
    while layout.count():
        item = layout.takeAt(0)
        w = item.widget()
        if w is not None:
            w.setParent(None)
            w.deleteLater()
        elif item.layout() is not None:
            sub = item.layout()
            clear_layout(sub)
            sub.deleteLater()


def vbox(parent: QWidget | None = None, spacing: int = 24, margins: int = 0) -> QVBoxLayout:
    lay = QVBoxLayout(parent) if parent is not None else QVBoxLayout()
    lay.setSpacing(spacing)
    lay.setContentsMargins(margins, margins, margins, margins)
    return lay


class OptionButton(QPushButton):
    """A large choice: icon, a bold title and a wrapped explanation, all of it one target."""

    PAD, DENSE_PAD = 18, 6  # above and below the text (dense: a long list in large text)

    def __init__(self, icon: str | None = None, role: str = "option", icon_size: int = 48) -> None:
        super().__init__()
        self.setProperty("role", role)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(24, self.PAD, 24, self.PAD)
        lay.setSpacing(20)
        self.pic = None
        if icon:
            self.pic = QLabel()
            self.pic.setPixmap(icon_pixmap(icon, icon_size))
            self.pic.setFixedWidth(icon_size + 4)
            lay.addWidget(self.pic, 0, Qt.AlignmentFlag.AlignVCenter)
        col = QVBoxLayout()
        col.setSpacing(4)
        self.title = label("optionTitle")
        self.detail = label("optionDetail")
        col.addWidget(self.title)
        col.addWidget(self.detail)
        lay.addLayout(col, 1)
        for w in (self.pic, self.title, self.detail):
            if w is not None:
                w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        sp = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        sp.setHeightForWidth(True)
        self.setSizePolicy(sp)

    def set_text(self, title: str, detail: str = "") -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        # what a screen reader says: title and explanation as two sentences, with the full stop
        # of the language shown ("。" in Chinese)
        stop = QCoreApplication.translate("OptionButton", ". ")
        self.setAccessibleName(title + (stop + detail if detail else ""))
        self.updateGeometry()

    def set_dense(self, dense: bool) -> None:
        """The title in body type and less padding (a long list in large text; the theme's rule)."""
        if bool(self.property("dense")) == dense:
            return
        self.setProperty("dense", dense)
        pad = self.DENSE_PAD if dense else self.PAD
        self.layout().setContentsMargins(24, pad, 24, pad)
        repolish(self, self.title)
        self.updateGeometry()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return max(self.minimumHeight(), self.layout().heightForWidth(width))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return self.layout().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(self.layout().minimumSize().width(), self.layout().sizeHint().height())


class _KeyboardLineEdit(QLineEdit):
    """Asks for the on-screen keyboard whenever it gains focus (a plain QLineEdit asks only
    on a tap, not when focus arrives another way)."""

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        QGuiApplication.inputMethod().show()


def text_field(name: str = "", max_length: int = 200) -> QLineEdit:
    """A large single-line text field (the on-screen keyboard types into it)."""
    w = _KeyboardLineEdit()
    w.setProperty("keyboardMode", "zh")  # the on-screen keyboard opens on Pinyin for this field
    w.setInputMethodHints(Qt.InputMethodHint.ImhNone)
    if name:
        w.setObjectName(name)
    w.setMaxLength(max_length)
    w.setClearButtonEnabled(True)
    return w


class Stepper(QWidget):
    """A number with big − and + buttons (dates without a tiny calendar)."""

    def __init__(self, name: str, on_change) -> None:
        super().__init__()
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(12)
        self.caption = label("label")
        self.minus = button("key", "−")
        self.minus.setObjectName(f"{name}_minus")
        self.value = label("stepper", center=True)
        self.value.setObjectName(f"{name}_value")
        self.plus = button("key", "+")
        self.plus.setObjectName(f"{name}_plus")
        for b in (self.minus, self.plus):
            b.setFixedWidth(120)
        self.minus.clicked.connect(lambda: on_change(-1))
        self.plus.clicked.connect(lambda: on_change(+1))
        lay.addWidget(self.caption, 1)
        lay.addWidget(self.minus)
        lay.addWidget(self.value)
        lay.addWidget(self.plus)
