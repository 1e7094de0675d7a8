"""Measures of a quad for the document detector (:mod:`kiosk.scanning.detect`): does its inside
look like a printed page, is there print beyond a side, how is it nested in another quad, and
the colour distance from the surface around the frame."""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.scanning import edges

__all__ = ["background_distance", "chroma", "ink_spread", "paper_hint", "print_beyond", "shared_sides",
           "strip_unlike_beyond", "unlike_surface"]


def unlike_surface(prep: dict, q: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> bool:
    """Is the colour at (xs, ys) (inside quad ``q``) unlike the surface just outside ``q``?"""
    prof, _, _ = edges.sample_sides(prep["closed3"], q[None], 24, np.array([5.0, 8.0]), 0.1, 0.9)
    outside = np.median(prof.reshape(-1, 3), axis=0)
    inside = np.median(prep["closed3"][ys, xs], axis=0)
    return float(np.linalg.norm(inside - outside)) >= 30.0


def strip_unlike_beyond(prep: dict, q: np.ndarray, grown: np.ndarray, k: int, paper_level: float) -> bool:
    """Side ``k`` of quad ``q`` was pushed out to make ``grown``: is the strip gained unlike what
    lies beyond the new side? A strip of the page (a margin, a band, more print) is; a strip
    of the surface the side overshot onto is not."""
    h, w = prep["closed"].shape
    strip = np.stack([q[k], q[(k + 1) % 4], grown[(k + 1) % 4], grown[k]]).astype(np.float32)
    c = strip.mean(0)
    m = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(m, np.round(c + (strip - c) * 0.7).astype(np.int32), 1)
    if m.sum() < 8:
        return False
    inside = np.median(prep["closed3"][m > 0], axis=0)
    prof, _, _ = edges.sample_sides(prep["closed3"], grown[None].astype(np.float64), 16, np.array([5.0, 8.0]), 0.15, 0.85)
    beyond = np.median(prof[0, k].reshape(-1, 3), axis=0)
    if float(np.linalg.norm(inside - beyond)) < 30.0:
        return False
    # and like the page: its paper's level, or print on it
    ink = float(np.mean((prep["closed"][m > 0].astype(np.float32) - prep["paper"][m > 0]) >= 25))
    return abs(float(np.median(prep["closed"][m > 0])) - paper_level) <= 0.12 * paper_level or ink >= 0.02


def shared_sides(a: np.ndarray, b: np.ndarray, tol: float = 0.015) -> int:
    """How many sides of quad ``b`` lie on a side of quad ``a`` (both ends within ``tol`` of the
    larger quad's diagonal from the side's line, and the sides parallel)."""
    diag = float(np.hypot(*(a.max(0) - a.min(0))))
    n = 0
    for k in range(4):
        p0, p1 = b[k], b[(k + 1) % 4]
        for j in range(4):
            q0, q1 = a[j], a[(j + 1) % 4]
            d = q1 - q0
            nrm = np.array([-d[1], d[0]]) / (np.hypot(*d) + 1e-9)
            if abs(float((p0 - q0) @ nrm)) <= tol * diag and abs(float((p1 - q0) @ nrm)) <= tol * diag:
                n += 1
                break
    return n


def paper_hint(prep: dict, quads: np.ndarray, n: int = 8) -> np.ndarray:
    """A quick look inside quads (C, 4, 2): 0..1, how much the inside looks like a printed page
    (light, with some print) rather than the tray, a blank reflection or a dark object. Used to
    choose which quads get the full (slower) score."""
    t = (np.arange(n) + 0.5) / n * 0.8 + 0.1
    u, v = np.meshgrid(t, t)
    u, v = u.ravel()[None, :, None], v.ravel()[None, :, None]
    p = quads.astype(np.float64)
    pts = ((1 - u) * (1 - v) * p[:, None, 0] + u * (1 - v) * p[:, None, 1]
           + u * v * p[:, None, 2] + (1 - u) * v * p[:, None, 3])  # bilinear over the quad
    h, w = prep["closed"].shape
    seen = (pts[..., 0] >= 0) & (pts[..., 0] <= w - 1) & (pts[..., 1] >= 0) & (pts[..., 1] <= h - 1)
    xs = np.clip(np.round(pts[..., 0]).astype(int), 0, w - 1)
    ys = np.clip(np.round(pts[..., 1]).astype(int), 0, h - 1)
    closed = prep["closed"][ys, xs].astype(np.float32)
    # a corner out of view: only the part in the frame says anything
    ink = (((closed - prep["paper"][ys, xs].astype(np.float32)) >= 25) & seen).sum(1) / np.maximum(seen.sum(1), 1)
    vals = np.where(seen, closed, np.nan)
    vals[~seen.any(1)] = 0.0  # (a quad wholly out of view: level 0, no warning)
    level = np.nanmedian(vals, axis=1)
    return np.clip((level - 60.0) / 40.0, 0, 1) * (0.4 + 0.6 * np.clip((ink - 0.002) / 0.012, 0, 1))


def print_beyond(prep: dict, q: np.ndarray) -> np.ndarray:
    """For each side of clockwise quad ``q``: the share of print (dark detail on a light ground)
    in a band just outside it, above the median over the four sides. A page's border has the
    tray outside; a line through a document (the edge of a shadow or of a glare) has more of the
    document's print beyond it, on one or two sides (dark veins of a textured surface show
    beyond all four, and do not count)."""
    offsets = np.array([3.0, 5.0, 7.0, 9.0, 11.0])
    both = np.dstack([prep["paper"], prep["closed"]])
    prof, _, _ = edges.sample_sides(both, q[None], 24, offsets, 0.1, 0.9)  # (1, 4, 24, 5, 2)
    residue = prof[0, ..., 1] - prof[0, ..., 0]
    ink = (residue >= 25) & (prof[0, ..., 1] >= 90)
    share = ink.mean(axis=(1, 2))
    return share - np.median(share)






def ink_spread(q: np.ndarray, xs: np.ndarray, ys: np.ndarray, ink: np.ndarray) -> int:
    """In how many cells of a 4x4 grid over the page (in the page's own coordinates) there is
    print. A document has it in many; a book cover's title or a logo in one or two."""
    unit = np.float32([[0, 0], [4, 0], [4, 4], [0, 4]])
    m = cv2.getPerspectiveTransform(q.astype(np.float32), unit)
    pts = cv2.perspectiveTransform(np.stack([xs, ys], -1).astype(np.float32)[None], m)[0]
    cell = np.clip(pts.astype(int), 0, 3)
    idx = cell[:, 1] * 4 + cell[:, 0]
    tot = np.bincount(idx, minlength=16)
    hit = np.bincount(idx, weights=ink.astype(np.float64), minlength=16)
    return int(np.sum((tot >= 4) & (hit >= np.maximum(1, 0.01 * tot))))


def background_distance(img3: np.ndarray, band: int = 3) -> np.ndarray | None:
    """Colour distance of every pixel from a quadratic model of the surface fitted (robustly) to
    the frame's border band. ``img3``: float32 BGR. None when the border is too uneven to model."""
    h, w = img3.shape[:2]
    if h < 4 * band or w < 4 * band:
        return None
    ys, xs = np.mgrid[0:h:2, 0:w:2]
    edge = (ys < band) | (ys >= h - band) | (xs < band) | (xs >= w - band)
    py, px = ys[edge], xs[edge]
    vals = img3[py, px].astype(np.float64)

    def basis(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        u, v = x / w * 2 - 1, y / h * 2 - 1
        return np.stack([np.ones_like(u), u, v, u * u, u * v, v * v], axis=-1)

    a = basis(px.astype(np.float64), py.astype(np.float64))
    keep = np.ones(len(vals), bool)
    coef = None
    for _ in range(3):  # trim what does not belong to the surface (objects, the page) and refit
        coef, *_ = np.linalg.lstsq(a[keep], vals[keep], rcond=None)
        res = np.linalg.norm(a @ coef - vals, axis=1)
        keep = res <= max(np.percentile(res, 65), 3.0)
    if coef is None or np.median(res) > 25:
        return None
    c = coef.astype(np.float32)  # (6, 3): the model, separable in x and y
    u = (np.arange(w, dtype=np.float32) / w * 2 - 1)[None, :, None]
    v = (np.arange(h, dtype=np.float32) / h * 2 - 1)[:, None, None]
    model = (c[0] + c[1] * u + c[3] * u * u) + (c[2] * v + c[5] * v * v) + c[4] * (u * v)
    diff = img3 - model
    return np.sqrt(np.einsum("hwc,hwc->hw", diff, diff))


def chroma(bgr: np.ndarray) -> np.ndarray:
    """Colourfulness relative to brightness, in percent, for float BGR rows (n, 3)."""
    b, g, r = bgr[:, 0], bgr[:, 1], bgr[:, 2]
    c = np.sqrt((r - g) ** 2 / 2 + (r + g - 2 * b) ** 2 / 6)
    return 100 * c / np.maximum(bgr.mean(1), 1.0)


def net_agreement(prep: dict, quads: np.ndarray) -> np.ndarray | None:
    """How well each quad (N, 4, 2; working pixels) matches the page network's map: the soft
    intersection over union of the quad's area and the map's page probabilities, 0..1. None when
    there is no map (no network)."""
    pm = prep.get("pagemap")
    if pm is None:
        return None
    gh, gw = pm.shape
    h, w = prep["closed"].shape
    scale = np.array([gw / w, gh / h])
    total = float(pm.sum())
    out = np.zeros(len(quads))
    m = np.zeros((gh, gw), np.uint8)
    for i, q in enumerate(np.asarray(quads, np.float64)):
        if not np.all(np.isfinite(q)):
            continue
        m[:] = 0
        cv2.fillPoly(m, [np.round((q * scale - 0.5) * 16).astype(np.int32)], 255, cv2.LINE_AA, shift=4)
        qm = m.astype(np.float32) / 255.0
        inter = float(np.minimum(qm, pm).sum())
        out[i] = inter / max(float(qm.sum()) + total - inter, 1e-6)
    return out
