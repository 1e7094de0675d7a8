"""Synthetic proof documents for the simulated camera: Chinese text, a table and a red seal,
rendered on an A4 page and placed on the kiosk's document tray."""

from __future__ import annotations

import functools
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw

from kiosk.fonts import pil_font

TITLES = {
    "employment_contract": ("劳动合同", "海口椰风科技有限公司"),
    "employment_certificate": ("在职证明", "海口椰风科技有限公司"),
    "social_insurance_record": ("社会保险缴费证明", "海口市社会保险事业局"),
    "business_license": ("营业执照", "海口市市场监督管理局"),
    "property_certificate": ("不动产权证书", "海口市自然资源和规划局"),
    "rental_contract": ("房屋租赁合同", "海口市住房租赁备案"),
    "accommodation_certificate": ("住所证明", "海口椰风科技有限公司"),
    "enrollment_certificate": ("在读证明", "海南大学"),
    "student_card": ("学生证", "海南大学"),
    "change_proof": ("信息变更证明", "海口市美兰区海府社区"),
}
BODY = (
    "甲乙双方根据《中华人民共和国劳动合同法》及有关规定，遵循合法、公平、平等自愿、协商一致、"
    "诚实信用的原则，订立本合同。本合同期限自二〇二五年一月一日起至二〇二七年十二月三十一日止。"
    "乙方工作地点为海南省海口市，工作内容为软件开发。甲方依法为乙方缴纳社会保险。"
)
A4 = (1240, 1754)


