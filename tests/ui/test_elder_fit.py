"""Elder mode fits and everything is within reach (issue 14), on every screen of every tour.

Every tour (``kiosk tour --service …``: the services, a late renewal and the error states) runs in elder
mode (适老化) at 1080x1920 and 1920x1080, in Chinese and in English, with real widgets. On each screen the tour shows:

- **fits**: the window needs no more width than the screen has, and the content area needs
  no more height than it has (its minimum size and its height for the actual width, what the
  scroll area itself uses), so nothing scrolls; in English (the longer language) a screen may
  fold spare parts to get there, in Chinese none. While the on-screen keyboard is up, the
  field being typed into must be in view above it.
- **reach** (portrait): no button a resident can press lies in the top 15 % of the screen;
  Cancel sits in the bottom bar, apart from the primary action.

A failure names every screen that broke a rule, with the numbers.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication

from kiosk.tour import Driver, run_tour
from tests.support.paths import CARDS

SIZES = [(1080, 1920), (1920, 1080)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
REACH = 0.15  # nothing to press in the top 15 % of a portrait screen

# (tour, card): every service's own tour; a late renewal shows the late warning.
TOURS = [
    ("renewal", None),
    ("renewal", "wangfang.json"),
    ("info_change", None),
    ("reissue_lost", None),
    ("reissue_damaged", None),
    ("status", None),
    ("states", None),  # out of service, storage fault, refused card, Help, service down, no paper
]
TOUR_IDS = [f"{s}-{c.removesuffix('.json')}" if c else s for s, c in TOURS]


def global_rect(w) -> QRect:
    return QRect(w.mapToGlobal(QPoint(0, 0)), w.size())


def overflow(win) -> str | None:
    """Why the current screen would scroll, or None when it fits."""
    vp = win.scroll.viewport()
    keyboard = win.keyboard
    if keyboard is not None and keyboard.isVisible():
        field = QApplication.focusWidget()
        if field is None or not win.current_screen().isAncestorOf(field):
            return None  # the keyboard for no field of this screen: another test's concern
        shown = global_rect(vp)
        if not shown.contains(global_rect(field)):
            return f"the field being typed into ({field.objectName()}) is not in view above the keyboard"
        return None
    need = win.content.minimumSizeHint().height()
    if win.content.hasHeightForWidth():
        need = max(need, win.content.heightForWidth(vp.width()))
    scroll = win.scroll.verticalScrollBar().maximum()
    if need > vp.height() or scroll > 0:
        return f"content needs {need} px, has {vp.height()} px (scrolls {scroll} px)"
    return None


def out_of_reach(win) -> list[str]:
    """Buttons a resident can press in the top of a portrait screen."""
    if win.height() <= win.width():
        return []
    top = win.mapToGlobal(QPoint(0, 0)).y() + int(win.height() * REACH)
    viewport = global_rect(win.scroll.viewport())
    high = []
    for b in win.findChildren(QAbstractButton):
        if not (b.isVisible() and b.isEnabled()):
            continue
        shown = global_rect(b)
        if win.content.isAncestorOf(b):  # what is scrolled out of the content area cannot be touched
            shown = shown.intersected(viewport)
        if not shown.isEmpty() and shown.top() < top:
            high.append(b.objectName() or b.text())
    return high


def cancel_apart(win) -> str | None:
    """Portrait: Cancel in the bottom bar, below and apart from the primary action."""
    cancel, primary = win.cancel_button, win.primary_button
    if win.height() <= win.width() or not cancel.isVisible():
        return None
    if not global_rect(cancel).top() > global_rect(primary).bottom():
        return "Cancel is not below the primary action"
    return None


def too_wide(win, size: tuple[int, int]) -> str | None:
    """A screen whose controls need more width than the screen has pushes its right edge off it."""
    need = win.minimumSizeHint().width()
    if need > size[0] or win.width() > size[0]:
        return f"needs {need} px wide, the screen has {size[0]} px"
    return None


def problems(d: Driver, name: str, size: tuple[int, int]) -> list[str]:
    win = d.win
    d.pump(10)  # pending layout requests
    assert win.elder, f"{name}: not in elder mode"
    found = []
    if (why := too_wide(win, size)) is not None:
        found.append(f"{name}: {why}")
    if (why := overflow(win)) is not None:
        found.append(f"{name}: {why}")
    if high := out_of_reach(win):
        found.append(f"{name}: in the top {REACH:.0%}: {high}")
    if (why := cancel_apart(win)) is not None:
        found.append(f"{name}: {why}")
    return found


@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.sim: print job \S+ refused: printer paper_out")  # the states tour
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize(("service", "card"), TOURS, ids=TOUR_IDS)
def test_elder_mode_fits_and_is_within_reach(qapp, kiosk_config, service, card, size, lang):
    found: list[str] = []
    seen: list[str] = []

    def on_screen(d: Driver, name: str) -> None:
        seen.append(name)
        found.extend(problems(d, name, size))
        if lang == "zh" and d.win.fitter.folded:
            found.append(f"{name}: {d.win.fitter.folded} spare part(s) folded away in Chinese")

    cfg = kiosk_config.with_overrides(devices={"auto_capture": True})
    run_tour(cfg, None, size=size, service=service, card=CARDS / card if card else None, elder=True, lang=lang, on_screen=on_screen)
    assert len(seen) >= 8, f"the tour showed only {seen}"
    assert not found, f"{service} at {size[0]}x{size[1]} in elder mode ({lang}):\n" + "\n".join(found)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_a_refused_card_fits_in_elder_mode(qtbot, kiosk_config, size):
    from tests.support.journey_steps import to_read_card
    from tests.support.kiosk import make_kiosk

    k, d = make_kiosk(qtbot, kiosk_config.with_overrides(ui={"elder_mode": True}), size=size)
    try:
        to_read_card(d)
        k.reader.insert(CARDS / "invalid" / "expired.json")
        screen = k.window.current_screen()
        d.wait(lambda: screen.refusal is not None and screen.code.isVisible(), what="the refusal on screen")
        found = problems(d, "read-card (refused)", size)
        assert not found, "\n".join(found)
    finally:
        k.close()


def test_folded_parts_come_back_when_there_is_room(qtbot, kiosk_config):
    """English elder mode folds the attract screen's picture and subtitle away in portrait;
    back at the standard text size, or on a wide screen, they show again."""
    from tests.support.kiosk import make_kiosk

    k, d = make_kiosk(qtbot, kiosk_config.with_overrides(ui={"elder_mode": True, "language": "en"}), size=(1080, 1920))
    try:
        win = d.win
        screen = win.current_screen()
        d.wait(lambda: win.fitter.folded == 2, what="the picture and subtitle folded away")
        assert not screen.picture.isVisibleTo(screen) and not screen.subtitle.isVisibleTo(screen)
        assert not problems(d, "attract", (1080, 1920))
        win.toggle_text_size()
        d.wait(lambda: win.fitter.folded == 0, what="everything shown at the standard text size")
        assert screen.picture.isVisibleTo(screen) and screen.subtitle.isVisibleTo(screen)
        win.toggle_text_size()
        d.wait(lambda: win.fitter.folded == 2, what="folded again in elder mode")
        win.set_language("zh")
        d.wait(lambda: win.fitter.folded == 0, what="nothing folded in Chinese")
        assert screen.picture.isVisibleTo(screen) and screen.subtitle.isVisibleTo(screen)
    finally:
        k.close()
