"""The raster renderer (PNG previews, GS v 0 printing) and the ESC/POS command splitter."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageChops

from kiosk.devices.printer.capture import job_image, raster_images
from kiosk.domain.receipt import Block, Receipt
from kiosk.receipts.decode import command_length, decode_escpos, is_cut, split_commands
from kiosk.receipts.escpos_render import render_escpos
from kiosk.receipts.raster import (
    RASTER_BAND_DOTS,
    code128_pattern,
    render_png,
    render_raster_escpos,
    to_monochrome,
)
from kiosk.receipts.text import text_width, wrap
from tests.support.receipt_samples import RECEIPTS


def dark_share(image: Image.Image) -> float:
    a = np.asarray(image.convert("L"))
    return float((a < 128).mean())


def decode_qr(image: Image.Image) -> str:
    import cv2

    value, _, _ = cv2.QRCodeDetector().detectAndDecode(np.asarray(image.convert("L")))
    return value


def find_barcode(image: Image.Image, pattern: str) -> int | None:
    """The module width at which ``pattern`` appears on some pixel row, or None."""
    a = np.asarray(image.convert("L")) < 128
    for module in (2, 3):
        wanted = "".join(bit * module for bit in pattern)
        for row in a[:: 2]:
            if wanted in "".join("1" if px else "0" for px in row):
                return module
    return None


@pytest.fixture(scope="module")
def submission_images() -> dict[int, Image.Image]:
    r = RECEIPTS["submission-zh"]("j")
    return {w: render_png(r, w) for w in (384, 576)}


@pytest.mark.parametrize("width", [384, 576])
def test_png_size_and_content(width: int, submission_images: dict[int, Image.Image]) -> None:
    image = submission_images[width]
    assert image.mode == "L" and image.width == width
    assert 800 < image.height < 4000
    assert 0.04 < dark_share(image) < 0.5  # ink, not a blank or black page
    # nothing clipped: ink in the outermost columns only on the rules, which span the width
    a = np.asarray(image) < 128
    edge_rows = a[:, 0] | a[:, -1]
    assert edge_rows.any() and a[edge_rows].all()


@pytest.mark.parametrize("width", [384, 576])
def test_png_qr_code_scans(width: int, submission_images: dict[int, Image.Image]) -> None:
    assert decode_qr(to_monochrome(submission_images[width])) == "HKRP:JZ-20250611-000123"


@pytest.mark.parametrize("width", [384, 576])
def test_png_barcode_bars_are_code128_of_the_number(width: int, submission_images: dict[int, Image.Image]) -> None:
    module = find_barcode(to_monochrome(submission_images[width]), code128_pattern("JZ-20250611-000123"))
    assert module == 2  # 3-dot modules would leave no quiet zone on either paper


def test_barcode_left_out_where_the_text_layout_leaves_it_out() -> None:
    r = RECEIPTS["queued-zh"]("j")  # K0007-20250611-0042 does not fit 384 dots at 2-dot modules
    assert "[BARCODE" not in decode_escpos(render_escpos(r, 32), 32)
    assert find_barcode(render_png(r, 384), code128_pattern("K0007-20250611-0042")) is None
    assert find_barcode(render_png(r, 576), code128_pattern("K0007-20250611-0042")) == 2


def test_monochrome_is_pure_black_and_white() -> None:
    mono = to_monochrome(render_png(RECEIPTS["test-page-en"]("j"), 384))
    assert mono.mode == "1"
    assert set(np.unique(np.asarray(mono.convert("L")))) <= {0, 255}


def test_other_widths_are_refused() -> None:
    with pytest.raises(ValueError):
        render_png(RECEIPTS["submission-zh"]("j"), 400)


@pytest.mark.parametrize("width", [384, 576])
def test_raster_bytes_are_bands_of_the_monochrome_image(width: int) -> None:
    r = RECEIPTS["submission-en"]("j")
    data = render_raster_escpos(r, width)
    commands = split_commands(data)
    assert commands[0] == b"\x1b@" and is_cut(commands[-1])
    bands = raster_images(data)
    assert bands and all(b.width == width and b.height <= RASTER_BAND_DOTS for b in bands)
    printed = job_image(data)
    expected = to_monochrome(render_png(r, width)).convert("L")
    assert printed.size == expected.size
    assert ImageChops.difference(printed, expected).getbbox() is None
    text = decode_escpos(data, width // 12)
    assert text.splitlines()[-1] == "[CUT]"
    assert all(line.startswith(f"[IMAGE {width}x") for line in text.splitlines()[:-1])


def test_every_cut_ends_a_raster_segment() -> None:
    r = Receipt("j", (Block("text", "第一张"), Block("cut"), Block("text", "第二张"), Block("cut")), "zh")
    lines = decode_escpos(render_raster_escpos(r, 384), 32).splitlines()
    assert [line for line in lines if not line.startswith("[IMAGE")] == ["[CUT]", "[CUT]"]
    assert lines[0].startswith("[IMAGE") and lines[1] == "[CUT]" and lines[2].startswith("[IMAGE")


def test_wrap_with_a_pixel_measure() -> None:
    def measure(s: str) -> float:
        return text_width(s) * 12

    text = "审核结果将以短信通知，也可在任一自助机查看。"
    assert wrap(text, 32 * 12, measure) == wrap(text, 32)
    assert wrap("ab cd", 3) == ["ab", "cd"]  # the default measure is unchanged


# --- command splitting -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["submission-en", "test-page-zh"])
def test_split_commands_round_trips(name: str) -> None:
    r = RECEIPTS[name]("j")
    for data in (render_escpos(r, 32), render_raster_escpos(r, 384)):
        commands = split_commands(data)
        assert b"".join(commands) == data
        # no status query is ever found inside a rendered job, even in image data
        assert not [c for c in commands if c[:2] == b"\x10\x04"]


def test_command_length_waits_for_incomplete_commands() -> None:
    image = b"\x1dv0\x00\x01\x00\x02\x00" + b"\x10\x04"  # 1 byte x 2 rows: data looks like DLE EOT
    assert command_length(image) == 10
    assert command_length(image[:9]) is None
    assert command_length(b"\x1d") is None
    assert command_length(b"\x10\x04") is None
    assert command_length(b"\x10\x04\x01") == 3
    assert command_length(b"abc\ndef") == 3
    assert command_length(b"\x1b@x") == 2
    assert command_length(b"\x1dVB\x00") == 4 and is_cut(b"\x1dVB\x00")
    assert not is_cut(b"\x1dVB")
    qr_store = b"\x1d(k\x05\x001P0AB"
    assert command_length(qr_store) == len(qr_store) and command_length(qr_store[:-1]) is None
