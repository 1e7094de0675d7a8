"""A seeded generator of SmartDoc-like frames: a Chinese A4 document photographed on a surface.

Families (``Sample.family``):
  plain, texture, lowcontrast, strongtexture, clutter   the general set: rotation up to +-30 deg,
        perspective tilt up to 30 deg, coverage 10-80 %, blur, noise, JPEG artefacts, lighting
        gradients, shadows, glare and occluded corners drawn at random
  kiosk      the kiosk profile: fixed overhead camera over a tray, little tilt, a ceiling lamp's glare
  negative   no document: empty surfaces and look-alikes (book, keyboard, cloth, tablet, an empty
             tray with a lamp reflection)

Every frame depends only on (seed, index), so a run is reproducible and frames can be drawn in
any order. Ground truth: the page's corners TL, TR, BR, BL in frame pixels.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np

from bench.docdetect import pages

FAMILIES = ("plain", "texture", "lowcontrast", "strongtexture", "clutter", "kiosk", "negative")
LOOKALIKES = ("empty", "book", "keyboard", "cloth", "lamp", "tablet")


@dataclass
class Sample:
    index: int
    family: str
    image: np.ndarray  # BGR uint8
    corners: np.ndarray | None  # (4, 2) float32, TL TR BR BL of the page; None: no document
    page_size: tuple[int, int] = (210, 297)  # (w, h) of the document, for the reference frame
    tags: list[str] = field(default_factory=list)


# --- small helpers -------------------------------------------------------------------


def _value_noise(rng: np.random.Generator, h: int, w: int, cell: float, octaves: int = 3) -> np.ndarray:
    """Smooth fractal noise in [0, 1], float32 (h, w)."""
    out = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    for _ in range(octaves):
        gh, gw = max(2, int(h / cell) + 2), max(2, int(w / cell) + 2)
        g = rng.random((gh, gw), dtype=np.float32)
        out += amp * cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)
        total += amp
        amp *= 0.5
        cell /= 2.0
    out /= total
    lo, hi = float(out.min()), float(out.max())
    return (out - lo) / max(hi - lo, 1e-6)


def _gauss(shape: tuple[int, ...], sigma: float) -> np.ndarray:
    """Gaussian noise from OpenCV's RNG (seeded per frame in sample()): much faster than numpy's."""
    out = np.empty(shape, np.float32)
    cv2.randn(out, 0.0, float(sigma))
    return out


def _colorize(v: np.ndarray, c0: np.ndarray, c1: np.ndarray) -> np.ndarray:
    v = np.ascontiguousarray(v, np.float32)
    return cv2.merge([v * float(c1[k] - c0[k]) + float(c0[k]) for k in range(3)])


def _rand_color(rng: np.random.Generator, lo: int = 0, hi: int = 255) -> np.ndarray:
    return rng.uniform(lo, hi, 3).astype(np.float32)


@functools.cache
def _grid(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    xx = np.broadcast_to(np.arange(w, dtype=np.float32)[None, :], (h, w))
    yy = np.broadcast_to(np.arange(h, dtype=np.float32)[:, None], (h, w))
    return xx, yy


# --- backgrounds --------------------------------------------------------------------------


def bg_plain(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    c = _rand_color(rng, 20, 170)
    if rng.random() < 0.5:  # desaturate: grey/brown trays are common
        c = c.mean() + (c - c.mean()) * rng.uniform(0, 0.6)
    img = np.broadcast_to(c, (h, w, 3)).astype(np.float32)
    img = img * (0.9 + 0.2 * _value_noise(rng, h, w, 300, 2))[..., None]
    return img + _gauss((h, w, 1), 2.5)


def _wood(rng: np.random.Generator, h: int, w: int, contrast: float) -> np.ndarray:
    xx, yy = _grid(h, w)
    a = rng.uniform(0, np.pi)
    u = xx * np.cos(a) + yy * np.sin(a)
    warp = _value_noise(rng, h, w, rng.uniform(80, 300), 3) * rng.uniform(10, 60)
    v = 0.5 + 0.5 * np.sin((u + warp) * rng.uniform(0.05, 0.25))
    v = v ** rng.uniform(0.5, 3)
    v = 0.7 * v + 0.3 * _value_noise(rng, h, w, 6, 2)
    c0 = np.array([rng.uniform(20, 80), rng.uniform(50, 110), rng.uniform(90, 170)], np.float32)
    c1 = c0 * (1 + contrast)
    return _colorize(v, c0, np.minimum(c1, 250))


def _fabric(rng: np.random.Generator, h: int, w: int, contrast: float) -> np.ndarray:
    xx, yy = _grid(h, w)
    p = rng.uniform(3, 9)
    v = 0.5 + 0.25 * (np.sin(xx * 2 * np.pi / p) + np.sin(yy * 2 * np.pi / p * rng.uniform(0.8, 1.2)))
    v = 0.6 * v + 0.4 * _value_noise(rng, h, w, 40, 3)
    c0 = _rand_color(rng, 20, 180)
    return _colorize(v, c0 * (1 - contrast / 2), np.minimum(c0 * (1 + contrast / 2), 255))


def _granite(rng: np.random.Generator, h: int, w: int, contrast: float) -> np.ndarray:
    base = _rand_color(rng, 40, 200)
    img = np.broadcast_to(base, (h, w, 3)).astype(np.float32).copy()
    n = _value_noise(rng, h, w, 3, 2)
    for _ in range(3):
        c = _rand_color(rng, 0, 255)
        m = (_value_noise(rng, h, w, rng.uniform(2, 6), 2) > rng.uniform(0.6, 0.8)).astype(np.float32)
        m = cv2.GaussianBlur(m, (0, 0), 0.7)[..., None] * contrast
        img = img * (1 - m) + c * m
    return img * (0.85 + 0.3 * n[..., None])


def _marble(rng: np.random.Generator, h: int, w: int, contrast: float) -> np.ndarray:
    xx, yy = _grid(h, w)
    t = _value_noise(rng, h, w, rng.uniform(60, 200), 5) * rng.uniform(4, 10)
    a = rng.uniform(0, np.pi)
    v = np.abs(np.sin((xx * np.cos(a) + yy * np.sin(a)) * rng.uniform(0.01, 0.03) + t))
    v = v ** rng.uniform(0.2, 0.5)
    light = rng.random() < 0.6
    c1 = np.array([rng.uniform(190, 235)] * 3, np.float32) + rng.uniform(-10, 10, 3).astype(np.float32)
    c0 = c1 * (1 - contrast) if light else _rand_color(rng, 10, 80)
    if not light:
        c1 = c0 + contrast * 150
    return _colorize(v, c0, np.minimum(c1, 255))


def _tiles(rng: np.random.Generator, h: int, w: int, contrast: float) -> np.ndarray:
    xx, yy = _grid(h, w)
    s = rng.uniform(40, 160)
    a = np.deg2rad(rng.uniform(-20, 20))
    u = xx * np.cos(a) + yy * np.sin(a)
    v = -xx * np.sin(a) + yy * np.cos(a)
    grout = ((np.mod(u, s) < 3) | (np.mod(v, s) < 3)).astype(np.float32)
    grout = cv2.GaussianBlur(grout, (0, 0), 0.8)
    c0 = _rand_color(rng, 60, 230)
    c1 = c0 * (1 - contrast)
    tile = _colorize(_value_noise(rng, h, w, 50, 2) * 0.3, c0, c0 * 0.9)
    return tile * (1 - grout[..., None]) + c1 * grout[..., None]


def _plaid(rng: np.random.Generator, h: int, w: int, contrast: float) -> np.ndarray:
    xx, yy = _grid(h, w)
    p = rng.uniform(30, 120)
    c0, c1, c2 = _rand_color(rng, 30, 240), _rand_color(rng, 30, 240), _rand_color(rng, 30, 240)
    sx = (np.mod(xx, p) < p * 0.4).astype(np.float32)
    sy = (np.mod(yy, p) < p * 0.4).astype(np.float32)
    img = _colorize(sx * contrast, c0, c1)
    img = img * (1 - 0.5 * sy[..., None]) + c2 * 0.5 * sy[..., None]
    return cv2.GaussianBlur(img, (0, 0), 1.0)


def _newsprint(rng: np.random.Generator, h: int, w: int, contrast: float) -> np.ndarray:
    """Printed paper as a surface (a newspaper under the document): text-like dark strokes."""
    base = np.float32(rng.uniform(150, 215))
    img = np.full((h, w), base, np.float32)
    lh = int(rng.uniform(8, 18))
    for y in range(0, h, lh):
        x = 0
        while x < w:
            run = int(rng.uniform(20, 200))
            if rng.random() < 0.85:
                strokes = rng.random((max(2, lh // 2), run)) < 0.35
                y1 = min(h, y + strokes.shape[0])
                img[y:y1, x : x + run] -= strokes[: y1 - y, : max(0, min(run, w - x))] * 120 * contrast
            x += run + int(rng.uniform(5, 30))
    img = cv2.GaussianBlur(img, (0, 0), 0.6)
    return np.repeat(img[..., None], 3, axis=2) * np.array([1.0, 1.0, 1.02], np.float32)


TEXTURES = (_wood, _fabric, _granite, _marble, _tiles, _plaid)


def bg_texture(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    f = TEXTURES[int(rng.integers(0, len(TEXTURES)))]
    return f(rng, h, w, float(rng.uniform(0.15, 0.4)))


def bg_strong(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    fs = (*TEXTURES, _newsprint)
    f = fs[int(rng.integers(0, len(fs)))]
    return f(rng, h, w, float(rng.uniform(0.55, 0.95)))


def bg_light(rng: np.random.Generator, h: int, w: int, page_level: float) -> tuple[np.ndarray, str]:
    """A light surface close to the paper's brightness: white-page-on-light-tray."""
    if rng.random() < 0.15:
        delta = -rng.uniform(4, 12)  # the tray is even brighter than the page
        tag = "brighter_tray"
    else:
        delta = rng.uniform(10, 45)
        tag = "darker_tray"
    level = min(252.0, page_level - delta)
    c = np.array([level] * 3, np.float32) + rng.uniform(-10, 6, 3).astype(np.float32)
    img = np.broadcast_to(np.clip(c, 0, 255), (h, w, 3)).astype(np.float32).copy()
    if rng.random() < 0.5:
        img *= (0.96 + 0.08 * _value_noise(rng, h, w, rng.uniform(5, 60), 3))[..., None]
    return img, tag


