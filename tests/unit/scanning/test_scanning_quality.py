"""Quality checks and guidance: each problem gives its code, a good page gives none."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from kiosk.devices.camera.sim_documents import corners_on_tray, document_frame, page_on_tray, render_page
from kiosk.scanning import CODES, assess, guidance_text
from kiosk.scanning.quality import GUIDANCE, Thresholds, corner_angles


@pytest.fixture(scope="module")
def good() -> tuple[np.ndarray, np.ndarray]:
    return document_frame("employment_contract"), corners_on_tray()


def test_good_page_passes(good):
    frame, quad = good
    q = assess(frame, quad, previous=quad)
    assert q.ok and q.code is None and q.codes == ()
    assert 0.25 < q.coverage < 0.4 and q.in_view
    assert q.glare < 0.001 and q.sharpness > Thresholds().min_sharpness * 5
    assert q.max_angle_dev < 3


def test_no_page():
    q = assess(np.zeros((720, 1280, 3), np.uint8), None)
    assert not q.ok and q.code == "no_page"


def test_small_page_move_closer():
    quad = corners_on_tray() * 0.35 + np.float32([400, 200])
    frame = page_on_tray(render_page("employment_contract"), quad)
    q = assess(frame, quad)
    assert q.code == "move_closer" and q.coverage < 0.15


def test_page_cut_by_the_frame_edge(good):
    frame, quad = good
    moved = quad + np.float32([-425, 0])  # left corners off the frame
    q = assess(page_on_tray(render_page("employment_contract"), moved), moved)
    assert q.code == "whole_page" and not q.in_view


def test_glare(good):
    frame, quad = good
    glary = frame.copy()
    cv2.circle(glary, tuple(int(v) for v in quad.mean(0)), 90, (255, 255, 255), -1)
    q = assess(glary, quad)
    assert "glare" in q.codes and q.glare > 0.05


def test_blur(good):
    frame, quad = good
    q = assess(cv2.GaussianBlur(frame, (0, 0), 2.5), quad)
    assert q.code == "blur"


def test_tilt_and_motion(good):
    frame, quad = good
    skew = quad.copy()
    skew[:2] += [300, 0]  # sheared: corners 25 degrees off square
    assert corner_angles(skew).max() > 110
    assert "tilt" in assess(frame, skew).codes
    q = assess(frame, quad, previous=quad + np.float32([30, 0]))
    assert q.code == "hold_still" and "blur" not in q.codes


def test_guidance_text_in_both_languages():
    assert set(GUIDANCE) == set(CODES) | {"captured"}
    for code in GUIDANCE:
        zh, en = guidance_text(code, "zh"), guidance_text(code, "en")
        assert zh and en and zh != en
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)
    assert "hold still" in guidance_text("hold_still", "en").lower()
    assert "closer" in guidance_text("move_closer", "en").lower()
    assert "glare" in guidance_text("glare", "en").lower() and "tilt" in guidance_text("glare", "en").lower()
    assert "whole page" in guidance_text("whole_page", "en").lower()
    assert guidance_text(None, "en") and guidance_text(None, "zh") != guidance_text(None, "en")
