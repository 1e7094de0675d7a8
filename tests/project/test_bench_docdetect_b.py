"""Generator B of the document benchmark: deterministic frames, exact and honest ground truth."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from bench.docdetect import __main__ as bench
from bench.docdetect_b import generate as gen_b
from bench.docdetect_b.camera import Camera, Sheet, rotation, sheet_map

INDICES = range(0, 12)


@pytest.fixture(scope="module")
def frames() -> list[gen_b.Sample]:
    return [gen_b.sample(7, i) for i in INDICES]


def test_frames_depend_only_on_seed_and_index(frames):
    for i in (1, 4, 5):
        again = gen_b.sample(7, i)
        assert again.family == frames[i].family and again.tags == frames[i].tags
        assert np.array_equal(again.image, frames[i].image)
    assert not np.array_equal(gen_b.sample(8, 1).image, frames[1].image)


def test_families_cycle_and_truth_is_inside_the_frame_or_flagged(frames):
    for s in frames:
        assert s.family == gen_b.FAMILIES[s.index % len(gen_b.FAMILIES)]
        h, w = s.image.shape[:2]
        assert s.image.dtype == np.uint8 and s.image.shape[2] == 3
        if s.family == "negative":
            assert s.corners is None and s.tags[0] in gen_b.NEGATIVES
            continue
        inside = (s.corners[:, 0] >= 0) & (s.corners[:, 0] <= w - 1) & (s.corners[:, 1] >= 0) & (s.corners[:, 1] <= h - 1)
        if "corner_out" in s.tags:
            assert inside.sum() == 3
        else:
            assert inside.all(), (s.index, s.tags, s.corners)


def test_a_corner_out_placement_leaves_exactly_one_corner_out():
    placed = 0
    for k in range(20):
        rng = np.random.default_rng(k)
        cam = gen_b._camera(rng, (1280, 720), "desk")
        sheet = gen_b._pose(rng, cam, (210.0, 297.0), "desk", corner_out=True)
        if sheet is None:  # (no placement found: the frame falls back to an ordinary one)
            continue
        c = gen_b._truth(cam, sheet)
        inside = (c[:, 0] >= 0) & (c[:, 0] <= 1279) & (c[:, 1] >= 0) & (c[:, 1] <= 719)
        assert inside.sum() == 3
        placed += 1
    assert placed >= 15


def test_lens_distortion_round_trip_is_exact():
    cam = Camera(900.0, (1280, 720), k1=0.1, k2=0.03, margin=90)
    pts = np.array([[100.0, 100.0], [1300.0, 700.0], [640.0 + 90, 360.0 + 90]])
    d = cam.distort_points(pts)
    # the forward model: undistorted = distorted * (1 + k1 r^2 + k2 r^4) about the centre
    c = np.array([640.0, 360.0])
    norm = np.hypot(1280, 720) / 2
    r = np.linalg.norm((d - c) / norm, axis=1)
    back = c + (d - c) * (1 + 0.1 * r**2 + 0.03 * r**4)[:, None] + 90
    assert np.allclose(back, pts, atol=1e-6)


def test_a_flat_sheet_projects_its_corners_like_a_pinhole():
    cam = Camera(1000.0, (1280, 720))
    sheet = Sheet((200.0, 300.0), np.array([0.0, 0.0, 1000.0]), rotation(0.0, 0.0, 0.0))
    p = cam.project(sheet.points(np.array([0.0, 200.0]), np.array([0.0, 300.0])))
    assert np.allclose(p, [[540.0, 210.0], [740.0, 510.0]])


@pytest.mark.parametrize("angle", [0.0, 17.0])
def test_the_sheet_is_drawn_where_its_corners_are(angle):
    """The map from canvas pixels to sheet millimetres puts the sheet's corners on the pixels its
    true corners project to (a sign error once drew every page 3 px off its ground truth)."""
    cam = Camera(1000.0, (1280, 720))
    sheet = Sheet((200.0, 300.0), np.array([10.0, -5.0, 1000.0]), rotation(np.radians(angle), 0.2, -0.1))
    u, v, mm_per_px = sheet_map(cam, sheet)
    corners = cam.project(sheet.points(np.array([0.0, 200.0, 200.0, 0.0]), np.array([0.0, 0.0, 300.0, 300.0])))
    for (x, y), want in zip(corners, [(0, 0), (200, 0), (200, 300), (0, 300)], strict=True):
        got = np.array([cv2.getRectSubPix(m, (1, 1), (float(x), float(y)))[0, 0] for m in (u, v)])
        px = float(mm_per_px[int(round(y)), int(round(x))])
        assert np.all(np.abs(got - want) <= 0.25 * px), (got, want)  # within a quarter of a pixel


def test_benchmark_rejects_bad_arguments(capsys):
    with pytest.raises(SystemExit) as e:
        bench.main(["--gen", "both", "--seed", "3"])
    assert e.value.code == 2
    assert "--seed needs --gen A or --gen B" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        bench.main(["--gen", "B", "--n", "0"])


@pytest.mark.parametrize(("args", "message"), [
    (["--model", "/nonexistent/docnet.onnx"], "--model: no such file: /nonexistent/docnet.onnx"),
    (["--model", "x.onnx", "--no-net"], "--no-net and --model exclude each other"),
])
def test_benchmark_rejects_a_bad_model_choice(capsys, args, message):
    with pytest.raises(SystemExit) as e:
        bench.main(args)
    assert e.value.code == 2
    assert message in capsys.readouterr().err
