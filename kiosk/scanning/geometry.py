"""Quadrilateral geometry for the document detector: areas, corner order, reducing polygons to quads."""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["ahead", "aspect", "cross3", "inside", "longest_sides_quad", "on_frame_edge", "order_corners", "reduce_to_quad", "signed_area"]


def ahead(a: np.ndarray, k: int = 1, axis: int = 0) -> np.ndarray:
    """``np.roll(a, -k, axis)``: element i + k (cyclically) at i. The detector rolls thousands of
    4-corner arrays per frame, where np.roll's own overhead is most of the cost."""
    n = a.shape[axis]
    return a.take((np.arange(n) + k) % n, axis=axis)


def cross3(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``np.cross`` of 3-vectors along the last axis (homogeneous lines and points), the same
    arithmetic without np.cross's axis handling."""
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return np.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)


def signed_area(q: np.ndarray) -> np.ndarray:
    """Area of polygons (..., n, 2), positive when they run clockwise on screen (y down)."""
    x, y = q[..., 0], q[..., 1]
    return 0.5 * np.sum(x * ahead(y, 1, -1) - ahead(x, 1, -1) * y, axis=-1)


def order_corners(q: np.ndarray) -> np.ndarray:
    """Order a convex quad as TL, TR, BR, BL: clockwise on screen, starting so that the top side
    points as close as possible to the right (pages are assumed within +-45 deg of upright)."""
    q = np.asarray(q, np.float64).reshape(4, 2)
    if signed_area(q) < 0:
        q = q[::-1]
    best, k_best = -np.inf, 0
    for k in range(4):
        r = ahead(q, k)
        top = r[1] - r[0]
        bottom = r[2] - r[3]
        d = top / (np.linalg.norm(top) + 1e-9) + bottom / (np.linalg.norm(bottom) + 1e-9)
        if d[0] > best:
            best, k_best = d[0], k
    return ahead(q, k_best).astype(np.float32)


def on_frame_edge(p: np.ndarray, frame: tuple[int, int], tol: float = 1.5) -> np.ndarray:
    """For each edge p[i] -> p[i+1] of a polygon: does it run along the frame's border (both ends
    within ``tol`` of the same side of a ``frame`` (w, h))? The frame cuts such edges, the
    object has none there."""
    w, h = frame
    q = ahead(p)
    return (((p[:, 0] <= tol) & (q[:, 0] <= tol)) | ((p[:, 1] <= tol) & (q[:, 1] <= tol))
            | ((p[:, 0] >= w - 1 - tol) & (q[:, 0] >= w - 1 - tol)) | ((p[:, 1] >= h - 1 - tol) & (q[:, 1] >= h - 1 - tol)))


def reduce_to_quad(poly: np.ndarray, frame: tuple[int, int] | None = None) -> np.ndarray | None:
    """Smallest-growth reduction of a convex polygon to 4 vertices: repeatedly remove the edge
    whose removal (extending both neighbours to meet) adds the least area. With ``frame`` (w, h),
    edges along the frame's border go first: a corner out of view is where the two sides cut by
    the frame meet, beyond it."""
    p = poly.reshape(-1, 2).astype(np.float64)
    while len(p) > 4:
        n = len(p)
        a = ahead(p, -1)  # previous vertex
        b = p  # edge b -> c is a candidate for removal
        c = ahead(p)
        d = ahead(p, 2)
        u = b - a
        v = c - d
        w = c - b
        den = u[:, 0] * v[:, 1] - u[:, 1] * v[:, 0]
        # b + s*u = c + t*v  ->  s = cross(w, v) / cross(u, v)
        s = (w[:, 0] * v[:, 1] - w[:, 1] * v[:, 0]) / np.where(np.abs(den) < 1e-12, np.nan, den)
        t = (w[:, 0] * u[:, 1] - w[:, 1] * u[:, 0]) / np.where(np.abs(den) < 1e-12, np.nan, den)
        ok = (s > 0) & (t > 0)
        x = b + s[:, None] * u
        added = 0.5 * np.abs((x[:, 0] - b[:, 0]) * (c[:, 1] - b[:, 1]) - (x[:, 1] - b[:, 1]) * (c[:, 0] - b[:, 0]))
        added = np.where(ok, added, np.inf)
        if frame is not None:
            added = np.where(ok & on_frame_edge(p, frame), -1.0, added)
        i = int(np.nanargmin(added)) if np.isfinite(added).any() else -1
        if i < 0:
            return None
        p[i] = x[i]
        p = np.delete(p, (i + 1) % n, axis=0)
    return p if len(p) == 4 else None


def longest_sides_quad(contour: np.ndarray) -> np.ndarray | None:
    """A quad from the four longest straight runs of a contour, extended to meet."""
    peri = cv2.arcLength(contour.reshape(-1, 1, 2), True)
    poly = cv2.approxPolyDP(contour.reshape(-1, 1, 2), 0.015 * peri, True).reshape(-1, 2).astype(np.float64)
    if len(poly) < 5:
        return None
    nxt = ahead(poly)
    lengths = np.hypot(*(nxt - poly).T)
    idx = np.sort(np.argsort(-lengths)[:4])
    ones = np.ones((4, 1))
    lines = cross3(np.c_[poly[idx], ones], np.c_[nxt[idx], ones])
    x = cross3(ahead(lines, -1), lines)
    if np.any(np.abs(x[:, 2]) < 1e-9):
        return None
    q = x[:, :2] / x[:, 2:3]
    return q.astype(np.float32) if _convex(q) else None


def _convex(q: np.ndarray) -> bool:
    a = ahead(q) - q
    b = ahead(q, 2) - ahead(q)
    s = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    return bool(np.all(s > 0) or np.all(s < 0))


def aspect(q: np.ndarray) -> float:
    d = ahead(q) - q
    s = np.hypot(d[:, 0], d[:, 1])
    a, b = (s[0] + s[2]) / 2, (s[1] + s[3]) / 2
    return float(max(a, b) / max(min(a, b), 1e-6))


def inside(quad: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Which points (n, 2) lie inside the convex quad (through its homography to a unit square)."""
    unit = np.float32([[0, 0], [1, 0], [1, 1], [0, 1]])
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), unit)
    uv = cv2.perspectiveTransform(np.asarray(pts, np.float32).reshape(1, -1, 2), m)[0]
    return np.all((uv >= -1e-3) & (uv <= 1 + 1e-3), axis=1)
