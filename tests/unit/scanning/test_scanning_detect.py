"""Corner detection: known quads found within a few pixels, in the right order; no page -> None."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from bench.docdetect import generate as gen
from bench.docdetect.score import docplane_iou
from kiosk.devices.camera.sim_documents import corners_on_tray, document_frame, page_on_tray, render_page
from kiosk.scanning import detect_document, find_document, order_corners
from tests.support.quads import page_quad as _quad

TOL = 3.0  # pixels, at 1280x720


def _err(found: np.ndarray | None, truth: np.ndarray) -> float:
    assert found is not None, "no page found"
    assert found.shape == (4, 2) and found.dtype == np.float32
    return float(np.max(np.linalg.norm(found - truth, axis=1)))


def _scene(background: np.ndarray, corners: np.ndarray, category: str = "rental_contract") -> np.ndarray:
    img = background.astype(np.float32).copy()
    gen.warp_onto(img, render_page(category).astype(np.float32), corners)
    return np.clip(img, 0, 255).astype(np.uint8)


def test_simulated_tray_document():
    truth = corners_on_tray()
    assert _err(detect_document(document_frame("employment_contract")), truth) < 1.5


@pytest.mark.parametrize("angle", [-25.0, -8.0, 0.0, 12.0, 28.0])
def test_rotated_page_corners_in_order(angle: float):
    truth = _quad(660, 370, 560, angle)
    frame = page_on_tray(render_page("employment_certificate"), truth)
    found = detect_document(frame)
    assert _err(found, truth) < TOL


def test_perspective_tilt_on_texture():
    rng = np.random.default_rng(5)
    bg = gen._wood(rng, 720, 1280, 0.35)
    truth = np.float32([[420, 90], [880, 130], [930, 650], [360, 610]])
    assert _err(detect_document(_scene(bg, truth)), truth) < TOL


def test_white_page_on_light_tray():
    bg = np.full((720, 1280, 3), 222, np.float32) + np.float32([0, 2, 4])
    truth = _quad(640, 360, 600, 7)
    assert _err(detect_document(_scene(bg, truth)), truth) < TOL


def test_corner_under_a_finger():
    rng = np.random.default_rng(2)
    bg = gen.bg_plain(rng, 720, 1280)
    truth = _quad(600, 360, 620, -6)
    img = bg.astype(np.float32)
    gen.warp_onto(img, render_page("rental_contract").astype(np.float32), truth)
    gen.finger(rng, img, truth[1].astype(np.float64), np.array([1.0, -0.6]), 55.0)
    found = detect_document(np.clip(img, 0, 255).astype(np.uint8))
    assert _err(found, truth) < 4.0


def test_blur_noise_and_glare():
    rng = np.random.default_rng(9)
    bg = gen.bg_plain(rng, 720, 1280)
    truth = _quad(700, 350, 560, 15)
    img = bg.astype(np.float32)
    gen.warp_onto(img, render_page("business_license").astype(np.float32), truth)
    img += gen.glare(rng, 720, 1280, truth.mean(0) + [60, -80], 90)[..., None]
    img = cv2.GaussianBlur(img, (0, 0), 1.5) + rng.normal(0, 4, img.shape).astype(np.float32)
    assert _err(detect_document(np.clip(img, 0, 255).astype(np.uint8)), truth) < TOL


def test_empty_tray_and_blank_frames_have_no_page():
    from kiosk.devices.camera.sim_documents import tray

    assert detect_document(tray()) is None
    assert detect_document(np.zeros((720, 1280, 3), np.uint8)) is None
    assert detect_document(np.full((480, 640, 3), 255, np.uint8)) is None


def _lookalike(kind: str, seed: int) -> np.ndarray:
    """A plain surface with a page-like object of the benchmark's no-document frames on it."""
    rng = np.random.default_rng(seed)
    img = np.ascontiguousarray(gen.bg_plain(rng, 720, 1280), np.float32)
    {"keyboard": gen._keyboard, "tablet": gen._tablet, "book": gen._book}[kind](rng, img, 1280, 720)
    return np.clip(img, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("kind", ["keyboard", "tablet"])
def test_lookalikes_are_not_pages(kind: str):
    assert detect_document(_lookalike(kind, 11)) is None


def test_hard_shadow_across_a_page_on_a_light_tray():
    """A shadow's straight edge cuts the page in two: the whole page is found, not its lit part."""
    bg = np.full((720, 1280, 3), 205, np.float32) + np.float32([4, 0, -4])
    truth = _quad(640, 360, 620, -9)
    img = bg.copy()
    gen.warp_onto(img, render_page("employment_certificate").astype(np.float32), truth)
    yy, xx = np.mgrid[0:720, 0:1280]
    shade = np.where(yy > 0.18 * (xx - 640) + 430, 0.62, 1.0).astype(np.float32)  # hard edge
    frame = np.clip(img * shade[..., None], 0, 255).astype(np.uint8)
    assert _err(detect_document(frame), truth) < 4.0


def test_page_on_a_tray_that_turns_from_darker_to_brighter_than_it():
    """A white page on a tray shading from darker to brighter than the paper: no threshold
    separates them, but the page's border is still four straight edges."""
    rng = np.random.default_rng(3)
    h, w = 720, 1280
    xx = np.linspace(-1, 1, w, dtype=np.float32)[None, :, None]
    bg = np.broadcast_to(222 + 28 * xx, (h, w, 3)).astype(np.float32) + np.float32([3, 0, -3])
    truth = _quad(640, 370, 560, 11)
    img = bg.copy()
    gen.warp_onto(img, render_page("income_certificate").astype(np.float32), truth)
    img += rng.normal(0, 2.5, img.shape).astype(np.float32)
    assert _err(detect_document(np.clip(img, 0, 255).astype(np.uint8)), truth) < 4.0


def test_book_covers_are_not_pages():
    """A cover with a big title and little else is not a printed page (40 covers, none taken)."""
    taken = [seed for seed in range(40) if detect_document(_lookalike("book", seed)) is not None]
    assert taken == []


def test_generator_sample_scores_high():
    """A few frames of the benchmark's kiosk profile (fixed seed): IoU in the document plane."""
    ious = []
    for i in (5, 12, 19):  # index % 7 == 5: the kiosk profile
        s = gen.sample(99, i)
        assert s.family == "kiosk"
        ious.append(docplane_iou(s.corners, detect_document(s.image), s.page_size))
    assert min(ious) > 0.95


def test_detection_details_and_odd_inputs():
    d = find_document(document_frame("employment_contract"))
    assert d is not None and 0.5 <= d.score <= 1.0 and len(d.support) == 4
    assert detect_document(np.zeros((8, 8, 3), np.uint8)) is None
    # a portrait camera frame and a small one work too
    truth = _quad(360, 640, 700, 4)
    frame = page_on_tray(render_page("student_card"), truth, size=(720, 1280))
    assert _err(detect_document(frame), truth) < TOL
    small = cv2.resize(document_frame("employment_contract"), (640, 360), interpolation=cv2.INTER_AREA)
    assert _err(detect_document(small), (corners_on_tray() + 0.5) / 2 - 0.5) < 1.5


def test_order_corners():
    q = _quad(0, 0, 100, 20)
    for k in range(4):
        shuffled = np.roll(q, k, axis=0)[::-1]  # any start, either direction
        assert np.allclose(order_corners(shuffled), q, atol=1e-4)
