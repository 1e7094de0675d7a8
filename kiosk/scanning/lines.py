"""Quads from straight edges (step 2 of :mod:`kiosk.scanning.detect`): for pages whose regions
leak or split (low contrast, a shadow across the page) but whose borders are still lines.

The grey level is normalised to the local contrast first, so a faint border on a plain surface
counts as much as a strong one. Segments (OpenCV's LSD) on one line are merged; every two
pairs of roughly opposite lines make a quad, and when only three sides show the fourth joins
the far ends of the two opposite ones; quads are ranked by how much of their sides lies on a
segment.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.scanning import geometry as geo
from kiosk.scanning.geometry import signed_area

__all__ = ["line_quads"]


@functools.cache
def _lsd() -> cv2.LineSegmentDetector:
    return cv2.createLineSegmentDetector(cv2.LSD_REFINE_STD, 0.5)


@dataclass
class _Lines:
    eqs: np.ndarray  # (n, 3) homogeneous lines (unit normal, offset)
    mids: np.ndarray  # (n, 2) weighted centre of each line's segments
    ext: np.ndarray  # (n, 2) where its segments start and end, along the line from ``mids``
    mask: np.ndarray  # (h, w) uint8: 1 on the segments drawn 3 px wide


def line_quads(gray: np.ndarray, keep: int = 6, n_lines: int = 16) -> list[np.ndarray]:
    """Quads made of the longest straight edges in ``gray`` (working size, text removed).
    Returns up to ``keep`` clockwise quads, best first."""
    h, w = gray.shape
    segs, length = _segments(gray)
    if len(segs) < 4:
        return []
    lines = _merge(segs, length, n_lines, (h, w))
    if lines is None:
        return []
    quads = _quads(lines, (h, w))
    if quads is None:
        return []
    corners, found = quads
    if len(corners) == 0:
        return []
    x, y = corners[..., 0], corners[..., 1]
    # a corner may lie out of the frame (the page's sides meet beyond it), not far out
    inside = np.all((x >= -0.25 * w) & (x <= 1.25 * w) & (y >= -0.25 * h) & (y <= 1.25 * h), axis=1)
    corners, found = corners[inside], found[inside]
    if len(corners) == 0:
        return []
    return _best(corners, found, lines.mask, keep)


def _segments(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The longest LSD segments (k, 4) of the contrast-normalised ``gray`` and their lengths."""
    h, w = gray.shape
    g = gray.astype(np.float32)
    q4 = (max(4, w // 4), max(4, h // 4))  # smooth fields: work at a quarter size

    def smooth(img: np.ndarray, sigma: float) -> np.ndarray:
        small = cv2.GaussianBlur(cv2.resize(img, q4, interpolation=cv2.INTER_AREA), (0, 0), sigma / 4)
        return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)

    d = g - smooth(g, 12)
    sd = np.sqrt(smooth(d * d, 24)) + 2.0
    norm = np.clip(128 + d / sd * 25, 0, 255).astype(np.uint8)
    segs = _lsd().detect(norm)[0]
    if segs is None:
        return np.zeros((0, 4)), np.zeros(0)
    segs = segs.reshape(-1, 4).astype(np.float64)
    length = np.hypot(segs[:, 2] - segs[:, 0], segs[:, 3] - segs[:, 1])
    long = length >= 0.03 * max(h, w)
    segs, length = segs[long], length[long]
    order = np.argsort(-length)[:80]
    return segs[order], length[order]


def _merge(segs: np.ndarray, length: np.ndarray, n_lines: int, shape: tuple[int, int]) -> _Lines | None:
    """The ``n_lines`` longest lines made of the segments (None if fewer than four)."""
    # merge segments lying on one line (greedy, longest first): each segment's own line, then
    # every segment joins the first longer one whose line passes within 2.5 px of both its ends
    nrm = np.stack([segs[:, 3] - segs[:, 1], segs[:, 0] - segs[:, 2]], 1) / length[:, None]
    own = np.c_[nrm, -(nrm * segs[:, :2]).sum(1)]  # (n, 3)
    d1 = np.abs(own[:, None, 0] * segs[None, :, 0] + own[:, None, 1] * segs[None, :, 1] + own[:, None, 2])
    d2 = np.abs(own[:, None, 0] * segs[None, :, 2] + own[:, None, 1] * segs[None, :, 3] + own[:, None, 2])
    fits = (d1 <= 2.5) & (d2 <= 2.5)  # fits[k, i]: segment i lies on segment k's line
    owner = np.full(len(segs), -1)
    for i in range(len(segs)):
        if owner[i] >= 0:
            continue
        owner[i] = i  # a new line, led by segment i: it takes the later segments on it
        owner[(owner < 0) & fits[i]] = i
    heads = np.unique(owner)
    lines = [np.nonzero(owner == k)[0] for k in heads]
    total = np.array([length[idx].sum() for idx in lines])
    top = np.argsort(-total)[:n_lines]
    if len(top) < 4:
        return None
    mask = np.zeros(shape, np.uint8)
    eqs, mids, ext = [], [], []
    for k in top:
        pts = segs[lines[k]].reshape(-1, 2)
        wts = np.repeat(length[lines[k]], 2)
        c = (pts * wts[:, None]).sum(0) / wts.sum()
        x = pts - c
        sxx, syy, sxy = (wts * x[:, 0] ** 2).sum(), (wts * x[:, 1] ** 2).sum(), (wts * x[:, 0] * x[:, 1]).sum()
        ang = 0.5 * np.arctan2(2 * sxy, sxx - syy)  # direction of the most spread
        n = np.array([-np.sin(ang), np.cos(ang)])  # the line's normal
        eqs.append(np.r_[n, -n @ c])
        mids.append(c)
        along = x @ np.array([-n[1], n[0]])
        ext.append((along.min(), along.max()))  # where its segments start and end
        for x1, y1, x2, y2 in segs[lines[k]]:
            cv2.line(mask, (round(x1), round(y1)), (round(x2), round(y2)), 1, 3)
    return _Lines(np.array(eqs), np.array(mids), np.array(ext), mask)


def _quads(lines: _Lines, shape: tuple[int, int]) -> tuple[np.ndarray, np.ndarray] | None:
    """Candidate corners (C, 4, 2) and which of their sides lie on a line found (C, 4);
    None when there are not two pairs of opposite lines."""
    h, w = shape
    eqs, mids = lines.eqs, lines.mids
    theta = np.arctan2(eqs[:, 1], eqs[:, 0]) % np.pi
    n = len(eqs)
    ii, jj = np.triu_indices(n, 1)
    dth = np.abs(theta[ii] - theta[jj])
    dth = np.minimum(dth, np.pi - dth)
    gap = np.abs((eqs[ii, :2] * mids[jj]).sum(1) + eqs[ii, 2])  # how far apart
    par = (dth <= np.radians(35)) & (gap >= 0.12 * min(h, w))  # roughly parallel: opposite sides
    pi_, pj = ii[par], jj[par]
    if len(pi_) < 2:
        return None
    mean_th = np.angle(np.exp(2j * theta[pi_]) + np.exp(2j * theta[pj])) / 2
    a, b = np.triu_indices(len(pi_), 1)
    dd = np.abs(mean_th[a] - mean_th[b]) % np.pi
    dd = np.minimum(dd, np.pi - dd)
    ok = (dd >= np.radians(50)) & (pi_[a] != pi_[b]) & (pi_[a] != pj[b]) & (pj[a] != pi_[b]) & (pj[a] != pj[b])
    a, b = a[ok], b[ok]
    l1, l2, l3, l4 = eqs[pi_[a]], eqs[pj[a]], eqs[pi_[b]], eqs[pj[b]]
    corners = np.stack([geo.cross3(l1, l3), geo.cross3(l3, l2), geo.cross3(l2, l4), geo.cross3(l4, l1)], axis=1)
    zs = corners[..., 2]
    good = np.all(np.abs(zs) > 1e-9, axis=1)
    corners = corners[good, :, :2] / zs[good][..., None]
    found = np.ones((len(corners), 4), bool)  # which sides lie on a line found
    q3 = _three_sided(lines, theta, mean_th, pi_, pj, shape)
    if len(q3):
        corners = np.concatenate([corners, q3])
        found = np.concatenate([found, np.tile([True, False, True, True], (len(q3), 1))])
    return corners, found


def _three_sided(
    lines: _Lines, theta: np.ndarray, mean_th: np.ndarray, pi_: np.ndarray, pj: np.ndarray, shape: tuple[int, int]
) -> np.ndarray:
    """Three sides found, the fourth too faint (or hidden): a pair of opposite lines (``pi_``,
    ``pj``) and a line across them; the missing side joins the far ends of the pair's segments.
    Returns (C, 4, 2) corners whose second side is the missing one."""
    h, w = shape
    eqs, mids, ext = lines.eqs, lines.mids, lines.ext
    tdir = np.stack([-eqs[:, 1], eqs[:, 0]], 1)
    k = np.arange(len(eqs))
    pp, kk = np.meshgrid(np.arange(len(pi_)), k, indexing="ij")
    pp, kk = pp.ravel(), kk.ravel()
    dk = np.abs(mean_th[pp] - theta[kk]) % np.pi
    across = (np.minimum(dk, np.pi - dk) >= np.radians(50)) & (kk != pi_[pp]) & (kk != pj[pp])
    pp, kk = pp[across], kk[across]
    if not len(pp):
        return np.zeros((0, 4, 2))
    far = []
    for side in (pi_[pp], pj[pp]):
        xk = geo.cross3(eqs[side], eqs[kk])
        xk = xk[:, :2] / np.where(np.abs(xk[:, 2:]) > 1e-9, xk[:, 2:], np.nan)
        s0 = ((xk - mids[side]) * tdir[side]).sum(1)
        lo, hi = ext[side, 0], ext[side, 1]
        end = np.where(np.abs(hi - s0) >= np.abs(lo - s0), hi, lo)
        far.append((xk, mids[side] + end[:, None] * tdir[side], np.abs(end - s0)))
    (xi, fi, li), (xj, fj, lj) = far
    q3 = np.stack([xi, fi, fj, xj], axis=1)
    long_enough = (li >= 0.1 * min(h, w)) & (lj >= 0.1 * min(h, w)) & np.all(np.isfinite(q3), axis=(1, 2))
    return q3[long_enough]


def _best(corners: np.ndarray, found: np.ndarray, mask: np.ndarray, keep: int) -> list[np.ndarray]:
    """Up to ``keep`` quads, best supported first, near-duplicates dropped; clockwise."""
    h, w = mask.shape
    # support: share of points along each side on a segment (a side not found scores nothing,
    # and its quad is worth less than one with all four)
    t = np.linspace(0.05, 0.95, 24)
    pts = corners[:, :, None, :] + t[None, None, :, None] * (geo.ahead(corners, 1, 1) - corners)[:, :, None, :]
    px = np.clip(np.round(pts[..., 0]).astype(int), 0, w - 1)
    py = np.clip(np.round(pts[..., 1]).astype(int), 0, h - 1)
    cover = np.where(found, mask[py, px].mean(2), np.nan)  # (C, 4)
    score = np.nanmean(cover, 1) * np.clip(np.nanmin(cover, 1) / 0.3, 0, 1) * np.where(found.all(1), 1.0, 0.8)
    # orient clockwise on screen
    signed = signed_area(corners)
    corners[signed < 0] = corners[signed < 0][:, ::-1]
    area = np.abs(signed)
    # best first; of near-identical quads (a page's border and a printed frame just inside it
    # mixed) keep the best, ties to the larger
    best = np.lexsort((-area, -np.round(score, 2)))[: 4 * keep]
    best = best[score[best] >= 0.25]
    if len(best) == 0:
        return []
    cb = corners[best]
    # for every two of them: the largest distance from a corner of one to the nearest of the other
    d = np.linalg.norm(cb[:, None, :, None, :] - cb[None, :, None, :, :], axis=-1).min(3).max(2)
    near = d <= 0.02 * max(h, w)
    kept: list[int] = []
    for i in range(len(best)):
        if len(kept) >= keep:
            break
        if not kept or not near[i, kept].any():
            kept.append(i)
    return [cb[i].astype(np.float32) for i in kept]
