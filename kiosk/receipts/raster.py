"""Render a receipt to an image with a CJK font (Pillow): PNG previews and raster printing.

The raster text mode prints this image instead of GB18030 text, for printers whose
built-in Chinese font is missing, ugly or wrongly encoded. It renders the same layout
model (:class:`~kiosk.domain.receipt.Receipt` blocks) with the same rules as the text
layout, measured in dots instead of columns:

* the image is exactly the printer's dot line wide: 384 dots (58 mm) or 576 dots (80 mm)
  at 203 dpi (8 dots per mm); text keeps :data:`MARGIN` dots from the edges;
* ordinary text is 24 dots high (the size of the printers' font A) and wraps with the
  Chinese line-breaking rules of :func:`kiosk.receipts.text.wrap`, measured with the font;
* titles and the number to quote are as large as fits on one line (up to 48 / 64 dots);
* ``kv`` blocks are ``label：value`` on one line, or the label with the value indented
  under it, as on paper in text mode;
* the QR code uses the module size of the native QR command (6 dots at 58 mm, 8 at 80 mm)
  and error correction M; the CODE128 barcode uses 2-dot modules (3 when that fits) and is
  left out when the text layout leaves it out, so both text modes carry the same elements;
* a ``cut`` block ends a segment: :func:`render_raster_escpos` prints each segment as a
  raster image followed by a cut; :func:`render_png` shows inner cuts as a dashed line.

:func:`render_png` returns a greyscale image (anti-aliased, for screens);
:func:`to_monochrome` thresholds it to the 1-bit image the printer gets. The ESC/POS bytes
go through python-escpos's ``image()`` (``GS v 0`` raster bit image, in bands of
:data:`RASTER_BAND_DOTS` rows, which even printers with small buffers accept).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw

from kiosk.domain.receipt import Block, Receipt
from kiosk.fonts import pil_font
from kiosk.receipts.escpos_render import qr_module_size
from kiosk.receipts.text import DOTS_PER_COLUMN, barcode_fits, printable, wrap

if TYPE_CHECKING:  # pragma: no cover
    from PIL.ImageFont import FreeTypeFont

WIDTHS_DOTS: tuple[int, ...] = (384, 576)  # 58 mm and 80 mm paper at 203 dpi
MARGIN = 2  # dots left and right of text (the print line already sits inside the paper's margins)
KV_INDENT = 16  # dots: a value under its label
TEXT_PX = 24
HRI_PX = 20  # the human-readable line under the barcode
TITLE_SIZES = (48, 40, 36, 32, 28)
BIG_SIZES = (64, 56, 48, 40, 36, 32, 28, 24)
BARCODE_HEIGHT = 64
RASTER_BAND_DOTS = 256  # rows per GS v 0 command
THRESHOLD = 150  # grey level below which a dot is printed black
WHITE, BLACK = 255, 0


@functools.cache
def _font(size: int, bold: bool = False) -> FreeTypeFont:
    return pil_font(size, bold)


def _measure(font: FreeTypeFont):
    return lambda text: font.getlength(text)


def width_dots_for(width_chars: int) -> int:
    """Dot width of a paper given in font-A columns (32 -> 384, 48 -> 576)."""
    return width_chars * DOTS_PER_COLUMN


# --- rows: each printed element becomes a small image of the full width ---------------------


class _Rows:
    def __init__(self, width: int) -> None:
        self.width = width
        self.inner = width - 2 * MARGIN
        self.rows: list[Image.Image] = []

    def new(self, height: int) -> tuple[Image.Image, ImageDraw.ImageDraw]:
        row = Image.new("L", (self.width, max(1, height)), WHITE)
        self.rows.append(row)
        return row, ImageDraw.Draw(row)

    def text_line(self, text: str, font: FreeTypeFont, align: str, indent: int = 0) -> None:
        size = font.size
        height = round(size * 1.34)
        _, draw = self.new(height)
        if not text:
            return
        length = font.getlength(text)
        if align == "center":
            x = MARGIN + max(0.0, (self.inner - length) / 2)
        else:
            x = MARGIN + indent
        draw.text((x, round(size * 1.06)), text, font=font, fill=BLACK, anchor="ls")

    def paragraph(self, text: str, font: FreeTypeFont, align: str, indent: int = 0) -> None:
        for piece in wrap(text, self.inner - indent, _measure(font)):
            self.text_line(piece, font, align, indent)

    def largest(self, text: str, sizes: Iterable[int], align: str) -> None:
        """One line in the largest bold size that fits, else wrapped at the smallest."""
        sizes = tuple(sizes)
        if "\n" not in text:
            for size in sizes:
                font = _font(size, True)
                if font.getlength(text) <= self.inner:
                    self.text_line(text, font, align)
                    return
        self.paragraph(text, _font(sizes[-1], True), align)

    def kv(self, label: str, value: str, align: str) -> None:
        font = _font(TEXT_PX)
        one = f"{label}：{value}"
        if "\n" not in one and font.getlength(one) <= self.inner:
            self.text_line(one, font, align)
            return
        self.paragraph(f"{label}：", font, align)
        indent = 0 if align == "center" else KV_INDENT
        self.paragraph(value, font, align, indent)

    def rule(self) -> None:
        _, draw = self.new(16)
        draw.rectangle((0, 7, self.width - 1, 8), fill=BLACK)

    def blank(self) -> None:
        self.new(TEXT_PX // 2)

    def dashed(self) -> None:
        _, draw = self.new(24)
        for x in range(0, self.width, 16):
            draw.rectangle((x, 11, x + 7, 12), fill=BLACK)

    def qr(self, payload: str, align: str) -> None:
        module = qr_module_size(self.width // DOTS_PER_COLUMN)
        code = qr_image(payload, module)
        row, _ = self.new(code.height + 4 * module)  # paper around it makes the quiet zone
        x0 = (self.width - code.width) // 2 if align == "center" else MARGIN
        row.paste(code, (x0, 2 * module))

    def barcode(self, data: str, align: str) -> None:
        if not barcode_fits(data, self.width // DOTS_PER_COLUMN):
            return  # as in the text layout: the QR code carries the same number
        pattern = code128_pattern(data)
        module = 3 if (len(pattern) + 20) * 3 <= self.width else 2  # 3 only with a quiet zone
        if len(pattern) * module > self.width:
            return
        code = barcode_image(data, module)
        row, _ = self.new(code.height + 8)
        x0 = (self.width - code.width) // 2 if align == "center" else min(MARGIN, self.width - code.width)
        row.paste(code, (x0, 4))

    def image(self) -> Image.Image:
        height = sum(r.height for r in self.rows) + 8 + 16  # top and bottom white
        out = Image.new("L", (self.width, height), WHITE)
        y = 8
        for row in self.rows:
            out.paste(row, (0, y))
            y += row.height
        return out


def qr_image(payload: str, module: int) -> Image.Image:
    """The QR code of ``payload`` (error correction M, no quiet zone), ``module`` dots per module."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=1, border=0)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    side = len(matrix) * module
    image = Image.new("L", (side, side), WHITE)
    draw = ImageDraw.Draw(image)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                x, y = c * module, r * module
                draw.rectangle((x, y, x + module - 1, y + module - 1), fill=BLACK)
    return image


