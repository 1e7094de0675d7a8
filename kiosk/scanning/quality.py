"""Quality checks on a detected page, and the guidance shown to the resident.

Measures: how much of the frame the page fills, whether it is wholly in view, its corner
angles (tilt), how much it moved since the previous frame, glare (saturated pixels inside the
page) and sharpness (variance of the Laplacian on the straightened page at a fixed size, so the
figure does not depend on how far the page is).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

# Guidance codes, most urgent first: the screen shows the first one.
NO_PAGE = "no_page"
WHOLE_PAGE = "whole_page"
MOVE_CLOSER = "move_closer"
TILT = "tilt"
HOLD_STILL = "hold_still"
GLARE = "glare"
BLUR = "blur"
CODES = (NO_PAGE, WHOLE_PAGE, MOVE_CLOSER, TILT, HOLD_STILL, GLARE, BLUR)
CAPTURED = "captured"  # not a quality problem: shown after an auto-capture until the page is changed

GUIDANCE = {
    NO_PAGE: ("请把材料正面朝上平放在托盘上", "Place the page face up on the tray"),
    WHOLE_PAGE: ("请让整页材料都在画面内", "Keep the whole page in view"),
    MOVE_CLOSER: ("请把材料移近摄像头", "Move the page closer"),
    TILT: ("请把材料放平放正", "Lay the page flat and straight"),
    HOLD_STILL: ("请保持不动", "Hold still"),
    GLARE: ("有反光：请稍微倾斜材料", "Glare: tilt the page a little"),
    BLUR: ("画面模糊：请保持不动", "Blurred: hold the page still"),
    CAPTURED: ("已拍好。请取走这一页，或放上下一页", "Done. Take this page away, or put down the next one"),
}
READY = ("很好，请保持不动", "Good, hold still")

SHARP_SIZE = (620, 877)  # the page is straightened to this size to measure sharpness


def guidance_text(code: str | None, lang: str = "zh") -> str:
    """The message for a guidance code in ``lang`` ('zh' or 'en'); None or '' -> the "ready" text."""
    zh, en = GUIDANCE.get(code, READY) if code else READY
    return en if lang.startswith("en") else zh


@dataclass(frozen=True)
class Thresholds:
    min_coverage: float = 0.15  # page area / frame area
    border_margin: float = 0.008  # a corner this close to the frame edge (share of the diagonal)
    max_angle_dev: float = 20.0  # degrees away from 90 at any corner
    max_motion: float = 0.01  # corner movement since the previous frame, share of the diagonal
    max_glare: float = 0.015  # share of saturated pixels inside the page
    min_sharpness: float = 60.0  # variance of the Laplacian at SHARP_SIZE


@dataclass(frozen=True)
class Quality:
    found: bool
    coverage: float = 0.0
    in_view: bool = False
    max_angle_dev: float = 0.0
    motion: float = 0.0
    glare: float = 0.0
    sharpness: float = 0.0
    codes: tuple[str, ...] = field(default=(NO_PAGE,))

    @property
    def ok(self) -> bool:
        return self.found and not self.codes

    @property
    def code(self) -> str | None:
        """The most urgent guidance code, or None when all checks pass."""
        return self.codes[0] if self.codes else None

    def text(self, lang: str = "zh") -> str:
        return guidance_text(self.code, lang)


def corner_angles(quad: np.ndarray) -> np.ndarray:
    q = np.asarray(quad, np.float64).reshape(4, 2)
    u = np.roll(q, 1, axis=0) - q
    v = np.roll(q, -1, axis=0) - q
    cosang = (u * v).sum(1) / (np.linalg.norm(u, axis=1) * np.linalg.norm(v, axis=1) + 1e-9)
    return np.degrees(np.arccos(np.clip(cosang, -1, 1)))


def sharpness(frame_bgr: np.ndarray, quad: np.ndarray) -> float:
    """Variance of the Laplacian of the page straightened to SHARP_SIZE (grey)."""
    w, h = SHARP_SIZE
    src = np.asarray(quad, np.float32).reshape(4, 2)
    dst = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    m = cv2.getPerspectiveTransform(src, dst)
    gray = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2GRAY)
    page = cv2.warpPerspective(gray, m, (w, h), flags=cv2.INTER_LINEAR)
    inner = page[h // 20 : -h // 20, w // 20 : -w // 20]  # leave the edges out
    return float(cv2.Laplacian(inner, cv2.CV_32F).var())


def glare_share(frame_bgr: np.ndarray, quad: np.ndarray) -> float:
    """Share of the page's pixels that are saturated (>= 253) in all three channels."""
    h, w = frame_bgr.shape[:2]
    q = np.asarray(quad, np.float32).reshape(4, 2)
    x0, y0 = np.maximum(np.floor(q.min(0)).astype(int), 0)
    x1, y1 = np.minimum(np.ceil(q.max(0)).astype(int) + 1, [w, h])
    if x1 <= x0 or y1 <= y0:
        return 0.0
    roi = frame_bgr[y0:y1, x0:x1]
    mask = np.zeros(roi.shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, np.round(q - [x0, y0]).astype(np.int32), 1)
    n = int(mask.sum())
    if n == 0:
        return 0.0
    # blown out: at the top in all three channels, in patches (not single bright pixels)
    sat = (cv2.min(cv2.min(roi[..., 0], roi[..., 1]), roi[..., 2]) >= 253).astype(np.uint8)
    sat = cv2.morphologyEx(sat, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    return float((sat & mask).sum()) / n


def assess(frame_bgr: np.ndarray, quad: np.ndarray | None, previous: np.ndarray | None = None,
           th: Thresholds | None = None) -> Quality:
    """Check a detected page (``quad``: TL, TR, BR, BL) in ``frame_bgr``. ``previous``: the quad
    found in the frame before, for the stability check."""
    th = th or Thresholds()
    if quad is None:
        return Quality(found=False)
    q = np.asarray(quad, np.float64).reshape(4, 2)
    h, w = frame_bgr.shape[:2]
    diag = float(np.hypot(w, h))
    coverage = abs(float(cv2.contourArea(q.astype(np.float32)))) / (w * h)
    margin = th.border_margin * diag
    in_view = bool(np.all((q[:, 0] >= margin) & (q[:, 0] <= w - 1 - margin) & (q[:, 1] >= margin)
                          & (q[:, 1] <= h - 1 - margin)))
    dev = float(np.max(np.abs(corner_angles(q) - 90.0)))
    motion = 0.0
    if previous is not None:
        motion = float(np.max(np.linalg.norm(q - np.asarray(previous, np.float64).reshape(4, 2), axis=1))) / diag
    glare = glare_share(frame_bgr, q)
    sharp = sharpness(frame_bgr, q)
    codes: list[str] = []
    if not in_view:
        codes.append(WHOLE_PAGE)
    if coverage < th.min_coverage:
        codes.append(MOVE_CLOSER)
    if dev > th.max_angle_dev:
        codes.append(TILT)
    if motion > th.max_motion:
        codes.append(HOLD_STILL)
    if glare > th.max_glare:
        codes.append(GLARE)
    if sharp < th.min_sharpness and motion <= th.max_motion:
        codes.append(BLUR)
    return Quality(True, coverage, in_view, dev, motion, glare, sharp, tuple(codes))
