"""Generator B's documents, drawn with OpenCV primitives only (no Pillow, no CJK font, nothing
from generator A): forms, letters, certificates and ID-sized cards on tinted papers.

Sizes in millimetres; a page is drawn at ``ppm`` pixels per millimetre. Every page depends only
on the random generator it is given.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# name: (width mm, height mm, weight)
SIZES = {
    "a4": (210.0, 297.0, 0.34),
    "a5": (148.0, 210.0, 0.16),
    "letter": (215.9, 279.4, 0.2),
    "booklet": (95.0, 130.0, 0.12),  # a small certificate
    "card": (85.6, 54.0, 0.08),  # ID-sized
    "receipt_form": (140.0, 216.0, 0.1),  # half letter
}
# name: paper colour (B, G, R)
TONES = {
    "white": (246, 247, 245),
    "cream": (200, 233, 246),
    "bluish": (248, 238, 226),
    "grey": (212, 214, 214),
    "pink": (232, 228, 247),
    "recycled": (196, 214, 222),
}
_WORDS = ("name", "date", "address", "permit", "residence", "employer", "contract", "signed", "number",
          "valid", "office", "issued", "haikou", "hainan", "period", "certify", "rent", "tenant", "landlord",
          "total", "amount", "seal", "approved", "registry", "item", "no.", "2026", "0898", "ltd", "dept")
_FONTS = (cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_PLAIN, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX,
          cv2.FONT_HERSHEY_TRIPLEX)


@dataclass
class Paper:
    image: np.ndarray  # BGR uint8, the flat page
    size_mm: tuple[float, float]  # (w, h)
    kind: str
    tone: str


def _pick_size(rng: np.random.Generator) -> str:
    names = list(SIZES)
    p = np.array([v[2] for v in SIZES.values()])
    return names[int(rng.choice(len(names), p=p / p.sum()))]


def _ink(rng: np.random.Generator) -> tuple[int, int, int]:
    k = rng.random()
    if k < 0.7:
        v = int(rng.integers(10, 70))
        return (v, v, v)
    if k < 0.85:
        return (int(rng.integers(90, 140)), int(rng.integers(30, 60)), int(rng.integers(10, 40)))  # blue ink
    return (int(rng.integers(20, 60)), int(rng.integers(40, 80)), int(rng.integers(60, 90)))  # brown


def _text_line(rng: np.random.Generator, img: np.ndarray, x: int, y: int, width: int, height: int,
               colour: tuple[int, int, int]) -> None:
    font = _FONTS[int(rng.integers(0, len(_FONTS)))]
    scale = cv2.getFontScaleFromHeight(font, max(4, height), 1)
    thick = 1 if height < 18 else 2
    cx = x
    while True:
        word = _WORDS[int(rng.integers(0, len(_WORDS)))]
        if rng.random() < 0.2:
            word = word.upper()
        (tw, _), _ = cv2.getTextSize(word, font, scale, thick)
        if cx + tw > x + width:
            break
        cv2.putText(img, word, (cx, y), font, scale, colour, thick, cv2.LINE_AA)
        cx += tw + max(3, height // 2)


def _stamp(rng: np.random.Generator, img: np.ndarray, c: tuple[int, int], r: int) -> None:
    colour = (40, 40, 200) if rng.random() < 0.7 else (170, 60, 30)
    layer = img.copy()
    if rng.random() < 0.6:
        cv2.circle(layer, c, r, colour, max(2, r // 14), cv2.LINE_AA)
        cv2.circle(layer, c, int(r * 0.78), colour, 1, cv2.LINE_AA)
        pts = []
        for k in range(5):  # a star in the middle
            a = -np.pi / 2 + k * 4 * np.pi / 5
            pts.append((c[0] + 0.3 * r * np.cos(a), c[1] + 0.3 * r * np.sin(a)))
        cv2.fillPoly(layer, [np.int32(pts)], colour, cv2.LINE_AA)
    else:
        cv2.rectangle(layer, (c[0] - r, c[1] - r), (c[0] + r, c[1] + r), colour, max(2, r // 10), cv2.LINE_AA)
        _text_line(rng, layer, c[0] - r + 4, c[1] + 4, 2 * r - 8, max(6, r // 3), colour)
    a = rng.uniform(0.5, 0.85)
    cv2.addWeighted(layer, a, img, 1 - a, 0, img)


def _signature(rng: np.random.Generator, img: np.ndarray, x: int, y: int, w: int, h: int) -> None:
    t = np.linspace(0, 1, 60)
    px = x + t * w
    py = y + h * 0.5 * (np.sin(t * rng.uniform(8, 20) + rng.uniform(0, 6)) * rng.uniform(0.3, 1) + rng.normal(0, 0.1, 60))
    cv2.polylines(img, [np.int32(np.c_[px, py])], False, (120, 40, 20), 2, cv2.LINE_AA)


def _table(rng: np.random.Generator, img: np.ndarray, x0: int, y0: int, x1: int, y1: int, ppm: float) -> None:
    rows = int(rng.integers(3, 9))
    cols = int(rng.integers(2, 5))
    ys = np.linspace(y0, y1, rows + 1).astype(int)
    xs = np.sort(np.r_[x0, rng.uniform(x0, x1, cols - 1), x1]).astype(int)
    col = _ink(rng)
    if rng.random() < 0.4:
        cv2.rectangle(img, (x0, ys[0]), (x1, ys[1]), tuple(int(v * 0.3 + 180) for v in col), -1)
    for yy in ys:
        cv2.line(img, (x0, int(yy)), (x1, int(yy)), col, 1, cv2.LINE_AA)
    for xx in xs:
        cv2.line(img, (int(xx), y0), (int(xx), y1), col, 1, cv2.LINE_AA)
    lh = max(5, int((ys[1] - ys[0]) * 0.45))
    for r in range(rows):
        for c in range(cols):
            if rng.random() < 0.75 and xs[c + 1] - xs[c] > 3 * lh:
                _text_line(rng, img, int(xs[c]) + 3, int(ys[r + 1]) - max(2, lh // 2), int(xs[c + 1] - xs[c]) - 6, lh, col)


def _body(rng: np.random.Generator, img: np.ndarray, box: tuple[int, int, int, int], ppm: float) -> None:
    x0, y0, x1, y1 = box
    y = y0
    line_h = int(rng.uniform(1.6, 3.2) * ppm)
    col = _ink(rng)
    while y < y1 - line_h:
        r = rng.random()
        if r < 0.12 and y1 - y > 25 * ppm:
            th = int(rng.uniform(18, min(60, (y1 - y) / ppm - 5)) * ppm)
            _table(rng, img, x0, y, x1, y + th, ppm)
            y += th + 2 * line_h
        elif r < 0.2:
            y += line_h * 2  # paragraph break
        else:
            end = x1 if rng.random() < 0.8 else int(x0 + rng.uniform(0.3, 0.9) * (x1 - x0))
            indent = int(rng.uniform(0, 8) * ppm) if rng.random() < 0.15 else 0
            _text_line(rng, img, x0 + indent, y + line_h, end - x0 - indent, int(line_h * 0.7), col)
            y += int(line_h * rng.uniform(1.4, 1.9))


def _guilloche(rng: np.random.Generator, img: np.ndarray, margin: int) -> None:
    h, w = img.shape[:2]
    col = tuple(int(v) for v in rng.integers(80, 200, 3))
    cv2.rectangle(img, (margin, margin), (w - margin, h - margin), col, 2, cv2.LINE_AA)
    inner = margin + max(4, margin // 3)
    cv2.rectangle(img, (inner, inner), (w - inner, h - inner), col, 1, cv2.LINE_AA)
    t = np.linspace(0, 1, 400)
    for phase in (0.0, 1.6):
        for side in range(4):
            if side % 2 == 0:
                px = margin + t * (w - 2 * margin)
                py = (margin if side == 0 else h - margin) + 0.35 * margin * np.sin(t * 60 + phase) * (1 if side == 0 else -1)
            else:
                py = margin + t * (h - 2 * margin)
                px = (margin if side == 3 else w - margin) + 0.35 * margin * np.sin(t * 60 + phase) * (1 if side == 3 else -1)
            cv2.polylines(img, [np.int32(np.c_[px, py])], False, col, 1, cv2.LINE_AA)


def _fibres(rng: np.random.Generator, img: np.ndarray) -> np.ndarray:
    h, w = img.shape[:2]
    g = rng.normal(0, 1, (max(2, h // 6), max(2, w // 6))).astype(np.float32)
    g = cv2.resize(g, (w, h), interpolation=cv2.INTER_LINEAR)
    fine = rng.normal(0, 1, (h, w)).astype(np.float32)
    return img.astype(np.float32) + (g * rng.uniform(0.5, 2.5) + fine * rng.uniform(0.3, 1.5))[..., None]


def make_paper(rng: np.random.Generator, target_px: float) -> Paper:
    """A random document. ``target_px``: roughly how many pixels its longer side will span in the
    frame (the page is drawn at about that resolution, never less than 2 px/mm)."""
    size = _pick_size(rng)
    w_mm, h_mm, _ = SIZES[size]
    if size not in ("card",) and rng.random() < 0.25:
        w_mm, h_mm = h_mm, w_mm  # landscape
    ppm = float(np.clip(target_px / max(w_mm, h_mm), 2.0, 8.0))
    w, h = int(round(w_mm * ppm)), int(round(h_mm * ppm))
    tone = list(TONES)[int(rng.integers(0, len(TONES)))]
    base = np.array(TONES[tone], np.float32) + rng.normal(0, 4, 3)
    img = np.empty((h, w, 3), np.uint8)
    img[:] = np.clip(base, 0, 255).astype(np.uint8)
    m = int(rng.uniform(8, 22) * ppm * min(1.0, min(w_mm, h_mm) / 140))
    kind = "form"
    if size in ("card", "booklet"):
        kind = "certificate"
        band = tuple(int(v) for v in rng.integers(60, 200, 3))
        bh = int(h * rng.uniform(0.12, 0.2))
        cv2.rectangle(img, (0, 0), (w, bh), band, -1)
        _text_line(rng, img, m, int(bh * 0.7), w - 2 * m, int(bh * 0.45), (250, 250, 250))
        pw = int(w * 0.28)
        ph = int(pw * 1.3)
        px, py = w - m - pw, bh + m
        if py + ph < h - m:
            cv2.rectangle(img, (px, py), (px + pw, py + ph), (200, 195, 190), -1)
            cv2.ellipse(img, (px + pw // 2, py + ph // 2), (pw // 3, ph // 3), 0, 0, 360, (110, 130, 160), -1, cv2.LINE_AA)
        _body(rng, img, (m, bh + m, max(m + 10, px - m), h - m), ppm)
        if rng.random() < 0.5:
            _stamp(rng, img, (int(w * 0.3), int(h * 0.75)), int(min(w, h) * 0.12))
    else:
        if rng.random() < 0.3:
            kind = "certificate"
            _guilloche(rng, img, m // 2)
            m = int(m * 1.5)
        title_h = int(rng.uniform(5, 9) * ppm)
        y = m + title_h
        if rng.random() < 0.5:  # a letterhead: logo block and a rule
            col = tuple(int(v) for v in rng.integers(30, 180, 3))
            cv2.rectangle(img, (m, m), (m + title_h * 2, m + title_h * 2), col, -1)
            cv2.line(img, (m, m + title_h * 2 + 6), (w - m, m + title_h * 2 + 6), col, 2, cv2.LINE_AA)
            y = m + title_h * 3 + 10
        tw = int((w - 2 * m) * rng.uniform(0.35, 0.7))
        _text_line(rng, img, (w - tw) // 2, y, tw, title_h, (20, 20, 20))
        foot = int(h * rng.uniform(0.12, 0.25))
        _body(rng, img, (m, y + title_h, w - m, h - m - foot), ppm)
        if rng.random() < 0.7:
            _stamp(rng, img, (int(w * rng.uniform(0.55, 0.8)), h - m - foot // 2), int(rng.uniform(14, 22) * ppm))
        if rng.random() < 0.6:
            _signature(rng, img, m, h - m - foot // 2, int(w * 0.3), foot // 2)
    img = _fibres(rng, img)
    return Paper(np.clip(img, 0, 255).astype(np.uint8), (w_mm, h_mm), kind, tone)
