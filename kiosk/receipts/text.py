"""Receipt layout shared by every renderer, and the plain-text renderer.

:func:`layout` turns a :class:`~kiosk.domain.receipt.Receipt` into printer lines for a
paper width given in columns of the printer's font A (12 x 24 dots): 32 columns is the
384-dot line of 58 mm paper, 48 columns the 576-dot line of 80 mm paper. Both the text
renderer (:func:`render_text`) and the ESC/POS renderer
(:func:`kiosk.receipts.escpos_render.render_escpos`) print exactly these lines, which is
what lets ``decode_escpos(render_escpos(r)) == render_text(r)`` hold.

Columns: a character takes 2 columns when ``unicodedata.east_asian_width`` is W, F or A
(ambiguous characters such as ``·`` or ``“`` are two-byte GB18030 characters, which a
printer in Chinese mode prints full-width), otherwise 1.

Text rendering conventions (for previews and tests):

* centred lines are padded with spaces on the left: ``(width - printed width) // 2``;
* text printed enlarged (title and "big" blocks: double height, and double width when
  the whole text fits that way) is shown as ``**text**``; the markers take no paper
  space, so centring uses the printed width (twice the columns when double width);
* a rule is ``-`` x width; QR codes are ``[QR <payload>]``; barcodes ``[BARCODE <data>]``;
  a cut is ``[CUT]``; trailing spaces are removed; every line ends with ``\\n``.

Printable text: ``¥`` becomes ``￥`` (the former is a 4-byte GB18030 sequence printers do
not know); control characters are dropped; any other character outside the two-byte range
of GB18030 (GBK) becomes ``□`` because Chinese-mode printers cannot print it.

Barcodes: CODE128 with 2-dot modules (the narrowest most printers accept). When the code
does not fit the paper's dot line it is left out (on paper and in the text): the QR code
above it carries the same number.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.domain.receipt import Receipt

DOTS_PER_COLUMN = 12  # font A is 12 dots wide: 32 columns = 384 dots, 48 columns = 576 dots
BARCODE_MODULE_DOTS = 2  # GS w 2: the narrowest module width of the ESC/POS barcode command
MIN_WIDTH = 16


@dataclass(frozen=True)
class Line:
    """One printed line (or code) after layout.

    kind: ``text`` (``text`` printed with the given style), ``qr`` (``text`` = payload),
    ``barcode`` (``text`` = data), ``cut``.
    """

    kind: str
    text: str = ""
    align: str = "left"
    bold: bool = False
    wmul: int = 1  # character width multiplier (1 or 2)
    hmul: int = 1  # character height multiplier (1 or 2)

    @property
    def enlarged(self) -> bool:
        return self.kind == "text" and (self.wmul > 1 or self.hmul > 1)


# --- columns --------------------------------------------------------------------------------


def char_width(ch: str) -> int:
    """Columns one character takes on paper (0, 1 or 2)."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cc", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F", "A") else 1


def text_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def printable(text: str) -> str:
    """Text as a Chinese-mode ESC/POS printer can print it (see the module notes)."""
    out: list[str] = []
    for ch in text.replace("¥", "￥").replace("\t", " "):
        if ch == "\n":
            out.append(ch)  # a paragraph break for wrap()
        elif unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        elif len(ch.encode("gb18030")) > 2:
            out.append("□")
        else:
            out.append(ch)
    return "".join(out)


# --- wrapping -----------------------------------------------------------------------------

# Chinese line-breaking rules (禁则): these never start a line ...
_NO_LINE_START = frozenset("，。、；：！？）》」』】〕〉”’…—·～％" + ",.;:!?)]}%")
# ... and these never end one.
_NO_LINE_END = frozenset("（《「『【〔〈“‘" + "([{")


