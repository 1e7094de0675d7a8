"""Perspective correction to an upright A4 page, clean-up, and the size-capped JPEG."""

from __future__ import annotations

import cv2
import numpy as np

from bench.docdetect import generate as gen
from kiosk.devices.camera.sim_documents import corners_on_tray, document_frame, page_on_tray, render_page
from kiosk.scanning import MAX_JPEG_BYTES, clean_up, detect_document, encode_jpeg, warp_page
from kiosk.scanning.warp import page_size


def _similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of two pages compared in grey at a common size (1.0 = identical)."""
    size = (155, 219) if a.shape[0] > a.shape[1] else (219, 155)

    def grey(x: np.ndarray) -> np.ndarray:
        g = cv2.resize(cv2.cvtColor(x, cv2.COLOR_BGR2GRAY), size, interpolation=cv2.INTER_AREA)
        return cv2.GaussianBlur(g.astype(np.float32), (0, 0), 1.5)

    ga, gb = grey(a), grey(b)
    ga, gb = ga - ga.mean(), gb - gb.mean()
    return float((ga * gb).sum() / np.sqrt((ga * ga).sum() * (gb * gb).sum()))


def test_straightened_page_matches_the_original():
    frame = document_frame("employment_contract")
    page = warp_page(frame, detect_document(frame))
    assert page.shape[:2] == (1754, 1240)
    assert _similarity(page, render_page("employment_contract")) > 0.9


def test_perspective_and_rotation_are_undone():
    truth = np.float32([[430, 60], [900, 110], [950, 690], [380, 650]])
    img = gen.bg_plain(np.random.default_rng(1), 720, 1280).astype(np.float32)
    gen.warp_onto(img, render_page("rental_contract").astype(np.float32), truth)
    frame = np.clip(img, 0, 255).astype(np.uint8)
    page = warp_page(frame, detect_document(frame))
    assert page.shape[:2] == (1754, 1240)
    assert _similarity(page, render_page("rental_contract")) > 0.85
    # upside-down input corners would give a poor match: the check above is meaningful
    assert _similarity(page[::-1, ::-1], render_page("rental_contract")) < 0.6


def test_landscape_page_and_bigger_output():
    land = np.float32([[200, 150], [1000, 150], [1000, 716], [200, 716]])  # wider than tall
    assert page_size(land) == (1754, 1240)
    assert page_size(corners_on_tray()) == (1240, 1754)
    out = warp_page(document_frame("employment_contract"), corners_on_tray(), long_side=2339)
    assert out.shape[:2] == (2339, 1654)
    assert warp_page(document_frame("employment_contract"), corners_on_tray(), long_side=100).shape[:2] == (1754, 1240)


def test_clean_up_whitens_uneven_paper_and_keeps_ink_and_seal():
    page = render_page("employment_contract").astype(np.float32)
    ramp = np.linspace(0.6, 1.0, page.shape[1], dtype=np.float32)[None, :, None]  # one side in shade
    dim = np.clip(page * ramp, 0, 255).astype(np.uint8)
    out = clean_up(dim)
    assert out.shape == dim.shape and out.dtype == np.uint8
    paper_left, paper_right = out[40:80, 30:90].mean(), out[40:80, -90:-30].mean()
    assert paper_left > 235 and paper_right > 235 and abs(paper_left - paper_right) < 8
    assert out[..., 0].min() < 80  # ink stays dark
    seal = out[1354:1554, 780:980].reshape(-1, 3).astype(int)  # around the red seal
    assert ((seal[:, 2] - seal[:, 1]) > 80).any()  # and red stays red


def test_jpeg_under_400_kb_and_legible():
    frame = page_on_tray(render_page("employment_certificate"), corners_on_tray())
    noisy = np.clip(frame.astype(np.int16) + np.random.default_rng(0).integers(-12, 13, frame.shape), 0, 255)
    page = warp_page(noisy.astype(np.uint8), corners_on_tray())
    data = encode_jpeg(page)
    assert len(data) <= MAX_JPEG_BYTES
    back = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert back.shape == page.shape
    assert _similarity(back, page) > 0.97
    assert len(encode_jpeg(clean_up(page))) <= MAX_JPEG_BYTES


def test_jpeg_that_cannot_fit_at_full_size_is_scaled_down():
    rng = np.random.default_rng(1)
    noise = rng.integers(0, 256, (1754, 1240, 3), dtype=np.uint8)
    data = encode_jpeg(noise, max_bytes=150_000)
    assert len(data) <= 150_000
    back = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert back.shape[0] < 1754