def bg_tray(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """The kiosk's tray: matte, grey or dark blue-grey, a raised rim near the edges of the view."""
    level = rng.choice([rng.uniform(35, 80), rng.uniform(90, 150)])
    c = np.array([level + rng.uniform(0, 15), level + rng.uniform(-5, 5), level - rng.uniform(0, 10)], np.float32)
    img = np.broadcast_to(c, (h, w, 3)).astype(np.float32).copy()
    img *= (0.95 + 0.1 * _value_noise(rng, h, w, 4, 1))[..., None]
    if rng.random() < 0.7:  # the rim
        m = int(rng.uniform(10, 40))
        rim = c * rng.uniform(0.6, 1.4)
        img[:m] = rim
        img[-m:] = rim
        img[:, :m] = rim
        img[:, -m:] = rim
    return img


# --- geometry -------------------------------------------------------------------------------


def _rot(axis: np.ndarray, ang: float) -> np.ndarray:
    r, _ = cv2.Rodrigues((axis / np.linalg.norm(axis) * ang).astype(np.float64))
    return r


def project_page(rng: np.random.Generator, pw: float, ph: float, max_rot: float, max_tilt: float,
                 fw: int) -> np.ndarray:
    """Image quad (TL TR BR BL) of a pw x ph page rotated in plane and tilted in 3-D."""
    X = np.array([[-pw / 2, -ph / 2, 0], [pw / 2, -ph / 2, 0], [pw / 2, ph / 2, 0], [-pw / 2, ph / 2, 0]], np.float64)
    rz = _rot(np.array([0.0, 0, 1]), np.deg2rad(rng.uniform(-max_rot, max_rot)))
    a = rng.uniform(0, 2 * np.pi)
    rt = _rot(np.array([np.cos(a), np.sin(a), 0]), np.deg2rad(rng.uniform(0, max_tilt)))
    # the camera's distance sets how strong the perspective is (scale is fixed later by place())
    z0 = max(pw, ph) * rng.uniform(1.2, 3.0)
    P = X @ rz.T @ rt.T + np.array([0.0, 0.0, z0])
    f = float(fw)
    return (f * P[:, :2] / P[:, 2:3]).astype(np.float32)


def place(rng: np.random.Generator, quad: np.ndarray, w: int, h: int, coverage: float, margin: float = 4) -> np.ndarray:
    """Scale and move ``quad`` so that it covers ``coverage`` of the frame and lies inside it."""
    area = abs(cv2.contourArea(quad))
    q = (quad - quad.mean(0)) * np.sqrt(coverage * w * h / max(area, 1e-6))
    ext = q.max(0) - q.min(0)
    fit = min((w - 2 * margin) / ext[0], (h - 2 * margin) / ext[1])
    if fit < 1:
        q *= fit * rng.uniform(0.9, 1.0)
    lo, hi = q.min(0), q.max(0)
    ox = rng.uniform(margin - lo[0], w - margin - hi[0])
    oy = rng.uniform(margin - lo[1], h - margin - hi[1])
    return (q + np.array([ox, oy], np.float32)).astype(np.float32)


def warp_onto(img: np.ndarray, src: np.ndarray, quad: np.ndarray, alpha: np.ndarray | None = None) -> None:
    """Composite ``src`` (BGR) into float image ``img`` so that its corners land on ``quad``."""
    h, w = img.shape[:2]
    sh, sw = src.shape[:2]
    # pixel centres are at integer coordinates: the page's outer edges are at -0.5 and sw - 0.5
    rect = np.float32([[-0.5, -0.5], [sw - 0.5, -0.5], [sw - 0.5, sh - 0.5], [-0.5, sh - 0.5]])
    m = cv2.getPerspectiveTransform(rect, quad.astype(np.float32))
    warped = cv2.warpPerspective(src, m, (w, h), flags=cv2.INTER_LINEAR).astype(np.float32)
    a_src = np.ones((sh, sw), np.float32) if alpha is None else alpha
    a = cv2.warpPerspective(a_src, m, (w, h), flags=cv2.INTER_LINEAR)[..., None]
    img *= 1 - a
    img += warped * a


# --- objects ----------------------------------------------------------------------------------


def _poly_layer(img: np.ndarray, pts: np.ndarray, color: np.ndarray, shade: float = 0.0,
                rng: np.random.Generator | None = None) -> None:
    h, w = img.shape[:2]
    x0, y0 = np.maximum(np.floor(pts.min(0)).astype(int) - 2, 0)
    x1, y1 = np.minimum(np.ceil(pts.max(0)).astype(int) + 2, [w, h])
    if x1 <= x0 or y1 <= y0:
        return
    sub = img[y0:y1, x0:x1]
    m = np.zeros(sub.shape[:2], np.uint8)
    cv2.fillPoly(m, [np.round((pts - [x0, y0]) * 4).astype(np.int32)], 255, cv2.LINE_AA, shift=2)
    a = (m.astype(np.float32) / 255.0)[..., None]
    col = np.broadcast_to(color, sub.shape).astype(np.float32)
    if shade and rng is not None:
        col = col * (1 - shade + 2 * shade * _value_noise(rng, y1 - y0, x1 - x0, 200, 1))[..., None]
    sub *= 1 - a
    sub += col * a


def _rrect(cx: float, cy: float, w: float, h: float, ang: float, r: float = 0.0) -> np.ndarray:
    """A rounded rectangle polygon, rotated by ``ang`` radians."""
    pts = []
    r = min(r, w / 2, h / 2)
    corners = [(w / 2 - r, -h / 2 + r, -np.pi / 2), (w / 2 - r, h / 2 - r, 0), (-w / 2 + r, h / 2 - r, np.pi / 2),
               (-w / 2 + r, -h / 2 + r, np.pi)]
    for x, y, a0 in corners:
        for t in np.linspace(a0, a0 + np.pi / 2, 6 if r > 0 else 1):
            pts.append((x + r * np.cos(t), y + r * np.sin(t)))
    p = np.array(pts, np.float32)
    c, s = np.cos(ang), np.sin(ang)
    return p @ np.array([[c, s], [-s, c]], np.float32) + np.array([cx, cy], np.float32)


def clutter_object(rng: np.random.Generator, img: np.ndarray, cx: float, cy: float, scale: float) -> str:
    """Draw one everyday object centred near (cx, cy). ``scale``: page height in pixels."""
    kind = rng.choice(["pen", "phone", "coin", "note", "card", "receipt", "cable", "mug", "keys"])
    ang = rng.uniform(0, np.pi)
    s = scale
    if kind == "pen":
        _poly_layer(img, _rrect(cx, cy, s * rng.uniform(0.4, 0.6), s * 0.03, ang, s * 0.015), _rand_color(rng, 0, 255), 0.2, rng)
    elif kind == "phone":
        p = _rrect(cx, cy, s * 0.2, s * 0.42, ang, s * 0.03)
        _poly_layer(img, p, np.array([25, 25, 28], np.float32) + rng.uniform(0, 40))
        _poly_layer(img, _rrect(cx, cy, s * 0.18, s * 0.38, ang, s * 0.02), _rand_color(rng, 10, 120), 0.3, rng)
    elif kind == "coin":
        r = s * rng.uniform(0.03, 0.05)
        cv2.circle(img, (int(cx), int(cy)), int(r), tuple(float(v) for v in _rand_color(rng, 100, 220)), -1, cv2.LINE_AA)
    elif kind == "note":
        _poly_layer(img, _rrect(cx, cy, s * 0.15, s * 0.15, ang), np.array([80, 220, 240], np.float32) * rng.uniform(0.7, 1.0))
    elif kind == "card":  # an ID-card sized white card: a small look-alike
        _poly_layer(img, _rrect(cx, cy, s * 0.3, s * 0.19, ang, s * 0.015), _rand_color(rng, 190, 250), 0.1, rng)
    elif kind == "receipt":
        _poly_layer(img, _rrect(cx, cy, s * 0.16, s * rng.uniform(0.3, 0.6), ang), np.array([240, 242, 240], np.float32) * rng.uniform(0.85, 1.0))
    elif kind == "cable":
        pts = np.cumsum(rng.normal(0, s * 0.05, (12, 2)), axis=0) + np.array([cx, cy])
        cv2.polylines(img, [pts.astype(np.int32)], False, tuple(float(v) for v in _rand_color(rng, 0, 255)), int(max(3, s * 0.012)), cv2.LINE_AA)
    elif kind == "mug":
        r = s * rng.uniform(0.08, 0.12)
        col = tuple(float(v) for v in _rand_color(rng, 30, 255))
        cv2.circle(img, (int(cx), int(cy)), int(r), col, -1, cv2.LINE_AA)
        cv2.circle(img, (int(cx), int(cy)), int(r * 0.82), (20, 30, 40), -1, cv2.LINE_AA)
    else:  # keys
        for _ in range(3):
            _poly_layer(img, _rrect(cx + rng.normal(0, s * 0.03), cy + rng.normal(0, s * 0.03), s * 0.1, s * 0.03, rng.uniform(0, np.pi), s * 0.01),
                        np.array([150, 160, 170], np.float32) * rng.uniform(0.7, 1.1))
    return str(kind)


def finger(rng: np.random.Generator, img: np.ndarray, tip: np.ndarray, direction: np.ndarray, width: float) -> None:
    """A finger (with a soft shadow) whose tip covers ``tip``, coming from ``direction``."""
    d = direction / (np.linalg.norm(direction) + 1e-6)
    skin = np.array([rng.uniform(110, 170), rng.uniform(140, 185), rng.uniform(185, 235)], np.float32)
    start = tip - d * width * rng.uniform(0.2, 0.9)
    end = tip + d * width * 6
    h, w = img.shape[:2]
    sh = np.zeros((h, w), np.float32)
    off = np.array([width * 0.25, width * 0.3])
    cv2.line(sh, tuple(int(v) for v in start + off), tuple(int(v) for v in end + off), 1.0, int(width), cv2.LINE_AA)
    sh = cv2.GaussianBlur(sh, (0, 0), width * 0.3)
    img *= (1 - 0.35 * sh)[..., None]
    m = np.zeros((h, w), np.float32)
    cv2.line(m, tuple(int(v) for v in start), tuple(int(v) for v in end), 1.0, int(width), cv2.LINE_AA)
    shade = cv2.GaussianBlur(m, (0, 0), width * 0.2)
    a = m[..., None]
    img *= 1 - a
    img += skin * (0.7 + 0.3 * shade[..., None]) * a


# --- photometry -------------------------------------------------------------------------------


def lighting_gradient(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    xx, yy = _grid(h, w)
    if rng.random() < 0.5:
        a = rng.uniform(0, 2 * np.pi)
        u = (xx * np.cos(a) + yy * np.sin(a)) / np.hypot(w, h)
        u = (u - u.min()) / (u.max() - u.min())
        lo = rng.uniform(0.5, 0.85)
        return lo + (rng.uniform(1.0, 1.2) - lo) * u
    cx, cy = rng.uniform(0, w), rng.uniform(0, h)
    r = np.hypot(xx - cx, yy - cy) / np.hypot(w, h)
    return np.clip(1.15 - rng.uniform(0.4, 0.9) * r, 0.4, 1.2)


def shadow(rng: np.random.Generator, h: int, w: int, near: np.ndarray) -> np.ndarray:
    """A multiplicative shadow field: a soft blob (a hand, the kiosk's head) or a straight-edged one."""
    m = np.zeros((h, w), np.float32)
    c = near.mean(0) + rng.normal(0, 0.25, 2) * np.array([w, h])
    if rng.random() < 0.5:
        a = rng.uniform(0, 2 * np.pi)
        n = np.array([np.cos(a), np.sin(a)])
        xx, yy = _grid(h, w)
        m = ((xx - c[0]) * n[0] + (yy - c[1]) * n[1] > 0).astype(np.float32)
    else:
        pts = c + rng.normal(0, 1, (7, 2)) * np.array([w, h]) * rng.uniform(0.08, 0.25)
        cv2.fillPoly(m, [cv2.convexHull(pts.astype(np.int32))], 1.0)
    m = cv2.GaussianBlur(m, (0, 0), rng.uniform(2, 25))
    return 1 - rng.uniform(0.2, 0.55) * m


def glare(rng: np.random.Generator, h: int, w: int, at: np.ndarray, size: float, rect: bool = False) -> np.ndarray:
    """An additive specular highlight (a lamp's reflection), clipped later."""
    xx, yy = _grid(h, w)
    a = rng.uniform(0, np.pi)
    u = (xx - at[0]) * np.cos(a) + (yy - at[1]) * np.sin(a)
    v = -(xx - at[0]) * np.sin(a) + (yy - at[1]) * np.cos(a)
    sx, sy = size * rng.uniform(0.6, 1.6), size * rng.uniform(0.3, 1.0)
    if rect:
        d = np.maximum(np.abs(u) / sx, np.abs(v) / sy)
        g = np.clip((1.15 - d) / 0.3, 0, 1)
    else:
        g = np.exp(-0.5 * ((u / sx) ** 2 + (v / sy) ** 2) * 2.5)
    return g * rng.uniform(120, 320)


def finish(rng: np.random.Generator, img: np.ndarray, tags: list[str], blur_p: float = 0.4, jpeg_p: float = 0.7,
           noise_max: float = 8.0) -> np.ndarray:
    """Camera effects: colour cast, blur, noise, JPEG. Returns uint8 BGR."""
    img = img * rng.uniform(0.88, 1.08, 3).astype(np.float32)
    r = rng.random()
    if r < blur_p * 0.75:
        s = rng.uniform(0.6, 2.5)
        img = cv2.GaussianBlur(img, (0, 0), s)
        tags.append("blur")
    elif r < blur_p:
        k = int(rng.integers(3, 10))
        kern = np.zeros((k, k), np.float32)
        kern[k // 2, :] = 1.0 / k
        rot = cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), rng.uniform(0, 180), 1.0)
        kern = cv2.warpAffine(kern, rot, (k, k))
        img = cv2.filter2D(img, -1, kern / max(kern.sum(), 1e-6))
        tags.append("motion_blur")
    else:
        img = cv2.GaussianBlur(img, (0, 0), 0.5)
    sigma = rng.uniform(1.0, noise_max)
    img += _gauss(img.shape[:2] + (1,), sigma)
    img += _gauss(img.shape, sigma * 0.4)
    out = np.clip(img, 0, 255).astype(np.uint8)
    if rng.random() < jpeg_p:
        q = int(rng.integers(30, 95))
        ok, buf = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, q])
        out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        if q < 50:
            tags.append("jpeg_low")
    return out


