"""Render a receipt to ESC/POS bytes for a GB18030 (Chinese-mode) thermal printer.

The lines come from the shared layout (:func:`kiosk.receipts.text.layout`), so paper and
preview wrap identically.

Why text does not go through ``escpos``'s ``text()``: python-escpos 3.1 sends strings with
U+4E00-U+9FA5 as raw GB18030 without ever switching the printer to Chinese mode, and turns
strings of only Chinese punctuation / full-width characters into ``???``. So
this renderer switches Chinese mode on itself (``FS &``) and writes text it encoded with
``.encode("gb18030")`` through the printer's ``_raw()``. ``escpos`` still builds the
other commands: ``hw("INIT")``, ``set()`` for alignment, bold and size, native QR,
the hardware CODE128 barcode and the cut.

Bytes, in order:

* ``ESC @`` initialise, ``FS &`` Chinese character mode on;
* per text line: ``ESC a n`` alignment, ``ESC E n`` bold, ``GS ! n`` character size (only
  when they change), the GB18030 text, ``LF``. Size uses ``GS !`` (``set(custom_size=...)``)
  rather than ``ESC !``: on Epson-compatible printers ``ESC !`` does not enlarge Chinese
  characters, ``GS !`` enlarges all characters;
* QR: ``GS ( k`` model 2, module size 6 dots (58 mm) or 8 dots (80 mm), error correction
  M, store and print (``qr(..., native=True)``);
* barcode: ``GS h`` 64 dots high, ``GS w 2``, HRI font A below, ``GS k 73`` CODE128 with
  set-C compression (``kiosk.receipts.text.code128_encode``);
* cut: ``GS V 66 0`` (feed to the cutter, then cut).
"""

from __future__ import annotations

from escpos.constants import QR_ECLEVEL_M, QR_MODEL_2
from escpos.printer import Dummy

from kiosk.domain.receipt import Receipt
from kiosk.receipts.text import code128_encode, layout

FS_CHINESE_ON = b"\x1c\x26"  # FS &  select Chinese (Kanji) character mode
FS_CHINESE_OFF = b"\x1c\x2e"  # FS .  cancel Chinese character mode
LF = b"\n"

BARCODE_HEIGHT_DOTS = 64
BARCODE_MODULE_DOTS = 2


def qr_module_size(width: int) -> int:
    """QR dot size: about 25-30 mm wide for a short payload on either paper."""
    return 6 if width < 48 else 8


class _Styler:
    """Sends alignment / bold / size commands only when they change."""

    def __init__(self, printer: Dummy) -> None:
        self.p = printer
        self.align = "left"
        self.bold = False
        self.size = (1, 1)

    def apply(self, align: str, bold: bool = False, size: tuple[int, int] = (1, 1)) -> None:
        if align != self.align:
            self.p.set(align=align)
            self.align = align
        if bold != self.bold:
            self.p.set(bold=bold)
            self.bold = bold
        if size != self.size:
            self.p.set(custom_size=True, width=size[0], height=size[1])
            self.size = size


def render_escpos(receipt: Receipt, width: int = 32) -> bytes:
    """ESC/POS bytes of ``receipt`` for a printer in GB18030 Chinese mode."""
    printer = Dummy()
    printer.hw("INIT")  # ESC @: modes back to their defaults (left, not bold, 1x1)
    printer._raw(FS_CHINESE_ON)
    style = _Styler(printer)
    for line in layout(receipt, width):
        match line.kind:
            case "text":
                style.apply(line.align, line.bold, (line.wmul, line.hmul))
                printer._raw(line.text.rstrip().encode("gb18030") + LF)
            case "qr":
                style.apply(line.align)
                printer.qr(
                    line.text,
                    ec=QR_ECLEVEL_M,
                    size=qr_module_size(width),
                    model=QR_MODEL_2,
                    native=True,
                )
            case "barcode":
                encoded = code128_encode(line.text)
                if encoded is None:  # layout already dropped codes that cannot be encoded
                    continue
                style.apply(line.align)
                # The private hardware path: barcode() would also print a notice on stdout.
                printer._hw_barcode(
                    encoded[0],
                    "CODE128",
                    height=BARCODE_HEIGHT_DOTS,
                    width=BARCODE_MODULE_DOTS,
                    pos="BELOW",
                    font="A",
                    align_ct=False,
                    function_type="B",
                    check=True,
                )
            case "cut":
                printer.cut(feed=False)  # GS V 66 0
    return printer.output


__all__ = ["render_escpos", "qr_module_size", "FS_CHINESE_ON", "FS_CHINESE_OFF"]
