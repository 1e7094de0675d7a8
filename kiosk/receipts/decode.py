"""Decode ESC/POS bytes back to the text a receipt shows (tests, the simulated printer, support).

``decode_escpos(render_escpos(r, w), w) == render_text(r, w)`` for every receipt: the
output follows the conventions of :mod:`kiosk.receipts.text` (centring by padding,
``**...**`` for enlarged text, ``[QR ...]``, ``[BARCODE ...]``, ``[CUT]``).

What is understood:

* ``LF`` ends a line; ``ESC d n`` is n line feeds; ``ESC J n`` ends a non-empty line;
  ``CR`` is ignored; ``HT`` advances to the next multiple of 8 columns; a line longer than
  the paper wraps, as on a printer.
* ``ESC @`` resets alignment, bold, size and Chinese mode (to off: our renderer always
  sends ``FS &`` after it).
* ``ESC a n`` alignment (taken at the start of a line, as printers do), ``ESC E n`` bold,
  ``ESC ! n`` (bold, double width / height bits), ``GS ! n`` size.
* ``FS &`` / ``FS .``: Chinese mode on / off. Text is decoded as GB18030 while on,
  otherwise as CP437 (ASCII plus the printer's default code page).
* ``GS ( k`` (cn 49): the QR payload is stored (fn 80) and printed (fn 81) as ``[QR payload]``.
* ``GS k``: ``[BARCODE data]``; CODE128 (73) data is read with its ``{A``/``{B``/``{C`` code sets.
* ``GS V``: ``[CUT]``. ``GS v 0``: ``[IMAGE WxH]`` (width and height in dots).
* ``DLE EOT n`` and the other real-time commands: ignored.

Everything else is skipped without producing output: commands with a known parameter
layout skip exactly their parameters (including length-prefixed ones such as ``GS ( L``,
``GS 8 L`` and ``ESC *`` bit images); an unknown ``ESC``/``FS``/``GS`` command skips
its prefix and command byte only; other control bytes are dropped. The decoder never
raises on malformed or truncated input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kiosk.receipts.text import CUT_MARKER, barcode_marker, char_width, place, qr_marker, text_width

ESC, FS, GS, DLE = 0x1B, 0x1C, 0x1D, 0x10
LF, CR, HT, FF = 0x0A, 0x0D, 0x09, 0x0C

# Parameter byte counts of commands that are skipped (no effect on the text).
_ESC_FIXED = {
    0x20: 1,  # ESC SP n   right-side character spacing
    0x24: 2,  # ESC $ nL nH absolute position
    0x25: 1,  # ESC % n    user-defined character set
    0x2D: 1,  # ESC - n    underline
    0x32: 0,  # ESC 2      default line spacing
    0x33: 1,  # ESC 3 n    line spacing
    0x3C: 0,  # ESC <      return home
    0x3D: 1,  # ESC = n    peripheral device
    0x3F: 1,  # ESC ? n    cancel user-defined character
    0x44: -1,  # ESC D ... NUL  tab positions (NUL-terminated)
    0x47: 1,  # ESC G n    double-strike
    0x4D: 1,  # ESC M n    font
    0x52: 1,  # ESC R n    international character set
    0x53: 0,  # ESC S      standard mode
    0x4C: 0,  # ESC L      page mode
    0x54: 1,  # ESC T n    print direction (page mode)
    0x55: 1,  # ESC U n    unidirectional printing
    0x56: 1,  # ESC V n    90 degree rotation
    0x5C: 2,  # ESC \ nL nH relative position
    0x63: 2,  # ESC c x n  paper sensors / panel buttons
    0x70: 3,  # ESC p m t1 t2 pulse (cash drawer)
    0x72: 1,  # ESC r n    colour
    0x74: 1,  # ESC t n    code page
    0x7B: 1,  # ESC { n    upside down
    0x42: 2,  # ESC B n t  buzzer
    0x69: 0,  # ESC i      partial cut (old)
    0x6D: 0,  # ESC m      partial cut (old)
}
_GS_FIXED = {
    0x42: 1,  # GS B n     reverse
    0x48: 1,  # GS H n     HRI position
    0x4C: 2,  # GS L nL nH left margin
    0x50: 2,  # GS P x y   motion units
    0x57: 2,  # GS W nL nH print area width
    0x62: 1,  # GS b n     smoothing
    0x66: 1,  # GS f n     HRI font
    0x68: 1,  # GS h n     barcode height
    0x77: 1,  # GS w n     barcode module width
    0x7C: 1,  # GS | n     density
    0x49: 1,  # GS I n     printer id
    0x72: 1,  # GS r n     status
    0x61: 1,  # GS a n     automatic status back
    0x3A: 0,  # GS :       macro
    0x5E: 3,  # GS ^ r t m macro execution
}
_FS_FIXED = {
    0x21: 1,  # FS ! n     Chinese character print mode
    0x2D: 1,  # FS - n     Chinese underline
    0x53: 2,  # FS S n1 n2 Chinese character spacing
    0x57: 1,  # FS W n     Chinese quadruple size
    0x43: 1,  # FS C n     Chinese character code system
    0x32: 74,  # FS 2 c1 c2 d1..d72  user-defined Chinese character
    0x70: 2,  # FS p n m   print NV bit image
}


@dataclass
class _Decoder:
    width: int
    out: list[str] = field(default_factory=list)
    line: list[tuple[str, int, int]] = field(default_factory=list)  # (character, wmul, hmul)
    line_width: int = 0
    line_align: str = "left"
    align: str = "left"
    bold: bool = False
    wmul: int = 1
    hmul: int = 1
    chinese: bool = False
    qr_payload: bytes = b""  # stored by GS ( k fn 80, printed by fn 81

    # --- state -----------------------------------------------------------------------------

    def reset(self) -> None:
        self.align, self.bold, self.wmul, self.hmul, self.chinese = "left", False, 1, 1, False

    def put(self, ch: str) -> None:
        w = char_width(ch) * self.wmul
        if self.line and self.line_width + w > self.width:
            self.flush()  # the printer wraps an over-long line
        if not self.line:
            self.line_align = self.align  # alignment counts at the start of a line only
        self.line.append((ch, self.wmul, self.hmul))
        self.line_width += w

    def text(self, data: bytes) -> None:
        decoded = data.decode("gb18030" if self.chinese else "cp437", errors="replace")
        for ch in decoded:
            self.put(ch)

    def tab(self) -> None:
        col = self.line_width
        for _ in range(8 - col % 8):
            self.put(" ")

    def flush(self) -> None:
        """End the current line (LF)."""
        chars = self.line
        self.line, self.line_width = [], 0
        text = "".join(ch for ch, _, _ in chars).rstrip()
        if not text:
            self.out.append("")
            return
        kept = chars[: len(text)]
        printed = sum(char_width(ch) * w for ch, w, _ in kept)
        enlarged = any(w > 1 or h > 1 for _, w, h in kept)
        body = f"**{text}**" if enlarged else text
        self.out.append(place(body, printed, self.line_align, self.width))

    def end_line_if_open(self) -> None:
        if self.line:
            self.flush()

    def marker(self, body: str, aligned: bool = True) -> None:
        self.end_line_if_open()
        if aligned:
            self.out.append(place(body, text_width(body), self.align, self.width))
        else:
            self.out.append(body)

    def result(self) -> str:
        self.end_line_if_open()  # text never ended by LF is shown anyway
        return "".join(line + "\n" for line in self.out)


def _u16(data: bytes, i: int) -> int:
    """Little-endian 16-bit value at ``i`` (0 past the end)."""
    lo = data[i] if i < len(data) else 0
    hi = data[i + 1] if i + 1 < len(data) else 0
    return lo | hi << 8


def decode_code128(data: bytes) -> str:
    """CODE128 data of ``GS k 73`` (``{A``/``{B``/``{C`` code sets) back to text."""
    out: list[str] = []
    code_set = "B"
    i = 0
    while i < len(data):
        b = data[i]
        if b == 0x7B and i + 1 < len(data):  # "{"
            nxt = chr(data[i + 1])
            if nxt in "ABC":
                code_set = nxt
            elif nxt == "{":
                out.append("{")
            # {S (shift) and {1..{4 (FNC) carry no text
            i += 2
            continue
        if code_set == "C":
            out.append(f"{b:02d}" if b < 100 else "")
        else:
            out.append(chr(b))
        i += 1
    return "".join(out)


def _barcode_text(m: int, data: bytes) -> str:
    if m == 73:
        return decode_code128(data)
    return data.decode("ascii", errors="replace")


def command_length(data: bytes | bytearray, i: int = 0) -> int | None:
    """Length of the command (or text run) starting at ``data[i]``, or None when ``data``
    ends before it does (a stream reader waits for more bytes).

    Used to find real-time commands (``DLE EOT n``) in a byte stream without mistaking
    bytes inside a command's parameters or image data for one. Text runs (bytes >= 0x20)
    count as one piece up to the next control byte. Lengths follow :func:`decode_escpos`.
    """
    n = len(data)
    if i >= n:
        return None
    b = data[i]
    if b >= 0x20:
        j = i
        while j < n and data[j] >= 0x20:
            j += 1
        return j - i

    def need(length: int) -> int | None:
        return length if i + length <= n else None

    if b not in (ESC, FS, GS, DLE):
        return 1
    if i + 1 >= n:
        return None
    cmd = data[i + 1]
    if b == DLE:
        if cmd in (0x04, 0x05):
            return need(3)
        return need(5) if cmd == 0x14 else 2
    if b == ESC:
        if cmd in (0x40,):
            return 2
        if cmd in (0x61, 0x45, 0x21, 0x64, 0x4A):
            return need(3)
        if cmd == 0x2A:  # ESC * m nL nH d...
            if i + 5 > n:
                return None
            count = _u16(data, i + 3)
            return need(5 + (count * 3 if data[i + 2] in (32, 33) else count))
        if cmd == 0x44:  # ESC D n1 ... NUL
            end = data.find(b"\x00", i + 2)
            return None if end < 0 else end + 1 - i
        return need(2 + _ESC_FIXED.get(cmd, 0))
    if b == FS:
        if cmd == 0x28:  # FS ( x pL pH ...
            return None if i + 5 > n else need(5 + _u16(data, i + 3))
        return need(2 + _FS_FIXED.get(cmd, 0))
    # GS
    if cmd == 0x21:
        return need(3)
    if cmd == 0x28:  # GS ( x pL pH ...
        return None if i + 5 > n else need(5 + _u16(data, i + 3))
    if i + 2 >= n and cmd in (0x38, 0x6B, 0x56, 0x76):
        return None
    if cmd == 0x38 and data[i + 2] == 0x4C:  # GS 8 L p1..p4 ...
        return None if i + 7 > n else need(7 + int.from_bytes(data[i + 3 : i + 7], "little"))
    if cmd == 0x6B:  # GS k m ...
        if data[i + 2] <= 6:
            end = data.find(b"\x00", i + 3)
            return None if end < 0 else end + 1 - i
        return None if i + 4 > n else need(4 + data[i + 3])
    if cmd == 0x56:  # GS V m [n]
        return need(3 if data[i + 2] in (0, 1, 48, 49) else 4)
    if cmd == 0x76 and data[i + 2] == 0x30:  # GS v 0 m xL xH yL yH d...
        return None if i + 8 > n else need(8 + _u16(data, i + 4) * _u16(data, i + 6))
    return need(2 + _GS_FIXED.get(cmd, 0))


def split_commands(data: bytes) -> list[bytes]:
    """``data`` cut into commands and text runs (a truncated last command is kept as it is)."""
    out: list[bytes] = []
    i = 0
    while i < len(data):
        length = command_length(data, i) or len(data) - i
        out.append(bytes(data[i : i + length]))
        i += length
    return out


def is_cut(command: bytes) -> bool:
    """Whether ``command`` is a complete paper cut (``GS V``)."""
    return len(command) >= 3 and command[0] == GS and command[1] == 0x56 and command_length(command) == len(command)


def decode_escpos(data: bytes, width: int = 32) -> str:
    """Turn ESC/POS bytes into text, one line per printed line (see the module notes).

    ``width`` is the paper width in columns (32 for 58 mm, 48 for 80 mm): it is needed
    to place centred lines and to wrap over-long ones.
    """
    d = _Decoder(width)
    n = len(data)
    i = 0
    while i < n:
        b = data[i]
        if b >= 0x20:
            j = i
            while j < n and data[j] >= 0x20:
                j += 1
            d.text(data[i:j])
            i = j
        elif b == LF or b == FF:
            d.flush()
            i += 1
        elif b == HT:
            d.tab()
            i += 1
        elif b == ESC:
            i = _esc(d, data, i)
        elif b == FS:
            i = _fs(d, data, i)
        elif b == GS:
            i = _gs(d, data, i)
        elif b == DLE:
            i = _dle(data, i)
        else:
            i += 1  # other control bytes (CR, NUL, ...) print nothing
    return d.result()


# Each command decoder below takes the index of its prefix byte and returns the index after
# the command (possibly past the end of ``data`` for a truncated one).


def _command_and_arg(data: bytes, i: int) -> tuple[int, int]:
    """The command byte after the prefix at ``i`` (-1 past the end) and its first parameter (0)."""
    n = len(data)
    return (data[i + 1] if i + 1 < n else -1), (data[i + 2] if i + 2 < n else 0)


_ALIGNMENTS = {0: "left", 48: "left", 1: "center", 49: "center", 2: "right", 50: "right"}


def _esc(d: _Decoder, data: bytes, i: int) -> int:
    """``ESC ...``: reset, alignment, bold, print mode, feeds; the rest skipped."""
    cmd, arg = _command_and_arg(data, i)
    if cmd == 0x40:  # ESC @
        d.end_line_if_open()
        d.reset()
        return i + 2
    if cmd == 0x61:  # ESC a n
        d.align = _ALIGNMENTS.get(arg, d.align)
        return i + 3
    if cmd == 0x45:  # ESC E n
        d.bold = bool(arg & 1)
        return i + 3
    if cmd == 0x21:  # ESC ! n
        d.bold = bool(arg & 0x08)
        d.hmul = 2 if arg & 0x10 else 1
        d.wmul = 2 if arg & 0x20 else 1
        return i + 3
    if cmd == 0x64:  # ESC d n: print and feed n lines
        for _ in range(arg):
            d.flush()
        return i + 3
    if cmd == 0x4A:  # ESC J n: print and feed n dots
        d.end_line_if_open()
        return i + 3
    if cmd == 0x2A:  # ESC * m nL nH d...: bit image
        count = _u16(data, i + 3)
        return i + 5 + (count * 3 if arg in (32, 33) else count)
    if cmd == 0x44:  # ESC D n1 ... NUL
        end = data.find(b"\x00", i + 2)
        return len(data) if end < 0 else end + 1
    if cmd in _ESC_FIXED:
        return i + 2 + _ESC_FIXED[cmd]
    return i + 2  # unknown ESC command: skip its two bytes


def _fs(d: _Decoder, data: bytes, i: int) -> int:
    """``FS ...``: Chinese mode on / off; the rest skipped."""
    cmd, _ = _command_and_arg(data, i)
    if cmd == 0x26:  # FS &
        d.chinese = True
        return i + 2
    if cmd == 0x2E:  # FS .
        d.chinese = False
        return i + 2
    if cmd == 0x28:  # FS ( x pL pH ...
        return i + 5 + _u16(data, i + 3)
    if cmd in _FS_FIXED:
        return i + 2 + _FS_FIXED[cmd]
    return i + 2


def _gs(d: _Decoder, data: bytes, i: int) -> int:
    """``GS ...``: size, QR code, barcode, cut, raster image; the rest skipped."""
    cmd, arg = _command_and_arg(data, i)
    if cmd == 0x21:  # GS ! n
        d.wmul = (arg >> 4 & 0x07) + 1
        d.hmul = (arg & 0x07) + 1
        return i + 3
    if cmd == 0x28:  # GS ( x pL pH ...
        return _gs_paren(d, data, i, arg)
    if cmd == 0x38 and arg == 0x4C:  # GS 8 L p1 p2 p3 p4 ...: large graphics data
        length = int.from_bytes(data[i + 3 : i + 7], "little")
        return i + 7 + length
    if cmd == 0x6B:  # GS k m ...
        return _gs_barcode(d, data, i, arg)
    if cmd == 0x56:  # GS V m [n]
        d.marker(CUT_MARKER, aligned=False)
        return i + (3 if arg in (0, 1, 48, 49) else 4)
    if cmd == 0x76 and arg == 0x30:  # GS v 0 m xL xH yL yH d...
        x, y = _u16(data, i + 4), _u16(data, i + 6)
        d.marker(f"[IMAGE {x * 8}x{y}]")
        return i + 8 + x * y
    if cmd in _GS_FIXED:
        return i + 2 + _GS_FIXED[cmd]
    return i + 2


def _gs_paren(d: _Decoder, data: bytes, i: int, fn_class: int) -> int:
    """``GS ( x pL pH ...``; of these only the QR code (``GS ( k``, cn 49) shows."""
    length = _u16(data, i + 3)
    body = data[i + 5 : i + 5 + length]
    if fn_class == 0x6B and len(body) >= 2 and body[0] == 0x31:  # GS ( k, cn 49: QR code
        fn = body[1]
        if fn == 80:  # store: cn fn m d...
            d.qr_payload = body[3:]
        elif fn == 81:  # print the stored symbol
            d.marker(qr_marker(d.qr_payload.decode("utf-8", errors="replace")))
    return i + 5 + length


def _gs_barcode(d: _Decoder, data: bytes, i: int, m: int) -> int:
    """``GS k m ...``: function A (data ends with NUL) or B (length byte, then data)."""
    n = len(data)
    if m <= 6:  # function A: data ends with NUL
        end = data.find(b"\x00", i + 3)
        end = n if end < 0 else end
        d.marker(barcode_marker(_barcode_text(m, data[i + 3 : end])))
        return end + 1
    length = data[i + 3] if i + 3 < n else 0  # function B: length byte then data
    d.marker(barcode_marker(_barcode_text(m, data[i + 4 : i + 4 + length])))
    return i + 4 + length


def _dle(data: bytes, i: int) -> int:
    """``DLE ...``: real-time commands, which print nothing."""
    cmd, _ = _command_and_arg(data, i)
    if cmd in (0x04, 0x05):  # DLE EOT n, DLE ENQ n: real-time status / request
        return i + 3
    if cmd == 0x14:  # DLE DC4 fn a b
        return i + 5
    return i + 2


__all__ = ["command_length", "decode_code128", "decode_escpos", "is_cut", "split_commands"]
