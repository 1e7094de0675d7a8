"""A quad's sides against the image: sampling across them, pulling them onto the colour step,
how much of each lies on an edge, whether a side runs on past its corners or can grow out."""

from __future__ import annotations

import cv2
import numpy as np

from kiosk.scanning import geometry as geo

__all__ = ["edge_support", "extend_side", "line_continues", "local_corners", "refine_sides", "sample_sides"]


def sample_sides(img: np.ndarray, quads: np.ndarray, n_pts: int, offsets: np.ndarray,
                  t0: float = 0.05, t1: float = 0.95) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sample ``img`` across the four sides of clockwise (on screen) quads, all in one go.

    ``quads``: (C, 4, 2). Returns profiles (C, 4, n_pts, n_off[, channels]), base points
    (C, 4, n_pts, 2) on the sides and outward unit normals (C, 4, 2). ``offsets`` run along the
    outward normal."""
    p = quads.astype(np.float64)
    d = geo.ahead(p, 1, 1) - p
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
        line = np.where(ok[:, None], np.concatenate([nrm, cc[:, None]], 1), np.nan)
        if it < 2:
            res = np.abs((pts * nrm[:, None, :]).sum(2) + cc[:, None])
            used = w > 0
            mean_res = (res * used).sum(1) / np.maximum(used.sum(1), 1)
            lim = np.maximum(2.0 * mean_res, 0.75 if it else 1.5)
            w = np.where(res <= lim[:, None], w, 0.0)
    return line


def _edge_points(img: np.ndarray, quads: np.ndarray, radius: float, n_pts: int, dirs: np.ndarray | None,
                 step: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where each side's sample points meet the strongest colour step within +-radius: edge
    points (C, 4, n, 2), their response (C, 4, n) and the sides' colour directions (C, 4, 3)."""
    offsets = np.arange(-radius - step, radius + step + 1e-6, step)
    prof, base, normal = sample_sides(img, quads, n_pts, offsets)
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
    return edge, best, dirs