def code128_pattern(data: str) -> str:
    """CODE128 modules of ``data`` (with check symbol and stop), ``1`` = bar."""
    from barcode import Code128

    return Code128(data).build()[0]


def barcode_image(data: str, module: int = 2) -> Image.Image:
    """CODE128 bars (:data:`BARCODE_HEIGHT` dots) with the human-readable text below."""
    pattern = code128_pattern(data)
    bars = len(pattern) * module
    hri = _font(HRI_PX)
    image = Image.new("L", (bars, BARCODE_HEIGHT + 4 + round(HRI_PX * 1.3)), WHITE)
    draw = ImageDraw.Draw(image)
    for i, bit in enumerate(pattern):
        if bit == "1":
            draw.rectangle((i * module, 0, (i + 1) * module - 1, BARCODE_HEIGHT - 1), fill=BLACK)
    draw.text(
        ((bars - hri.getlength(data)) / 2, BARCODE_HEIGHT + 4 + HRI_PX), data, font=hri, fill=BLACK, anchor="ls"
    )
    return image


def _render(blocks: Iterable[Block], width_dots: int, show_cuts: bool) -> Image.Image:
    rows = _Rows(width_dots)
    blocks = list(blocks)
    for n, block in enumerate(blocks):
        text = printable(block.text)
        align = block.align
        if align == "center":
            text = "\n".join(part.strip() for part in text.split("\n"))
        match block.kind:
            case "title":
                rows.largest(text, TITLE_SIZES, align)
            case "big":
                rows.largest(text, BIG_SIZES, align)
            case "heading":
                rows.paragraph(text, _font(TEXT_PX, True), align)
            case "text":
                rows.paragraph(text, _font(TEXT_PX), align)
            case "kv":
                rows.kv(text, printable(block.value), align)
            case "rule":
                rows.rule()
            case "blank":
                rows.blank()
            case "qr":
                rows.qr(block.value, align)
            case "barcode":
                rows.barcode(block.value, align)
            case "cut":
                if show_cuts and n < len(blocks) - 1:
                    rows.dashed()
    return rows.image()


