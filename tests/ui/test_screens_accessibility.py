"""Accessibility numbers (text size, touch targets, contrast: ``BODY``, ``TARGET``, ``LARGEST_ELDER``
and the contrast checks below), on every screen of the renewal journey, in portrait and
landscape, in Chinese and English, at normal text size and in elder mode (适老化).

One kiosk per size and language walks the whole journey by tapping real widgets; every
screen is measured in the mode it was entered in, then the header's text-size button
switches the mode with ONE tap and the screen is measured again: so every screen is checked
at normal size and in elder mode."""

from __future__ import annotations

import gc
import re

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSize
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QAbstractButton, QLabel

from kiosk.flow.steps import Step
from kiosk.screens.theme import ASSETS, PALETTE, Palette
from tests.support.journey_steps import CARDS, take_pages
from tests.support.kiosk import make_kiosk

SIZES = [(1080, 1920), (1920, 1080)]
LANGS = ["zh", "en"]

TARGET = {False: 64, True: 96}  # px, both directions
BODY = {False: 24, True: 32}  # px, smallest text
LARGEST_ELDER = 48  # px, the biggest text on an elder-mode screen


# --- contrast (no widgets needed) ----------------------------------------------------------


def luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(fg: str, bg: str) -> float:
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_contrast_helper_matches_known_values():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)  # the classic AA grey


# Text colour on background colour, as the QSS combines them (explicit colour or inherited).
NAMED_PAIRS = [
    ("text", "background"),  # labels on the content area
    ("text", "surface"),  # option buttons, keys, footer, overlays
    ("muted", "surface"),  # option details, labels in panels
    ("muted", "background"),  # row labels, disabled buttons, small text
    ("primary_text", "primary"),  # header, primary buttons
    ("primary_text", "primary_pressed"),
    ("danger", "surface"),  # Cancel, Delete
    ("danger", "background"),  # error labels on the content area
    ("danger", "danger_bg"),
    ("text", "danger_bg"),  # error notices
    ("text", "warning_bg"),  # warning notices
    ("text", "selected_bg"),  # info notices, a selected option
    ("muted", "selected_bg"),
    ("success", "success_bg"),
    ("text", "success_bg"),  # the confirmation banner
    ("primary", "surface"),  # ordinary buttons, tiles, links
    ("primary", "background"),  # the application number
    ("primary", "selected_bg"),  # a pressed button
    ("text", "border"),  # a disabled primary button
]


@pytest.mark.parametrize(("fg", "bg"), NAMED_PAIRS, ids=[f"{f}-on-{b}" for f, b in NAMED_PAIRS])
def test_palette_contrast_is_at_least_4_5(fg: str, bg: str):
    colours = Palette().__dict__
    ratio = contrast(colours[fg], colours[bg])
    assert ratio >= 4.5, f"{fg} {colours[fg]} on {bg} {colours[bg]}: {ratio:.2f}:1"


def qss_pairs() -> list[tuple[str, str, str]]:
    """(selector, colour name, background name) for every QSS rule that sets both."""
    qss = (ASSETS / "theme.qss").read_text(encoding="utf-8")
    qss = re.sub(r"/\*.*?\*/", "", qss, flags=re.S)
    qss = re.sub(r"\{\{(\w+)\}\}", r"@\1", qss)  # placeholders out of the way of the rule braces
    out = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", qss):
        fg = re.search(r"(?<![-\w])color:\s*@c_(\w+)", body)
        bg = re.search(r"background(?:-color)?:\s*@c_(\w+)", body)
        if fg and bg:
            out.append((selector.strip(), fg.group(1), bg.group(1)))
    return out


