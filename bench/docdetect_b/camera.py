"""Generator B's camera: a pinhole looking at a (possibly bent or curled) sheet in 3-D, radial
lens distortion, defocus and shake blur, and a raw sensor (Bayer mosaic, shot and read noise,
row banding, demosaicing, gamma, sharpening, WebP compression).

The sheet is mapped point by point (no homography of the whole page), so a bent page has
curved sides; the ground truth is where the sheet's four corner points land in the final,
distorted frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass
class Sheet:
    """A sheet of ``size`` (w, h) mm at ``centre`` (x, y, z) mm in camera coordinates (z forward),
    turned by ``rot`` (3x3), with out-of-plane bending: a cylinder-like ``bend`` (mm of sag at the
    middle, along the sheet's x or y axis) and a ``curl`` of one corner (mm lifted at the corner)."""

    size: tuple[float, float]
    centre: np.ndarray
    rot: np.ndarray
    bend: float = 0.0
    bend_axis: int = 0
    curl: float = 0.0
    curl_corner: int = 0
    wave: float = 0.0

    def points(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """3-D points (..., 3) of sheet coordinates u, v (mm from its top-left corner)."""
        w, h = self.size
        x, y = u - w / 2, v - h / 2
        t = (x / (w / 2)) if self.bend_axis == 0 else (y / (h / 2))
        z = self.bend * (1 - t * t)
        if self.curl:
            cu, cv = [(0, 0), (w, 0), (w, h), (0, h)][self.curl_corner]
            d = 1 - np.hypot(u - cu, v - cv) / (0.45 * min(w, h))
            z = z - self.curl * np.maximum(d, 0) ** 2  # towards the camera
        if self.wave:
            z = z + self.wave * np.sin(v / h * 2 * np.pi * 1.5 + 0.7)
        p = np.stack([x, y, z], -1) @ self.rot.T
        return p + self.centre


def rotation(rz: float, rx: float, ry: float) -> np.ndarray:
    cz, sz, cx, sx, cy, sy = np.cos(rz), np.sin(rz), np.cos(rx), np.sin(rx), np.cos(ry), np.sin(ry)
    mz = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    mx = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    my = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    return my @ mx @ mz


@dataclass
class Camera:
    f: float  # focal length, pixels
    size: tuple[int, int]  # (w, h) of the frame
    k1: float = 0.0  # radial distortion: undistorted = distorted * (1 + k1 r^2 + k2 r^4), r = |p - c| / half diagonal
    k2: float = 0.0
    margin: int = 0  # the undistorted canvas extends this far beyond the frame on every side

    @property
    def canvas(self) -> tuple[int, int]:
        w, h = self.size
        return w + 2 * self.margin, h + 2 * self.margin

    def project(self, p: np.ndarray) -> np.ndarray:
        """3-D points (..., 3) -> undistorted canvas pixels (..., 2)."""
        w, h = self.size
        z = np.maximum(p[..., 2], 1e-6)
        return np.stack([self.f * p[..., 0] / z + w / 2 + self.margin, self.f * p[..., 1] / z + h / 2 + self.margin], -1)

    def distort_points(self, canvas_pts: np.ndarray) -> np.ndarray:
        """Undistorted canvas pixels -> final frame pixels (exact: Newton on the radius)."""
        w, h = self.size
        c = np.array([w / 2, h / 2])
        norm = np.hypot(w, h) / 2
        d = (np.asarray(canvas_pts, np.float64) - self.margin - c) / norm
        ru = np.hypot(d[..., 0], d[..., 1])
        r = ru.copy()
        for _ in range(30):
            g = r * (1 + self.k1 * r**2 + self.k2 * r**4) - ru
            dg = 1 + 3 * self.k1 * r**2 + 5 * self.k2 * r**4
            r = r - g / dg
        scale = np.where(ru > 1e-12, r / np.maximum(ru, 1e-12), 1.0)
        return c + d * scale[..., None] * norm

    def distort_image(self, canvas_img: np.ndarray) -> np.ndarray:
        """The undistorted canvas seen through the lens: the final frame (before the sensor)."""
        w, h = self.size
        xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
        c = np.float32([w / 2, h / 2])
        norm = np.float32(np.hypot(w, h) / 2)
        dx, dy = (xs - c[0]) / norm, (ys - c[1]) / norm
        r2 = dx * dx + dy * dy
        k = 1 + np.float32(self.k1) * r2 + np.float32(self.k2) * r2 * r2
        mx = c[0] + dx * k * norm + self.margin
        my = c[1] + dy * k * norm + self.margin
        return cv2.remap(canvas_img, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def sheet_map(cam: Camera, sheet: Sheet, step: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For every canvas pixel: the sheet coordinates (u, v) in mm seen there, and the sheet's
    size of a pixel (mm). Found by fixed-point iteration on the flat sheet's homography, on a grid
    every ``step`` pixels, then interpolated (the map is smooth)."""
    cw, ch = cam.canvas
    w, h = sheet.size
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    uu, vv = src[:, 0].astype(np.float64), src[:, 1].astype(np.float64)
    flat = Sheet(sheet.size, sheet.centre, sheet.rot)
    dst = cam.project(flat.points(uu, vv)).astype(np.float32)
    g = cv2.getPerspectiveTransform(dst, src).astype(np.float64)  # canvas -> sheet (flat)
    gx, gy = np.meshgrid(np.arange(0, cw + step, step, dtype=np.float64), np.arange(0, ch + step, step, dtype=np.float64))

    def apply(m: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d = m[2, 0] * x + m[2, 1] * y + m[2, 2]
        d = np.where(np.abs(d) < 1e-9, 1e-9, d)
        return (m[0, 0] * x + m[0, 1] * y + m[0, 2]) / d, (m[1, 0] * x + m[1, 1] * y + m[1, 2]) / d

    tu, tv = apply(g, gx, gy)  # target in flat sheet coordinates
    u, v = tu.copy(), tv.copy()
    for _ in range(12):
        px = cam.project(sheet.points(u, v))
        fu, fv = apply(g, px[..., 0], px[..., 1])
        u, v = u + (tu - fu), v + (tv - fv)
    u = cv2.resize(u.astype(np.float32), (gx.shape[1] * step, gx.shape[0] * step), interpolation=cv2.INTER_LINEAR)
    v = cv2.resize(v.astype(np.float32), (gx.shape[1] * step, gx.shape[0] * step), interpolation=cv2.INTER_LINEAR)
    # resize treats samples as pixel areas: resized pixel i holds the map at canvas i - off; read
    # it at i + off so grid points land on their pixels (WARP_INVERSE_MAP: dst(x) = src(M x)).
    # (Without the flag the shift went the wrong way and every page was drawn 3 px right of and
    # below its true corners: fixed in issue 16, all B figures measured again.)
    off = (step - 1) / 2
    m = np.float32([[1, 0, off], [0, 1, off]])
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    u = cv2.warpAffine(u, m, (cw, ch), flags=flags, borderMode=cv2.BORDER_REPLICATE)
    v = cv2.warpAffine(v, m, (cw, ch), flags=flags, borderMode=cv2.BORDER_REPLICATE)
    du = cv2.Sobel(u, cv2.CV_32F, 1, 0, ksize=1) * 0.5
    dv = cv2.Sobel(v, cv2.CV_32F, 0, 1, ksize=1) * 0.5
    mm_per_px = np.sqrt(np.abs(du * dv)) + 1e-3
    return u, v, mm_per_px


def disk_kernel(radius: float) -> np.ndarray:
    r = max(1, int(np.ceil(radius)))
    yy, xx = np.mgrid[-r : r + 1, -r : r + 1]
    k = np.clip(radius + 0.5 - np.hypot(xx, yy), 0, 1).astype(np.float32)
    return k / k.sum()


def shake_kernel(rng: np.random.Generator, length: float) -> np.ndarray:
    """A camera-shake trajectory: a short random walk with momentum, drawn into a kernel."""
    n = 24
    ang = rng.uniform(0, np.pi)
    turn = np.cumsum(rng.normal(0, 0.15, n))
    steps = np.stack([np.cos(ang + turn), np.sin(ang + turn)], 1) * (length / n)
    path = np.cumsum(steps, 0)
    path -= path.mean(0)
    r = int(np.ceil(np.abs(path).max())) + 2
    k = np.zeros((2 * r + 1, 2 * r + 1), np.float32)
    pts = np.round((path + r) * 4).astype(np.int32)
    cv2.polylines(k, [pts], False, 1.0, 1, cv2.LINE_AA, shift=2)
    return k / max(float(k.sum()), 1e-6)


def sensor(rng: np.random.Generator, img: np.ndarray, tags: list[str], iso: float) -> np.ndarray:
    """Linear light (float BGR 0..255, gamma-encoded scene) -> the camera's 8-bit output."""
    h, w = img.shape[:2]
    lin = (np.clip(img, 0, 255) / 255.0) ** 2.2
    bayer = np.empty((h, w), np.float32)  # RGGB mosaic
    bayer[0::2, 0::2] = lin[0::2, 0::2, 2]
    bayer[0::2, 1::2] = lin[0::2, 1::2, 1]
    bayer[1::2, 0::2] = lin[1::2, 0::2, 1]
    bayer[1::2, 1::2] = lin[1::2, 1::2, 0]
    full_well = 4000.0 / iso  # electrons at white
    shot = rng.standard_normal((h, w), dtype=np.float32) * np.sqrt(np.maximum(bayer, 0) / full_well)
    read = rng.standard_normal((h, w), dtype=np.float32) * (rng.uniform(0.0005, 0.003) * iso)
    bayer = bayer + shot + read
    if rng.random() < 0.35:  # row banding: fixed per-row offsets and a slow beat
        rows = rng.standard_normal(h).astype(np.float32) * rng.uniform(0.0005, 0.003) * iso
        rows += rng.uniform(0.001, 0.006) * np.sin(np.arange(h) / rng.uniform(6, 40) * 2 * np.pi).astype(np.float32)
        bayer = bayer + rows[:, None]
        tags.append("banding")
    raw = np.clip(bayer, 0, 1) ** (1 / 2.2) * 255.0
    out = cv2.cvtColor(np.clip(raw + 0.5, 0, 255).astype(np.uint8), cv2.COLOR_BayerBG2BGR)  # (OpenCV names the pattern from its second row)
    if rng.random() < 0.6:  # the phone's sharpening
        soft = cv2.GaussianBlur(out, (0, 0), 1.2)
        out = cv2.addWeighted(out, 1.6, soft, -0.6, 0)
    if rng.random() < 0.4:
        q = int(rng.integers(35, 90))
        ok, buf = cv2.imencode(".webp", out, [cv2.IMWRITE_WEBP_QUALITY, q])
        if ok:
            out = cv2.imdecode(buf, cv2.IMREAD_COLOR)
            if q < 55:
                tags.append("compressed")
    return out
