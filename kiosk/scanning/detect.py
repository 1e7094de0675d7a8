"""Finding the corners of a paper document in a camera frame.

Classical pipeline, built for robustness rather than for one data set:

1. Work on a copy whose longer side is ``WORK`` pixels. The "paper channel" is the darkest of
   B, G, R: paper is bright in all three, so it stands out from coloured and dark surfaces.
   A morphological closing removes text, table rules and seals, so the page becomes a plain
   bright shape.
2. Proposals, on a half-size copy: connected components of the paper channel above several
   thresholds (the component tree, as the SmartDoc 2015 winner did), again with blown-out glare
   cut away; a high-passed grey channel (uneven light); and the colour distance from a
   quadratic model of the surface fitted to the frame's border (low contrast, any polarity, hue
   as well as brightness). Each large, compact region becomes a quadrilateral:
   the smallest enclosing quad of its convex hull (which restores a corner hidden under a
   finger) and, for ragged regions, its four longest straight runs.
   Regions leak or split when the page is barely lighter than the surface or a shadow crosses
   it, but its border is still four straight edges: line segments (OpenCV's LSD, on the grey
   level normalised to the local contrast) are merged into lines, and every two pairs of
   roughly opposite lines make a quad, ranked by how much of its sides lies on a segment; when
   only three sides show, the fourth joins the far ends of the two opposite ones.
3. Each quad's sides are pulled onto the strongest consistent colour step nearby and refitted
   as straight lines with outlier rejection; corners are where adjacent lines meet. The few
   quads with the best edges and a quick look of a printed page inside get the full score.
4. Each quad is scored: how much of each side has a clean, consistent step (a t-test against
   the spread on either side, so texture does not count), whether its inside looks like paper
   (light, neutral, one sheet, with print spread over it), and whether its shape is a plausible
   view of a page. Between good quads, a side that runs on past both corners (a shadow's edge)
   and an outer quad whose extra ring is blank surface (a tray's rim) lose; an outer quad whose
   ring is the same paper (a certificate's printed frame, a table) wins. A quad with the
   document's print beyond a side (part of a page cut by a shadow) ranks lower, and is also
   tried grown out to the next edge. The best quad above a threshold wins.
5. Its sides are refined once more at full resolution (sub-pixel), and the corners ordered
   top-left, top-right, bottom-right, bottom-left.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import cv2
import numpy as np

WORK = 480  # longer side of the working image, pixels
MIN_AREA = 0.035  # smallest page, share of the frame
MAX_AREA = 0.97


@dataclass(frozen=True)
class Detection:
    corners: np.ndarray  # (4, 2) float32, full-frame pixels: TL, TR, BR, BL of the page
    score: float  # 0..1, confidence
    support: tuple[float, float, float, float]  # share of each side (top, right, bottom, left) on an edge
    source: str = ""  # which proposal found it (diagnostics)
    features: dict | None = None  # the measures behind the score (diagnostics)


# --- geometry helpers ------------------------------------------------------------------------


def _signed_area(q: np.ndarray) -> np.ndarray:
    """Area of polygons (..., n, 2), positive when they run clockwise on screen (y down)."""
    x, y = q[..., 0], q[..., 1]
    return 0.5 * np.sum(x * np.roll(y, -1, -1) - np.roll(x, -1, -1) * y, axis=-1)


def order_corners(q: np.ndarray) -> np.ndarray:
    """Order a convex quad as TL, TR, BR, BL: clockwise on screen, starting so that the top side
    points as close as possible to the right (pages are assumed within +-45 deg of upright)."""
    q = np.asarray(q, np.float64).reshape(4, 2)
    if _signed_area(q) < 0:
        q = q[::-1]
    best, k_best = -np.inf, 0
    for k in range(4):
        r = np.roll(q, -k, axis=0)
        top = r[1] - r[0]
        bottom = r[2] - r[3]
        d = top / (np.linalg.norm(top) + 1e-9) + bottom / (np.linalg.norm(bottom) + 1e-9)
        if d[0] > best:
            best, k_best = d[0], k
    return np.roll(q, -k_best, axis=0).astype(np.float32)


def _reduce_to_quad(poly: np.ndarray) -> np.ndarray | None:
    """Smallest-growth reduction of a convex polygon to 4 vertices: repeatedly remove the edge
    whose removal (extending both neighbours to meet) adds the least area."""
    p = poly.reshape(-1, 2).astype(np.float64)
    while len(p) > 4:
        n = len(p)
        a = np.roll(p, 1, axis=0)  # previous vertex
        b = p  # edge b -> c is a candidate for removal
        c = np.roll(p, -1, axis=0)
        d = np.roll(p, -2, axis=0)
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
        i = int(np.nanargmin(added)) if np.isfinite(added).any() else -1
        if i < 0:
            return None
        p[i] = x[i]
        p = np.delete(p, (i + 1) % n, axis=0)
    return p if len(p) == 4 else None


def _longest_sides_quad(contour: np.ndarray) -> np.ndarray | None:
    """A quad from the four longest straight runs of a contour, extended to meet."""
    peri = cv2.arcLength(contour.reshape(-1, 1, 2), True)
    poly = cv2.approxPolyDP(contour.reshape(-1, 1, 2), 0.015 * peri, True).reshape(-1, 2).astype(np.float64)
    if len(poly) < 5:
        return None
    nxt = np.roll(poly, -1, axis=0)
    lengths = np.hypot(*(nxt - poly).T)
    idx = np.sort(np.argsort(-lengths)[:4])
    ones = np.ones((4, 1))
    lines = np.cross(np.c_[poly[idx], ones], np.c_[nxt[idx], ones])
    x = np.cross(np.roll(lines, 1, axis=0), lines)
    if np.any(np.abs(x[:, 2]) < 1e-9):
        return None
    q = x[:, :2] / x[:, 2:3]
    return q.astype(np.float32) if _convex(q) else None


def _convex(q: np.ndarray) -> bool:
    a = np.roll(q, -1, axis=0) - q
    b = np.roll(q, -2, axis=0) - np.roll(q, -1, axis=0)
    s = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
    return bool(np.all(s > 0) or np.all(s < 0))


def _aspect(q: np.ndarray) -> float:
    d = np.roll(q, -1, axis=0) - q
    s = np.hypot(d[:, 0], d[:, 1])
    a, b = (s[0] + s[2]) / 2, (s[1] + s[3]) / 2
    return float(max(a, b) / max(min(a, b), 1e-6))


# --- edge sampling ----------------------------------------------------------------------------


def _sample_sides(img: np.ndarray, quads: np.ndarray, n_pts: int, offsets: np.ndarray,
                  t0: float = 0.05, t1: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sample ``img`` across the four sides of clockwise (on screen) quads, all in one go.

    ``quads``: (C, 4, 2). Returns profiles (C, 4, n_pts, n_off[, channels]), base points
    (C, 4, n_pts, 2) on the sides and outward unit normals (C, 4, 2). ``offsets`` run along the
    outward normal."""
    p = quads.astype(np.float64)
    d = np.roll(p, -1, axis=1) - p
    length = np.hypot(d[..., 0], d[..., 1])[..., None] + 1e-9
    tangent = d / length
    normal = np.stack([tangent[..., 1], -tangent[..., 0]], axis=-1)
    t = np.linspace(t0, t1, n_pts)
    base = p[:, :, None, :] + t[None, None, :, None] * d[:, :, None, :]
    pts = base[:, :, :, None, :] + offsets[None, None, None, :, None] * normal[:, :, None, None, :]
    c = p.shape[0]
    mx = pts[..., 0].reshape(c * 4 * n_pts, len(offsets)).astype(np.float32)
    my = pts[..., 1].reshape(c * 4 * n_pts, len(offsets)).astype(np.float32)
    prof = cv2.remap(img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    prof = prof.reshape((c, 4, n_pts, len(offsets)) + prof.shape[2:]).astype(np.float32)
    return prof, base, normal


def _fit_lines(pts: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted total-least-squares lines, one per row: ``pts`` (k, n, 2), ``w`` (k, n) with 0 for
    unused points; two rounds of outlier trimming. Returns (k, 3) homogeneous lines (a, b, c),
    a^2 + b^2 = 1; a row with fewer than 3 usable points gives NaN."""
    w = w.astype(np.float64)
    line = np.full((pts.shape[0], 3), np.nan)
    for it in range(3):
        sw = w.sum(1)
        ok = (w > 0).sum(1) >= 3
        c = (pts * w[..., None]).sum(1) / np.maximum(sw, 1e-12)[:, None]
        x = pts - c[:, None, :]
        sxx = (w * x[..., 0] ** 2).sum(1)
        syy = (w * x[..., 1] ** 2).sum(1)
        sxy = (w * x[..., 0] * x[..., 1]).sum(1)
        theta = 0.5 * np.arctan2(2 * sxy, sxx - syy)  # direction of each line
        nrm = np.stack([-np.sin(theta), np.cos(theta)], axis=1)
        cc = -(nrm * c).sum(1)
        line = np.where(ok[:, None], np.c_[nrm, cc], np.nan)
        if it < 2:
            res = np.abs((pts * nrm[:, None, :]).sum(2) + cc[:, None])
            used = w > 0
            mean_res = (res * used).sum(1) / np.maximum(used.sum(1), 1)
            lim = np.maximum(2.0 * mean_res, 0.75 if it else 1.5)
            w = np.where(res <= lim[:, None], w, 0.0)
    return line


def refine_sides(img: np.ndarray, quads: np.ndarray, radius: float, n_pts: int, thr: float,
                 dirs: np.ndarray | None = None, step: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Move each side of clockwise quads (C, 4, 2) onto the strongest edge within +-radius of it.

    ``img`` is BGR (float or uint8). The edge is a colour step: each side has a direction in
    colour space (inside minus outside), found from the data unless ``dirs`` (C, 4, 3) gives it;
    the response is the step projected on it, so a side may be a change of brightness or of hue.
    Each side is refitted as a straight line (weighted, outliers trimmed): a corner hidden under
    a finger comes back where its two sides meet.
    Returns (new quads, directions, share of each side's points on an edge above ``thr``)."""
    offsets = np.arange(-radius - step, radius + step + 1e-6, step)
    prof, base, normal = _sample_sides(img, quads, n_pts, offsets)
    der = (prof[:, :, :, :-2] - prof[:, :, :, 2:]) * 0.5  # inside minus outside, (C, 4, n, m, 3)
    # smooth along the side (neighbouring points) to steady the response
    der[:, :, 1:-1] = 0.25 * der[:, :, :-2] + 0.5 * der[:, :, 1:-1] + 0.25 * der[:, :, 2:]
    offs = offsets[1:-1]
    if dirs is None:
        mag = np.einsum("...c,...c->...", der, der)
        jm = np.argmax(mag, axis=3)
        peak = np.take_along_axis(der, jm[..., None, None], 3)[:, :, :, 0, :]  # (C, 4, n, 3)
        # the dominant direction, each point's vector flipped to agree with a first guess
        ref = peak.sum(2)
        ref /= np.linalg.norm(ref, axis=-1, keepdims=True) + 1e-9
        sgn = np.sign(np.einsum("cknx,ckx->ckn", peak, ref))
        u = (peak * sgn[..., None]).sum(2)
        u /= np.linalg.norm(u, axis=-1, keepdims=True) + 1e-9
        # keep the orientation most points agree with
        agree = np.einsum("cknx,ckx->ckn", peak, u)
        flip = np.where((agree > 0).sum(2) >= (agree < 0).sum(2), 1.0, -1.0)
        dirs = u * flip[..., None]
    resp = np.einsum("cknmx,ckx->cknm", der, dirs)
    j = np.argmax(resp, axis=3)
    jj = np.clip(j, 1, resp.shape[3] - 2)
    r0 = np.take_along_axis(resp, (jj - 1)[..., None], 3)[..., 0]
    r1 = np.take_along_axis(resp, jj[..., None], 3)[..., 0]
    r2 = np.take_along_axis(resp, (jj + 1)[..., None], 3)[..., 0]
    best = np.take_along_axis(resp, j[..., None], 3)[..., 0]
    den = r0 - 2 * r1 + r2
    safe = np.where(np.abs(den) > 1e-6, den, 1.0)
    sub = np.where(np.abs(den) > 1e-6, 0.5 * (r0 - r2) / safe, 0.0)
    off = offs[jj] + np.clip(sub, -0.5, 0.5) * step
    edge = base + off[..., None] * normal[:, :, None, :]
    good = best >= thr
    shares = good.mean(2)
    enough = good.sum(2) >= max(4, 0.2 * n_pts)
    c = quads.shape[0]
    fitted = _fit_lines(edge.reshape(c * 4, n_pts, 2),
                        np.where(good & enough[..., None], best, 0.0).reshape(c * 4, n_pts)).reshape(c, 4, 3)
    p = quads.astype(np.float64)
    ones = np.ones(p.shape[:2] + (1,))
    own = np.cross(np.concatenate([p, ones], -1), np.concatenate([np.roll(p, -1, axis=1), ones], -1))
    lines = np.where(np.isfinite(fitted).all(-1, keepdims=True), fitted, own)
    x = np.cross(np.roll(lines, 1, axis=1), lines)  # corner k = side k-1 x side k
    bad = np.any(np.abs(x[..., 2]) < 1e-9, axis=1)
    w = np.where(np.abs(x[..., 2:3]) < 1e-9, 1.0, x[..., 2:3])
    new = np.where(bad[:, None, None], p, x[..., :2] / w)
    return new, dirs, shares


def edge_support(img: np.ndarray, quads: np.ndarray, n_pts: int = 40, thr: float = 4.0, t_min: float = 2.2) -> np.ndarray:
    """Share of each side of clockwise quads (C, 4, 2) with a consistent colour step across it
    (``img``: BGR, text-free). A point counts when the step between a band just inside and a band
    just outside (projected on the side's colour direction) is at least ``thr`` and stands out of
    the spread within the bands (a t-statistic of ``t_min``): a faint but clean edge counts, a
    texture does not. Points whose inside is blown out (glare) say nothing and are left out; a
    side that is mostly blown out scores 0.5. Returns (C, 4)."""
    offsets = np.array([-5.0, -4.0, -3.0, -2.0, 2.0, 3.0, 4.0, 5.0])  # negative: inside
    prof, _, _ = _sample_sides(img, quads, n_pts, offsets, 0.04, 0.96)  # (C, 4, n, 8, 3)
    step = prof[:, :, :, :4].mean(3) - prof[:, :, :, 4:].mean(3)  # (C, 4, n, 3)
    u = np.median(step, axis=2)
    u /= np.linalg.norm(u, axis=-1, keepdims=True) + 1e-9
    proj = np.einsum("cknox,ckx->ckno", prof, u)  # (C, 4, n, 8)
    proj[:, :, 1:-1] = (proj[:, :, :-2] + proj[:, :, 1:-1] + proj[:, :, 2:]) / 3  # steady along the side
    st = proj[..., :4].mean(-1) - proj[..., 4:].mean(-1)
    spread = np.sqrt(0.5 * (proj[..., :4].var(-1) + proj[..., 4:].var(-1))) + 0.5
    ok = (st >= thr) & (st >= t_min * spread * np.sqrt(0.5))
    blown = prof.min(axis=(3, 4)) >= 245  # blown out on both sides: no evidence
    valid = (~blown).sum(2)
    share = (ok & ~blown).sum(2) / np.maximum(valid, 1)
    return np.where(valid >= 0.3 * n_pts, share, 0.5)


# --- the detector ---------------------------------------------------------------------------


@dataclass
class _Cand:
    quad: np.ndarray  # clockwise (on screen), working-image pixels
    source: str
    score: float = 0.0
    support: np.ndarray | None = None
    dirs: np.ndarray | None = None  # colour direction of each side's edge
    features: dict | None = None
    rank: float = 0.0  # score with preferences that choose between quads (not for accepting)
    samples: tuple[np.ndarray, ...] | None = None  # inside: x, y, print residue, paper level
    beyond: np.ndarray | None = None  # print just beyond each side (see _print_beyond)


class DocumentDetector:
    """Stateless apart from its settings; ``detect`` may be called from any one thread at a time."""

    def __init__(self, work: int = WORK, accept: float = 0.6, max_refine: int = 3, levels: int = 6,
                 skip: frozenset[str] = frozenset()) -> None:
        self.work = work
        self.accept = accept
        self.max_refine = max_refine
        self.levels = levels  # thresholds per channel in the component tree
        self.skip = skip  # proposal sources to leave out (for experiments)

    # -- preprocessing --
    def _prepare(self, frame: np.ndarray) -> dict:
        h, w = frame.shape[:2]
        small = frame
        while max(small.shape[:2]) >= 2 * self.work:  # fast, anti-aliased halving
            small = cv2.pyrDown(small)
        s = self.work / max(h, w)
        size = (max(8, round(w * s)), max(8, round(h * s)))
        if (small.shape[1], small.shape[0]) != size:
            small = cv2.resize(small, size, interpolation=cv2.INTER_LINEAR)
        s = small.shape[1] / w
        k = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))
        # text, rules and seals are thin dark details: a closing removes them from every channel
        closed3 = cv2.medianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, k), 3)
        b, g, r = cv2.split(small)
        paper = cv2.min(cv2.min(b, g), r)
        cb, cg, cr = cv2.split(closed3)
        closed = cv2.min(cv2.min(cb, cg), cr)
        gray = cv2.cvtColor(closed3, cv2.COLOR_BGR2GRAY)
        hw = (closed.shape[1] // 2, closed.shape[0] // 2)
        halves = [cv2.resize(c, hw, interpolation=cv2.INTER_AREA) for c in (closed, gray)]
        half3 = cv2.resize(closed3, hw, interpolation=cv2.INTER_AREA).astype(np.float32)
        return {"scale": s, "small": small, "paper": paper, "closed": closed,
                "closed3": closed3.astype(np.float32), "halves": halves, "half3": half3}

    # -- proposals --
    @staticmethod
    def _regions(mask: np.ndarray, area_min: float, area_max: float, out: list[np.ndarray], limit: int = 2,
                 seen: list[np.ndarray] | None = None) -> None:
        n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=4)
        if n <= 1:
            return
        areas = stats[1:, cv2.CC_STAT_AREA]
        order = np.argsort(-areas)[:limit]
        for i in order:
            a = areas[i]
            if not area_min <= a <= area_max:
                continue
            x, y, bw, bh = stats[i + 1, :4]
            if a < 0.3 * bw * bh:
                continue
            sig = np.array([x, y, x + bw, y + bh, np.sqrt(a)], np.float32)
            if seen is not None:
                # the same region again at the next level: skip it
                if any(np.max(np.abs(sig - o)) <= 1.5 for o in seen):
                    continue
                seen.append(sig)
            sub = (labels[y : y + bh, x : x + bw] == i + 1).astype(np.uint8)
            cs, _ = cv2.findContours(sub, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
            if not cs:
                continue
            c = max(cs, key=cv2.contourArea)
            hull = cv2.convexHull(c).reshape(-1, 2).astype(np.float32) + np.float32([x, y])
            hull_area = cv2.contourArea(hull)
            if a < 0.55 * hull_area:  # not compact: several things merged, or a ring
                continue
            if a >= 0.7 * hull_area:
                out.append(hull)
            if a < 0.93 * hull_area:
                # something stuck to the page (glare, an object): also try its four longest sides
                q = _longest_sides_quad(c.reshape(-1, 2).astype(np.float32) + np.float32([x, y]))
                if q is not None:
                    out.append(q)

    def _proposals(self, prep: dict) -> list[_Cand]:
        hulls: list[np.ndarray] = []
        srcs: list[str] = []
        seen: list[np.ndarray] = []
        ker = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
        for ci, img in enumerate(prep["halves"]):  # half-size copies: proposals are refined afterwards
            seen.clear()
            h, w = img.shape
            n = h * w
            amin, amax = MIN_AREA * n * 0.7, MAX_AREA * n

            def add(mask: np.ndarray, src: str, limit: int = 2, amin: float = amin, amax: float = amax) -> None:
                if src in self.skip:
                    return
                k0 = len(hulls)
                self._regions(mask, amin, amax, hulls, limit, seen)
                srcs.extend([src] * (len(hulls) - k0))

            if ci == 0:
                # 1. the component tree of the paper channel (darkest of B, G, R), sampled at
                # several levels: the page is a bright, compact component at some level
                lo, hi = np.percentile(img, (5, 99.5))
                for t in np.linspace(lo, hi, self.levels + 2)[1:-1]:
                    add(cv2.morphologyEx((img >= t).view(np.uint8), cv2.MORPH_OPEN, ker), "level")
                # a lamp's glare spilling from the page onto the tray joins them: cut the blown-out
                # pixels (and their halo) away and look again
                blown = img >= 248
                if 0.003 * n <= np.count_nonzero(blown) <= 0.3 * n:
                    halo = cv2.dilate(blown.view(np.uint8), cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7)))
                    cut = np.where(halo > 0, 0, img).astype(np.uint8)
                    lo2, hi2 = np.percentile(cut[halo == 0], (5, 99.5))
                    for t in np.linspace(lo2, hi2, 5)[1:-1]:
                        add(cv2.morphologyEx((cut >= t).view(np.uint8), cv2.MORPH_OPEN, ker), "deglared")
                continue
            # 2. high-pass of the grey channel: brighter than the surroundings, for uneven light
            # and low contrast
            tiny = cv2.resize(img, (max(4, w // 8), max(4, h // 8)), interpolation=cv2.INTER_AREA).astype(np.float32)
            tiny = cv2.GaussianBlur(tiny, (0, 0), 0.25 * min(h, w) / 8)
            hp = img.astype(np.float32) - cv2.resize(tiny, (w, h), interpolation=cv2.INTER_LINEAR)
            for t in (5.0, 15.0):
                add(cv2.morphologyEx((hp >= t).view(np.uint8), cv2.MORPH_OPEN, ker), "highpass")
        # 3. colour distance from the surface, modelled from the frame's border as a smooth
        # (quadratic) field: no polarity, follows uneven light, sees hue as well as brightness
        dist = None if "bgdist" in self.skip else _background_distance(prep["half3"])
        if dist is not None:
            seen.clear()
            h, w = dist.shape
            for t in (6.0, 10.0, 16.0, 26.0):
                k0 = len(hulls)
                self._regions(cv2.morphologyEx((dist >= t).view(np.uint8), cv2.MORPH_OPEN, ker),
                              MIN_AREA * h * w * 0.7, MAX_AREA * h * w, hulls, 2, seen)
                srcs.extend(["bgdist"] * (len(hulls) - k0))
        cands: list[_Cand] = []
        if "lines" not in self.skip:
            gray = cv2.cvtColor(prep["closed3"].astype(np.uint8), cv2.COLOR_BGR2GRAY)
            cands += [_Cand(q, "lines") for q in _line_quads(gray)]
        for hull, src in zip(hulls, srcs, strict=True):
            peri = cv2.arcLength(hull.reshape(-1, 1, 2), True)
            poly = cv2.approxPolyDP(hull.reshape(-1, 1, 2), 0.01 * peri, True).reshape(-1, 2)
            if len(poly) < 4:
                continue
            q = _reduce_to_quad(poly)
            if q is None:
                continue
            if _signed_area(q) < 0:  # clockwise on screen
                q = q[::-1]
            cands.append(_Cand(q * 2.0 + 0.5, src))  # half-size -> working pixels
        return self._dedupe(cands, 3.0)

    @staticmethod
    def _dedupe(cands: list[_Cand], tol: float) -> list[_Cand]:
        """Drop quads whose corners are all within ``tol`` of an earlier one's (order kept)."""
        if len(cands) < 2:
            return cands
        q = np.stack([c.quad for c in cands]).astype(np.float32)  # (N, 4, 2)
        d = np.linalg.norm(q[:, None, :, None, :] - q[None, :, None, :, :], axis=-1)  # (N, N, 4, 4)
        dist = np.maximum(d.min(3).max(2), d.min(2).max(2))
        keep: list[int] = []
        for i in range(len(cands)):
            if not keep or dist[i, keep].min() > tol:
                keep.append(i)
        return [cands[i] for i in keep]

    # -- scoring --
    def _plausible(self, prep: dict, q: np.ndarray) -> bool:
        return bool(self._plausible_many(prep, q[None])[0])

    @staticmethod
    def _plausible_many(prep: dict, quads: np.ndarray) -> np.ndarray:
        """Which of the quads (C, 4, 2) could be a page: size, convex, corner angles, aspect."""
        h, w = prep["closed"].shape
        q = quads.astype(np.float64)
        finite = np.all(np.isfinite(q), axis=(1, 2))
        q = np.where(np.isfinite(q), q, 0.0)
        area = np.abs(_signed_area(q))
        a = np.roll(q, -1, axis=1) - q  # side vectors
        b = np.roll(a, -1, axis=1)
        cross = a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
        convex = np.all(cross > 0, axis=1) | np.all(cross < 0, axis=1)
        u = np.roll(q, 1, axis=1) - q
        v = np.roll(q, -1, axis=1) - q
        cosang = (u * v).sum(-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1) + 1e-9)
        angles_ok = np.all((cosang <= np.cos(np.radians(35))) & (cosang >= np.cos(np.radians(145))), axis=1)
        side = np.linalg.norm(a, axis=-1)
        s1, s2 = (side[:, 0] + side[:, 2]) / 2, (side[:, 1] + side[:, 3]) / 2
        aspect = np.maximum(s1, s2) / np.maximum(np.minimum(s1, s2), 1e-6)
        return finite & (area >= MIN_AREA * h * w) & (area <= MAX_AREA * h * w) & convex & angles_ok & (aspect <= 3.0)

    def _score(self, prep: dict, c: _Cand) -> None:
        q = c.quad
        h, w = prep["closed"].shape
        c.score = 0.0
        if not self._plausible(prep, q):
            return
        area = abs(cv2.contourArea(q.astype(np.float32)))
        asp = _aspect(q)
        supports = edge_support(prep["closed3"], q[None])[0]
        c.support = supports
        # paper: light and neutral inside, mostly plain (some ink), not blown out
        inner = q.mean(0) + (q - q.mean(0)) * 0.85
        m = np.zeros((h // 3 + 1, w // 3 + 1), np.uint8)
        cv2.fillConvexPoly(m, np.round(inner / 3).astype(np.int32), 1)
        ys, xs = np.nonzero(m)
        ys, xs = np.minimum(ys * 3 + 1, h - 1), np.minimum(xs * 3 + 1, w - 1)
        if len(ys) < 20:
            return
        pv = prep["paper"][ys, xs].astype(np.float32)
        cv_ = prep["closed"][ys, xs].astype(np.float32)
        level = float(np.percentile(cv_, 50))
        lit = cv_[cv_ < 250]  # glare says nothing about the paper
        top = float(np.percentile(lit, 75)) if len(lit) >= 10 else 255.0
        # one sheet of paper: most of the inside (print removed) near the paper's own level
        if len(lit) >= 10:  # (a shadow across the page makes two flat levels: both count)
            low = float(np.percentile(lit, 25))
            near = (np.abs(lit - top) <= max(20.0, 0.12 * top)) | (np.abs(lit - low) <= max(20.0, 0.12 * low))
            uniform = float(np.mean(near))
        else:
            uniform = 1.0
        # dark detail the closing removed: print, or texture (in a shadow, print is fainter)
        ink = (cv_ - pv) >= max(12.0, min(25.0, 0.17 * level))
        ink_share = float(ink.mean())
        blown = float(np.mean(pv >= 250))
        chroma = _chroma(prep["small"][ys, xs].astype(np.float32))
        chroma_med = float(np.median(chroma[~ink])) if (~ink).any() else 100.0
        color_share = float(np.mean(chroma > 30))
        score = float(np.mean(supports))
        score *= float(np.clip((30.0 - chroma_med) / 12.0, 0, 1))  # neutral (tinted light allowed)
        score *= float(np.clip((0.4 - color_share) / 0.2, 0, 1))  # not a patterned, coloured surface
        score *= float(np.clip((level - 60.0) / 40.0, 0, 1))  # not a dark object
        score *= float(np.clip((0.55 - ink_share) / 0.25, 0, 1))  # mostly plain paper
        score *= float(np.clip(uniform / 0.25, 0, 1))  # one sheet, not the page and the tray around it
        # a side that is part of a longer line (a shadow's edge across page and tray)
        longer = _line_continues(prep["closed3"], q, c.dirs)
        rank = 0.75 ** int(longer.sum())  # for choosing between quads only, not for accepting one
        # the document's print just beyond a side: part of the page, cut by a shadow or a glare
        c.beyond = _print_beyond(prep, q)
        ink_out = float(c.beyond.max())
        rank *= float(np.clip(1.0 - (ink_out - 0.04) * 4.0, 0.6, 1.0))
        if ink_share < 0.004 and blown > 0.1:  # blank and blown out: a lamp's reflection
            score *= 0.3
        # documents carry print, spread over the page in lines, tables and seals: a blank region
        # is more likely the tray between other things, one big title a book's cover
        score *= 0.4 + 0.6 * float(np.clip((ink_share - 0.002) / 0.012, 0, 1))
        spread = _ink_spread(q, xs, ys, ink)
        c.samples = (xs, ys, cv_ - pv, cv_)
        score *= float(np.clip((spread - 1.0) / 5.0, 0, 1))
        if c.dirs is not None:
            lum = c.dirs.sum(1)
            if np.any(lum > 0.3) and np.any(lum < -0.3):  # brighter than its surroundings on one side only
                score *= 0.85
        c.features = {"ink_out": ink_out, "spread": float(spread), "longer": float(longer.sum()), "uniform": uniform, "ink": ink_share, "chroma": chroma_med, "color": color_share, "level": level, "blown": blown}
        score *= float(np.clip((3.0 - asp) / 0.6, 0, 1))
        if np.min(supports) < 0.25:
            score *= float(np.min(supports)) / 0.25
        # a mild preference for the larger of two good quads (the page, not a table on it)
        rank *= 0.85 + 0.15 * min(1.0, area / (0.3 * h * w))
        c.score = float(score)
        c.rank = float(score * rank)

    # -- main entry --
    def detect(self, frame_bgr: np.ndarray) -> Detection | None:
        if frame_bgr is None or frame_bgr.ndim not in (2, 3) or min(frame_bgr.shape[:2]) < 16:
            return None
        if frame_bgr.ndim == 2:  # grey camera
            frame_bgr = cv2.cvtColor(frame_bgr, cv2.COLOR_GRAY2BGR)
        elif frame_bgr.shape[2] == 4:  # BGRA
            frame_bgr = np.ascontiguousarray(frame_bgr[..., :3])
        elif frame_bgr.shape[2] != 3:
            return None
        if frame_bgr.dtype != np.uint8:
            frame_bgr = np.clip(frame_bgr, 0, 255).astype(np.uint8)
        prep = self._prepare(frame_bgr)
        closed3 = prep["closed3"]
        cands = self._proposals(prep)
        if cands:
            ok = self._plausible_many(prep, np.stack([c.quad for c in cands]))
            cands = [c for c, k in zip(cands, ok, strict=True) if k]
        if not cands:
            return None
        # one coarse refinement of every proposal (batched), then rank by edge support
        quads, dirs, _ = refine_sides(closed3, np.stack([c.quad for c in cands]), 6.0, 24, 5.0)
        support = edge_support(closed3, quads, 24).mean(1) * (0.3 + 0.7 * _paper_hint(prep, quads))
        ok = self._plausible_many(prep, quads)
        pre: list[_Cand] = []
        for i, c in enumerate(cands):
            if ok[i]:
                c.quad, c.dirs, c.score = quads[i], dirs[i], float(support[i])
                pre.append(c)
        pre.sort(key=lambda c: -c.score)
        pre = self._dedupe(pre, 2.0)[: self.max_refine]
        if not pre:
            return None
        quads, dirs, _ = refine_sides(closed3, np.stack([c.quad for c in pre]), 3.0, 40, 5.0)
        for i, c in enumerate(pre):
            if self._plausible(prep, quads[i]):
                c.quad, c.dirs = quads[i], dirs[i]
            self._score(prep, c)
        pre += self._extensions(prep, pre)
        self._nested(pre)
        pre.sort(key=lambda c: (-c.rank, -c.score))  # equal ranks: the surer quad
        best = pre[0]
        if best.score < self.accept:
            return None
        s = prep["scale"]
        full = self._refine_full(frame_bgr, (best.quad + 0.5) / s - 0.5, best.dirs, s)
        ordered = order_corners(full)
        sup = best.support if best.support is not None else np.zeros(4)
        k = int(np.argmin(np.linalg.norm(full - ordered[0], axis=1)))  # sides follow the corners
        sup = np.roll(sup, -k)
        return Detection(ordered, best.score, tuple(float(v) for v in sup), best.source, best.features)

    def _extensions(self, prep: dict, cands: list[_Cand]) -> list[_Cand]:
        """Part of a page (cut off by a shadow's or a glare's edge) has the rest of the document's
        print beyond a side: push that side out onto the next edge, and score the bigger quad."""
        closed3 = prep["closed3"]
        out: list[_Cand] = []
        for c in cands:
            if c.score < 0.3 or c.dirs is None or c.beyond is None or (c.features or {}).get("blown", 0.0) > 0.3:
                continue  # (a blown-out patch is a glare, not part of a page to grow)
            q = c.quad
            ink_out = c.beyond  # (set by _score, for this very quad)
            changed = False
            for k in np.argsort(-ink_out):
                if ink_out[k] < 0.04:
                    break
                q2 = _extend_side(closed3, q, int(k), c.dirs)
                if q2 is not None and self._plausible(prep, q2):
                    q, changed = q2, True
            if not changed:
                continue
            q3, dirs, _ = refine_sides(closed3, q[None], 3.0, 40, 5.0)
            e = _Cand(q3[0] if self._plausible(prep, q3[0]) else q, c.source + "+extended")
            e.dirs = dirs[0]
            self._score(prep, e)
            out.append(e)
        return out

    @staticmethod
    def _nested(cands: list[_Cand]) -> None:
        """A good quad inside another. If the ring between them is the same paper as inside the
        inner one (a certificate's printed frame, a table, a margin), the outer quad is the page
        and the inner one is demoted. If the ring is something else and blank (no print), the
        outer quad is the surface around the page (a tray's rim, a mat) and is demoted. Print in
        a shadow is fainter: the test for it scales with the ring's light. Each quad is demoted
        once at most."""
        inner_demoted: set[int] = set()
        outer_demoted: set[int] = set()
        for a in cands:
            for b in cands:
                if a is b or a.samples is None or b.features is None or b.score < 0.5 or a.score < 0.5:
                    continue
                if a.source.endswith("+extended"):  # an extension competes on its own score only
                    continue
                grown = a.quad.mean(0) + (a.quad - a.quad.mean(0)) * 1.04  # a little slack at the rim
                if not np.all(_inside(grown, b.quad)):
                    continue
                xs, ys, residue, level = a.samples
                ring = ~_inside(b.quad, np.stack([xs, ys], -1)) & (level < 250)  # glare says nothing
                if ring.sum() < 20:
                    continue
                paper = float(b.features["level"])
                ring_level = float(np.median(level[ring]))
                if abs(ring_level - paper) <= 0.12 * paper:
                    if id(b) not in inner_demoted and a.score >= 0.85 * b.score:  # (not by a worse quad)
                        b.rank *= 0.6
                        inner_demoted.add(id(b))
                    continue
                thr = 25.0 * float(np.clip(ring_level / max(paper, 1.0), 0.3, 1.0))
                if float(np.mean(residue[ring] >= thr)) < 0.01 and id(a) not in outer_demoted:
                    a.rank *= 0.5
                    outer_demoted.add(id(a))

    @staticmethod
    def _refine_full(frame: np.ndarray, quad: np.ndarray, dirs: np.ndarray | None, s: float) -> np.ndarray:
        """Sub-pixel refinement of the sides on the full-resolution frame."""
        radius = max(3.0, 1.5 / s)
        q = quad
        d = None if dirs is None else dirs[None]
        for rad in (radius, max(2.0, radius / 2)):
            q2 = refine_sides(frame, q[None], rad, 48, 8.0, d)[0][0]
            if not np.all(np.isfinite(q2)) or np.max(np.abs(q2 - q)) > 2 * rad + 2:
                break
            q = q2
        return q


@functools.cache
def _lsd() -> cv2.LineSegmentDetector:
    return cv2.createLineSegmentDetector(cv2.LSD_REFINE_STD, 0.5)


def _line_quads(gray: np.ndarray, keep: int = 6, n_lines: int = 16) -> list[np.ndarray]:
    """Quads made of the longest straight edges in ``gray`` (working size, text removed), for
    pages whose regions leak or split (low contrast, a shadow across the page) but whose borders
    are still straight lines. The grey level is normalised to the local contrast first, so a
    faint border on a plain surface counts as much as a strong one. Segments (LSD) on one line
    are merged; every two pairs of roughly opposite lines make a quad; quads are ranked by how
    much of their sides lies on a segment. Returns up to ``keep`` clockwise quads."""
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
        return []
    segs = segs.reshape(-1, 4).astype(np.float64)
    length = np.hypot(segs[:, 2] - segs[:, 0], segs[:, 3] - segs[:, 1])
    long = length >= 0.03 * max(h, w)
    segs, length = segs[long], length[long]
    if len(segs) < 4:
        return []
    order = np.argsort(-length)[:80]
    segs, length = segs[order], length[order]
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
        return []
    mask = np.zeros((h, w), np.uint8)
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
    eqs = np.array(eqs)
    theta = np.arctan2(eqs[:, 1], eqs[:, 0]) % np.pi
    n = len(eqs)
    ii, jj = np.triu_indices(n, 1)
    dth = np.abs(theta[ii] - theta[jj])
    dth = np.minimum(dth, np.pi - dth)
    mids = np.array(mids)
    gap = np.abs((eqs[ii, :2] * mids[jj]).sum(1) + eqs[ii, 2])  # how far apart
    par = (dth <= np.radians(35)) & (gap >= 0.12 * min(h, w))  # roughly parallel: opposite sides
    pi_, pj = ii[par], jj[par]
    if len(pi_) < 2:
        return []
    mean_th = np.angle(np.exp(2j * theta[pi_]) + np.exp(2j * theta[pj])) / 2
    a, b = np.triu_indices(len(pi_), 1)
    dd = np.abs(mean_th[a] - mean_th[b]) % np.pi
    dd = np.minimum(dd, np.pi - dd)
    ok = (dd >= np.radians(50)) & (pi_[a] != pi_[b]) & (pi_[a] != pj[b]) & (pj[a] != pi_[b]) & (pj[a] != pj[b])
    a, b = a[ok], b[ok]
    l1, l2, l3, l4 = eqs[pi_[a]], eqs[pj[a]], eqs[pi_[b]], eqs[pj[b]]
    corners = np.stack([np.cross(l1, l3), np.cross(l3, l2), np.cross(l2, l4), np.cross(l4, l1)], axis=1)
    zs = corners[..., 2]
    good = np.all(np.abs(zs) > 1e-9, axis=1)
    corners = corners[good, :, :2] / zs[good][..., None]
    found = np.ones((len(corners), 4), bool)  # which sides lie on a line found
    # three sides found, the fourth too faint (or hidden): a pair of opposite lines and a line
    # across them; the missing side joins the far ends of the pair's segments
    ext = np.array(ext)
    tdir = np.stack([-eqs[:, 1], eqs[:, 0]], 1)
    k = np.arange(n)
    pp, kk = np.meshgrid(np.arange(len(pi_)), k, indexing="ij")
    pp, kk = pp.ravel(), kk.ravel()
    dk = np.abs(mean_th[pp] - theta[kk]) % np.pi
    across = (np.minimum(dk, np.pi - dk) >= np.radians(50)) & (kk != pi_[pp]) & (kk != pj[pp])
    pp, kk = pp[across], kk[across]
    if len(pp):
        far = []
        for side in (pi_[pp], pj[pp]):
            xk = np.cross(eqs[side], eqs[kk])
            xk = xk[:, :2] / np.where(np.abs(xk[:, 2:]) > 1e-9, xk[:, 2:], np.nan)
            s0 = ((xk - mids[side]) * tdir[side]).sum(1)
            lo, hi = ext[side, 0], ext[side, 1]
            end = np.where(np.abs(hi - s0) >= np.abs(lo - s0), hi, lo)
            far.append((xk, mids[side] + end[:, None] * tdir[side], np.abs(end - s0)))
        (xi, fi, li), (xj, fj, lj) = far
        q3 = np.stack([xi, fi, fj, xj], axis=1)
        long_enough = (li >= 0.1 * min(h, w)) & (lj >= 0.1 * min(h, w)) & np.all(np.isfinite(q3), axis=(1, 2))
        q3 = q3[long_enough]
        corners = np.concatenate([corners, q3])
        found = np.concatenate([found, np.tile([True, False, True, True], (len(q3), 1))])
    if len(corners) == 0:
        return []
    x, y = corners[..., 0], corners[..., 1]
    inside = np.all((x >= -0.02 * w) & (x <= 1.02 * w) & (y >= -0.02 * h) & (y <= 1.02 * h), axis=1)
    corners, found = corners[inside], found[inside]
    if len(corners) == 0:
        return []
    # support: share of points along each side on a segment (a side not found scores nothing,
    # and its quad is worth less than one with all four)
    t = np.linspace(0.05, 0.95, 24)
    pts = corners[:, :, None, :] + t[None, None, :, None] * (np.roll(corners, -1, axis=1) - corners)[:, :, None, :]
    px = np.clip(np.round(pts[..., 0]).astype(int), 0, w - 1)
    py = np.clip(np.round(pts[..., 1]).astype(int), 0, h - 1)
    cover = np.where(found, mask[py, px].mean(2), np.nan)  # (C, 4)
    score = np.nanmean(cover, 1) * np.clip(np.nanmin(cover, 1) / 0.3, 0, 1) * np.where(found.all(1), 1.0, 0.8)
    # orient clockwise on screen
    signed = _signed_area(corners)
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


def _paper_hint(prep: dict, quads: np.ndarray, n: int = 8) -> np.ndarray:
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
    xs = np.clip(np.round(pts[..., 0]).astype(int), 0, w - 1)
    ys = np.clip(np.round(pts[..., 1]).astype(int), 0, h - 1)
    closed = prep["closed"][ys, xs].astype(np.float32)
    ink = ((closed - prep["paper"][ys, xs].astype(np.float32)) >= 25).mean(1)
    level = np.median(closed, axis=1)
    return np.clip((level - 60.0) / 40.0, 0, 1) * (0.4 + 0.6 * np.clip((ink - 0.002) / 0.012, 0, 1))


def _print_beyond(prep: dict, q: np.ndarray) -> np.ndarray:
    """For each side of clockwise quad ``q``: the share of print (dark detail on a light ground)
    in a band just outside it, above the median over the four sides. A page's border has the
    tray outside; a line through a document (the edge of a shadow or of a glare) has more of the
    document's print beyond it, on one or two sides (dark veins of a textured surface show
    beyond all four, and do not count)."""
    offsets = np.array([3.0, 5.0, 7.0, 9.0, 11.0])
    both = np.dstack([prep["paper"], prep["closed"]])
    prof, _, _ = _sample_sides(both, q[None], 24, offsets, 0.1, 0.9)  # (1, 4, 24, 5, 2)
    residue = prof[0, ..., 1] - prof[0, ..., 0]
    ink = (residue >= 25) & (prof[0, ..., 1] >= 90)
    share = ink.mean(axis=(1, 2))
    return share - np.median(share)


def _extend_side(img: np.ndarray, q: np.ndarray, k: int, dirs: np.ndarray) -> np.ndarray | None:
    """Move side ``k`` of clockwise quad ``q`` outwards, parallel, onto the strongest edge of the
    same colour step as the opposite side (page to surface), if there is one."""
    p0, p1 = q[k].astype(np.float64), q[(k + 1) % 4].astype(np.float64)
    opp = q[(k + 2) % 4].astype(np.float64)
    d = p1 - p0
    nrm = np.array([d[1], -d[0]]) / (np.hypot(*d) + 1e-9)  # outward
    depth = abs(float((opp - p0) @ nrm))  # the quad's size across this side
    reach = int(min(1.2 * depth, 200))
    if reach < 8:
        return None
    offsets = np.arange(3.0, reach + 3.0, 1.0)
    prof, _, _ = _sample_sides(img, q[None], 24, offsets, 0.1, 0.9)
    der = prof[0, k, :, :-2] - prof[0, k, :, 2:]  # (24, m-2, 3): inside minus outside
    u = dirs[(k + 2) % 4]  # the step at the opposite side: paper to surface
    resp = np.einsum("nmc,c->nm", der, u)
    votes = (resp >= 6.0).mean(0) * np.maximum(resp, 0).mean(0)
    j = int(np.argmax(votes))
    if (resp[:, j] >= 6.0).mean() < 0.5:
        return None
    shift = offsets[1 + j] * nrm
    out = q.astype(np.float64).copy()
    out[k] += shift
    out[(k + 1) % 4] += shift
    return out


def _line_continues(img: np.ndarray, q: np.ndarray, dirs: np.ndarray | None) -> np.ndarray:
    """For each side of clockwise quad ``q``: does the same edge (same colour step) go on past
    both of its corners? Then the side is part of a longer straight line, such as the edge of a
    shadow falling across the page, not the page's own border. Returns a bool array (4,)."""
    p = q.astype(np.float64)
    d = np.roll(p, -1, axis=0) - p
    ext = []
    for t0, t1 in ((-0.3, -0.06), (1.06, 1.3)):  # beyond the start corner, beyond the end corner
        a = p + t0 * d
        b = p + t1 * d
        seg = np.stack([a, b], axis=1)  # (4, 2, 2): one segment per side
        ext.append(seg)
    h, w = img.shape[:2]
    offsets = np.array([-4.0, -3.0, -2.0, 2.0, 3.0, 4.0])
    valid, supported = [], []
    for seg in ext:
        # sample each extension as a "side" of its own: the outward normal is the same
        a, b = seg[:, 0], seg[:, 1]
        quads = np.stack([a, b, b, a], axis=1)  # degenerate quads: only side 0 is used
        prof, base, _ = _sample_sides(img, quads, 16, offsets, 0.0, 1.0)
        prof = prof[:, 0]  # (4, 16, 6, 3)
        step = prof[:, :, :3].mean(2) - prof[:, :, 3:].mean(2)  # (4, 16, 3)
        if dirs is None:
            u = np.median(step, axis=1)
            u /= np.linalg.norm(u, axis=-1, keepdims=True) + 1e-9
        else:
            u = dirs
        st = np.einsum("knx,kx->kn", step, u)
        pts = base[:, 0]
        inside = (pts[..., 0] >= 0) & (pts[..., 0] < w) & (pts[..., 1] >= 0) & (pts[..., 1] < h)
        frac = ((st >= 8.0) & inside).sum(1) / np.maximum(inside.sum(1), 1)
        valid.append(inside.sum(1) >= 6)
        supported.append(frac)
    v0, v1 = valid
    f0, f1 = supported
    # both ends in view and both on the edge (one end alone is too easily a nearby rim or stripe)
    return v0 & v1 & (f0 >= 0.75) & (f1 >= 0.75)


def _inside(quad: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Which points (n, 2) lie inside the convex quad (through its homography to a unit square)."""
    unit = np.float32([[0, 0], [1, 0], [1, 1], [0, 1]])
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), unit)
    uv = cv2.perspectiveTransform(np.asarray(pts, np.float32).reshape(1, -1, 2), m)[0]
    return np.all((uv >= -1e-3) & (uv <= 1 + 1e-3), axis=1)


def _ink_spread(q: np.ndarray, xs: np.ndarray, ys: np.ndarray, ink: np.ndarray) -> int:
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


def _background_distance(img3: np.ndarray, band: int = 3) -> np.ndarray | None:
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


def _chroma(bgr: np.ndarray) -> np.ndarray:
    """Colourfulness relative to brightness, in percent, for float BGR rows (n, 3)."""
    b, g, r = bgr[:, 0], bgr[:, 1], bgr[:, 2]
    c = np.sqrt((r - g) ** 2 / 2 + (r + g - 2 * b) ** 2 / 6)
    return 100 * c / np.maximum(bgr.mean(1), 1.0)


_DEFAULT = DocumentDetector()


def find_document(frame_bgr: np.ndarray) -> Detection | None:
    """The page in ``frame_bgr`` with its score and per-side support, or None."""
    return _DEFAULT.detect(frame_bgr)


def detect_document(frame_bgr: np.ndarray) -> np.ndarray | None:
    """Corners of the document page in ``frame_bgr`` (BGR uint8), float32 (4, 2) in input pixels,
    ordered top-left, top-right, bottom-right, bottom-left; None when there is no page."""
    d = _DEFAULT.detect(frame_bgr)
    return None if d is None else d.corners
