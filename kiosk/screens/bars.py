"""Where the frame's controls sit, by orientation (issue 14: within reach).

Portrait (a tall screen, reached from standing or from a wheelchair): the header carries
only the service and the step; everything a resident touches is in the lower part. The
footer's first row has Back and the primary action; under it a bar of tools that is the
same on every screen: Cancel (返回首页), Help and the language on one row, text size,
Repeat and the volume on the next. Cancel is always in the bar's first cell, far from the
primary action, whether or not the screen has one.

Landscape (a wide screen, whose top is low enough to reach): the tools stay in the header,
and one footer row holds Back, Help, Cancel and the primary action (Cancel keeps its place
when there is no primary action).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from kiosk.screens.theme import PALETTE
from kiosk.screens.widgets import qicon, repolish

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.screens.frame import MainWindow

TOOL_ICONS = {  # objectName -> icon
    "repeatButton": "fa5s.redo-alt",
    "langButton": "fa5s.language",
    "sizeButton": "fa5s.text-height",
}


def tools(win: MainWindow) -> list:
    """The tool buttons, in header order."""
    return [win.repeat_button, win.volume_button, win.lang_button, win.size_button]


def tool_icon_colour(win: MainWindow) -> str:
    """White on the header's blue, the text colour on the footer's white."""
    return PALETTE.text if win.portrait else PALETTE.primary_text


def set_tool_icons(win: MainWindow) -> None:
    colour = tool_icon_colour(win)
    for b in tools(win):
        name = TOOL_ICONS.get(b.objectName())
        if name is not None:
            b.setIcon(qicon(name, colour))
        # In the footer the tools look like the other quiet controls; in the header the
        # header's own rule (#header QPushButton) wins.
        b.setProperty("role", "quiet" if win.portrait else "")
        repolish(b)


def layout_bars(win: MainWindow, portrait: bool) -> None:
    """Put the header's tools and the footer's buttons where ``portrait`` wants them."""
    win._portrait = portrait
    g = win.footer_grid
    moving = [win.back_button, win.help_button, win.cancel_button, win.primary_button, *tools(win)]
    for w in moving:
        g.removeWidget(w)
        win.header_layout.removeWidget(w)
    for i in range(max(g.columnCount(), 5)):
        g.setColumnStretch(i, 0)
    if portrait:
        # Keep clear of the bottom 5% of a tall screen.
        g.setContentsMargins(40, 24, 40, max(24, int(win.height() * 0.05)))
        g.addWidget(win.back_button, 0, 0)
        g.addWidget(win.primary_button, 0, 1, 1, 2)
        g.addWidget(win.cancel_button, 1, 0)
        g.addWidget(win.help_button, 1, 1)
        g.addWidget(win.lang_button, 1, 2)
        g.addWidget(win.size_button, 2, 0)
        g.addWidget(win.repeat_button, 2, 1)
        g.addWidget(win.volume_button, 2, 2)
        for i in range(3):
            g.setColumnStretch(i, 1)
        win.primary_button.setMinimumWidth(0)
    else:
        g.setContentsMargins(40, 16, 40, 16)
        g.addWidget(win.back_button, 0, 0)
        g.addWidget(win.help_button, 0, 1)
        g.setColumnStretch(2, 1)
        g.addWidget(win.cancel_button, 0, 3)
        g.addWidget(win.primary_button, 0, 4)
        win.primary_button.setMinimumWidth(420)
        for w in tools(win):
            win.header_layout.addWidget(w)
    retain_slots(win, True)
    set_tool_icons(win)
    fit_content_width(win)
    place_content(win)
    set_content_margins(win)


def set_content_margins(win: MainWindow) -> None:
    """Keep a tall screen's camera preview out of its top (a screen that fills the height);
    other screens sit low in portrait anyway (:func:`place_content`)."""
    screen = win.stack.currentWidget()
    top = int(win.height() * 0.05) if win.portrait and screen is not None and screen.fills_height else 24
    win.content_layout.setContentsMargins(40, top, 40, 24)


def retain_slots(win: MainWindow, keep: bool) -> None:
    """Back and the primary action keep their slots when hidden (so Cancel and Help never
    move), except on the attract screen, which has neither."""
    for w in (win.primary_button, win.back_button):
        sp = w.sizePolicy()
        if sp.retainSizeWhenHidden() != keep:
            sp.setRetainSizeWhenHidden(keep)
            w.setSizePolicy(sp)


CONTENT_WIDTH = 1200  # px, the widest a screen's content gets (lines stay readable)


def fit_content_width(win: MainWindow) -> None:
    """Elder mode's text is 1.4 times larger: on a wide screen its content may be as much
    wider, so it keeps the line lengths of normal mode and uses the width, not the height."""
    wide = win.elder and not win.portrait
    win.stack.setMaximumWidth(round(CONTENT_WIDTH * 1.4) if wide else CONTENT_WIDTH)


class FieldInView(QObject):
    """The text field being typed into stays in view above the on-screen keyboard: when a field
    takes focus, and when the content area shrinks because the keyboard came up."""

    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.win = win
        win.scroll.viewport().installEventFilter(self)
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old, new) -> None:
        if new is not None and isinstance(new, QLineEdit):
            QTimer.singleShot(0, self.show_field)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self.show_field)
        return False

    def show_field(self) -> None:
        field = QApplication.focusWidget()
        if isinstance(field, QLineEdit) and self.win.content.isAncestorOf(field):
            self.win.scroll.ensureWidgetVisible(field, 0, 24)


class ScreenFit(QObject):
    """Shows all of the current screen that fits: folds its spare parts (``Screen.fold``), the
    fewest that make it fit, only while it would otherwise scroll (elder mode's large text in
    English needs it on some screens). It fits again whenever the content's size hint or the
    room for it changes: a screen adds widgets that show only when the event loop runs, a
    notice appears, the footer changes height."""

    def __init__(self, win: MainWindow) -> None:
        super().__init__(win)
        self.win = win
        self.last: tuple | None = None  # (screen, folded, need, room) after the last fit
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(0)
        self.timer.timeout.connect(self.fit)
        win.content.installEventFilter(self)
        win.scroll.viewport().installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.LayoutRequest, QEvent.Type.Resize):
            self.timer.start()
        return False

    @property
    def folded(self) -> int:
        """How many spare parts of the current screen are folded away."""
        if self.last is None or self.last[0] is not self.win.current_screen():
            return 0
        return self.last[1]

    def need(self) -> int:
        """The height the screen needs at the full width (without the scroll bar that
        overflowing showed, so that fitting can take the bar away again)."""
        return self.win.content_need(self.win.scroll.width())

    def state(self, screen, n: int) -> tuple:
        scroll = self.win.scroll
        return (screen, n, self.need(), scroll.width(), scroll.viewport().height())

    def fit(self) -> None:
        win = self.win
        screen = win.current_screen()
        if screen is None:
            return
        if self.last is not None and self.state(screen, self.last[1]) == self.last:
            return  # nothing changed since (folding itself asks for a layout again)
        n = 0
        for n in range(screen.spare_parts + 1):
            screen.fold(n)
            # The nested layouts' new size hints, now (Qt passes them up one posted event at a
            # time: the innermost first), and the footer's height for this screen. Not the
            # window's own request: that would set its minimum size, which some platforms
            # (offscreen, eglfs) answer with a warning on stderr.
            inner = [*reversed(screen.findChildren(QWidget)), screen, win.stack, win.content]
            for _ in range(2):
                for w in inner:
                    QApplication.sendPostedEvents(w, QEvent.Type.LayoutRequest)
            win.root_layout.activate()
            if self.need() <= win.scroll.viewport().height():
                break
        self.last = self.state(screen, n)


def place_content(win: MainWindow) -> None:
    """Portrait: a screen's questions and options sit in the lower band, just above the footer
    (within reach; the top of a tall screen stays for the title). A screen that fills the
    height (the camera preview) and a wide screen keep the content at the top."""
    screen = win.stack.currentWidget()
    low = win.portrait and screen is not None and not screen.fills_height
    win.content_layout.setAlignment(win.stack, Qt.AlignmentFlag.AlignBottom if low else Qt.AlignmentFlag(0))
    set_content_margins(win)
