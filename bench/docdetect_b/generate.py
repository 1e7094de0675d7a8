"""Generator B: frames of documents in a second, independent world (shares no code, renderer or
parameters with ``bench/docdetect/generate.py``).

Families (``Sample.family``):
  desk       coloured desks (blue, pink, green, charcoal, ...), sometimes a hand on the page
  wallpaper  pages held against or lying on patterned wallpaper (stripes, damask, dots, waves, ...)
  pale       low contrast: white, cream, light grey and pale blue surfaces and tablecloths
  tray       the kiosk: a dark patterned rubber tray with a rim, overhead camera, lamp glare
  handheld   a bent or curled page held in one or two hands in front of a desk or a wall
  negative   no document: an empty surface, a hand, a tablet, a coloured folder, a lamp's glare

Papers: A4, A5, letter, half letter, a small certificate booklet and an ID-sized card; white,
cream, bluish, grey, pink and recycled tones; drawn with OpenCV's own fonts and primitives. The
camera is a pinhole over a sheet in 3-D that may be bent, waved or have a curled corner, with
radial lens distortion, defocus and camera-shake blur and a raw sensor model (see camera.py).
In about 10 % of document frames one corner is out of the frame (tag ``corner_out``) or hidden
under a hand (``corner_covered``).

Ground truth: where the sheet's four corner points land in the final frame (after bending and
lens distortion), TL, TR, BR, BL of the page. All four lie inside the frame unless the frame is
tagged ``corner_out``. Every frame depends only on (seed, index).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np

from bench.docdetect_b import world
from bench.docdetect_b.camera import Camera, Sheet, disk_kernel, rotation, sensor, shake_kernel, sheet_map
from bench.docdetect_b.paper import make_paper

FAMILIES = ("desk", "wallpaper", "pale", "tray", "handheld", "negative")
NEGATIVES = ("empty", "hand", "tablet", "folder", "glare")
TUNING_SEED = 101  # the only seed of B looked at while tuning (the B -> A direction)
HELD_OUT = (102, 103)


@dataclass
class Sample:
    index: int
    family: str
    image: np.ndarray  # BGR uint8
    corners: np.ndarray | None  # (4, 2) float32 TL TR BR BL in frame pixels; None: no document
    page_size: tuple[float, float] = (210.0, 297.0)  # (w, h) mm
    tags: list[str] = field(default_factory=list)


def _frame_size(rng: np.random.Generator, family: str) -> tuple[int, int]:
    if family == "tray":
        return (1280, 720) if rng.random() < 0.8 else (1920, 1080)
    r = rng.random()
    if r < 0.7:
        return 1280, 720
    if r < 0.82:
        return 1920, 1080
    if r < 0.94:
        return 1600, 1200
    return 720, 1280


def _camera(rng: np.random.Generator, size: tuple[int, int], family: str) -> Camera:
    w, h = size
    hfov = np.radians(rng.uniform(50, 60) if family == "tray" else rng.uniform(48, 78))
    f = (max(w, h) / 2) / np.tan(hfov / 2)
    k1 = rng.uniform(-0.03, 0.12) if rng.random() < 0.6 else 0.0
    k2 = rng.uniform(-0.02, 0.04) if k1 else 0.0
    margin = int(np.ceil(max(k1 + k2, 0.0) * np.hypot(w, h) / 2 * 1.1)) + 8
    return Camera(float(f), (w, h), float(k1), float(k2), margin)


def _surface(rng: np.random.Generator, family: str, h: int, w: int) -> tuple[np.ndarray, str]:
    if family == "desk":
        return world.desk(rng, h, w)
    if family == "wallpaper":
        return world.wallpaper(rng, h, w)
    if family == "pale":
        return world.pale(rng, h, w)
    if family == "tray":
        return world.tray(rng, h, w)
    pick = rng.random()  # handheld and negatives: any of them
    if pick < 0.4:
        return world.desk(rng, h, w)
    if pick < 0.75:
        return world.wallpaper(rng, h, w)
    if pick < 0.9:
        return world.pale(rng, h, w)
    return world.tray(rng, h, w)


def _truth(cam: Camera, sheet: Sheet) -> np.ndarray:
    w, h = sheet.size
    u = np.array([0.0, w, w, 0.0])
    v = np.array([0.0, 0.0, h, h])
    return cam.distort_points(cam.project(sheet.points(u, v))).astype(np.float32)


def _pose(rng: np.random.Generator, cam: Camera, size_mm: tuple[float, float], family: str,
          corner_out: bool) -> Sheet | None:
    """Place the sheet: coverage, rotation, tilt, bending; all corners in view (or exactly one
    out of view when ``corner_out``). None if no placement was found."""
    w, h = cam.size
    tray = family == "tray"
    for _ in range(12):
        rz = np.radians(rng.uniform(-10, 10) if tray else rng.uniform(-40, 40))
        if not tray and rng.random() < 0.1:
            rz += np.pi
        tilt = 5 if tray else (35 if family == "handheld" else 25)
        rot = rotation(rz, np.radians(rng.uniform(-tilt, tilt)), np.radians(rng.uniform(-tilt, tilt)))
        sheet = Sheet(size_mm, np.array([0.0, 0.0, 600.0]), rot)
        if family == "handheld" or rng.random() < 0.2:
            sheet.bend = float(rng.uniform(-1, 1) * (0.09 if family == "handheld" else 0.04) * max(size_mm))
            sheet.bend_axis = int(rng.integers(0, 2))
        if rng.random() < (0.35 if family == "handheld" else 0.1):
            sheet.curl = float(rng.uniform(0.05, 0.15) * min(size_mm))
            sheet.curl_corner = int(rng.integers(0, 4))
        if rng.random() < 0.1:
            sheet.wave = float(rng.uniform(0.005, 0.015) * min(size_mm))
        cov = rng.uniform(0.25, 0.55) if tray else rng.uniform(0.08, 0.75)
        q = _truth(cam, sheet)
        area = abs(cv2.contourArea(q))
        sheet.centre = sheet.centre * np.sqrt(area / (cov * w * h))
        q = _truth(cam, sheet)
        lo, hi = q.min(0), q.max(0)
        span = hi - lo
        if np.any(span > np.array([w, h]) * 0.98):
            continue
        target = np.array([rng.uniform(0.01 * w, 0.99 * w - span[0]), rng.uniform(0.01 * h, 0.99 * h - span[1])])
        shift = target - lo
        if corner_out:
            side = int(rng.integers(0, 4))  # top, right, bottom, left
            ax = 0 if side % 2 == 1 else 1
            sign = -1.0 if side in (0, 3) else 1.0
            order = np.argsort(-(q[:, ax] * sign))
            gap = sign * (q[order[0], ax] - q[order[1], ax])
            if gap < 0.06 * np.hypot(*span):
                continue
            edge = (w if ax == 0 else h) - 1.0 if sign > 0 else 0.0
            goal = edge + sign * rng.uniform(0.25, 0.8) * gap  # the corner ends this far beyond the edge
            shift[ax] = goal - q[order[0], ax]
        for _ in range(4):  # shift in 3-D at the sheet's depth; perspective and lens: iterate
            sheet.centre[:2] += shift * sheet.centre[2] / cam.f
            q = _truth(cam, sheet)
            if not corner_out:
                break
            shift = np.zeros(2)
            shift[ax] = goal - q[order[0], ax]
        inside = (q[:, 0] >= 2) & (q[:, 0] <= w - 3) & (q[:, 1] >= 2) & (q[:, 1] <= h - 3)
        if corner_out and inside.sum() == 3 and not inside[order[0]]:
            return sheet
        if not corner_out and inside.all():
            return sheet
    return None


def _composite(rng: np.random.Generator, canvas: np.ndarray, cam: Camera, sheet: Sheet, page: np.ndarray) -> np.ndarray:
    """Draw the sheet onto the canvas (a soft contact shadow first). Returns its alpha."""
    u, v, mmpp = sheet_map(cam, sheet)
    w_mm, h_mm = sheet.size
    ph, pw = page.shape[:2]
    sx, sy = pw / w_mm, ph / h_mm
    dist = np.minimum.reduce([u, w_mm - u, v, h_mm - v])
    alpha = np.clip(dist / mmpp + 0.5, 0, 1)
    # a soft shadow of the sheet on the surface, offset towards a random side
    sh = cv2.GaussianBlur(alpha, (0, 0), rng.uniform(2, 10))
    off = rng.normal(0, 4, 2).astype(np.float32)
    sh = cv2.warpAffine(sh, np.float32([[1, 0, off[0]], [0, 1, off[1]]]), sh.shape[::-1])
    canvas *= (1 - rng.uniform(0.1, 0.4) * sh)[..., None]
    # the page's pixels, pre-blurred where it is shrunk (against aliasing)
    shrink = float(np.median(mmpp[alpha > 0.5]) * sx) if np.any(alpha > 0.5) else 1.0
    src = page.astype(np.float32)
    if shrink > 1.3:
        src = cv2.GaussianBlur(src, (0, 0), 0.45 * shrink)
    img = cv2.remap(src, u * sx - 0.5, v * sy - 0.5, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    # bent paper catches the light unevenly: shade by the slope of the sheet
    z0 = sheet.points(u, v)[..., 2]
    gz = cv2.Sobel(z0.astype(np.float32), cv2.CV_32F, 1, 0, ksize=3) / 8
    shade = 1 + np.clip(gz * rng.uniform(-2.0, 2.0), -0.25, 0.25)
    img *= shade[..., None]
    canvas[:] = canvas * (1 - alpha[..., None]) + img * alpha[..., None]
    return alpha


def _hands(rng: np.random.Generator, canvas: np.ndarray, cam: Camera, sheet: Sheet, tags: list[str],
           family: str, covered: bool) -> None:
    w_mm, h_mm = sheet.size
    cu = np.array([0.0, w_mm, w_mm, 0.0])
    cv = np.array([0.0, 0.0, h_mm, h_mm])
    q = cam.project(sheet.points(cu, cv))
    centre = q.mean(0)
    width = float(np.sqrt(abs(cv2.contourArea(q.astype(np.float32))))) * rng.uniform(0.05, 0.08)
    if covered:  # fingers over a corner: the corner itself is hidden
        k = int(rng.integers(0, 4))
        out = q[k] - centre
        d = out / np.linalg.norm(out)
        tip = q[k] - d * width * rng.uniform(0.8, 1.8)
        direction = d + rng.normal(0, 0.3, 2)
        world.hand(rng, canvas, tip, direction, width, thumb_only=False)
        tags.append("corner_covered")
        return
    p_hold = 0.9 if family == "handheld" else (0.12 if family in ("desk", "wallpaper", "pale") else 0.0)
    if rng.random() >= p_hold:
        return
    for _ in range(1 if rng.random() < 0.5 else 2):  # thumbs over a side, the hand outside
        k = int(rng.integers(0, 4))
        t = rng.uniform(0.25, 0.75)
        p = q[k] * (1 - t) + q[(k + 1) % 4] * t
        d = p - centre
        d /= np.linalg.norm(d)
        world.hand(rng, canvas, p - d * width * rng.uniform(0.8, 2.0), d + rng.normal(0, 0.2, 2), width, thumb_only=True)
    tags.append("hand")


def _light(rng: np.random.Generator, canvas: np.ndarray, at: np.ndarray, size: float, family: str, tags: list[str]) -> None:
    h, w = canvas.shape[:2]
    if rng.random() < 0.5:
        canvas *= world.lamp(rng, h, w)[..., None]
        tags.append("lamp")
    cast = rng.uniform(0.85, 1.15, 3).astype(np.float32)  # white balance
    canvas *= cast[None, None, :] * rng.uniform(0.8, 1.2)
    if rng.random() < 0.3:
        canvas *= world.cast_shadow(rng, h, w, at)[..., None]
        tags.append("shadow")
    if rng.random() < (0.7 if family == "tray" else 0.3):
        spot = at + rng.normal(0, 0.25, 2) * size
        canvas += world.glare_spot(rng, h, w, spot, size * rng.uniform(0.03, 0.1))[..., None]
        tags.append("glare")


def _finish(rng: np.random.Generator, canvas: np.ndarray, cam: Camera, tags: list[str]) -> np.ndarray:
    img = cam.distort_image(canvas)
    if abs(cam.k1) > 0.03:
        tags.append("distortion")
    w, h = cam.size
    yy, xx = np.mgrid[0:h:8, 0:w:8].astype(np.float32)
    r2 = ((xx - w / 2) ** 2 + (yy - h / 2) ** 2) / ((w / 2) ** 2 + (h / 2) ** 2)
    vig = cv2.resize(1 - rng.uniform(0.05, 0.35) * r2, (w, h))
    img *= vig[..., None]
    scale = w / 1280
    r = rng.random()
    if r < 0.22:
        img = cv2.filter2D(img, -1, disk_kernel(rng.uniform(1.5, 5.0) * scale), borderType=cv2.BORDER_REFLECT)
        tags.append("defocus")
    elif r < 0.42:
        img = cv2.filter2D(img, -1, shake_kernel(rng, rng.uniform(5, 20) * scale), borderType=cv2.BORDER_REFLECT)
        tags.append("motion_blur")
    return sensor(rng, img, tags, float(rng.uniform(1, 6)))


def positive(rng: np.random.Generator, index: int, family: str) -> Sample:
    size = _frame_size(rng, family)
    cam = _camera(rng, size, family)
    tags: list[str] = []
    r = rng.random()
    corner_out, covered = r < 0.05, 0.05 <= r < 0.1
    w, h = size
    paper = make_paper(rng, np.sqrt(0.4 * w * h) * 1.4)
    sheet = _pose(rng, cam, paper.size_mm, family, corner_out)
    if sheet is None:  # (rare) no placement with a corner out: an ordinary frame
        corner_out = False
        sheet = _pose(rng, cam, paper.size_mm, family, False)
    assert sheet is not None
    if corner_out:
        tags.append("corner_out")
    if sheet.bend and abs(sheet.bend) > 0.02 * max(paper.size_mm):
        tags.append("bent")
    if sheet.curl:
        tags.append("curled")
    cw, ch = cam.canvas
    canvas, _ = _surface(rng, family, ch, cw)
    canvas = np.ascontiguousarray(canvas, np.float32)
    _composite(rng, canvas, cam, sheet, paper.image)
    _hands(rng, canvas, cam, sheet, tags, family, covered)
    q = cam.project(sheet.points(np.array([0.0, paper.size_mm[0]]), np.array([0.0, paper.size_mm[1]])))
    _light(rng, canvas, cam.project(sheet.centre[None])[0], float(np.hypot(*(q[1] - q[0]))), family, tags)
    truth = _truth(cam, sheet)
    img = _finish(rng, canvas, cam, tags)
    tags.append(f"paper_{paper.tone}")
    tags.append(f"size_{_size_name(paper.size_mm)}")
    return Sample(index, family, img, truth, paper.size_mm, tags)


def _size_name(size: tuple[float, float]) -> str:
    from bench.docdetect_b.paper import SIZES

    for name, (a, b, _) in SIZES.items():
        if {round(a), round(b)} == {round(size[0]), round(size[1])}:
            return name
    return "other"


def negative(rng: np.random.Generator, index: int) -> Sample:
    size = _frame_size(rng, "negative")
    cam = _camera(rng, size, "negative")
    kind = NEGATIVES[index // len(FAMILIES) % len(NEGATIVES)]
    cw, ch = cam.canvas
    fam = "tray" if kind == "glare" else "any"
    canvas, _ = _surface(rng, fam, ch, cw)
    canvas = np.ascontiguousarray(canvas, np.float32)
    centre = np.array([cw, ch], np.float64) * rng.uniform(0.3, 0.7, 2)
    s = min(cw, ch)
    if kind in ("tablet", "folder"):
        wd, ht = s * rng.uniform(0.3, 0.6), s * rng.uniform(0.4, 0.8)
        box = cv2.boxPoints(((float(centre[0]), float(centre[1])), (wd, ht), float(rng.uniform(-40, 40))))
        if kind == "tablet":
            world_col = rng.uniform(10, 40)
            cv2.fillConvexPoly(canvas, np.round(box * 4).astype(np.int32), (world_col,) * 3, cv2.LINE_AA, shift=2)
            inner = box.mean(0) + (box - box.mean(0)) * 0.88
            cv2.fillConvexPoly(canvas, np.round(inner * 4).astype(np.int32), tuple(float(v) for v in rng.uniform(20, 90, 3)),
                               cv2.LINE_AA, shift=2)
        else:
            hue = np.uint8([[[rng.integers(0, 180), rng.integers(150, 255), rng.integers(120, 230)]]])
            col = cv2.cvtColor(hue, cv2.COLOR_HSV2BGR)[0, 0].astype(float)
            cv2.fillConvexPoly(canvas, np.round(box * 4).astype(np.int32), tuple(col), cv2.LINE_AA, shift=2)
    elif kind == "hand":
        world.hand(rng, canvas, centre, rng.normal(0, 1, 2), s * rng.uniform(0.04, 0.07), thumb_only=False)
    tags = [kind]
    _light(rng, canvas, centre, s * 0.5, "tray" if kind == "glare" else "negative", tags)
    img = _finish(rng, canvas, cam, tags)
    return Sample(index, "negative", img, None, (210.0, 297.0), tags)


def sample(seed: int, index: int) -> Sample:
    rng = np.random.default_rng([seed, index, 0xB])
    family = FAMILIES[index % len(FAMILIES)]
    if family == "negative":
        return negative(rng, index)
    return positive(rng, index, family)


def generate(seed: int, n: int) -> Iterator[Sample]:
    for i in range(n):
        yield sample(seed, i)