# --- frames -------------------------------------------------------------------------------------


def _frame_size(rng: np.random.Generator, family: str) -> tuple[int, int]:
    if family == "kiosk":
        return (1280, 720)
    r = rng.random()
    if r < 0.75:
        return (1280, 720)
    if r < 0.85:
        return (1920, 1080)
    if r < 0.93:
        return (960, 720)
    return (720, 1280)


def _page_shadow(rng: np.random.Generator, img: np.ndarray, quad: np.ndarray) -> None:
    h, w = img.shape[:2]
    m = np.zeros((h, w), np.float32)
    off = rng.normal(0, 1, 2) * np.sqrt(abs(cv2.contourArea(quad))) * 0.012
    cv2.fillPoly(m, [np.round((quad + off) * 4).astype(np.int32)], 1.0, cv2.LINE_AA, shift=2)
    m = cv2.GaussianBlur(m, (0, 0), rng.uniform(1.5, 8))
    img *= (1 - rng.uniform(0.15, 0.45) * m)[..., None]


def positive(rng: np.random.Generator, index: int, family: str, seed: int) -> Sample:
    w, h = _frame_size(rng, family)
    tags: list[str] = []
    pool = pages.pool(seed)
    page = pool[int(rng.integers(0, len(pool)))]
    ph, pw = page.shape[:2]
    page_f = page.astype(np.float32)
    page_level = pages.paper_level(page)
    kiosk = family == "kiosk"
    if family == "plain":
        img = bg_plain(rng, h, w)
    elif family == "texture":
        img = bg_texture(rng, h, w)
    elif family == "strongtexture":
        img = bg_strong(rng, h, w)
    elif family == "lowcontrast":
        img, t = bg_light(rng, h, w, page_level)
        tags.append(t)
    elif family == "clutter":
        img = bg_texture(rng, h, w) if rng.random() < 0.5 else bg_plain(rng, h, w)
    else:
        img = bg_tray(rng, h, w)
    img = np.ascontiguousarray(img, dtype=np.float32)
    if kiosk:
        q = project_page(rng, pw, ph, 8, 5, w)
        cov = rng.uniform(0.25, 0.6)
    else:
        q = project_page(rng, pw, ph, 30, 30, w)
        cov = rng.uniform(0.10, 0.80)
    quad = place(rng, q, w, h, cov)
    scale = float(np.sqrt(abs(cv2.contourArea(quad))) * 1.2)
    objects_over: list[tuple[float, float]] = []
    if family == "clutter":
        n = int(rng.integers(4, 12))
        for _ in range(n):
            if rng.random() < 0.35:  # touching the page: under or over its edge
                k = int(rng.integers(0, 4))
                t = rng.uniform(0.15, 0.85)
                p = quad[k] * (1 - t) + quad[(k + 1) % 4] * t
                p = p + rng.normal(0, scale * 0.06, 2)
                if rng.random() < 0.5:
                    objects_over.append((float(p[0]), float(p[1])))
                    continue
            else:
                p = np.array([rng.uniform(0, w), rng.uniform(0, h)])
            clutter_object(rng, img, float(p[0]), float(p[1]), scale)
        tags.append("clutter")
    if rng.random() < 0.5:
        _page_shadow(rng, img, quad)
    warp_onto(img, page_f, quad)
    for x, y in objects_over:
        # objects lying on the page's edge must not hide a whole side
        clutter_object(rng, img, x, y, scale * 0.6)
    if (not kiosk and rng.random() < 0.15) or (kiosk and rng.random() < 0.2):
        k = int(rng.integers(0, 4))
        out = quad[k] - quad.mean(0)
        direction = out / np.linalg.norm(out) + rng.normal(0, 0.4, 2)
        finger(rng, img, quad[k] + rng.normal(0, scale * 0.01, 2), direction, scale * rng.uniform(0.06, 0.1))
        tags.append("occluded_corner")
    if rng.random() < (0.4 if kiosk else 0.6):
        img *= lighting_gradient(rng, h, w)[..., None]
        tags.append("gradient")
    if rng.random() < (0.15 if kiosk else 0.35):
        img *= shadow(rng, h, w, quad)[..., None]
        tags.append("shadow")
    if rng.random() < (0.7 if kiosk else 0.3):
        at = quad.mean(0) + rng.normal(0, 0.3, 2) * (quad.max(0) - quad.min(0))
        img += glare(rng, h, w, at, scale * rng.uniform(0.08, 0.3), rect=kiosk and rng.random() < 0.5)[..., None]
        tags.append("glare")
    out = finish(rng, img, tags, blur_p=0.25 if kiosk else 0.4, noise_max=5 if kiosk else 8)
    return Sample(index, family, out, quad, (pw, ph), tags)


