"""Auto-capture: fires once after about a second of a steady, good page; the simulated camera's
clip (page slides in, lies still, is taken away) ends in exactly one straightened page."""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.devices.camera.sim import SimCamera
from kiosk.devices.camera.sim_documents import corners_on_tray, render_page
from kiosk.scanning import MAX_JPEG_BYTES, AutoCapture, Phase, Scanner
from kiosk.scanning.quality import Quality

GOOD = Quality(True, 0.3, True, 1.0, 0.0, 0.0, 500.0, ())
BAD = Quality(True, 0.3, True, 1.0, 0.0, 0.2, 500.0, ("glare",))
QUAD = corners_on_tray()
DIAG = float(np.hypot(1280, 720))


def feed(ac: AutoCapture, t0: float, t1: float, quad, quality, fps: float = 15.0) -> list:
    out = []
    t = t0
    while t < t1 - 1e-9:
        out.append(ac.update(t, quad, quality, DIAG))
        t += 1 / fps
    return out


def test_fires_once_after_a_steady_second():
    ac = AutoCapture(hold_s=1.0)
    states = feed(ac, 0.0, 3.0, QUAD, GOOD)
    fired = [i for i, s in enumerate(states) if s.fire]
    assert len(fired) == 1
    assert 14 <= fired[0] <= 16  # about one second at 15 fps
    progress = [s.progress for s in states[: fired[0] + 1]]
    assert progress == sorted(progress) and progress[0] == 0.0 and progress[-1] == 1.0
    assert all(s.phase == Phase.WAITING for s in states[fired[0] + 1 :])


def test_small_jitter_is_steady_but_movement_restarts():
    ac = AutoCapture(hold_s=1.0)
    rng = np.random.default_rng(0)
    fired_at = None
    for i in range(40):
        jitter = QUAD + rng.normal(0, 0.8, QUAD.shape).astype(np.float32)
        if fired_at is None and ac.update(i / 15, jitter, GOOD, DIAG).fire:
            fired_at = i
    assert fired_at is not None and fired_at <= 16
    ac = AutoCapture(hold_s=1.0)
    states = [ac.update(i / 15, QUAD + np.float32([i * 4.0, 0]), GOOD, DIAG) for i in range(30)]  # sliding
    assert not any(s.fire for s in states)
    assert max(s.progress for s in states) < 0.5


def test_quality_problem_or_lost_page_restarts_the_count():
    ac = AutoCapture(hold_s=1.0)
    feed(ac, 0.0, 0.8, QUAD, GOOD)
    assert ac.update(0.8, QUAD, BAD, DIAG).progress == 0.0
    assert ac.update(0.87, None, None, DIAG).phase == Phase.SEARCHING
    states = feed(ac, 1.0, 1.9, QUAD, GOOD)
    assert not any(s.fire for s in states)
    assert any(s.fire for s in feed(ac, 1.9, 2.3, QUAD, GOOD))


def test_rearms_when_the_page_is_removed_or_replaced():
    ac = AutoCapture(hold_s=1.0, absent_s=0.4)
    assert sum(s.fire for s in feed(ac, 0.0, 1.5, QUAD, GOOD)) == 1
    assert ac.waiting_for_change
    feed(ac, 1.5, 1.7, None, None)  # a short gap (a hand passing): still the same page
    assert ac.waiting_for_change
    assert sum(s.fire for s in feed(ac, 1.7, 3.0, QUAD, GOOD)) == 0
    feed(ac, 3.0, 3.6, None, None)  # removed
    assert not ac.waiting_for_change
    assert sum(s.fire for s in feed(ac, 3.6, 5.0, QUAD, GOOD)) == 1
    # the next page put down elsewhere counts as new without an empty tray in between
    assert sum(s.fire for s in feed(ac, 5.0, 6.5, QUAD + np.float32([200, 0]), GOOD)) == 1


def test_manual_capture_disarms_auto_capture():
    ac = AutoCapture(hold_s=1.0)
    feed(ac, 0.0, 0.5, QUAD, GOOD)
    ac.mark_captured(QUAD)
    assert sum(s.fire for s in feed(ac, 0.5, 3.0, QUAD, GOOD)) == 0
    ac.reset()
    assert sum(s.fire for s in feed(ac, 3.0, 4.5, QUAD, GOOD)) == 1


def test_simulated_clip_ends_in_one_straightened_page():
    cam = SimCamera()
    truth = cam.play_clip("employment_contract", fps=15.0, hold_s=2.0)
    assert cam.open()
    scanner = Scanner()
    captured = []
    codes = set()
    for i in range(len(truth) + 5):
        frame = cam.read()
        assert frame is not None
        result = scanner.process(frame, t=i / 15.0)
        if result.code:
            codes.add(result.code)
        if i < len(truth) and truth[i] is not None and result.corners is not None and result.state.phase != Phase.WAITING:
            if i < len(truth) - 1 and truth[i + 1] is not None and np.allclose(truth[i], truth[i + 1]):
                assert np.max(np.linalg.norm(result.corners - truth[i], axis=1)) < 3.0
        if result.state.fire:
            captured.append((i, scanner.capture(frame, result.corners)))
            assert result.code is None
    assert cam.finished
    assert len(captured) == 1, "exactly one capture for one page"
    i, page = captured[0]
    assert truth[i] is not None and np.allclose(truth[i], corners_on_tray())  # while it lay still
    assert "no_page" in codes
    assert page.image.shape[:2] == (1754, 1240)
    assert len(page.jpeg) <= MAX_JPEG_BYTES
    decoded = cv2.imdecode(np.frombuffer(page.jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
    original = cv2.cvtColor(render_page("employment_contract"), cv2.COLOR_BGR2GRAY)
    a = cv2.GaussianBlur(cv2.resize(decoded, (155, 219), interpolation=cv2.INTER_AREA).astype(np.float32), (0, 0), 1.5)
    b = cv2.GaussianBlur(cv2.resize(original, (155, 219), interpolation=cv2.INTER_AREA).astype(np.float32), (0, 0), 1.5)
    a, b = a - a.mean(), b - b.mean()
    assert (a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()) > 0.9


def test_manual_capture_without_a_page_uses_the_whole_frame():
    scanner = Scanner()
    empty = np.full((720, 1280, 3), 60, np.uint8)
    page = scanner.manual_capture(empty)
    assert page.corners is None and page.image.shape[0] >= 1240 and len(page.jpeg) <= MAX_JPEG_BYTES
    assert scanner.auto.waiting_for_change
