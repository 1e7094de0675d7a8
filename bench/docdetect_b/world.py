"""Generator B's world: desks, wallpapers, kiosk trays, hands, lamps and shadows.

All functions draw on float32 BGR canvases (0..255) and take the random generator they use.
"""

from __future__ import annotations

import cv2
import numpy as np

DESK_COLOURS = {  # BGR
    "blue": (160, 110, 60), "navy": (90, 50, 30), "pink": (190, 170, 235), "green": (110, 150, 90),
    "teal": (140, 130, 40), "beige": (150, 185, 205), "grey": (120, 120, 118), "charcoal": (55, 55, 58),
    "orange": (60, 140, 230), "brown": (50, 85, 125), "red": (50, 50, 170), "yellow": (90, 210, 230),
}
PALE_COLOURS = {"white": (236, 238, 236), "cream": (205, 228, 240), "lightgrey": (200, 202, 204),
                "ivory": (220, 238, 244), "paleblue": (235, 222, 205)}


def _smooth_field(rng: np.random.Generator, h: int, w: int, cells: int) -> np.ndarray:
    g = rng.standard_normal((cells, max(2, int(cells * w / h)))).astype(np.float32)
    return cv2.resize(g, (w, h), interpolation=cv2.INTER_CUBIC)


def _shade(rng: np.random.Generator, h: int, w: int, colour: np.ndarray, var: float) -> np.ndarray:
    f = 1 + var * _smooth_field(rng, h, w, 3)
    return f[..., None] * colour[None, None, :]


def desk(rng: np.random.Generator, h: int, w: int) -> tuple[np.ndarray, str]:
    name = list(DESK_COLOURS)[int(rng.integers(0, len(DESK_COLOURS)))]
    col = np.array(DESK_COLOURS[name], np.float32) * rng.uniform(0.8, 1.15)
    img = _shade(rng, h, w, col, 0.05)
    if rng.random() < 0.6:  # laminate grain or felt
        img += (rng.standard_normal((h, w)).astype(np.float32) * rng.uniform(1, 4))[..., None]
    return img, name


def pale(rng: np.random.Generator, h: int, w: int) -> tuple[np.ndarray, str]:
    name = list(PALE_COLOURS)[int(rng.integers(0, len(PALE_COLOURS)))]
    col = np.array(PALE_COLOURS[name], np.float32) * rng.uniform(0.85, 1.05)
    img = _shade(rng, h, w, col, 0.03)
    if rng.random() < 0.5:  # tablecloth weave
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        p = rng.uniform(3, 7)
        weave = np.sin(xx * 2 * np.pi / p) * np.sin(yy * 2 * np.pi / p)
        img += (weave * rng.uniform(2, 6))[..., None]
    return img, name


def wallpaper(rng: np.random.Generator, h: int, w: int) -> tuple[np.ndarray, str]:
    c0 = rng.uniform(40, 230, 3).astype(np.float32)
    c1 = np.clip(c0 + rng.normal(0, 50, 3), 0, 255).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    kind = ("stripes", "damask", "dots", "waves", "diamonds", "leaves")[int(rng.integers(0, 6))]
    p = rng.uniform(18, 70)
    a = rng.uniform(0, np.pi)
    xr = xx * np.cos(a) + yy * np.sin(a)
    yr = -xx * np.sin(a) + yy * np.cos(a)
    if kind == "stripes":
        t = 0.5 + 0.5 * np.sign(np.sin(xr * 2 * np.pi / p)) * (0.6 + 0.4 * np.sin(xr * 6 * np.pi / p))
    elif kind == "damask":
        t = 0.5 + 0.25 * (np.cos(xr * 2 * np.pi / p) * np.cos(yr * 2 * np.pi / (1.6 * p))
                          + np.cos((xr + yr) * 2 * np.pi / p) ** 3)
    elif kind == "dots":
        d = np.hypot((xr % p) - p / 2, (yr % p) - p / 2)
        t = (d < p * rng.uniform(0.15, 0.35)).astype(np.float32)
    elif kind == "waves":
        t = 0.5 + 0.5 * np.sin((yr + p * 0.4 * np.sin(xr * 2 * np.pi / (3 * p))) * 2 * np.pi / p)
    elif kind == "diamonds":
        t = ((np.abs((xr % p) - p / 2) + np.abs((yr % p) - p / 2)) < p * 0.35).astype(np.float32)
    else:
        t = np.clip(_smooth_field(rng, h, w, int(h / p) + 2) * 0.8 + 0.5, 0, 1)
    t = cv2.GaussianBlur(t.astype(np.float32), (0, 0), 0.8)
    img = c0[None, None, :] + t[..., None] * (c1 - c0)[None, None, :]
    img *= (1 + 0.05 * _smooth_field(rng, h, w, 3))[..., None]
    return img, kind