def _book(rng: np.random.Generator, img: np.ndarray, w: int, h: int) -> None:
    bw = rng.uniform(0.6, 1.0) * 0.5 * h
    q = place(rng, project_page(rng, bw, bw * rng.uniform(1.3, 1.55), 30, 20, w), w, h, rng.uniform(0.1, 0.5))
    # the page block (thickness), then the cover
    thick = (q - q.mean(0)) * 1.0 + rng.normal(0, 1, 2) * bw * 0.03
    _poly_layer(img, thick + q.mean(0), np.array([215, 225, 230], np.float32) * rng.uniform(0.8, 1.0))
    if rng.random() < 0.75:
        col = _rand_color(rng, 0, 255)
        col[int(rng.integers(0, 3))] *= rng.uniform(0.05, 0.4)  # saturated or dark covers
    else:
        col = _rand_color(rng, 150, 235)
        col[int(rng.integers(0, 3))] *= rng.uniform(0.55, 0.8)  # pale but coloured
    _poly_layer(img, q, col, 0.15, rng)
    c = q.mean(0)
    m = np.zeros(img.shape[:2], np.uint8)  # OpenCV 5 draws text on 8-bit images only
    cv2.putText(m, "BOOK", (int(c[0] - bw * 0.2), int(c[1])), cv2.FONT_HERSHEY_SIMPLEX, bw / 200, 255,
                max(1, int(bw / 80)), cv2.LINE_AA)
    a = (m.astype(np.float32) / 255.0)[..., None]
    img *= 1 - a
    img += (255 - col) * a


