"""Perspective correction to an upright A4 page, optional clean-up, and a size-capped JPEG."""

from __future__ import annotations

import cv2
import numpy as np

A4_PORTRAIT = (1240, 1754)  # width, height in pixels: A4 at 150 dpi
MAX_JPEG_BYTES = 400_000


def _side_lengths(corners: np.ndarray) -> tuple[float, float]:
    """Mean lengths of the (top, bottom) and (left, right) sides."""
    c = np.asarray(corners, np.float64).reshape(4, 2)
    top, right = np.linalg.norm(c[1] - c[0]), np.linalg.norm(c[2] - c[1])
    bottom, left = np.linalg.norm(c[2] - c[3]), np.linalg.norm(c[3] - c[0])
    return (top + bottom) / 2, (left + right) / 2


def page_size(corners: np.ndarray, long_side: int = A4_PORTRAIT[1]) -> tuple[int, int]:
    """(width, height) of the straightened page: A4 proportions, portrait unless the quad's top
    and bottom are its longer sides (a landscape document such as a business licence)."""
    short = round(long_side * A4_PORTRAIT[0] / A4_PORTRAIT[1])
    horizontal, vertical = _side_lengths(corners)
    return (long_side, short) if horizontal > vertical else (short, long_side)


def warp_page(frame_bgr: np.ndarray, corners: np.ndarray, long_side: int = A4_PORTRAIT[1],
              inset: float = 0.004) -> np.ndarray:
    """The page inside ``corners`` (TL, TR, BR, BL in frame pixels) straightened to an upright A4
    image of ``long_side`` pixels on its long side (at least 1754: 150 dpi). ``inset``: share of
    the page trimmed at each edge so no sliver of the tray shows (pages have margins)."""
    long_side = max(int(long_side), A4_PORTRAIT[1])
    w, h = page_size(corners, long_side)
    src = np.asarray(corners, np.float32).reshape(4, 2)
    # pixel centres sit at integer coordinates: the page's outer edges are at -0.5 and w - 0.5;
    # the inset pushes them just outside the output
    ix, iy = inset * w, inset * h
    dst = np.float32([[-0.5 - ix, -0.5 - iy], [w - 0.5 + ix, -0.5 - iy], [w - 0.5 + ix, h - 0.5 + iy],
                      [-0.5 - ix, h - 0.5 + iy]])
    m = cv2.getPerspectiveTransform(src, dst)
    return cv2.warpPerspective(frame_bgr, m, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def clean_up(page_bgr: np.ndarray, white: float = 250.0) -> np.ndarray:
    """Even out the lighting and whiten the paper, keeping ink and seal colours.

    The paper's brightness is estimated by a grey closing at low resolution (it removes the
    print), every pixel is divided by it, and the result is stretched so paper lands at
    ``white`` while dark print stays dark."""
    h, w = page_bgr.shape[:2]
    small = cv2.resize(page_bgr, (max(8, w // 8), max(8, h // 8)), interpolation=cv2.INTER_AREA)
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    paper = cv2.morphologyEx(small, cv2.MORPH_CLOSE, k)
    paper = cv2.GaussianBlur(paper, (0, 0), 3)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR)
    # ratio to the paper, 200 = paper (saturates at 1.275), then a gentle curve through a table:
    # paper to ``white``, ink a little deeper
    ratio = cv2.divide(page_bgr, np.maximum(paper, 1), scale=200.0)
    lut = np.clip(white * np.power(np.arange(256) / 200.0, 1.4), 0, 255).astype(np.uint8)
    return cv2.LUT(ratio, lut)


def encode_jpeg(page_bgr: np.ndarray, max_bytes: int = MAX_JPEG_BYTES, best: int = 90, worst: int = 40) -> bytes:
    """JPEG of ``page_bgr`` no larger than ``max_bytes``: the best quality that fits (binary
    search between ``worst`` and ``best``). If even ``worst`` is too big, the image is scaled down
    step by step (legibility of text survives that better than lower quality)."""
    img = page_bgr
    while True:
        lo, hi = worst, best
        found: bytes | None = None
        while lo <= hi:
            q = (lo + hi) // 2
            ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, q, cv2.IMWRITE_JPEG_OPTIMIZE, 1])
            if not ok:  # pragma: no cover - OpenCV always encodes a uint8 image
                raise RuntimeError("JPEG encoding failed")
            if len(buf) <= max_bytes:
                found, lo = buf.tobytes(), q + 1
            else:
                hi = q - 1
        if found is not None:
            return found
        h, w = img.shape[:2]
        if min(h, w) < 64:
            raise ValueError(f"cannot fit the image into {max_bytes} bytes")
        img = cv2.resize(img, (int(w * 0.85), int(h * 0.85)), interpolation=cv2.INTER_AREA)
