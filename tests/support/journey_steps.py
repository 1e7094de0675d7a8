"""Reusable steps of the renewal journey for UI tests (real widgets, real clicks)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.tour import Driver
from tests.support.paths import CARDS


def to_read_card(d: Driver) -> None:
    d.tap(d.find("tile_renewal"))
    d.tap(d.find("primaryButton"))  # consent
    assert d.step() == "read_card"


def to_identity(d: Driver, card: str = "linhai.json") -> None:
    to_read_card(d)
    d.kiosk.reader.insert(CARDS / card)
    d.wait(lambda: d.step() == "identity", what="identity")
    screen = d.win.current_screen()
    d.wait(lambda: not screen.loading, what="permit lookup")


def to_capture(d: Driver, card: str = "linhai.json") -> None:
    to_identity(d, card)
    d.tap(d.find("primaryButton"))  # yes, this is me (and "you can renew today")
    if d.step() == "eligibility":  # a late renewal: "I understand" first
        d.tap(d.find("primaryButton"))
    assert d.step() == "category"
    d.kiosk.camera.show_document("employment_contract")
    d.tap(d.find("category_employment_contract"))
    assert d.step() == "capture"
    d.wait(lambda: d.win.current_screen().feed.snapshot() is not None, what="camera frames")


def take_pages(d: Driver, n: int) -> None:
    app = d.kiosk.session.application
    for i in range(n):
        before = len(app.pages)
        d.tap(d.find("shootButton"))
        d.wait(lambda b=before: len(app.pages) == b + 1, what=f"page {i + 1}")


def to_review(d: Driver, card: str = "linhai.json", pages: int = 2, phone: str | None = "13812345678") -> None:
    """To check-your-answers; ``phone`` typed on the keypad ("Use another number" when a number is
    on file), or None: the number on file with one tap."""
    to_capture(d, card)
    take_pages(d, pages)
    d.tap(d.find("primaryButton"))
    assert d.step() == "phone"
    d.phone(phone)
    assert d.step() == "review"


def visible_texts(widget) -> list[str]:
    """Every text a resident could see: labels, buttons (titles inside option buttons too)."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    out = []
    for w in widget.findChildren(QLabel):
        if w.text():
            out.append(w.text())
    for b in widget.findChildren(QAbstractButton):
        if b.text():
            out.append(b.text())
    return out


def pixmaps_shown(widget) -> int:
    from PySide6.QtWidgets import QLabel

    return sum(1 for w in widget.findChildren(QLabel, "preview") if w.pixmap() is not None and not w.pixmap().isNull())


def enter_pin(d: Driver, pin: str) -> None:
    for digit in pin:
        d.tap(d.find(f"pin_{digit}"))
    d.tap(d.find("primaryButton"))


def hold_title(d: Driver) -> None:
    title = d.win.current_screen().title
    QTest.mousePress(title, Qt.MouseButton.LeftButton)
    d.wait(lambda: d.step() == "maint_pin", timeout=5, what="maintenance PIN")
    QTest.mouseRelease(title, Qt.MouseButton.LeftButton)
