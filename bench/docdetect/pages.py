"""Random Chinese proof documents (A4, portrait or landscape) rendered with Pillow.

Each page has a title, paragraphs, usually a table and one or two red seals; some are
"red-header" documents, some certificates with a decorative border. Pages are rendered at
half of 150 dpi (620x877) which is enough for frames up to 1920x1080.
"""

from __future__ import annotations

import functools

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from kiosk.fonts import cjk_font_path

PORTRAIT = (620, 877)
LANDSCAPE = (877, 620)

TITLES = (
    "劳动合同", "在职证明", "社会保险缴费证明", "营业执照", "不动产权证书", "房屋租赁合同", "住所证明",
    "在读证明", "信息变更证明", "居住登记表", "收入证明", "租赁备案证明", "户籍证明", "工作证明",
)
ORGS = (
    "海口椰风科技有限公司", "海口市社会保险事业局", "海口市市场监督管理局", "海口市自然资源和规划局",
    "海南大学", "海口市美兰区海府社区居民委员会", "海口市龙华区住房租赁服务中心", "海南椰城物业管理有限公司",
)
CORPUS = (
    "甲乙双方根据《中华人民共和国劳动合同法》及有关规定，遵循合法、公平、平等自愿、协商一致、诚实信用的原则，"
    "订立本合同。本合同期限自二〇二五年一月一日起至二〇二七年十二月三十一日止。乙方工作地点为海南省海口市，"
    "工作内容为软件开发。甲方依法为乙方缴纳社会保险。兹证明该同志系我单位正式职工，现任技术部工程师，"
    "月均收入人民币捌仟元整。特此证明。出租人将位于海口市美兰区海府路十八号的房屋出租给承租人居住使用，"
    "租赁期限为十二个月，月租金为人民币贰仟伍佰元，押金壹个月。承租人应按时缴纳水电费及物业管理费。"
    "本证明仅用于办理居住证，复印无效。经核查，该户房屋产权清晰，无抵押查封情况。"
)
FIELDS = ("姓名", "性别", "身份证号", "单位名称", "地址", "期限", "联系电话", "备注", "面积", "用途", "金额", "日期")


@functools.cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = cjk_font_path(bold)
    if path is None:  # pragma: no cover - fonts are installed on the kiosk and in CI
        return ImageFont.load_default(size)
    index = 2 if "NotoSansCJK" in path.name else 0
    return ImageFont.truetype(str(path), size, index=index)


def _text(rng: np.random.Generator, n: int) -> str:
    start = int(rng.integers(0, len(CORPUS)))
    s = (CORPUS * 3)[start : start + n]
    return s