def tray(rng: np.random.Generator, h: int, w: int) -> tuple[np.ndarray, str]:
    """A dark kiosk tray: rubber mat with a tread pattern (diamonds, dots or ribs), a lighter rim."""
    base = rng.uniform(25, 70)
    tint = np.array([1.0, 1.0, 1.0], np.float32) + rng.normal(0, 0.06, 3).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    p = rng.uniform(10, 30)
    kind = ("tread", "dots", "ribs")[int(rng.integers(0, 3))]
    if kind == "tread":
        t = ((np.abs((xx % p) - p / 2) + np.abs((yy % p) - p / 2)) < p * 0.3).astype(np.float32)
    elif kind == "dots":
        t = (np.hypot((xx % p) - p / 2, (yy % p) - p / 2) < p * 0.25).astype(np.float32)
    else:
        t = (np.sin(xx * 2 * np.pi / p) > 0.3).astype(np.float32)
    t = cv2.GaussianBlur(t, (0, 0), 0.7)
    v = base + t * rng.uniform(12, 40)
    img = v[..., None] * tint[None, None, :]
    rim = int(min(h, w) * rng.uniform(0.03, 0.08))
    if rng.random() < 0.8:
        m = np.zeros((h, w), np.float32)
        side = int(rng.integers(0, 4))
        if side == 0:
            m[:rim] = 1
        elif side == 1:
            m[:, -rim:] = 1
        elif side == 2:
            m[-rim:] = 1
        else:
            m[:, :rim] = 1
        img = img * (1 - m[..., None]) + m[..., None] * rng.uniform(90, 170)
    return img, kind


def capsule(img: np.ndarray, a: np.ndarray, b: np.ndarray, r: float, colour: np.ndarray, alpha: np.ndarray | None = None) -> None:
    """A rounded segment from a to b of radius r, anti-aliased, drawn on img (and alpha)."""
    m = np.zeros(img.shape[:2], np.float32)
    cv2.line(m, tuple(np.round(a * 4).astype(int)), tuple(np.round(b * 4).astype(int)), 1.0,
             max(1, int(2 * r)), cv2.LINE_AA, shift=2)
    img[:] = img * (1 - m[..., None]) + m[..., None] * colour
    if alpha is not None:
        np.maximum(alpha, m, out=alpha)


