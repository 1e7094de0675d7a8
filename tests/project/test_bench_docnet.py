"""Training the page network (bench/docnet): the data are what the network is meant to learn,
and without PyTorch (the kiosk's own environment) the command says what is missing in one line."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from bench.docnet import dataset
from tests.support.paths import ROOT


def test_training_seeds_are_not_benchmark_seeds():
    for name in ("A", "B"):
        seeds = {j[1] for j in dataset.jobs(name, 50)}
        assert not seeds & dataset.BENCH_SEEDS[name]
        assert min(seeds) == dataset.SEEDS[name]


def test_mask_is_the_page_clipped_to_the_frame():
    corners = np.array([[-100, 100], [600, 100], [600, 500], [-100, 500]], np.float32)  # left side out of view
    m = dataset.page_mask(corners, (720, 1280), 256)
    ys, xs = np.nonzero(m > 127)
    assert xs.min() == 0 and abs(xs.max() - 600 * 256 / 1280) <= 1
    assert abs(ys.min() - 100 * 256 / 720) <= 1 and abs(ys.max() - 500 * 256 / 720) <= 1
    assert not dataset.page_mask(None, (720, 1280), 256).any()  # no document: empty


def test_mask_lies_where_the_shrunk_frame_shows_the_page():
    """The mask and the network's input image agree to a fraction of a pixel: a page drawn in
    the frame and shrunk as the network sees it has its centre where the mask has its own (a
    mask drawn without the half-pixel shift between the two grids lies 0.4 px off)."""
    import cv2

    corners = np.array([[301.3, 157.8], [1004.6, 203.1], [951.2, 640.4], [260.7, 588.9]])
    frame = np.zeros((720, 1280), np.uint8)
    cv2.fillPoly(frame, [np.round(corners * 256).astype(np.int32)], 255, cv2.LINE_AA, shift=8)
    seen = dataset.shrink(frame).astype(np.float64)
    mask = dataset.page_mask(corners, (720, 1280)).astype(np.float64)
    ys, xs = np.mgrid[: dataset.SIZE, : dataset.SIZE]
    centre = lambda m: np.array([(m * xs).sum(), (m * ys).sum()]) / m.sum()  # noqa: E731
    assert np.abs(centre(seen) - centre(mask)).max() < 0.05
    assert np.abs(seen - mask).mean() < 1.0


def test_rendered_frame_matches_its_mask():
    images, masks = zip(*(dataset._render(("B", 2000, i)) for i in (0, 5)), strict=True)  # desk, negative
    assert images[0].shape == (dataset.SIZE, dataset.SIZE, 3) and masks[0].shape == (dataset.SIZE, dataset.SIZE)
    assert 0.03 < float(np.mean(masks[0] > 127)) < 0.97
    assert not masks[1].any()


def test_without_pytorch_the_command_says_what_is_missing():
    try:
        import torch  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("PyTorch is installed here (a training environment)")
    r = subprocess.run([sys.executable, "-m", "bench.docnet", "--data", "/nonexistent/x.npz"], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2
    assert "pip install torch==2.13.0 onnx" in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("content", [b"garbage", None])
def test_a_file_that_is_not_training_frames_is_one_clear_error(tmp_path, content):
    path = tmp_path / "train.npz"
    if content is None:
        np.savez(path, a=np.zeros(3))  # an archive, but not of training frames
    else:
        path.write_bytes(content)
    with pytest.raises(ValueError, match=r"not a file of training frames .*delete it to render the frames again"):
        dataset.build(path, 1, 1)
