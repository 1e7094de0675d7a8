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

The page network (docnet.py: a small segmentation network run with OpenCV's DNN module, trained
by ``python -m bench.docnet``) gives a coarse map of where the page is. Its outline is one more
proposal (refined onto fainter edges than the others need); it makes the high-pass, de-glared and
surface-distance proposals unnecessary (they run only without it); a quad that matches its map
closely counts as a page even with faint or partly hidden edges, and between candidate quads the
one it sees wins. Without the network file the detector is the classical one alone.

Find, then judge: a page is not refused for being blurred, glared or partly hidden; the quality
checks say what is wrong. A quad with four clean sides and blurred print still counts as paper.
A corner out of the frame is extrapolated: a region cut by the frame's border loses the border
edges first when it is reduced to a quad, so the two cut sides meet beyond the frame, and sides
are judged on their part in view. The best quad's sides are also pushed out onto the page's
next edge when the strip gained looks like the page (part of a page bounded by a table's rule
or a coloured band does not win over the page). Measures of a quad: measures.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.scanning import edges
from kiosk.scanning import geometry as geo
from kiosk.scanning import measures as ms
from kiosk.scanning.docnet import PageNet
from kiosk.scanning.lines import line_quads

WORK = 480  # longer side of the working image, pixels
NET_AGREE = 0.65  # a quad closer than this to the page network's map (soft IoU; a page outlined well: 0.82 and up) ...
NET_SCORE = 0.8  # ... scores up to this (when its sides are fair)
# proposals the page network makes unnecessary (uneven light, low contrast, glare: measured on
# the tuning seeds, leaving them out with the network changes no result); they run without it
NET_COVERS = frozenset({"highpass", "deglared", "bgdist"})
# corners from the ends of their sides (curved sides: bent pages, lens distortion): the end of a
# side used (share of its length), the most a corner moves (px)
LOCAL_SHARE, LOCAL_LIMIT = 0.3, 12.0
# a quad with clean sides that the map outlines this closely needs only a little print, when
# blurred print's detail covers this share of it
NET_CLOSE, NET_DETAIL = 0.85, 0.15
NET_RADIUS, NET_THR = 10.0, 2.5  # the network's own outline: how far to look for its edges, how faint they may be
NET_NONE = 0.01  # the network's map has less page than this share of the frame: it sees none ...
NET_VETO = 0.8  # ... and a quad's score is multiplied by this
MIN_AREA = 0.035  # smallest page, share of the frame
MAX_AREA = 0.97


@dataclass(frozen=True)
class Detection:
    corners: np.ndarray  # (4, 2) float32, full-frame pixels: TL, TR, BR, BL of the page
    score: float  # 0..1, confidence
    support: tuple[float, float, float, float]  # share of each side (top, right, bottom, left) on an edge
    source: str = ""  # which proposal found it (diagnostics)
    features: dict | None = None  # the measures behind the score (diagnostics)


# Geometry of quads: kiosk/scanning/geometry.py; sides against the image: edges.py; quads from
# straight edges: lines.py.


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
    samples: tuple[np.ndarray, ...] | None = None  # inside: x, y, print residue, paper level, chroma
    beyond: np.ndarray | None = None  # print just beyond each side (see _print_beyond)