def hand(rng: np.random.Generator, img: np.ndarray, tip: np.ndarray, direction: np.ndarray, scale: float,
         thumb_only: bool) -> np.ndarray:
    """A hand whose thumb (or fingers) end at ``tip``, coming from ``direction`` (unit vector from
    the tip towards the wrist). ``scale``: finger width in pixels. Returns the hand's mask."""
    tone = np.array([rng.uniform(110, 175), rng.uniform(135, 190), rng.uniform(170, 235)], np.float32)
    h, w = img.shape[:2]
    mask = np.zeros((h, w), np.float32)
    d = direction / (np.linalg.norm(direction) + 1e-9)
    n = np.array([-d[1], d[0]])
    # a soft shadow under the hand first
    sh = np.zeros((h, w), np.float32)
    layer = np.zeros_like(img)
    palm = tip + d * scale * 6.0
    fingers = [(tip, tip + d * scale * 4.8)]
    if not thumb_only:
        fingers = [(tip + n * scale * k * 1.05 + d * scale * abs(k) * 0.4, tip + n * scale * k * 1.05 + d * scale * 3.5)
                   for k in (-1.5, -0.5, 0.5, 1.5)]
    for a, b in fingers:
        capsule(layer, a, b, scale * 0.5, tone, sh)
    cv2.ellipse(sh, tuple(np.round(palm).astype(int)), (int(scale * 2.6), int(scale * 3.4)),
                float(np.degrees(np.arctan2(d[1], d[0]))) + 90, 0, 360, 1.0, -1, cv2.LINE_AA)
    off = (d * scale * 0.6 + rng.normal(0, scale * 0.2, 2)).astype(np.float32)
    shadow = cv2.warpAffine(cv2.GaussianBlur(sh, (0, 0), scale * 0.6), np.float32([[1, 0, off[0]], [0, 1, off[1]]]), (w, h))
    img *= (1 - 0.45 * shadow)[..., None]
    for a, b in fingers:
        capsule(img, a, b, scale * 0.5, tone * rng.uniform(0.92, 1.05), mask)
    pm = np.zeros((h, w), np.float32)
    cv2.ellipse(pm, tuple(np.round(palm).astype(int)), (int(scale * 2.6), int(scale * 3.4)),
                float(np.degrees(np.arctan2(d[1], d[0]))) + 90, 0, 360, 1.0, -1, cv2.LINE_AA)
    img[:] = img * (1 - pm[..., None]) + pm[..., None] * tone
    np.maximum(mask, pm, out=mask)
    # knuckle and nail shading
    img -= (cv2.GaussianBlur(mask, (0, 0), scale * 0.3) - mask)[..., None] * 30
    return mask


def lamp(rng: np.random.Generator, h: int, w: int) -> np.ndarray:
    """A desk lamp's fall-off: brighter under the lamp, multiplicative (h, w)."""
    lx, ly = rng.uniform(-0.3, 1.3) * w, rng.uniform(-0.3, 1.3) * h
    hh = rng.uniform(0.5, 1.5) * max(h, w)
    yy, xx = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
    f = (hh * hh / ((xx - lx) ** 2 + (yy - ly) ** 2 + hh * hh)) ** 1.5
    f = f / f.max() * rng.uniform(0.4, 0.8) + rng.uniform(0.3, 0.6)
    return cv2.resize(f, (w, h), interpolation=cv2.INTER_LINEAR)


def glare_spot(rng: np.random.Generator, h: int, w: int, at: np.ndarray, size: float) -> np.ndarray:
    """A lamp's specular reflection: a bright core that blows out, a wide halo; additive."""
    yy, xx = np.mgrid[0:h:4, 0:w:4].astype(np.float32)
    ax, ay = size * rng.uniform(0.6, 1.4), size * rng.uniform(0.6, 1.4)
    r2 = ((xx - at[0]) / ax) ** 2 + ((yy - at[1]) / ay) ** 2
    core = np.clip(1.6 - r2, 0, 1) ** 0.5 * rng.uniform(180, 320)
    halo = np.exp(-r2 / 6) * rng.uniform(30, 90)
    return cv2.resize((core + halo).astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR)


def cast_shadow(rng: np.random.Generator, h: int, w: int, near: np.ndarray) -> np.ndarray:
    """The shadow of a person or a phone over part of the scene: a blurred blob, multiplicative."""
    m = np.zeros((h, w), np.float32)
    c = near + rng.normal(0, 0.25, 2) * np.array([w, h])
    axes = (int(rng.uniform(0.15, 0.5) * w), int(rng.uniform(0.15, 0.5) * h))
    cv2.ellipse(m, tuple(np.round(c).astype(int)), axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1)
    m = cv2.GaussianBlur(m, (0, 0), rng.uniform(4, 30))
    return 1 - rng.uniform(0.2, 0.5) * m
