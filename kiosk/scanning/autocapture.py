"""When to take the photo by itself, and the per-frame pipeline the capture screen calls.

``AutoCapture`` is a pure state machine fed with (timestamp, quad, quality) for every analysed
frame. It fires once the page has stayed put for ``hold_s`` seconds with quality passing, and
reports progress 0..1 for a ring around the shutter button. After a capture it waits until the
page is taken away (no page for a moment) or moved/changed before it can fire again, so one
page is never captured twice.

``Scanner`` strings together detection, quality checks and auto-capture for one frame, and turns
the frame into the straightened JPEG when it is time. No Qt here: the screen calls it from a
worker thread and shows the result.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from kiosk.scanning.detect import detect_document
from kiosk.scanning.quality import NO_PAGE, Quality, Thresholds, assess, guidance_text
from kiosk.scanning.warp import MAX_JPEG_BYTES, clean_up, encode_jpeg, warp_page


class Phase(enum.StrEnum):
    SEARCHING = "searching"  # no usable page yet
    STEADYING = "steadying"  # page good, counting down
    CAPTURED = "captured"  # just fired (one update)
    WAITING = "waiting"  # after a capture: remove or change the page


@dataclass(frozen=True)
class CaptureState:
    phase: Phase
    progress: float  # 0..1, for the ring
    fire: bool  # True exactly once per capture: take the photo now
    stable_s: float = 0.0


def _corner_shift(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.linalg.norm(np.asarray(a, np.float64).reshape(4, 2) - np.asarray(b, np.float64).reshape(4, 2), axis=1)))


class AutoCapture:
    """``hold_s``: how long the page must stay put with quality passing. ``move_tol``: how far
    (share of the frame diagonal) a corner may drift from where it was when the count started.
    ``absent_s``: how long the page must be gone to count as removed. ``change_tol``: a captured
    page moved by more than this (share of the diagonal) counts as a new page."""

    def __init__(self, hold_s: float = 1.0, move_tol: float = 0.015, absent_s: float = 0.4,
                 change_tol: float = 0.08) -> None:
        self.hold_s = hold_s
        self.move_tol = move_tol
        self.absent_s = absent_s
        self.change_tol = change_tol
        self.reset()

    def reset(self) -> None:
        """Forget everything: armed, nothing captured."""
        self._anchor: np.ndarray | None = None
        self._since: float | None = None
        self._captured: np.ndarray | None = None
        self._absent_since: float | None = None

    @property
    def waiting_for_change(self) -> bool:
        return self._captured is not None

    def mark_captured(self, quad: np.ndarray | None) -> None:
        """A photo was taken by hand: do not fire again for the same page."""
        self._captured = None if quad is None else np.asarray(quad, np.float64).reshape(4, 2)
        self._anchor, self._since = None, None
        if quad is None:  # nothing to compare with: wait for the tray to be cleared
            self._captured = np.full((4, 2), np.nan)

    def update(self, t: float, quad: np.ndarray | None, quality: Quality | None, diag: float) -> CaptureState:
        """Feed one analysed frame: timestamp ``t`` (s), the page's corners (or None), its quality
        and the frame's diagonal in pixels."""
        good = quad is not None and quality is not None and quality.ok
        if self._captured is not None:  # wait until the page is removed or changed
            if quad is None:
                if self._absent_since is None:
                    self._absent_since = t
                if t - self._absent_since >= self.absent_s:
                    self._captured, self._absent_since = None, None
                return CaptureState(Phase.WAITING if self._captured is not None else Phase.SEARCHING, 0.0, False)
            self._absent_since = None
            moved = not np.all(np.isfinite(self._captured)) or _corner_shift(quad, self._captured) > self.change_tol * diag
            if not moved:
                return CaptureState(Phase.WAITING, 0.0, False)
            self._captured = None  # a different page, or the same one moved: count again
        if not good:
            self._anchor, self._since = None, None
            return CaptureState(Phase.SEARCHING, 0.0, False)
        q = np.asarray(quad, np.float64).reshape(4, 2)
        if self._anchor is None or _corner_shift(q, self._anchor) > self.move_tol * diag:
            self._anchor, self._since = q, t
        stable = t - (self._since if self._since is not None else t)
        progress = min(1.0, stable / self.hold_s) if self.hold_s > 0 else 1.0
        if progress >= 1.0:
            self.mark_captured(q)
            return CaptureState(Phase.CAPTURED, 1.0, True, stable)
        return CaptureState(Phase.STEADYING, progress, False, stable)


@dataclass(frozen=True)
class ScanResult:
    """What the capture screen needs for one frame."""

    corners: np.ndarray | None  # TL, TR, BR, BL in frame pixels: draw the outline
    quality: Quality
    state: CaptureState
    frame_size: tuple[int, int]  # (width, height)

    @property
    def code(self) -> str | None:
        """Guidance code to show (None: all good). While waiting after a capture: None; the
        screen may then show guidance_text("captured")."""
        return None if self.state.phase == Phase.WAITING else self.quality.code

    def message(self, lang: str = "zh") -> str:
        return guidance_text(self.code, lang)


@dataclass(frozen=True)
class CapturedPage:
    image: np.ndarray  # straightened BGR page, at least 1240x1754 (or landscape 1754x1240)
    jpeg: bytes  # at most MAX_JPEG_BYTES
    corners: np.ndarray | None  # where it was found in the frame; None: the whole frame was used


class Scanner:
    """Detection + quality + auto-capture for one camera. Not thread-safe: call from one worker."""

    def __init__(self, detector: Callable[[np.ndarray], np.ndarray | None] = detect_document,
                 autocapture: AutoCapture | None = None, thresholds: Thresholds | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.detector = detector
        self.auto = autocapture or AutoCapture()
        self.thresholds = thresholds or Thresholds()
        self.clock = clock
        self._previous: np.ndarray | None = None

    def reset(self) -> None:
        self.auto.reset()
        self._previous = None

    def process(self, frame_bgr: np.ndarray, t: float | None = None) -> ScanResult:
        t = self.clock() if t is None else t
        h, w = frame_bgr.shape[:2]
        corners = self.detector(frame_bgr)
        quality = assess(frame_bgr, corners, self._previous, self.thresholds)
        self._previous = corners
        state = self.auto.update(t, corners, quality, float(np.hypot(w, h)))
        return ScanResult(corners, quality, state, (w, h))

    def capture(self, frame_bgr: np.ndarray, corners: np.ndarray | None = None, clean: bool = True,
                max_bytes: int = MAX_JPEG_BYTES) -> CapturedPage:
        """Straighten and encode the page. ``corners`` None: detect now; if still none (manual
        capture with no page found), the whole frame is used so the resident is never stuck."""
        if corners is None:
            corners = self.detector(frame_bgr)
        if corners is None:
            h, w = frame_bgr.shape[:2]
            quad = np.float32([[0, 0], [w, 0], [w, h], [0, h]]) - 0.5
            page = warp_page(frame_bgr, quad)
        else:
            page = warp_page(frame_bgr, corners)
        if clean:
            page = clean_up(page)
        return CapturedPage(page, encode_jpeg(page, max_bytes), corners)

    def manual_capture(self, frame_bgr: np.ndarray, clean: bool = True) -> CapturedPage:
        """The shutter button: capture now and keep auto-capture from firing on the same page."""
        page = self.capture(frame_bgr, None, clean)
        self.auto.mark_captured(page.corners)
        return page


__all__ = ["NO_PAGE", "AutoCapture", "CaptureState", "CapturedPage", "Phase", "ScanResult", "Scanner"]