def test_every_colour_pair_set_in_the_qss_has_contrast():
    pairs = qss_pairs()
    assert len(pairs) >= 5, "the QSS parser found too few rules: did theme.qss change shape?"
    colours = Palette().__dict__
    named = {(f, b) for f, b in NAMED_PAIRS}
    for selector, fg, bg in pairs:
        assert fg in colours and bg in colours, selector
        ratio = contrast(colours[fg], colours[bg])
        assert ratio >= 4.5, f"{selector}: {fg} on {bg} is {ratio:.2f}:1"
        assert (fg, bg) in named, f"{selector}: pair {fg} on {bg} is not in NAMED_PAIRS"
    assert PALETTE == Palette()  # the app uses the palette measured here


# --- walking the journey -------------------------------------------------------------------


def visible_buttons(win) -> list[QAbstractButton]:
    return [b for b in win.findChildren(QAbstractButton) if b.isVisible() and b.isEnabled()]


def visible_labels(win) -> list[QLabel]:
    return [w for w in win.findChildren(QLabel) if w.isVisible() and w.text().strip()]


def name_of(w) -> str:
    return w.objectName() or repr(w.text()[:30])


def measure(k, d, size: tuple[int, int], where: str) -> None:
    """Check the current screen in the current text-size mode."""
    win = k.window
    elder = win.elder
    mode = "elder" if elder else "normal"
    d.pump(10)  # let pending layout requests settle
    assert win.size() == QSize(*size), f"{where} ({mode}): the window became {win.size().toTuple()}"
    if not elder:
        vp = win.scroll.viewport()
        assert not win.content_overflows(), (
            f"{where}: content needs {win.content.minimumSizeHint().height()} px "
            f"({win.content.heightForWidth(vp.width())} px for its width), has {vp.height()} px"
        )
        assert not win.scroll.verticalScrollBar().isVisible(), f"{where}: the resident would have to scroll"

    small = [
        f"{name_of(b)} {b.width()}x{b.height()}"
        for b in visible_buttons(win)
        if b.width() < TARGET[elder] or b.height() < TARGET[elder]
    ]
    assert not small, f"{where} ({mode}): touch targets under {TARGET[elder]} px: {small}"

    sizes = {lab: QFontInfo(lab.font()).pixelSize() for lab in visible_labels(win)}
    assert sizes, f"{where}: no text on screen?"
    tiny = [f"{name_of(lab)} {px}px" for lab, px in sizes.items() if px < BODY[elder]]
    assert not tiny, f"{where} ({mode}): text under {BODY[elder]} px: {tiny}"
    if elder:
        assert max(sizes.values()) >= LARGEST_ELDER, f"{where}: largest text {max(sizes.values())} px"

    # one tap to elder mode, a language switch and Help: on every screen
    assert d.find("sizeButton").isVisible() and d.find("sizeButton").isEnabled(), where
    names = ("langButton",) if k.journey.wizard.current == Step.ATTRACT else ("langButton", "helpButton")
    for name in names:
        assert d.find(name).isVisible() and d.find(name).isEnabled(), f"{where}: {name}"