def _keyboard(rng: np.random.Generator, img: np.ndarray, w: int, h: int) -> None:
    kw = w * rng.uniform(0.5, 0.85)
    kh = kw / rng.uniform(2.6, 3.6)
    ang = np.deg2rad(rng.uniform(-25, 25))
    cx, cy = rng.uniform(kw / 2, w - kw / 2), rng.uniform(kh / 2 + 5, h - kh / 2 - 5)
    dark = rng.random() < 0.6
    body = np.float32([40, 40, 42]) if dark else np.float32([215, 215, 212])
    key = body * (1.4 if dark else 0.95) + (0 if dark else 10)
    _poly_layer(img, _rrect(cx, cy, kw, kh, ang, kh * 0.05), body)
    nx, ny = 15, 5
    c, s = np.cos(ang), np.sin(ang)
    for i in range(nx):
        for j in range(ny):
            u = (i - (nx - 1) / 2) * kw / nx * 0.97
            v = (j - (ny - 1) / 2) * kh / ny * 0.9
            _poly_layer(img, _rrect(cx + u * c - v * s, cy + u * s + v * c, kw / nx * 0.8, kh / ny * 0.75, ang, 2), key)


def _cloth(rng: np.random.Generator, img: np.ndarray, w: int, h: int) -> None:
    cw = h * rng.uniform(0.5, 0.9)
    q = place(rng, project_page(rng, cw, cw * rng.uniform(0.8, 1.5), 30, 15, w), w, h, rng.uniform(0.15, 0.6))
    pts = []
    for k in range(4):
        a, b = q[k], q[(k + 1) % 4]
        nrm = np.array([-(b - a)[1], (b - a)[0]]) / (np.linalg.norm(b - a) + 1e-6)
        ph_ = rng.uniform(0, 6)
        for t in np.linspace(0, 1, 25, endpoint=False):
            pts.append(a + (b - a) * t + nrm * np.sin(t * rng.uniform(6, 14) + ph_) * cw * rng.uniform(0.01, 0.03))
    pts = np.array(pts, np.float32)
    layer = (_fabric if rng.random() < 0.5 else _plaid)(rng, h, w, float(rng.uniform(0.2, 0.7)))
    if rng.random() < 0.3:  # a white cloth
        layer = layer * 0.3 + 170
    folds = 0.75 + 0.35 * _value_noise(rng, h, w, rng.uniform(40, 120), 2)
    m = np.zeros((h, w), np.float32)
    cv2.fillPoly(m, [pts.astype(np.int32)], 1.0, cv2.LINE_AA)
    a = m[..., None]
    img *= 1 - a
    img += layer * folds[..., None] * a