def _check_width(width_dots: int) -> None:
    if width_dots not in WIDTHS_DOTS:
        raise ValueError(f"raster width must be one of {WIDTHS_DOTS} dots, got {width_dots}")


def render_png(receipt: Receipt, width_dots: int = 384) -> Image.Image:
    """The whole receipt as a greyscale image ``width_dots`` wide (previews; see module notes)."""
    _check_width(width_dots)
    return _render(receipt.blocks, width_dots, show_cuts=True)


def save_png(receipt: Receipt, path: Path | str, width_dots: int = 384) -> Path:
    path = Path(path)
    render_png(receipt, width_dots).save(path, format="PNG")
    return path


def to_monochrome(image: Image.Image) -> Image.Image:
    """Threshold (no dithering: text stays crisp) to the 1-bit image a thermal printer prints."""
    return image.convert("L").point(lambda v: 255 if v >= THRESHOLD else 0).convert("1", dither=Image.Dither.NONE)


def _segments(receipt: Receipt) -> list[tuple[list[Block], bool]]:
    """The receipt's blocks split at each cut: ``(blocks, ends_with_cut)``."""
    out: list[tuple[list[Block], bool]] = []
    current: list[Block] = []
    for block in receipt.blocks:
        if block.kind == "cut":
            out.append((current, True))
            current = []
        else:
            current.append(block)
    if current:
        out.append((current, False))
    return out


def render_raster_escpos(receipt: Receipt, width_dots: int = 384) -> bytes:
    """ESC/POS bytes printing ``receipt`` as raster images: ``ESC @``, then per segment the
    image as ``GS v 0`` bands of :data:`RASTER_BAND_DOTS` rows and a cut (``GS V 66 0``)."""
    from escpos.printer import Dummy

    _check_width(width_dots)
    printer = Dummy()
    # image() reads the paper width from the profile; the default profile does not know it
    # (and says so on stdout). The profile data is shared by class: copy before changing it.
    printer.profile.profile_data = copy.deepcopy(printer.profile.profile_data)
    printer.profile.profile_data["media"]["width"]["pixels"] = width_dots
    printer.hw("INIT")
    for blocks, cut in _segments(receipt):
        if blocks:
            image = to_monochrome(_render(blocks, width_dots, show_cuts=False))
            printer.image(image, impl="bitImageRaster", fragment_height=RASTER_BAND_DOTS)
        if cut:
            printer.cut(feed=False)
    return printer.output


__all__ = [
    "RASTER_BAND_DOTS",
    "barcode_image",
    "code128_pattern",
    "qr_image",
    "WIDTHS_DOTS",
    "render_png",
    "render_raster_escpos",
    "save_png",
    "to_monochrome",
    "width_dots_for",
]
