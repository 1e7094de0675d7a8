"""In-window overlays: cancel confirmation, help, the timeout warning, notices.

They are children of the main window (not separate top-level dialogs), so they show on a
kiosk without a window manager, offscreen in tests, and in screenshots.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.screens.theme import PALETTE
from kiosk.screens.widgets import button, clear_layout, label, pictogram, repolish
from kiosk.screens.widgets import picture as draw_picture


class Ring(QWidget):
    """The countdown ring: the arc shrinks as the seconds run out; the number is in the middle."""

    def __init__(self, size: int = 180, show_number: bool = True) -> None:
        super().__init__()
        self.setFixedSize(size, size)
        self.total = 1
        self.left = 0
        self.show_number = show_number

    def set(self, left: int, total: int) -> None:
        self.left, self.total = left, max(1, total)
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(10, 10, self.width() - 20, self.height() - 20)
        p.setPen(QPen(QColor(PALETTE.border), 14))
        p.drawEllipse(r)
        p.setPen(QPen(QColor(PALETTE.primary), 14, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        p.drawArc(r, 90 * 16, int(360 * 16 * self.left / self.total))
        if not self.show_number:
            p.end()
            return
        f = p.font()
        f.setPixelSize(self.height() // 3)
        f.setBold(True)
        p.setFont(f)
        p.setPen(QColor(PALETTE.text))
        p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, str(self.left))
        p.end()


class Overlay(QWidget):
    presented = Signal(str)  # kind, after it is shown (the window speaks it)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.kind = ""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(48, 48, 48, 48)
        outer.addStretch(1)
        self.panel = QFrame()
        self.panel.setObjectName("overlayPanel")
        self.panel.setMaximumWidth(1000)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.panel, 10)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        lay = QVBoxLayout(self.panel)
        lay.setContentsMargins(48, 48, 48, 48)
        lay.setSpacing(24)
        self.icon_slot = QVBoxLayout()
        lay.addLayout(self.icon_slot)
        self.heading = label("heading", center=True)
        self.body = label("lead", center=True)
        lay.addWidget(self.heading)
        lay.addWidget(self.body)
        self.ring = Ring()
        ring_row = QHBoxLayout()
        ring_row.addStretch(1)
        ring_row.addWidget(self.ring)
        ring_row.addStretch(1)
        lay.addLayout(ring_row)
        self.buttons = QVBoxLayout()
        self.buttons.setSpacing(16)
        lay.addLayout(self.buttons)
        self.hide()

    def present(
        self,
        kind: str,
        heading: str,
        body: str,
        actions: list[tuple[str, str, Callable[[], None]]],
        icon: str = "fa5s.info-circle",
        icon_color: str = PALETTE.primary,
        countdown: tuple[int, int] | None = None,
        picture: str | None = None,
    ) -> None:
        """Show the overlay. ``actions``: (text, role, callback) from most to least important;
        ``picture``: a drawing in assets/icons instead of the icon."""
        self.kind = kind
        # Nobody may be in front of the kiosk when it asks "are you still there?": hide what is behind.
        self.setProperty("opaque", kind == "timeout")
        repolish(self)
        clear_layout(self.icon_slot)
        if picture:
            pic = QLabel()
            pic.setPixmap(draw_picture(picture, 320))
            pic.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.icon_slot.addWidget(pic)
        else:
            self.icon_slot.addWidget(pictogram(icon, 96, icon_color))
        self.heading.setText(heading)
        self.body.setText(body)
        self.body.setVisible(bool(body))
        self.ring.setVisible(countdown is not None)
        if countdown:
            self.ring.set(*countdown)
        clear_layout(self.buttons)
        for text, role, cb in actions:
            b = button(role, text)
            b.setObjectName(f"overlay_{kind}_{self.buttons.count()}")
            b.clicked.connect(cb)
            self.buttons.addWidget(b)
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self.presented.emit(kind)

    def dismiss(self) -> None:
        self.kind = ""
        self.hide()

    def action_buttons(self) -> list:
        return [self.buttons.itemAt(i).widget() for i in range(self.buttons.count())]