def _tablet(rng: np.random.Generator, img: np.ndarray, w: int, h: int) -> None:
    tw = h * rng.uniform(0.4, 0.7)
    q = place(rng, project_page(rng, tw, tw * rng.uniform(1.3, 2.1), 30, 15, w), w, h, rng.uniform(0.1, 0.4))
    _poly_layer(img, q, np.float32([20, 20, 22]) + rng.uniform(0, 30))
    inner = q.mean(0) + (q - q.mean(0)) * 0.9
    _poly_layer(img, inner, _rand_color(rng, 10, 140), 0.4, rng)


def negative(rng: np.random.Generator, index: int, seed: int) -> Sample:
    w, h = _frame_size(rng, "negative")
    kind = LOOKALIKES[index // len(FAMILIES) % len(LOOKALIKES)]
    tags = [kind]
    fam = rng.choice(["plain", "texture", "lowcontrast", "strongtexture", "clutter", "tray"])
    if kind == "lamp":
        fam = "tray"
    if fam == "plain":
        img = bg_plain(rng, h, w)
    elif fam == "texture" or fam == "clutter":
        img = bg_texture(rng, h, w)
    elif fam == "strongtexture":
        img = bg_strong(rng, h, w)
    elif fam == "lowcontrast":
        img = bg_light(rng, h, w, 240)[0]
    else:
        img = bg_tray(rng, h, w)
    img = np.ascontiguousarray(img, dtype=np.float32)
    tags.append(str(fam))
    if fam == "clutter" or kind == "empty" and rng.random() < 0.5:
        for _ in range(int(rng.integers(3, 12))):
            clutter_object(rng, img, rng.uniform(0, w), rng.uniform(0, h), h * 0.6)
    if kind == "book":
        _book(rng, img, w, h)
    elif kind == "keyboard":
        _keyboard(rng, img, w, h)
    elif kind == "cloth":
        _cloth(rng, img, w, h)
    elif kind == "tablet":
        _tablet(rng, img, w, h)
    elif kind == "lamp":
        at = np.array([rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h])
        img += glare(rng, h, w, at, h * rng.uniform(0.1, 0.35), rect=rng.random() < 0.6)[..., None]
    if rng.random() < 0.5:
        img *= lighting_gradient(rng, h, w)[..., None]
    if kind != "lamp" and rng.random() < 0.3:
        at = np.array([rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h])
        img += glare(rng, h, w, at, h * rng.uniform(0.05, 0.2))[..., None]
    out = finish(rng, img, tags)
    return Sample(index, "negative", out, None, (0, 0), tags)


def sample(seed: int, index: int) -> Sample:
    """Frame ``index`` of the set ``seed``. Families cycle so any prefix is balanced."""
    rng = np.random.default_rng([seed, index])
    cv2.setRNGSeed(seed * 100003 + index)
    family = FAMILIES[index % len(FAMILIES)]
    if family == "negative":
        return negative(rng, index, seed)
    return positive(rng, index, family, seed)


def generate(seed: int, n: int) -> Iterator[Sample]:
    for i in range(n):
        yield sample(seed, i)
