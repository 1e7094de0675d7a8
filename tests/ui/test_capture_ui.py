"""The capture screen: the simulated clip (a page slides in, is held still, is taken away)
ends in a page photographed by itself, straightened to A4 and compact."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from tests.support.journey_steps import take_pages, to_capture, to_identity, visible_texts
from tests.support.kiosk import make_kiosk


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


@pytest.mark.allow_log(r"^kiosk\.flow\.journey: camera lost at capture; the session", r"^kiosk\.screens\.materials: capture: camera lost after the shutter")
def test_the_camera_lost_at_the_shutter_ends_the_session_in_the_failsafe(kiosk, sim):
    """Issue 17, case 6: the camera unplugged just as the shutter is pressed left the screen busy
    (which paused the idle timer) with the name and pages on screen for as long as the camera was
    down. Now the session is wiped, the calm notice shows, and the kiosk is back at attract."""
    k, d = kiosk
    to_capture(d)
    take_pages(d, 1)
    k.camera.disconnect()  # unplugged: the last frame is still the screen's, the next one never comes
    d.tap(d.find("shootButton"))
    d.wait(lambda: d.step() == "attract", timeout=10, what="back to attract")
    assert d.win.overlay.kind == "failsafe"
    assert not k.session.holds_personal_data()
    assert "林海" not in " ".join(visible_texts(d.win))
    assert not d.win.idle.paused and not d.win.idle.active
    assert k.heartbeat.last_error is not None and k.heartbeat.last_error["code"] == "camera_lost"
    ended = [r for r in k.journey.events.recorded if r["event"] == "session_ended"]
    assert ended and ended[-1]["how"] == "failsafe" and ended[-1]["step"] == "capture"


def test_the_idle_timer_pauses_only_while_the_work_makes_progress(qtbot):
    """A busy screen whose work stalls (no progress for ``stall_ms``) no longer holds the idle
    timer: the warning comes, then the timeout that wipes the session."""
    from kiosk.screens.idle import IdleMonitor

    idle = IdleMonitor(idle_ms=150, warning_s=1, stall_ms=1000)
    idle.start()
    idle.pause()
    for _ in range(3):  # progress keeps it paused
        qtbot.wait(150)
        idle.progress()
        assert idle.paused and not idle.warning
    with qtbot.waitSignal(idle.warn, timeout=3000):  # then the work stops moving
        pass
    assert idle.stalls == 1 and not idle.paused
    with qtbot.waitSignal(idle.expired, timeout=3000):
        pass