def check_screen(k, d, size: tuple[int, int], where: str) -> None:
    """Measure in the current mode, switch text size with ONE tap, measure again.

    The mode carries on to the next screen (switching costs a restyle of every widget), so
    the screens alternate between being entered at normal size and in elder mode."""
    before = k.window.elder
    measure(k, d, size, where)
    d.tap(d.find("sizeButton"))  # one tap
    assert k.window.elder is not before, f"{where}: one tap did not switch the text size"
    measure(k, d, size, where)
    assert k.journey.wizard.current.value == where, f"switching text size moved away from {where}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_every_screen_meets_the_numbers(qtbot, kiosk_config, sim, size, lang):
    # Closed kiosks of earlier tests linger in reference cycles until the garbage collector
    # runs, and every text-size switch restyles every widget of the application: free them.
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    cfg = kiosk_config.with_overrides(ui={"language": lang}, outbox={"submit_wait_s": 30.0})
    k, d = make_kiosk(qtbot, cfg, size=size)
    seen = []

    def here() -> None:
        seen.append(d.step())
        check_screen(k, d, size, d.step())

    try:
        assert k.journey.lang == lang
        here()  # attract
        d.tap(d.find("tile_renewal"))
        here()  # consent
        d.tap(d.find("primaryButton"))
        here()  # read card
        k.reader.insert(CARDS / "linhai.json")
        d.wait(lambda: d.step() == "identity", timeout=5, what="identity")
        ident = k.window.screens[Step.IDENTITY]
        d.wait(lambda: not ident.loading, timeout=10, what="lookup")
        assert k.session.permit is not None
        here()  # identity, with "you can renew today"
        d.tap(d.find("primaryButton"))
        here()  # category: the documents grouped by basis
        k.camera.show_document("employment_contract")
        d.tap(d.find("category_employment_contract"))
        cap = k.window.screens[Step.CAPTURE]
        d.wait(lambda: cap.feed.snapshot() is not None, timeout=5, what="camera frames")
        take_pages(d, 2)
        here()  # capture, with two page thumbnails
        d.tap(d.find("primaryButton"))
        here()  # phone: the number on file
        d.tap(d.find("otherNumber"))
        for digit in "13812345678":
            d.tap(d.find(f"key_{digit}"))
        here()  # phone: the keypad
        d.tap(d.find("primaryButton"))
        here()  # review
        # Hold the submission (the outbox keeps retrying) so the working screen can be measured.
        sim.inject_faults(
            "/v1/applications", "service_unavailable", count=10_000, method="POST", retry_after_s=1
        )
        d.tap(d.find("primaryButton"))
        sub = k.window.screens[Step.SUBMIT]
        assert d.step() == "submit" and sub.phase == "sending"
        here()  # submit: sending, with words and no dead end
        assert d.step() == "submit" and sub.phase == "sending"
        sim.clear_faults()
        assert k.outbox.flush(10)
        d.wait(lambda: d.step() == "done", timeout=10, what="done")
        here()  # done
        d.tap(d.find("primaryButton"))
        assert d.step() == "attract"
        assert seen == ["attract"] + [
            s.value
            for s in (
                Step.CONSENT,
                Step.READ_CARD,
                Step.IDENTITY,
                Step.CATEGORY,
                Step.CAPTURE,
                Step.PHONE,
                Step.PHONE,
                Step.REVIEW,
                Step.SUBMIT,
                Step.DONE,
            )
        ]
        assert len(sim.applications()) == 1
    finally:
        k.close()


# --- the edges of controls (WCAG 1.4.11: 3:1 against what is around them) -----------------


def control_border_colours() -> list[tuple[str, str]]:
    """(selector, colour name) of every border set on a control (button, text field, the phone
    display) in the QSS, except disabled and pressed states (not what the resident must find)."""
    qss = (ASSETS / "theme.qss").read_text(encoding="utf-8")
    qss = re.sub(r"/\*.*?\*/", "", qss, flags=re.S)
    qss = re.sub(r"\{\{(\w+)\}\}", r"@\1", qss)
    out = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", qss):
        sel = selector.strip()
        if not re.search(r"QPushButton|QLineEdit|role=\"phone\"", sel) or re.search(r":(disabled|pressed)", sel):
            continue
        for colour in re.findall(r"border(?:-color|-left|-top|-bottom)?:[^;]*?@c_(\w+)", body):
            out.append((sel, colour))
    return out


def test_control_borders_have_3_to_1_contrast():
    found = control_border_colours()
    assert len(found) >= 8, "the QSS parser found too few control borders: did theme.qss change shape?"
    colours = Palette().__dict__
    for selector, name in found:
        # The header is the primary colour; everything else sits on the surface or the background.
        for around in ("primary",) if selector.startswith("#header") else ("surface", "background"):
            ratio = contrast(colours[name], colours[around])
            assert ratio >= 3.0, f"{selector}: border {name} {colours[name]} on {around}: {ratio:.2f}:1"


def test_change_is_a_real_button():
    """'Change' (修改) and 'This is not me' (role link) have a visible edge, not just underlined text."""
    rules = dict(control_border_colours())
    assert rules.get('QPushButton[role="link"]') == "primary"