@functools.cache
def render_page(category: str, seed: int = 1) -> np.ndarray:
    """An upright A4 page (BGR) for ``category``."""
    title, org = TITLES.get(category, ("证明材料", "海口市"))
    w, h = A4
    img = Image.new("RGB", (w, h), (250, 250, 246))
    d = ImageDraw.Draw(img)
    d.text((w // 2, 150), title, font=pil_font(84, bold=True), fill=(20, 20, 20), anchor="mm")
    f = pil_font(34)
    rng = random.Random(seed)
    y = 280
    line = ""
    for ch in BODY * 2:
        line += ch
        if d.textlength(line, font=f) > w - 240:
            d.text((120, y), line, font=f, fill=(30, 30, 30))
            y += 54
            line = ""
    if line:
        d.text((120, y), line, font=f, fill=(30, 30, 30))
    y += 100
    for r in range(6):  # a table
        d.rectangle((120, y + r * 70, w - 120, y + (r + 1) * 70), outline=(40, 40, 40), width=3)
        d.line((480, y + r * 70, 480, y + (r + 1) * 70), fill=(40, 40, 40), width=3)
        d.text((140, y + r * 70 + 16), ["姓名", "证件号码", "单位", "地址", "期限", "备注"][r], font=f, fill=(30, 30, 30))
        d.text((500, y + r * 70 + 16), "＊" * rng.randint(4, 10), font=f, fill=(30, 30, 30))
    d.text((w - 520, h - 330), org, font=pil_font(36), fill=(30, 30, 30))
    d.text((w - 520, h - 270), "二〇二六年十一月二十日", font=pil_font(36), fill=(30, 30, 30))
    cx, cy = w - 360, h - 300
    d.ellipse((cx - 150, cy - 150, cx + 150, cy + 150), outline=(200, 30, 30), width=10)
    d.text((cx, cy), "★", font=pil_font(90), fill=(200, 30, 30), anchor="mm")
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


@functools.cache
def tray(size: tuple[int, int] = (1280, 720)) -> np.ndarray:
    w, h = size
    rng = np.random.default_rng(7)
    base = np.full((h, w, 3), (70, 66, 60), np.uint8)
    noise = rng.integers(-8, 9, (h, w, 1), dtype=np.int16)
    return np.clip(base.astype(np.int16) + noise, 0, 255).astype(np.uint8)


def corners_on_tray(size: tuple[int, int] = (1280, 720), tilt: float = 0.02) -> np.ndarray:
    """Where the page lies on the tray: a slightly tilted portrait quad filling most of the height."""
    w, h = size
    ph = h * 0.9
    pw = ph * A4[0] / A4[1]
    cx, cy = w / 2, h / 2
    dx = tilt * pw
    return np.float32(
        [
            [cx - pw / 2 + dx, cy - ph / 2],
            [cx + pw / 2 + dx, cy - ph / 2 + dx],
            [cx + pw / 2 - dx, cy + ph / 2],
            [cx - pw / 2 - dx, cy + ph / 2 - dx],
        ]
    )


@functools.cache
def document_frame(category: str, size: tuple[int, int] = (1280, 720)) -> np.ndarray:
    """A camera frame (BGR) showing the page of ``category`` on the tray."""
    page = render_page(category)
    src = np.float32([[0, 0], [A4[0], 0], [A4[0], A4[1]], [0, A4[1]]])
    dst = corners_on_tray(size)
    m = cv2.getPerspectiveTransform(src, dst)
    frame = tray(size).copy()
    warped = cv2.warpPerspective(page, m, size)
    mask = cv2.warpPerspective(np.full(page.shape[:2], 255, np.uint8), m, size)
    frame[mask > 0] = warped[mask > 0]
    return frame


def page_on_tray(page: np.ndarray, corners: np.ndarray, size: tuple[int, int] = (1280, 720)) -> np.ndarray:
    """The tray with ``page`` (BGR) warped so that its corners land on ``corners`` (TL TR BR BL).
    Corners may lie outside the frame (a page sliding in)."""
    h, w = page.shape[:2]
    src = np.float32([[-0.5, -0.5], [w - 0.5, -0.5], [w - 0.5, h - 0.5], [-0.5, h - 0.5]])
    m = cv2.getPerspectiveTransform(src, np.asarray(corners, np.float32))
    frame = tray(size).copy()
    warped = cv2.warpPerspective(page, m, size, flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, size, flags=cv2.INTER_LINEAR)
    a = (mask.astype(np.float32) / 255.0)[..., None]
    return (frame * (1 - a) + warped * a).astype(np.uint8)


def document_clip(category: str, size: tuple[int, int] = (1280, 720), fps: float = 15.0, empty_s: float = 0.5,
                  slide_s: float = 1.0, hold_s: float = 2.0, remove_s: float = 0.7,
                  noise: float = 2.0) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
    """A clip of the tray: empty, then the page of ``category`` slides in from the right, lies
    still for ``hold_s``, and is pulled out to the left; empty again at the end.

    Returns (frames, ground truth) where the truth is the page's corners (TL TR BR BL) or None
    when no part of the page is in view. A little sensor noise keeps frames from being identical."""
    page = render_page(category)
    rest = corners_on_tray(size)
    w = size[0]
    rng = np.random.default_rng(3)
    noises = [rng.normal(0, noise, (size[1], size[0], 1)).astype(np.float32) for _ in range(3)]
    frames: list[np.ndarray] = []
    truth: list[np.ndarray | None] = []

    def add(frame: np.ndarray, corners: np.ndarray | None) -> None:
        k = len(frames) % len(noises)
        frames.append(np.clip(frame.astype(np.float32) + noises[k], 0, 255).astype(np.uint8) if noise else frame)
        truth.append(corners)

    def empty(n: int) -> None:
        for _ in range(n):
            add(tray(size), None)

    def slide(n: int, start: float, end: float) -> None:
        for i in range(n):
            t = (i + 1) / n
            ease = t * t * (3 - 2 * t)  # smooth start and stop
            dx = start + (end - start) * ease
            c = rest + np.float32([dx, 0])
            visible = c[:, 0].max() > 0 and c[:, 0].min() < w
            add(page_on_tray(page, c, size), c if visible else None)

    empty(round(empty_s * fps))
    slide(round(slide_s * fps), float(w - rest[:, 0].min() + 10), 0.0)
    still = page_on_tray(page, rest, size)
    for _ in range(round(hold_s * fps)):
        add(still, rest.copy())
    slide(round(remove_s * fps), 0.0, float(-rest[:, 0].max() - 10))
    empty(round(empty_s * fps))
    return frames, truth
