"""The ESC/POS receipt printer, end to end over real TCP through the capture printer.

Golden texts live in tests/golden/receipts/: ``<receipt>.<columns>.txt`` (gb18030 mode) and
``<receipt>.raster<dots>.txt`` (raster mode). ``UPDATE_GOLDEN=1`` rewrites them; read the
diff before committing.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from kiosk.devices.base import PrinterState, PrintResult, ReceiptPrinter
from kiosk.devices.printer.capture import STATUS_BYTES, CapturePrinter
from kiosk.devices.printer.escpos import EscposPrinter, render_job, split_tail
from kiosk.devices.printer.jobs import JobStore
from kiosk.devices.printer.links import decode_status
from kiosk.devices.printer.tools import format_report, print_test_page
from kiosk.devices.printer.uri import PrinterTarget, missing_dependency, parse_printer_uri
from kiosk.domain.receipt import Block, Receipt
from kiosk.fonts import cjk_font_path
from kiosk.receipts.escpos_render import FS_CHINESE_ON, render_escpos
from kiosk.receipts.text import render_text
from tests.support.paths import GOLDEN
from tests.support.receipt_samples import RECEIPTS, leaks

pytestmark = pytest.mark.timeout(60)

GOLDEN = GOLDEN / "receipts"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
NOTO = "NotoSansCJK" in str(cjk_font_path())  # raster line breaks depend on the font


def golden(name: str, actual: str) -> str:
    path = GOLDEN / f"{name}.txt"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def cap() -> Iterator[CapturePrinter]:
    with CapturePrinter(width=32) as c:
        yield c


def make_printer(cap: CapturePrinter, tmp_path: Path, **kw) -> EscposPrinter:
    kw.setdefault("jobs_path", tmp_path / "print-jobs.json")
    kw.setdefault("status_timeout", 0.3)
    kw.setdefault("ack_timeout", 1.0)
    kw.setdefault("connect_timeout", 1.0)
    kw.setdefault("write_timeout", 2.0)
    return EscposPrinter(cap.uri, **kw)


def receipt(name: str = "submission-zh", job: str = "job-1") -> Receipt:
    return RECEIPTS[name](job)


# --- URIs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("network://192.168.1.50:9100", PrinterTarget("network", host="192.168.1.50", port=9100)),
        ("network://printer.local", PrinterTarget("network", host="printer.local", port=9100)),
        ("network://[::1]:9101", PrinterTarget("network", host="::1", port=9101)),
        ("usb://0416:5011", PrinterTarget("usb", vendor_id=0x0416, product_id=0x5011)),
        ("usb://0x04b8:0x0e15?out_ep=0x02", PrinterTarget("usb", vendor_id=0x04B8, product_id=0x0E15, out_ep=2)),
        ("serial:///dev/ttyS0", PrinterTarget("serial", device="/dev/ttyS0")),
        (
            "serial:///dev/ttyUSB0?baudrate=115200&parity=e&flow=rtscts",
            PrinterTarget("serial", device="/dev/ttyUSB0", baudrate=115200, parity="E", flow="rtscts"),
        ),
        ("cups://receipt", PrinterTarget("cups", queue="receipt")),
        ("cups://", PrinterTarget("cups", queue="")),
        ("sim://", PrinterTarget("sim")),
    ],
)
def test_parse_printer_uri(uri: str, expected: PrinterTarget) -> None:
    assert parse_printer_uri(uri) == expected


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("192.168.1.50:9100", "must be a URI"),
        ("lpt://1", "unknown printer scheme"),
        ("network://:9100", "needs a host"),
        ("network://host:99999", "port"),
        ("network://host:9100/x", "no path"),
        ("network://host?x=1", "unknown option"),
        ("usb://0416", "usb://VID:PID"),
        ("usb://zz16:5011", "hex"),
        ("usb://0000:5011", "must not be 0"),
        ("serial://", "needs a device"),
        ("serial:///dev/ttyS0?baudrate=fast", "baudrate must be a number"),
        ("serial:///dev/ttyS0?baudrate=1234", "unusual baudrate"),
        ("serial:///dev/ttyS0?parity=X", "parity"),
        ("serial:///dev/ttyS0?speed=9600", "unknown option"),
        ("cups://a/b", "no '/'"),
    ],
)
def test_parse_printer_uri_errors(uri: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_printer_uri(uri)


def test_constructor_refuses_bad_settings() -> None:
    with pytest.raises(ValueError, match="SimPrinter"):
        EscposPrinter("sim://")
    with pytest.raises(ValueError, match="text mode"):
        EscposPrinter("network://127.0.0.1:9", mode="utf8")
    with pytest.raises(ValueError, match="32 .58 mm. or 48"):
        EscposPrinter("network://127.0.0.1:9", width=40)


def test_summary_and_describe() -> None:
    p = EscposPrinter("network://10.0.0.5", mode="raster", width=48)
    assert p.describe() == "network://10.0.0.5:9100, raster, 80 mm"
    assert parse_printer_uri("usb://416:5011").summary == "usb://0416:5011"
    assert isinstance(p, ReceiptPrinter)


# --- status bytes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "state"),
    [
        ((0x12, 0x12, 0x12), PrinterState.OK),
        ((0x16, 0x12, 0x12), PrinterState.OK),  # bit 2: drawer pin, not a problem
        ((0x12, 0x12, 0x1E), PrinterState.PAPER_LOW),
        ((0x12, 0x12, 0x16), PrinterState.PAPER_LOW),  # one near-end sensor bit
        ((0x1A, 0x32, 0x7E), PrinterState.PAPER_OUT),
        ((0x1A, 0x32, None), PrinterState.PAPER_OUT),  # no paper sensor answer: the offline cause says it
        ((0x1A, 0x16, 0x12), PrinterState.COVER_OPEN),
        ((0x1A, 0x36, 0x7E), PrinterState.COVER_OPEN),  # changing the roll: cover first
        ((0x1A, 0x52, 0x12), PrinterState.OFFLINE),  # error
        ((0x1A, None, None), PrinterState.OFFLINE),  # offline, cause unknown
        ((None, None, None), PrinterState.OFFLINE),  # no answer
        ((0x00, 0x12, 0x12), PrinterState.OFFLINE),  # not a status byte
        ((0x12, 0xFF, 0xFF), PrinterState.OK),  # garbage in the optional answers is ignored
    ],
)
def test_decode_status(answers: tuple[int | None, int | None, int | None], state: PrinterState) -> None:
    assert decode_status(*answers) == state


@pytest.mark.parametrize("state", [s for s in PrinterState if s != PrinterState.OFFLINE])
def test_capture_status_bytes_agree_with_python_escpos(cap: CapturePrinter, state: PrinterState) -> None:
    """python-escpos's own status code reads the capture printer's answers the same way."""
    from escpos.printer import Network

    cap.state = state
    assert decode_status(*(STATUS_BYTES[state][n] for n in (1, 2, 4))) == state
    p = Network("127.0.0.1", cap.port, timeout=2)
    p.open()
    try:
        assert p.is_online() == (state in (PrinterState.OK, PrinterState.PAPER_LOW))
        expected_paper = {PrinterState.PAPER_OUT: 0, PrinterState.PAPER_LOW: 1}.get(state, 2)
        assert p.paper_status() == expected_paper
    finally:
        p.close()


@pytest.mark.parametrize("state", list(PrinterState))
def test_status_through_tcp(cap: CapturePrinter, tmp_path: Path, state: PrinterState) -> None:
    cap.state = state
    p = make_printer(cap, tmp_path)
    assert p.status() == state
    assert p.last_state == state
    cap.wait_idle()
    assert cap.jobs() == []  # status queries are not a job


@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.escpos: print job")
def test_offline_printer_that_refuses_connections(tmp_path: Path) -> None:
    with CapturePrinter(offline_mode="refuse", state="offline") as cap:
        p = make_printer(cap, tmp_path)
        assert p.status() == PrinterState.OFFLINE
        result = p.print_receipt(receipt())
        assert result == PrintResult(ok=False, job_id="job-1", state=PrinterState.OFFLINE)
        cap.wait_idle()
        assert cap.jobs() == []


@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.escpos: print job", r"^kiosk\.devices\.printer\.escpos: printer")
def test_nobody_listening_is_offline(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port that was free a moment ago
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    p = EscposPrinter(f"network://127.0.0.1:{port}", jobs_path=tmp_path / "j.json", connect_timeout=0.5)
    assert p.status() == PrinterState.OFFLINE
    assert p.print_receipt(receipt()) == PrintResult(ok=False, job_id="job-1", state=PrinterState.OFFLINE)


# --- golden receipts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [32, 48])
@pytest.mark.parametrize("name", sorted(RECEIPTS))
def test_golden_gb18030(tmp_path: Path, name: str, width: int) -> None:
    r = receipt(name)
    with CapturePrinter(width=width) as cap:
        p = make_printer(cap, tmp_path, width=width)
        result = p.print_receipt(r)
        assert result == PrintResult(ok=True, job_id="job-1", state=PrinterState.OK)
        [job] = cap.wait_jobs(1)
        assert job.complete and not job.dropped and not job.raster
        assert job.data == render_escpos(r, width)
        assert job.data.startswith(b"\x1b@" + FS_CHINESE_ON)  # Chinese mode on before any text
        text = cap.text(job)
    assert text == golden(f"{name}.{width}", text)
    assert text == render_text(r, width)  # paper and preview agree
    # privacy: not in the text, nor anywhere in the bytes read as GB18030
    assert leaks(text) == []
    assert leaks(job.data.decode("gb18030", errors="replace")) == []


@pytest.mark.parametrize("width", [32, 48])
@pytest.mark.parametrize(
    "name", ["submission-zh", "submission-en", "queued-zh", "pickup-window-zh", "pickup-mail-renewal-en",
             "pickup-mail-reissue-zh", "test-page-en"]
)
def test_golden_raster(tmp_path: Path, name: str, width: int) -> None:
    dots = width * 12
    r = receipt(name)
    with CapturePrinter(width=width) as cap:
        p = make_printer(cap, tmp_path, width=width, mode="raster")
        assert p.print_receipt(r).ok
        [job] = cap.wait_jobs(1)
        assert job.complete and job.raster
        text = cap.text(job)
        image = cap.png(job)
    lines = text.splitlines()
    assert lines[-1] == "[CUT]" and all(line.startswith(f"[IMAGE {dots}x") for line in lines[:-1])
    heights = [int(line.split("x")[1].rstrip("]")) for line in lines[:-1]]
    if NOTO:
        assert text == golden(f"{name}.raster{dots}", text)
    # the PNG: the paper's width, a sane height, real content
    assert image.width == dots and image.height == sum(heights)
    assert 600 < image.height < 5000
    a = np.asarray(image.convert("L")) < 128
    top = a[: image.height // 3]  # header and personal lines: text only
    assert 0.03 < top.mean() < 0.4
    assert (a.sum(axis=1) > 0).mean() > 0.5  # most rows carry ink
    assert leaks(job.data.decode("gb18030", errors="replace")) == []


@pytest.mark.parametrize("mode", ["gb18030", "raster"])
def test_raster_and_text_qr_scan_from_the_capture_png(tmp_path: Path, mode: str) -> None:
    import cv2

    with CapturePrinter(width=32) as cap:
        p = make_printer(cap, tmp_path, mode=mode)
        assert p.print_receipt(receipt("pickup-mail-reissue-zh")).ok
        [job] = cap.wait_jobs(1)
        image = cap.png(job)
    value, _, _ = cv2.QRCodeDetector().detectAndDecode(np.asarray(image.convert("L")))
    assert value == "HKRP:JZ-20250611-000130"


def test_capture_out_dir_saves_bin_txt_png(tmp_path: Path) -> None:
    with CapturePrinter(width=32, out_dir=tmp_path / "out") as cap:
        p = make_printer(cap, tmp_path)
        assert p.print_receipt(receipt()).ok
        cap.wait_jobs(1)
    names = sorted(f.name for f in (tmp_path / "out").iterdir())
    assert names == ["001.bin", "001.png", "001.txt"]
    assert (tmp_path / "out" / "001.txt").read_text(encoding="utf-8") == render_text(receipt(), 32)


# --- printer states -------------------------------------------------------------------------------------


def test_paper_low_still_prints(cap: CapturePrinter, tmp_path: Path) -> None:
    cap.state = "paper_low"
    result = make_printer(cap, tmp_path).print_receipt(receipt())
    assert result == PrintResult(ok=True, job_id="job-1", state=PrinterState.PAPER_LOW)
    assert len(cap.wait_jobs(1)) == 1 and cap.jobs()[0].complete


@pytest.mark.parametrize("state", [PrinterState.PAPER_OUT, PrinterState.COVER_OPEN, PrinterState.OFFLINE])
@pytest.mark.parametrize("mode", ["gb18030", "raster"])
@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.escpos: print job")
def test_refuses_and_sends_nothing(cap: CapturePrinter, tmp_path: Path, state: PrinterState, mode: str) -> None:
    cap.state = state
    p = make_printer(cap, tmp_path, mode=mode)
    result = p.print_receipt(receipt())
    assert result == PrintResult(ok=False, job_id="job-1", state=state)
    cap.wait_idle()
    assert cap.jobs() == [] and p.job_state("job-1") is None
    # fixed: the same job prints, once
    cap.state = "ok"
    assert p.print_receipt(receipt()) == PrintResult(ok=True, job_id="job-1", state=PrinterState.OK)
    assert len(cap.wait_jobs(1)) == 1
    assert p.print_receipt(receipt()).duplicate
    cap.wait_idle()
    assert len(cap.complete_jobs()) == 1


# --- dropped connections: never twice -----------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["gb18030", "raster"])
@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.escpos: print job")
def test_drop_in_the_middle_is_not_printed_and_the_retry_prints_once(
    cap: CapturePrinter, tmp_path: Path, mode: str
) -> None:
    r = receipt("submission-en")
    data = render_job(r, mode, 32)
    p = make_printer(cap, tmp_path, mode=mode)
    cap.drop_next_job_after(len(data) // 2)
    first = p.print_receipt(r)
    assert first == PrintResult(ok=False, job_id="job-1", state=PrinterState.OFFLINE)
    [partial] = cap.wait_jobs(1)
    assert partial.dropped and not partial.complete and len(partial.data) == len(data) // 2
    assert p.job_state("job-1") is None  # the cut was never sent
    second = p.print_receipt(r)
    assert second == PrintResult(ok=True, job_id="job-1", state=PrinterState.OK)
    third = p.print_receipt(r)
    assert third.ok and third.duplicate
    cap.wait_idle()
    assert len(cap.complete_jobs()) == 1
    assert cap.complete_jobs()[0].data == data
    assert p.job_state("job-1") == "printed"


@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.escpos: print job")
def test_drop_after_the_last_byte_counts_as_printed(cap: CapturePrinter, tmp_path: Path) -> None:
    r = receipt()
    data = render_job(r, "gb18030", 32)
    p = make_printer(cap, tmp_path)
    cap.drop_next_job_after(len(data))  # everything arrives, then the connection drops
    first = p.print_receipt(r)
    assert first == PrintResult(ok=True, job_id="job-1", state=PrinterState.OFFLINE)
    assert p.job_state("job-1") == "uncertain"
    retry = p.print_receipt(r)
    assert retry.ok and retry.duplicate and retry.state == PrinterState.OK
    cap.wait_idle()
    assert len(cap.complete_jobs()) == 1 and len(cap.jobs()) == 1


@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.escpos: print job")
def test_drop_inside_the_cut_is_uncertain_and_never_resent(cap: CapturePrinter, tmp_path: Path) -> None:
    """The documented trade-off: the body was acknowledged, the last few bytes were lost.
    The job counts as printed (staff reprints with a new job id); it is never sent twice."""
    r = receipt()
    body, tail = split_tail(render_job(r, "gb18030", 32))
    assert tail == b"\x1dVB\x00"
    p = make_printer(cap, tmp_path)
    cap.drop_next_job_after(len(body) + 2)
    first = p.print_receipt(r)
    assert first.ok and not first.duplicate and first.state == PrinterState.OFFLINE
    assert p.job_state("job-1") == "uncertain"
    assert p.print_receipt(r).duplicate
    cap.wait_idle()
    assert len(cap.jobs()) == 1 and cap.complete_jobs() == []
    # a reprint is a new job id
    assert p.print_receipt(receipt(job="job-1-reprint")).ok
    assert len(cap.wait_jobs(2)) == 2 and len(cap.complete_jobs()) == 1


def test_concurrent_retries_print_once(cap: CapturePrinter, tmp_path: Path) -> None:
    import threading

    p = make_printer(cap, tmp_path)
    results: list[PrintResult] = []
    lock = threading.Lock()

    def worker() -> None:
        r = p.print_receipt(receipt())
        with lock:
            results.append(r)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert len(results) == 6 and all(r.ok for r in results)
    assert sum(not r.duplicate for r in results) == 1
    cap.wait_idle()
    assert len(cap.jobs()) == 1 and len(cap.complete_jobs()) == 1


def test_job_ids_persist_across_instances(cap: CapturePrinter, tmp_path: Path) -> None:
    path = tmp_path / "data" / "print-jobs.json"
    assert make_printer(cap, tmp_path, jobs_path=path).print_receipt(receipt()).ok
    again = make_printer(cap, tmp_path, jobs_path=path).print_receipt(receipt())
    assert again.ok and again.duplicate
    cap.wait_idle()
    assert len(cap.jobs()) == 1
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert set(stored) == {"job-1"} and stored["job-1"]["state"] == "printed"
    assert leaks(path.read_text(encoding="utf-8")) == []
    # without a store, a new instance forgets (documented)
    assert not make_printer(cap, tmp_path, jobs_path=None).print_receipt(receipt("submission-zh", "j2")).duplicate


def test_a_crash_during_the_commit_is_never_resent(cap: CapturePrinter, tmp_path: Path) -> None:
    path = tmp_path / "print-jobs.json"
    store = JobStore(path)
    store.set("job-1", "committing")  # the kiosk died between the commit and the answer
    result = make_printer(cap, tmp_path, jobs_path=path).print_receipt(receipt())
    assert result.ok and result.duplicate
    cap.wait_idle()
    assert cap.jobs() == []


@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.jobs: print job store")
def test_corrupt_store_is_set_aside(cap: CapturePrinter, tmp_path: Path) -> None:
    path = tmp_path / "print-jobs.json"
    path.write_text("{not json", encoding="utf-8")
    p = make_printer(cap, tmp_path, jobs_path=path)
    assert path.with_name("print-jobs.json.corrupt").exists()
    assert p.print_receipt(receipt()).ok
    assert json.loads(path.read_text(encoding="utf-8"))["job-1"]["state"] == "printed"


def test_old_job_ids_are_forgotten(tmp_path: Path) -> None:
    path = tmp_path / "print-jobs.json"
    path.write_text(json.dumps({"old": {"state": "printed", "at": "2000-01-01T00:00:00+00:00"},
                                "new": {"state": "printed", "at": "2999-01-01T00:00:00+00:00"}}))
    store = JobStore(path)
    assert store.get("old") is None and store.get("new") == "printed"


# --- never raises, logs no receipt text ---------------------------------------------------------------------


@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.escpos: print job", r"^kiosk\.devices\.printer\.escpos: print job job\-bad: rendering failed: TypeError", r"^kiosk\.devices\.printer\.escpos: printer")
def test_never_raises(cap: CapturePrinter, tmp_path: Path) -> None:
    p = make_printer(cap, tmp_path)
    bad = Receipt("job-bad", (Block("text", "x"),), "zh")
    object.__setattr__(bad, "blocks", None)  # rendering fails
    assert p.print_receipt(bad) == PrintResult(ok=False, job_id="job-bad", state=PrinterState.OK)
    cap.wait_idle()
    assert cap.jobs() == []
    cap.stop()  # the printer goes away
    assert p.status() == PrinterState.OFFLINE
    assert p.print_receipt(receipt()) == PrintResult(ok=False, job_id="job-1", state=PrinterState.OFFLINE)


def test_logs_carry_no_receipt_text(cap: CapturePrinter, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    p = make_printer(cap, tmp_path)
    cap.drop_next_job_after(100)
    p.print_receipt(receipt("pickup-mail-renewal-zh"))
    p.print_receipt(receipt("pickup-mail-renewal-zh"))
    logged = caplog.text
    assert "job-1" in logged
    for piece in ("阿*", "460100", "海口", "138****5678", "JZ-2025"):
        assert piece not in logged


@pytest.mark.parametrize("uri", ["cups://receipt", "usb://0416:5011", "serial:///dev/ttyS0"])
@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.escpos: print job", r"^kiosk\.devices\.printer\.escpos: printer")
def test_missing_driver_package_is_a_clear_value_not_a_crash(uri: str, tmp_path: Path) -> None:
    target = parse_printer_uri(uri)
    if missing_dependency(target) is None:
        pytest.skip(f"the driver package for {target.kind} is installed here")
    p = EscposPrinter(uri, jobs_path=tmp_path / "j.json")
    package = {"cups": "pycups", "usb": "pyusb", "serial": "pyserial"}[target.kind]
    assert p.problem is not None and package in p.problem
    assert p.status() == PrinterState.OFFLINE
    assert p.print_receipt(receipt()) == PrintResult(ok=False, job_id="job-1", state=PrinterState.OFFLINE)


# --- the test page tool ------------------------------------------------------------------------------------------


def test_print_test_page(cap: CapturePrinter, tmp_path: Path) -> None:
    p = make_printer(cap, tmp_path)
    state, result = print_test_page(p, "HK-KIOSK-0007", "zh")
    assert state == PrinterState.OK and result.ok and result.job_id.startswith("test-")
    [job] = cap.wait_jobs(1)
    text = cap.text(job)
    assert "打印机测试页" in text and "￥128.00" in text and "（）" in text
    assert p.describe().replace(" ", "") in "".join(text.split())
    assert "￥".encode("gb18030") in job.data and "，".encode("gb18030") in job.data
    assert "[QR HKRP:TEST]" in text and "[BARCODE 0123456789]" in text
    # a second test page prints again (a fresh job id)
    assert print_test_page(p, "HK-KIOSK-0007", "en")[1].ok
    assert len(cap.wait_jobs(2)) == 2
    report = format_report(state, result, p)
    assert "Test page printed" in report and p.describe() in report


@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.escpos: print job")
def test_print_test_page_reports_paper_out(cap: CapturePrinter, tmp_path: Path) -> None:
    cap.state = "paper_out"
    p = make_printer(cap, tmp_path)
    state, result = print_test_page(p, "HK-KIOSK-0007", "zh")
    assert state == PrinterState.PAPER_OUT and not result.ok
    assert "NOT printed: paper_out" in format_report(state, result, p)
