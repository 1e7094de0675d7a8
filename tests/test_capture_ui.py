"""The capture screen: the simulated clip (a page slides in, is held still, is taken away)
ends in a page photographed by itself, straightened to A4 and compact."""

from __future__ import annotations

import cv2
import numpy as np

from tests.conftest import make_kiosk
from tests.journey_steps import to_identity


def test_capture_screen_auto_captures_a_straightened_page(qtbot, kiosk_config, sim):
    cfg = kiosk_config.with_overrides(devices={"auto_capture": True})
    k, d = make_kiosk(qtbot, cfg)
    try:
        to_identity(d)
        d.tap(d.find("primaryButton"))  # yes, this is me: on to the documents
        k.camera.play_clip("employment_contract", hold_s=3.0)
        d.tap(d.find("category_employment_contract"))
        screen = d.win.current_screen()
        d.wait(lambda: screen.scan is not None and screen.scan.corners is not None, timeout=15, what="page found")
        d.wait(lambda: len(k.session.application.pages) == 1, timeout=20, what="auto-capture")
        assert screen.auto_captures == 1
        jpeg = bytes(k.session.application.pages[0].jpeg)
        assert len(jpeg) <= 400 * 1024
        page = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
        h, w = page.shape[:2]
        assert (w, h) >= (1240, 1754) or (h, w) >= (1240, 1754)
        # Straightened: the page fills the image (no dark tray around it).
        assert float(page[:40].mean()) > 150 and float(page[-40:].mean()) > 150
        # Held still after the capture: no second photo of the same page.
        d.pump(1500)
        assert len(k.session.application.pages) == 1
        assert d.win.primary_button.isEnabled()
    finally:
        k.close()


def test_shutter_button_straightens_too(kiosk, sim):
    k, d = kiosk
    to_identity(d)
    d.tap(d.find("primaryButton"))
    k.camera.show_document("employment_contract")
    d.tap(d.find("category_employment_contract"))
    screen = d.win.current_screen()
    d.wait(lambda: screen.feed.snapshot() is not None, what="frames")
    d.tap(d.find("shootButton"))
    d.wait(lambda: len(k.session.application.pages) == 1, timeout=10, what="page")
    page = cv2.imdecode(np.frombuffer(bytes(k.session.application.pages[0].jpeg), np.uint8), cv2.IMREAD_COLOR)
    assert page.shape[0] >= 1754 and page.shape[1] >= 1240
    assert screen.auto_captures == 0


def test_each_page_laid_down_after_the_last_is_taken_by_itself(qtbot, kiosk_config, sim):
    """Page 1 is taken, lifted away, page 2 is put down: page 2 is photographed without a tap,
    and "done" is the one tap on the capture screen."""
    cfg = kiosk_config.with_overrides(devices={"auto_capture": True})
    k, d = make_kiosk(qtbot, cfg)
    try:
        to_identity(d)
        d.tap(d.find("primaryButton"))
        k.camera.play_pages("employment_contract", 2)
        taps = d.taps
        d.tap(d.find("category_employment_contract"))
        screen = d.win.current_screen()
        d.wait(lambda: len(k.session.application.pages) == 2 or k.camera.finished, timeout=60, what="two pages")
        assert len(k.session.application.pages) == 2 and screen.auto_captures == 2
        assert [p.number for p in k.session.application.pages] == [1, 2]
        d.pump(1000)  # the tray is empty now: nothing more is taken
        assert len(k.session.application.pages) == 2
        d.tap(d.find("primaryButton"))
        assert d.step() == "phone" and d.taps - taps == 2  # the document, then "done"
    finally:
        k.close()