class DocumentDetector:
    """Stateless apart from its settings; ``detect`` may be called from any one thread at a time."""

    def __init__(self, work: int = WORK, accept: float = 0.6, max_refine: int = 3, levels: int = 5,
                 skip: frozenset[str] = frozenset(), net: PageNet | None = None) -> None:
        self.work = work
        self.net = PageNet() if net is None else net  # PageNet(None): no network
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
        # detail at the scale of print that blur leaves behind (a blurred page still has it)
        detail = cv2.absdiff(cv2.GaussianBlur(paper, (0, 0), 1.0), cv2.GaussianBlur(paper, (0, 0), 4.0))
        pagemap = None if "net" in self.skip else self.net.page_map(small)
        # the network sees no page at all (its map has less page than NET_NONE of the frame)
        net_sees_none = pagemap is not None and float(np.mean(pagemap >= 0.5)) < NET_NONE
        return {"scale": s, "small": small, "paper": paper, "closed": closed, "detail": detail,
                "closed3": closed3.astype(np.float32), "halves": halves, "half3": half3, "pagemap": pagemap,
                "net_sees_none": net_sees_none}

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
                q = geo.longest_sides_quad(c.reshape(-1, 2).astype(np.float32) + np.float32([x, y]))
                if q is not None:
                    out.append(q)

    def _proposals(self, prep: dict) -> list[_Cand]:
        skip = self.skip | (NET_COVERS if prep["pagemap"] is not None else frozenset())
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
                if src in skip:
                    return
                k0 = len(hulls)
                self._regions(mask, amin, amax, hulls, limit, seen)
                srcs.extend([src] * (len(hulls) - k0))

            if ci == 1 and "highpass" in skip:
                continue
            if ci == 0:
                # 1. the component tree of the paper channel (darkest of B, G, R), sampled at
                # several levels: the page is a bright, compact component at some level
                lo, hi = np.percentile(img, (5, 99.5))
                for t in np.linspace(lo, hi, self.levels + 2)[1:-1]:
                    add(cv2.morphologyEx((img >= t).view(np.uint8), cv2.MORPH_OPEN, ker), "level")
                # a lamp's glare spilling from the page onto the tray joins them: cut the blown-out
                # pixels (and their halo) away and look again
                blown = img >= 248
                if "deglared" not in skip and 0.003 * n <= np.count_nonzero(blown) <= 0.3 * n:
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
        dist = None if "bgdist" in skip else ms.background_distance(prep["half3"])
        if dist is not None:
            seen.clear()
            h, w = dist.shape
            for t in (6.0, 10.0, 16.0, 26.0):
                k0 = len(hulls)
                self._regions(cv2.morphologyEx((dist >= t).view(np.uint8), cv2.MORPH_OPEN, ker),
                              MIN_AREA * h * w * 0.7, MAX_AREA * h * w, hulls, 2, seen)
                srcs.extend(["bgdist"] * (len(hulls) - k0))
        # 4. the page network's map: where the classical proposals miss a page it still sees one
        pm = prep["pagemap"]
        if pm is not None:
            seen.clear()
            h, w = prep["halves"][0].shape
            up = cv2.resize(pm, (w, h), interpolation=cv2.INTER_LINEAR)
            k0 = len(hulls)
            self._regions((up >= 0.5).view(np.uint8), MIN_AREA * h * w * 0.5, MAX_AREA * h * w, hulls, 1, seen)
            srcs.extend(["net"] * (len(hulls) - k0))
        cands: list[_Cand] = []
        if "lines" not in self.skip:
            gray = cv2.cvtColor(prep["closed3"].astype(np.uint8), cv2.COLOR_BGR2GRAY)
            cands += [_Cand(q, "lines") for q in line_quads(gray)]
        half = (prep["halves"][0].shape[1], prep["halves"][0].shape[0])
        for hull, src in zip(hulls, srcs, strict=True):
            peri = cv2.arcLength(hull.reshape(-1, 1, 2), True)
            poly = cv2.approxPolyDP(hull.reshape(-1, 1, 2), 0.01 * peri, True).reshape(-1, 2)
            if len(poly) < 4:
                continue
            quads = [geo.reduce_to_quad(poly)]
            cut = geo.on_frame_edge(poly.astype(np.float64), half)
            if len(poly) > 4 and cut.any() and _cut_length(poly, cut) < 0.3 * peri:
                quads.append(geo.reduce_to_quad(poly, half))  # a corner out of view: extrapolated
            for q in quads:
                if q is None:
                    continue
                if geo.signed_area(q) < 0:  # clockwise on screen
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
        area = np.abs(geo.signed_area(q))
        a = geo.ahead(q, 1, 1) - q  # side vectors
        b = geo.ahead(a, 1, 1)
        cross = a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]
        convex = np.all(cross > 0, axis=1) | np.all(cross < 0, axis=1)
        u = geo.ahead(q, -1, 1) - q
        v = geo.ahead(q, 1, 1) - q
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
        asp = geo.aspect(q)
        supports = edges.edge_support(prep["closed3"], q[None])[0]
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
        chroma = ms.chroma(prep["small"][ys, xs].astype(np.float32))
        chroma_med = float(np.median(chroma[~ink])) if (~ink).any() else 100.0
        color_share = float(np.mean(chroma > 30))
        score = float(np.mean(supports))
        score *= float(np.clip((33.0 - chroma_med) / 12.0, 0, 1))  # neutral (tinted paper and light allowed)
        score *= float(np.clip((0.4 - color_share) / 0.2, 0, 1))  # not a patterned, coloured surface
        # four clean, straight sides all round: a page for sure, even when blur has washed its
        # print out or a lamp leaves it dim (find, then judge: quality says what is wrong)
        detail = float(np.mean(prep["detail"][ys, xs] >= 0.02 * max(level, 1.0)))
        clean = bool(np.min(supports) >= 0.85 and np.mean(supports) >= 0.95 and detail >= 0.25)
        score *= float(np.clip((level - (45.0 if clean else 60.0)) / 40.0, 0, 1))  # not a dark object
        score *= float(np.clip((0.55 - ink_share) / 0.25, 0, 1))  # mostly plain paper
        score *= float(np.clip(uniform / 0.25, 0, 1))  # one sheet, not the page and the tray around it
        # a side that is part of a longer line (a shadow's edge across page and tray)
        longer = edges.line_continues(prep["closed3"], q, c.dirs)
        rank = 0.75 ** int(longer.sum())  # for choosing between quads only, not for accepting one
        # the document's print just beyond a side: part of the page, cut by a shadow or a glare
        c.beyond = ms.print_beyond(prep, q)
        ink_out = float(c.beyond.max())
        rank *= float(np.clip(1.0 - (ink_out - 0.04) * 4.0, 0.6, 1.0))
        if ink_share < 0.004 and blown > 0.1:  # blank and blown out: a lamp's reflection
            score *= 0.3
        # documents carry print, spread over the page in lines, tables and seals: a blank region
        # is more likely the tray between other things, one big title a book's cover
        printed = 0.4 + 0.6 * float(np.clip((ink_share - 0.002) / 0.012, 0, 1))
        spread = ms.ink_spread(q, xs, ys, ink)
        c.samples = (xs, ys, cv_ - pv, cv_, chroma)
        printed *= float(np.clip((spread - 1.0) / 5.0, 0, 1))
        score *= max(printed, 0.85 if clean and spread >= 2 else 0.0)  # (some print must still show)
        if c.dirs is not None:
            lum = c.dirs.sum(1)
            if np.any(lum > 0.3) and np.any(lum < -0.3):  # brighter than its surroundings on one side only
                score *= 0.85
        agree = ms.net_agreement(prep, q[None])
        c.features = {"net": -1.0 if agree is None else float(agree[0]), "detail": detail, "ink_out": ink_out, "spread": float(spread), "longer": float(longer.sum()), "uniform": uniform, "ink": ink_share, "chroma": chroma_med, "color": color_share, "level": level, "blown": blown}
        score *= float(np.clip((3.0 - asp) / 0.6, 0, 1))
        if np.min(supports) < 0.25:
            score *= float(np.min(supports)) / 0.25
        # a mild preference for the larger of two good quads (the page, not a table on it)
        rank *= 0.85 + 0.15 * min(1.0, area / (0.3 * h * w))
        if agree is not None:
            net = float(agree[0])
            rank *= max(net, 0.05) ** 2  # between quads, the one the page network sees
            # the network sees this very page: faint or partly hidden edges are enough (find,
            # then judge: the quality checks say what is wrong)
            by_net = float(np.clip((net - NET_AGREE) / 0.12, 0, 1)) * (0.5 + 0.5 * float(np.clip(np.mean(supports) / 0.5, 0, 1)))
            # (print over the page still shows: a plain cover is not a page; with four clean
            # sides that the map outlines closely, a blurred page's last two cells of print do
            # when blurred print's detail still covers much of it, as a cover's title does not)
            close = net >= NET_CLOSE and spread >= 2 and np.min(supports) >= 0.85 and detail >= NET_DETAIL
            by_net *= float(spread >= 3 or close)
            score = max(score, NET_SCORE * by_net)
            if prep["net_sees_none"]:
                score *= NET_VETO
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
        quads, dirs, _ = edges.refine_sides(closed3, np.stack([c.quad for c in cands]), 6.0, 24, 5.0)
        for i, c in enumerate(cands):
            if c.source == "net":  # the network's coarse outline: look further, for fainter edges
                q2, d2, _ = edges.refine_sides(closed3, c.quad[None], NET_RADIUS, 32, NET_THR)
                q2, d2, _ = edges.refine_sides(closed3, q2, 3.0, 40, NET_THR, d2)
                if self._plausible(prep, q2[0]):
                    quads[i], dirs[i] = q2[0], d2[0]
                elif not self._plausible(prep, quads[i]):
                    quads[i] = c.quad  # (as the network drew it, rather than lost)
        support = edges.edge_support(closed3, quads, 24).mean(1) * (0.3 + 0.7 * ms.paper_hint(prep, quads))
        agree = ms.net_agreement(prep, quads)
        if agree is not None:
            support = support * (0.3 + 0.7 * agree)
        ok = self._plausible_many(prep, quads)
        pre: list[_Cand] = []
        for i, c in enumerate(cands):
            if ok[i]:
                c.quad, c.dirs, c.score = quads[i], dirs[i], float(support[i])
                pre.append(c)
        pre.sort(key=lambda c: -c.score)
        pre = self._dedupe(pre, 2.0)
        # the page network's own proposal always gets the full score (faint edges rank it low)
        net = next((c for c in pre[self.max_refine:] if c.source == "net"), None)
        pre = pre[: self.max_refine] + ([net] if net is not None else [])
        if not pre:
            return None
        quads, dirs, _ = edges.refine_sides(closed3, np.stack([c.quad for c in pre]), 3.0, 40, 5.0)
        for i, c in enumerate(pre):
            if self._plausible(prep, quads[i]):
                c.quad, c.dirs = quads[i], dirs[i]
            self._score(prep, c)
        pre += self._extensions(prep, pre)
        pre += self._grown(prep, sorted(pre, key=lambda c: -c.score)[:1])
        self._nested(prep, pre)
        pre.sort(key=lambda c: (-c.rank, -c.score))  # equal ranks: the surer quad
        # the best-ranked quad good enough to be a page (a better-ranked one that is not a page
        # must not hide it)
        pre = [c for c in pre if c.score >= self.accept] or pre
        best = pre[0]
        if best.score < self.accept:
            return None
        s = prep["scale"]
        full = self._refine_full(frame_bgr, (best.quad + 0.5) / s - 0.5, best.dirs, s)
        ordered = geo.order_corners(full)
        sup = best.support if best.support is not None else np.zeros(4)
        k = int(np.argmin(np.linalg.norm(full - ordered[0], axis=1)))  # sides follow the corners
        sup = geo.ahead(sup, k)
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
                q2 = edges.extend_side(closed3, q, int(k), c.dirs)
                if q2 is not None and self._plausible(prep, q2):
                    q, changed = q2, True
            if not changed:
                continue
            out.append(self._refined(prep, q, c.source + "+extended"))
        return out

    def _refined(self, prep: dict, q: np.ndarray, source: str) -> _Cand:
        """A quad moved onto new edges, its sides refined (kept as it was if refining makes it
        implausible), and scored."""
        q3, dirs, _ = edges.refine_sides(prep["closed3"], q[None], 3.0, 40, 5.0)
        e = _Cand(q3[0] if self._plausible(prep, q3[0]) else q, source)
        e.dirs = dirs[0]
        self._score(prep, e)
        return e

    def _grown(self, prep: dict, cands: list[_Cand]) -> list[_Cand]:
        """Part of a page bounded by something printed on it (a table's rule, a coloured band, a
        fold's shade) wins on its clean edges: each side of the best quads is also pushed out
        onto the next edge of the same step as the page's, and the bigger quads compete (the
        ring test in ``_nested`` keeps a tray's rim out)."""
        closed3 = prep["closed3"]
        out: list[_Cand] = []
        for c in cands:
            if c.score < 0.5 or c.dirs is None or (c.features or {}).get("blown", 0.0) > 0.3:
                continue
            for k in range(4):
                q2 = edges.extend_side(closed3, c.quad, k, c.dirs, 12, 150)
                if q2 is None or not self._plausible(prep, q2) or not ms.strip_unlike_beyond(
                        prep, c.quad, q2, k, float((c.features or {}).get("level", 0.0))):
                    continue
                out.append(self._refined(prep, q2, c.source + "+grown"))
        return self._dedupe(out, 3.0)

    @staticmethod
    def _nested(prep: dict, cands: list[_Cand]) -> None:
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
                if not np.all(geo.inside(grown, b.quad)):
                    continue
                xs, ys, residue, level, chroma = a.samples
                ring = ~geo.inside(b.quad, np.stack([xs, ys], -1)) & (level < 250)  # glare says nothing
                if ring.sum() < 20:
                    continue
                paper = float(b.features["level"])
                ring_level = float(np.median(level[ring]))
                # the page network decides between the two when it clearly sees one of them
                na, nb = float((a.features or {}).get("net", -1.0)), float(b.features.get("net", -1.0))
                if na >= 0 and abs(na - nb) >= 0.1:
                    continue
                if abs(ring_level - paper) <= 0.12 * paper:
                    if id(b) not in inner_demoted and a.score >= 0.85 * b.score:  # (not by a worse quad)
                        b.rank *= 0.6
                        inner_demoted.add(id(b))
                    continue
                thr = 25.0 * float(np.clip(ring_level / max(paper, 1.0), 0.3, 1.0))
                blank = float(np.mean(residue[ring] >= thr)) < 0.01
                if blank and float(np.median(chroma[ring])) < 25:
                    if id(a) not in outer_demoted:
                        a.rank *= 0.5
                        outer_demoted.add(id(a))
                elif (id(b) not in inner_demoted and a.score >= 0.7 * b.score and ms.shared_sides(a.quad, b.quad) >= 3
                      and float(np.median(chroma[ring])) >= 25
                      and float(np.subtract(*np.percentile(level[ring], (75, 25)))) <= 0.1 * paper
                      and ms.unlike_surface(prep, a.quad, xs[ring], ys[ring])):
                    # the inner quad is the outer one less a strip along one side, and the strip
                    # is one flat colour unlike the surface: a certificate's coloured band
                    b.rank *= 0.6
                    inner_demoted.add(id(b))

    @staticmethod
    def _refine_full(frame: np.ndarray, quad: np.ndarray, dirs: np.ndarray | None, s: float) -> np.ndarray:
        """Sub-pixel refinement of the sides on the full-resolution frame."""
        radius = max(3.0, 1.5 / s)
        q = quad
        d = None if dirs is None else dirs[None]
        for rad in (radius, max(2.0, radius / 2)):
            q2 = edges.refine_sides(frame, q[None], rad, 48, 8.0, d)[0][0]
            if not np.all(np.isfinite(q2)) or np.max(np.abs(q2 - q)) > 2 * rad + 2:
                break
            q = q2
        return edges.local_corners(frame, q, max(2.0, radius / 2), 64, 8.0, dirs, LOCAL_SHARE, LOCAL_LIMIT)




def _cut_length(poly: np.ndarray, cut: np.ndarray) -> float:
    """Total length of the polygon's edges flagged in ``cut`` (those along the frame's border)."""
    d = geo.ahead(poly).astype(np.float64) - poly
    return float(np.hypot(d[:, 0], d[:, 1])[cut].sum())


_DEFAULT = DocumentDetector()


def find_document(frame_bgr: np.ndarray) -> Detection | None:
    """The page in ``frame_bgr`` with its score and per-side support, or None."""
    return _DEFAULT.detect(frame_bgr)


def detect_document(frame_bgr: np.ndarray) -> np.ndarray | None:
    """Corners of the document page in ``frame_bgr`` (BGR uint8), float32 (4, 2) in input pixels,
    ordered top-left, top-right, bottom-right, bottom-left; None when there is no page."""
    d = _DEFAULT.detect(frame_bgr)
    return None if d is None else d.corners