def _atoms(paragraph: str) -> list[tuple[str, bool]]:
    """Unbreakable pieces of a paragraph, each with "a space came before it".

    A wide character is a piece of its own (Chinese breaks between any two characters);
    a run of narrow non-space characters is a word. Closing punctuation sticks to the
    piece before it, opening punctuation to the piece after it.
    """
    raw: list[tuple[str, bool]] = []
    word = ""
    word_space = False
    space = False
    for ch in paragraph:
        if ch == " ":
            if word:
                raw.append((word, word_space))
                word = ""
            space = True
        elif char_width(ch) == 2:
            if word:
                raw.append((word, word_space))
                word = ""
            raw.append((ch, space))
            space = False
        else:
            if not word:
                word_space = space
                space = False
            word += ch
    if word:
        raw.append((word, word_space))

    merged: list[tuple[str, bool]] = []
    carry = ""  # opening punctuation waiting for the next piece
    carry_space = False
    for text, spaced in raw:
        if carry:
            text, spaced = carry + text, carry_space
            carry = ""
        if merged and not spaced and text[0] in _NO_LINE_START:
            prev, prev_spaced = merged[-1]
            merged[-1] = (prev + text, prev_spaced)
        elif all(ch in _NO_LINE_END for ch in text):
            carry, carry_space = text, spaced
        else:
            merged.append((text, spaced))
    if carry:
        merged.append((carry, carry_space))
    return merged


def wrap(text: str, cols: float, measure: Callable[[str], float] = text_width) -> list[str]:
    """Wrap ``text`` to ``cols`` columns. ``\\n`` starts a new paragraph; an empty paragraph is
    an empty line. Words longer than a line are broken between characters.

    ``measure`` gives the width of a piece of text in the unit of ``cols``: columns by
    default; the raster renderer passes a font's pixel width and a width in pixels."""
    cols = max(cols, 2)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        cur = ""
        for atom, spaced in _atoms(paragraph):
            sep = " " if spaced and cur else ""
            if measure(cur + sep + atom) <= cols:
                cur += sep + atom
                continue
            if cur:
                lines.append(cur)
                cur = ""
            if measure(atom) <= cols:
                cur = atom
                continue
            for ch in atom:  # hard break of an over-long word
                if cur and measure(cur + ch) > cols:
                    lines.append(cur)
                    cur = ""
                cur += ch
        lines.append(cur)
    return lines


# --- CODE128 geometry (shared so both renderers agree on whether the code fits) -------------


def _digit_run(data: str, i: int) -> int:
    j = i
    while j < len(data) and data[j].isascii() and data[j].isdigit():
        j += 1
    return j - i


