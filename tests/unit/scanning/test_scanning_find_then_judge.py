"""Find, then judge: a blurred, glared or partly hidden page is still outlined, and the quality
checks say what is wrong. A corner out of the frame is where the two sides cut by it meet."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from bench.docdetect import generate as gen
from bench.docdetect.score import docplane_iou
from kiosk.devices.camera.sim_documents import render_page
from kiosk.scanning import assess, detect_document
from kiosk.scanning.geometry import on_frame_edge, reduce_to_quad
from kiosk.scanning.quality import BLUR, GLARE, HOLD_STILL, WHOLE_PAGE
from tests.support.quads import page_quad as _quad


def _page(truth: np.ndarray, colour=(150, 105, 60), category: str = "rental_contract") -> np.ndarray:
    """A page on a plain coloured desk (float32 BGR)."""
    img = np.empty((720, 1280, 3), np.float32)
    img[:] = colour
    gen.warp_onto(img, render_page(category).astype(np.float32), truth)
    return img


def _u8(img: np.ndarray) -> np.ndarray:
    return np.clip(img, 0, 255).astype(np.uint8)


def _corner_err(found: np.ndarray | None, truth: np.ndarray) -> np.ndarray:
    assert found is not None, "no page found"
    d = np.linalg.norm(found[:, None, :] - truth[None, :, :], axis=-1)
    return d.min(0)  # for each true corner, the nearest found one


@pytest.mark.parametrize(("centre", "angle"), [((220, 360), 18.0), ((640, 200), 30.0), ((1100, 380), -20.0),
                                               ((640, 470), -28.0)])
def test_a_corner_out_of_the_frame_is_extrapolated(centre, angle):
    truth = _quad(centre[0], centre[1], 480, angle)
    outside = (truth[:, 0] < 0) | (truth[:, 0] > 1279) | (truth[:, 1] < 0) | (truth[:, 1] > 719)
    assert outside.sum() == 1  # the scene: exactly one corner out of view
    frame = _u8(_page(truth))
    found = detect_document(frame)
    err = _corner_err(found, truth)
    assert err[~outside].max() < 3.0
    assert err[outside][0] < 10.0  # where the two visible sides meet, beyond the frame
    q = assess(frame, found)
    assert not q.in_view and q.code == WHOLE_PAGE  # outline shown, and the resident told why


def test_a_corner_under_a_hand_is_where_its_sides_meet():
    truth = _quad(640, 360, 560, 10)
    img = _page(truth, colour=(120, 160, 110))
    rng = np.random.default_rng(4)
    gen.finger(rng, img, truth[2].astype(np.float64) - 20, np.array([0.6, 1.0]), 70.0)
    gen.finger(rng, img, truth[2].astype(np.float64) + [-30, -10], np.array([0.2, 1.0]), 70.0)
    err = _corner_err(detect_document(_u8(img)), truth)
    assert err.max() < 6.0


def test_a_blurred_page_is_found_and_quality_says_blur():
    truth = _quad(640, 360, 520, -7)
    img = cv2.GaussianBlur(_page(truth, colour=(70, 70, 72)), (0, 0), 5.0)
    frame = _u8(img)
    found = detect_document(frame)
    assert docplane_iou(truth, found) > 0.95
    q = assess(frame, found, previous=found)
    assert BLUR in q.codes


def test_a_page_in_motion_is_found_and_quality_says_hold_still():
    truth = _quad(640, 360, 520, 5)
    k = np.zeros((1, 25), np.float32)
    k[0] = 1 / 25
    frame = _u8(cv2.filter2D(_page(truth), -1, k))  # 25 px of horizontal motion blur
    found = detect_document(frame)
    assert docplane_iou(truth, found) > 0.95
    moved = found + np.float32([30, 0])  # where it was a frame ago
    assert assess(frame, found, previous=moved).code == HOLD_STILL


def test_a_page_under_a_lamps_glare_is_found_and_quality_says_glare():
    truth = _quad(640, 360, 560, 3)
    img = _page(truth, colour=(40, 40, 45))
    yy, xx = np.mgrid[0:720, 0:1280].astype(np.float32)
    r2 = ((xx - 560) / 110) ** 2 + ((yy - 300) / 80) ** 2
    img += (np.clip(1.5 - r2, 0, 1) * 260 + np.exp(-r2 / 5) * 60)[..., None]
    frame = _u8(img)
    found = detect_document(frame)
    assert docplane_iou(truth, found) > 0.95
    assert GLARE in assess(frame, found, previous=found).codes


def test_cream_paper_under_warm_light_is_paper():
    truth = _quad(640, 360, 540, -12)
    img = _page(truth, colour=(140, 100, 60))
    img *= np.float32([0.72, 0.9, 1.08])  # a warm lamp: the page turns cream
    assert docplane_iou(truth, detect_document(_u8(img))) > 0.97


def test_frame_edges_go_first_when_a_polygon_is_reduced():
    # a page whose top-left corner is cut off by the left border of a 100x100 frame
    poly = np.array([[0, 40], [20, 10], [90, 20], [80, 95], [0, 80]], np.float64)  # (0,40)-(0,80): the cut
    assert on_frame_edge(poly, (100, 100)).tolist() == [False, False, False, False, True]
    plain = reduce_to_quad(poly)
    extended = reduce_to_quad(poly, (100, 100))
    assert plain is not None and extended is not None
    # the sides cut by the frame meet beyond it
    assert extended[:, 0].min() < 0
    assert not np.allclose(np.sort(plain, 0), np.sort(extended, 0))