def refine_sides(img: np.ndarray, quads: np.ndarray, radius: float, n_pts: int, thr: float,
                 dirs: np.ndarray | None = None, step: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Move each side of clockwise quads (C, 4, 2) onto the strongest edge within +-radius of it.

    ``img`` is BGR (float or uint8). The edge is a colour step: each side has a direction in
    colour space (inside minus outside), found from the data unless ``dirs`` (C, 4, 3) gives it;
    the response is the step projected on it, so a side may be a change of brightness or of hue.
    Each side is refitted as a straight line (weighted, outliers trimmed): a corner hidden under
    a finger comes back where its two sides meet.
    Returns (new quads, directions, share of each side's points on an edge above ``thr``)."""
    edge, best, dirs = _edge_points(img, quads, radius, n_pts, dirs, step)
    good = best >= thr
    shares = good.mean(2)
    enough = good.sum(2) >= max(4, 0.2 * n_pts)
    c = quads.shape[0]
    fitted = _fit_lines(edge.reshape(c * 4, n_pts, 2),
                        np.where(good & enough[..., None], best, 0.0).reshape(c * 4, n_pts)).reshape(c, 4, 3)
    p = quads.astype(np.float64)
    ones = np.ones(p.shape[:2] + (1,))
    own = geo.cross3(np.concatenate([p, ones], -1), np.concatenate([geo.ahead(p, 1, 1), ones], -1))
    lines = np.where(np.isfinite(fitted).all(-1, keepdims=True), fitted, own)
    x = geo.cross3(geo.ahead(lines, -1, 1), lines)  # corner k = side k-1 x side k
    bad = np.any(np.abs(x[..., 2]) < 1e-9, axis=1)
    w = np.where(np.abs(x[..., 2:3]) < 1e-9, 1.0, x[..., 2:3])
    new = np.where(bad[:, None, None], p, x[..., :2] / w)
    return new, dirs, shares


def edge_support(img: np.ndarray, quads: np.ndarray, n_pts: int = 40, thr: float = 4.0, t_min: float = 2.2) -> np.ndarray:
    """Share of each side of clockwise quads (C, 4, 2) with a consistent colour step across it
    (``img``: BGR, text-free). A point counts when the step between a band just inside and a band
    just outside (projected on the side's colour direction) is at least ``thr`` and stands out of
    the spread within the bands (a t-statistic of ``t_min``): a faint but clean edge counts, a
    texture does not. Points whose inside is blown out (glare) or that lie out of the frame say
    nothing and are left out; a side that is mostly blown out or out of view scores 0.5. Returns (C, 4)."""
    offsets = np.array([-5.0, -4.0, -3.0, -2.0, 2.0, 3.0, 4.0, 5.0])  # negative: inside
    prof, base, _ = sample_sides(img, quads, n_pts, offsets, 0.04, 0.96)  # (C, 4, n, 8, 3)
    step = prof[:, :, :, :4].mean(3) - prof[:, :, :, 4:].mean(3)  # (C, 4, n, 3)
    u = np.median(step, axis=2)
    u /= np.linalg.norm(u, axis=-1, keepdims=True) + 1e-9
    proj = np.einsum("cknox,ckx->ckno", prof, u)  # (C, 4, n, 8)
    proj[:, :, 1:-1] = (proj[:, :, :-2] + proj[:, :, 1:-1] + proj[:, :, 2:]) / 3  # steady along the side
    st = proj[..., :4].mean(-1) - proj[..., 4:].mean(-1)
    spread = np.sqrt(0.5 * (proj[..., :4].var(-1) + proj[..., 4:].var(-1))) + 0.5
    ok = (st >= thr) & (st >= t_min * spread * np.sqrt(0.5))
    blown = prof.min(axis=(3, 4)) >= 245  # blown out on both sides: no evidence
    h, w = img.shape[:2]
    bx, by = base[..., 0], base[..., 1]
    out = (bx < -0.5) | (by < -0.5) | (bx > w - 0.5) | (by > h - 0.5)  # out of the frame: no evidence either
    valid = (~blown & ~out).sum(2)
    share = (ok & ~blown & ~out).sum(2) / np.maximum(valid, 1)
    seen = (~out).sum(2)
    # a side mostly out of view is judged on the part in view (a corner out of the frame leaves
    # both its sides in part); with nothing in view it is no side at all
    return np.where(seen >= 0.3 * n_pts, np.where(valid >= 0.3 * n_pts, share, 0.5),
                    np.where(valid >= 4, share, 0.0))


def extend_side(img: np.ndarray, q: np.ndarray, k: int, dirs: np.ndarray, n_pts: int = 24,
                max_reach: int = 200) -> np.ndarray | None:
    """Move side ``k`` of clockwise quad ``q`` outwards, parallel, onto the strongest edge of the
    same colour step as the opposite side (page to surface), if there is one."""
    p0, p1 = q[k].astype(np.float64), q[(k + 1) % 4].astype(np.float64)
    opp = q[(k + 2) % 4].astype(np.float64)
    d = p1 - p0
    nrm = np.array([d[1], -d[0]]) / (np.hypot(*d) + 1e-9)  # outward
    depth = abs(float((opp - p0) @ nrm))  # the quad's size across this side
    reach = int(min(1.2 * depth, max_reach))
    if reach < 8:
        return None
    offsets = np.arange(3.0, reach + 3.0, 1.0)
    prof, _, _ = sample_sides(img, q[None], n_pts, offsets, 0.1, 0.9)
    der = prof[0, k, :, :-2] - prof[0, k, :, 2:]  # (n_pts, m-2, 3): inside minus outside
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


def line_continues(img: np.ndarray, q: np.ndarray, dirs: np.ndarray | None) -> np.ndarray:
    """For each side of clockwise quad ``q``: does the same edge (same colour step) go on past
    both of its corners? Then the side is part of a longer straight line, such as the edge of a
    shadow falling across the page, not the page's own border. Returns a bool array (4,)."""
    p = q.astype(np.float64)
    d = geo.ahead(p) - p
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
        prof, base, _ = sample_sides(img, quads, 16, offsets, 0.0, 1.0)
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


def local_corners(img: np.ndarray, quad: np.ndarray, radius: float, n_pts: int, thr: float,
                  dirs: np.ndarray | None = None, share: float = 0.3, limit: float = 12.0) -> np.ndarray:
    """Each corner of a clockwise quad (4, 2) from the ends of its two sides nearest to it: a
    bent page or lens distortion curves the sides, and the straight lines through whole sides
    meet off the page's corners. A corner keeps its place when either end shows too little
    edge (a hand over it, out of the frame) or would move more than ``limit`` pixels."""
    q = quad[None].astype(np.float64)
    edge, best, _ = _edge_points(img, q, radius, n_pts, None if dirs is None else dirs[None], 1.0)
    t = np.linspace(0.05, 0.95, n_pts)
    good = best[0] >= thr  # (4, n)
    near_start, near_end = t <= share, t >= 1.0 - share
    pts = np.concatenate([edge[0], edge[0]])  # rows 0-3: the start of each side, 4-7: its end
    w = np.concatenate([np.where(good & near_start, best[0], 0.0), np.where(good & near_end, best[0], 0.0)])
    enough = (w > 0).sum(1) >= max(4, int(0.5 * share * n_pts))
    lines = _fit_lines(pts, w)
    out = quad.astype(np.float64).copy()
    for k in range(4):
        a, b = 4 + (k - 1) % 4, k  # the end of side k-1 and the start of side k meet at corner k
        if not (enough[a] and enough[b]) or not (np.isfinite(lines[a]).all() and np.isfinite(lines[b]).all()):
            continue
        x = geo.cross3(lines[a], lines[b])
        if abs(x[2]) < 1e-9:
            continue
        c = x[:2] / x[2]
        if np.hypot(*(c - out[k])) <= limit:
            out[k] = c
    return out.astype(quad.dtype)