def code128_encode(data: str) -> tuple[str, int] | None:
    """Encode ``data`` as the data of the ESC/POS command ``GS k 73`` (CODE128).

    Returns ``(payload, symbols)``: the payload uses the printer's ``{B`` / ``{C`` code-set
    selectors (set C carries digit pairs as byte values 0-99; ``{`` in set B is ``{{``), and
    ``symbols`` counts the start, data, code-switch and check symbols. Runs of digits go to
    set C when that makes the code shorter. ``None`` when ``data`` is empty or holds
    characters outside printable ASCII.
    """
    if not data or any(not 0x20 <= ord(ch) <= 0x7E for ch in data):
        return None
    out: list[str] = []
    symbols = 2  # start + check
    code_set: str | None = None

    def select(new: str) -> None:
        nonlocal code_set, symbols
        if code_set != new:
            out.append("{" + new)
            if code_set is not None:
                symbols += 1  # a code-switch symbol (the first selection is the start symbol)
            code_set = new

    def set_b(ch: str) -> None:
        nonlocal symbols
        select("B")
        out.append("{{" if ch == "{" else ch)
        symbols += 1

    i, n = 0, len(data)
    while i < n:
        run = _digit_run(data, i)
        at_start, at_end = i == 0, i + run == n
        threshold = 2 if at_start and at_end else 4 if at_start or at_end else 6
        if run >= threshold:
            if run % 2:
                if at_start:
                    run -= 1  # the odd digit goes to set B after the pairs
                else:
                    set_b(data[i])  # the odd digit goes to set B before the pairs
                    i += 1
                    run -= 1
            select("C")
            for _ in range(run // 2):
                out.append(chr(int(data[i : i + 2])))
                symbols += 1
                i += 2
        else:
            set_b(data[i])
            i += 1
    return "".join(out), symbols


def code128_modules(data: str) -> int | None:
    """Width of the CODE128 symbol in modules (11 per symbol + 13 for the stop pattern)."""
    encoded = code128_encode(data)
    return None if encoded is None else encoded[1] * 11 + 13


def barcode_fits(data: str, width: int) -> bool:
    modules = code128_modules(data)
    return modules is not None and modules * BARCODE_MODULE_DOTS <= width * DOTS_PER_COLUMN


# --- layout -------------------------------------------------------------------------------


def _enlarged(text: str, align: str, width: int) -> list[Line]:
    wmul = 2 if "\n" not in text and text_width(text) * 2 <= width else 1
    return [Line("text", piece, align, True, wmul, 2) for piece in wrap(text, width // wmul)]


def _kv(label: str, value: str, align: str, width: int) -> list[Line]:
    one = f"{label}：{value}"
    if "\n" not in one and text_width(one) <= width:
        return [Line("text", one, align)]
    lines = [Line("text", piece, align) for piece in wrap(f"{label}：", width)]
    indent = "" if align == "center" else "  "
    lines += [Line("text", indent + piece, align) for piece in wrap(value, width - len(indent))]
    return lines


def layout(receipt: Receipt, width: int = 32) -> list[Line]:
    """The printed lines of ``receipt`` at ``width`` columns (see the module notes)."""
    if width < MIN_WIDTH:
        raise ValueError(f"paper width must be at least {MIN_WIDTH} columns")
    lines: list[Line] = []
    for block in receipt.blocks:
        text = printable(block.text)
        align = block.align
        if align == "center":
            text = "\n".join(part.strip() for part in text.split("\n"))
        match block.kind:
            case "title" | "big":
                lines += _enlarged(text, align, width)
            case "heading":
                lines += [Line("text", piece, align, bold=True) for piece in wrap(text, width)]
            case "text":
                lines += [Line("text", piece, align) for piece in wrap(text, width)]
            case "kv":
                lines += _kv(text, printable(block.value), align, width)
            case "rule":
                lines.append(Line("text", "-" * width))
            case "blank":
                lines.append(Line("text", ""))
            case "qr":
                lines.append(Line("qr", block.value, align))
            case "barcode":
                if barcode_fits(block.value, width):
                    lines.append(Line("barcode", block.value, align))
            case "cut":
                lines.append(Line("cut"))
    return lines


# --- the plain-text renderer ------------------------------------------------------------------


def place(body: str, printed_width: int, align: str, width: int) -> str:
    """One output line: ``body`` positioned like the printer positions it, trailing spaces removed."""
    if align == "center":
        pad = max(0, (width - printed_width) // 2)
    elif align == "right":
        pad = max(0, width - printed_width)
    else:
        pad = 0
    return (" " * pad + body).rstrip()


def qr_marker(payload: str) -> str:
    return f"[QR {payload}]"


def barcode_marker(data: str) -> str:
    return f"[BARCODE {data}]"


CUT_MARKER = "[CUT]"


def format_line(line: Line, width: int) -> str:
    if line.kind == "cut":
        return CUT_MARKER
    if line.kind in ("qr", "barcode"):
        body = qr_marker(line.text) if line.kind == "qr" else barcode_marker(line.text)
        return place(body, text_width(body), line.align, width)
    text = line.text.rstrip()
    if not text:
        return ""
    body = f"**{text}**" if line.enlarged else text
    return place(body, text_width(text) * line.wmul, line.align, width)


def render_text(receipt: Receipt, width: int = 32) -> str:
    """Plain-text rendering of ``receipt`` for previews and tests (see the module notes)."""
    return "".join(format_line(line, width) + "\n" for line in layout(receipt, width))


__all__ = [
    "Line",
    "barcode_fits",
    "char_width",
    "code128_encode",
    "code128_modules",
    "format_line",
    "layout",
    "place",
    "printable",
    "render_text",
    "text_width",
    "wrap",
]
