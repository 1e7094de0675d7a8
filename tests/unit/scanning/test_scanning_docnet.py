"""The page network: the shipped file loads in OpenCV and sees a page where there is one; the
detector uses its map to propose the page; a missing or broken file leaves the detector working
without it (one warning, no exception)."""

from __future__ import annotations

import logging
import re

import numpy as np
import pytest

from bench.docdetect import generate as gen
from kiosk.devices.camera.sim_documents import render_page
from kiosk.scanning.detect import DocumentDetector
from kiosk.scanning.docnet import INPUT, MODEL, PageNet
from tests.support.paths import ROOT
from tests.support.quads import page_quad as _quad

CLASSICAL = frozenset({"level", "deglared", "highpass", "bgdist", "lines"})  # every proposal but the network's


def _frame(truth: np.ndarray, colour=(150, 105, 60)) -> np.ndarray:
    img = np.empty((720, 1280, 3), np.float32)
    img[:] = colour
    gen.warp_onto(img, render_page("rental_contract").astype(np.float32), truth)
    return np.clip(img, 0, 255).astype(np.uint8)


def test_shipped_network_is_small_and_documented():
    assert MODEL.is_file(), "assets/models/docnet.onnx is missing"
    assert MODEL.stat().st_size <= 3 * 1024 * 1024
    readme = (ROOT / "assets" / "models" / "README.md").read_text(encoding="utf-8")
    assert "python -m bench.docnet" in readme  # the exact command that trained it


def test_network_sees_the_page_and_not_the_desk():
    truth = _quad(560, 380, 520, 12)
    pm = PageNet().page_map(_frame(truth))
    assert pm is not None and pm.shape == (INPUT // 2, INPUT // 2) and pm.dtype == np.float32
    assert 0.0 <= float(pm.min()) and float(pm.max()) <= 1.0
    g = INPUT // 2
    cx, cy = int(560 / 1280 * g), int(380 / 720 * g)
    assert pm[cy, cx] > 0.9  # the middle of the page
    assert pm[2, g - 3] < 0.1 and pm[g - 3, g - 3] < 0.1  # the desk in the corners
    empty = PageNet().page_map(np.full((720, 1280, 3), (150, 105, 60), np.uint8))
    assert float(np.mean(empty >= 0.5)) < 0.01  # no page: (almost) nothing above one half


def test_the_network_alone_proposes_the_page():
    truth = _quad(700, 350, 500, -15)
    frame = _frame(truth)
    assert DocumentDetector(skip=CLASSICAL, net=PageNet(None)).detect(frame) is None  # nothing proposes
    found = DocumentDetector(skip=CLASSICAL).detect(frame)
    assert found is not None and found.source.startswith("net")
    d = np.linalg.norm(found.corners[:, None] - truth[None], axis=-1).min(0)
    assert d.max() < 3.0  # refined onto the page's edges, not left on the coarse map


@pytest.mark.parametrize("content", [None, b"", b"not an onnx file \x00\xff" * 50])
def test_missing_or_broken_network_leaves_the_classical_detector(tmp_path, caplog, content):
    path = tmp_path / "docnet.onnx"
    if content is not None:
        path.write_bytes(content)
    net = PageNet(path)
    truth = _quad(640, 360, 520, 8)
    frame = _frame(truth)
    with caplog.at_level(logging.WARNING, logger="kiosk.scanning"):
        det = DocumentDetector(net=net)
        first, second = det.detect(frame), det.detect(frame)
    assert net.page_map(frame) is None and not net.available
    assert first is not None and second is not None  # the page is still found
    lines = [r.getMessage() for r in caplog.records if r.name == "kiosk.scanning"]
    assert len(lines) == 1, lines  # said once, not on every frame
    assert re.search(r"unusable, detecting without it", lines[0])
    assert "Traceback" not in lines[0]


@pytest.mark.parametrize("content", [None, b"not an onnx file \x00\xff" * 50])
def test_check_says_why_without_logging(tmp_path, caplog, content):
    path = tmp_path / "docnet.onnx"
    if content is not None:
        path.write_bytes(content)
    with caplog.at_level(logging.DEBUG, logger="kiosk.scanning"):
        problem = PageNet(path).check()
    assert problem and "\n" not in problem
    assert not [r for r in caplog.records if r.name == "kiosk.scanning"]  # the doctor words it itself
    assert PageNet().check() is None  # the shipped file