def _seal(img: Image.Image, rng: np.random.Generator, cx: int, cy: int, r: int) -> None:
    """A red seal, multiplied onto the page (it shows the text underneath, like ink)."""
    layer = Image.new("L", img.size, 0)
    d = ImageDraw.Draw(layer)
    w = max(3, r // 14)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=w)
    d.text((cx, cy), "★", font=_font(int(r * 0.8)), fill=255, anchor="mm")
    org = ORGS[int(rng.integers(0, len(ORGS)))]
    d.text((cx, cy + int(r * 0.62)), org[:6], font=_font(max(8, int(r * 0.2))), fill=255, anchor="mm")
    # characters around the top arc
    for k, ch in enumerate(org[:8]):
        a = np.deg2rad(-150 + k * 120 / 7)
        d.text((cx + 0.72 * r * np.cos(a), cy + 0.72 * r * np.sin(a)), ch, font=_font(max(8, int(r * 0.22))), fill=255,
               anchor="mm")
    alpha = np.asarray(layer, np.float32)[..., None] / 255.0 * float(rng.uniform(0.6, 0.95))
    red = np.array([210, 30, 35], np.float32) * float(rng.uniform(0.8, 1.0))
    arr = np.asarray(img, np.float32)
    out = arr * (1 - alpha) + np.minimum(arr, red) * alpha
    img.paste(Image.fromarray(out.astype(np.uint8)))


def render(seed: int, landscape: bool = False) -> np.ndarray:
    """One random document page, BGR uint8, PORTRAIT or LANDSCAPE size."""
    rng = np.random.default_rng(seed)
    w, h = LANDSCAPE if landscape else PORTRAIT
    tint = rng.uniform(-1, 1)
    paper = tuple(int(v) for v in np.clip(np.array([250, 249, 244]) + rng.integers(-10, 5, 3) + [0, 0, 8 * tint], 0, 255))
    img = Image.new("RGB", (w, h), paper)
    d = ImageDraw.Draw(img)
    ink = tuple(int(v) for v in rng.integers(10, 60, 3))
    m = int(w * rng.uniform(0.07, 0.12))
    style = rng.choice(["plain", "red_header", "certificate", "form"], p=[0.35, 0.2, 0.2, 0.25])
    y = int(h * rng.uniform(0.05, 0.09))
    if style == "certificate":
        c = (int(rng.integers(120, 200)), int(rng.integers(20, 90)), int(rng.integers(20, 60)))
        inset = int(w * 0.03)
        d.rectangle((inset, inset, w - inset, h - inset), outline=c, width=max(4, w // 90))
        d.rectangle((inset * 2, inset * 2, w - inset * 2, h - inset * 2), outline=c, width=2)
        y += inset
    title = TITLES[int(rng.integers(0, len(TITLES)))]
    tsize = int(w * rng.uniform(0.045, 0.07))
    tcolor = (200, 25, 30) if style == "red_header" else ink
    d.text((w // 2, y + tsize // 2), title, font=_font(tsize, bold=True), fill=tcolor, anchor="mm")
    y += int(tsize * 1.6)
    if style == "red_header":
        d.line((m, y, w - m, y), fill=(200, 25, 30), width=max(2, w // 200))
        y += int(h * 0.02)
    if rng.random() < 0.5:
        d.text((w - m, y), f"编号：HK{int(rng.integers(10**7, 10**8))}", font=_font(int(w * 0.02)), fill=ink, anchor="ra")
        y += int(h * 0.035)
    fsize = int(w * rng.uniform(0.022, 0.03))
    f = _font(fsize)
    line_h = int(fsize * rng.uniform(1.4, 1.9))
    bottom = int(h * 0.78)
    blocks = int(rng.integers(1, 4))
    for b in range(blocks):
        if y > bottom:
            break
        kind = "table" if (style == "form" and b == 0) or rng.random() < 0.4 else "para"
        if kind == "para":
            text = _text(rng, int(rng.integers(40, 220)))
            line = "　　"
            for ch in text:
                if d.textlength(line + ch, font=f) > w - 2 * m:
                    d.text((m, y), line, font=f, fill=ink)
                    y += line_h
                    line = ""
                    if y > bottom:
                        break
                line += ch
            if line and y <= bottom:
                d.text((m, y), line, font=f, fill=ink)
                y += line_h
        else:
            rows = int(rng.integers(3, 9))
            cols = int(rng.integers(2, 5))
            rh = int(fsize * rng.uniform(1.8, 2.6))
            xs = np.linspace(m, w - m, cols + 1).astype(int)
            lw = int(rng.integers(1, 3))
            if rng.random() < 0.4:
                d.rectangle((m, y, w - m, y + rh), fill=(228, 228, 226))
            for _ in range(rows):
                if y + rh > bottom + h * 0.08:
                    break
                d.rectangle((m, y, w - m, y + rh), outline=ink, width=lw)
                for x in xs[1:-1]:
                    d.line((x, y, x, y + rh), fill=ink, width=lw)
                for c in range(cols):
                    s = FIELDS[int(rng.integers(0, len(FIELDS)))] if c % 2 == 0 else _text(rng, int(rng.integers(2, 9)))
                    while s and d.textlength(s, font=f) > xs[c + 1] - xs[c] - 10:
                        s = s[:-1]
                    d.text((xs[c] + 6, y + (rh - fsize) // 2), s, font=f, fill=ink)
                y += rh
        y += int(line_h * rng.uniform(0.5, 1.5))
    # signature and date block, seals
    sy = int(h * rng.uniform(0.8, 0.86))
    sx = int(w * rng.uniform(0.5, 0.6))
    org = ORGS[int(rng.integers(0, len(ORGS)))]
    d.text((sx, sy), org, font=_font(int(fsize * 0.95)), fill=ink)
    d.text((sx, sy + line_h), "二〇二六年" + "一二三四五六七八九十"[int(rng.integers(0, 10))] + "月二十日", font=f, fill=ink)
    if rng.random() < 0.3:  # a handwritten-ish signature
        pts = [(m + 20 + i * 9, sy + 20 + int(12 * np.sin(i * 0.9 + rng.uniform(0, 3)))) for i in range(12)]
        d.line(pts, fill=(30, 40, 120), width=2)
    if rng.random() < 0.92:
        r = int(w * rng.uniform(0.1, 0.14))
        _seal(img, rng, sx + int(w * 0.12), sy - int(r * 0.2), r)
    if rng.random() < 0.25:
        r = int(w * rng.uniform(0.08, 0.11))
        _seal(img, rng, int(w * rng.uniform(0.2, 0.8)), int(h * rng.uniform(0.2, 0.7)), r)
    arr = cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)
    # paper grain
    grain = rng.standard_normal((h, w, 1), dtype=np.float32) * 1.5
    return np.clip(arr.astype(np.float32) + grain, 0, 255).astype(np.uint8)


@functools.cache
def pool(seed: int, n: int = 16) -> tuple[np.ndarray, ...]:
    """``n`` distinct pages (about a third landscape) for one benchmark seed."""
    return tuple(render(seed * 1000 + i, landscape=(i % 3 == 2)) for i in range(n))


def paper_level(page: np.ndarray) -> float:
    """The paper's brightness: a high percentile of the darkest channel."""
    m = cv2.min(cv2.min(page[..., 0], page[..., 1]), page[..., 2])
    return float(np.percentile(m[::4, ::4], 80))
