"""The simulated receipt printer."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest

from kiosk.devices.base import PrinterState, PrintResult, ReceiptPrinter
from kiosk.devices.printer.sim import SimPrinter
from kiosk.domain.receipt import Block, Receipt, SubmissionInfo, build_submission_receipt
from kiosk.receipts.escpos_render import render_escpos
from kiosk.receipts.text import render_text

TZ = dt.timezone(dt.timedelta(hours=8))


def receipt(job_id: str = "job-1", lang: str = "zh") -> Receipt:
    info = SubmissionInfo(
        service="renewal",
        application_id="JZ-20250611-000123",
        client_reference="K0007-20250611-0042",
        applicant_name="张伟",
        id_number="46010019900101123X",
        submitted_at=dt.datetime(2025, 6, 11, 10, 15, tzinfo=TZ),
        expected_decision_by=None,
        kiosk_id="HK-KIOSK-0007",
        kiosk_location="海口市政务服务中心一楼大厅",
    )
    return build_submission_receipt(info, lang, job_id)


def test_is_a_receipt_printer() -> None:
    assert isinstance(SimPrinter(), ReceiptPrinter)


def test_prints_and_keeps_bytes() -> None:
    p = SimPrinter()
    assert p.status() == PrinterState.OK
    assert p.last_text() is None
    r = receipt()
    result = p.print_receipt(r)
    assert result == PrintResult(ok=True, job_id="job-1", state=PrinterState.OK, duplicate=False)
    assert p.jobs() == [("job-1", render_escpos(r))]
    assert p.last_text() == render_text(r)
    assert "JZ-20250611-000123" in (p.last_text() or "")


def test_width_is_used_for_render_and_decode() -> None:
    p = SimPrinter(width=48)
    r = receipt(lang="en")
    p.print_receipt(r)
    assert p.last_text() == render_text(r, 48)


def test_duplicate_job_id_is_not_reprinted() -> None:
    p = SimPrinter()
    assert p.print_receipt(receipt("job-1")).ok
    again = p.print_receipt(receipt("job-1"))
    assert again.ok and again.duplicate and again.job_id == "job-1"
    assert len(p.jobs()) == 1
    assert p.print_receipt(receipt("job-2")).duplicate is False
    assert [job for job, _ in p.jobs()] == ["job-1", "job-2"]


@pytest.mark.parametrize("state", [PrinterState.PAPER_OUT, PrinterState.COVER_OPEN, PrinterState.OFFLINE])
@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.sim: print job")
def test_refuses_when_it_cannot_print(state: PrinterState) -> None:
    p = SimPrinter()
    p.set_state(state)
    assert p.status() == state
    result = p.print_receipt(receipt())
    assert result == PrintResult(ok=False, job_id="job-1", state=state)
    assert p.jobs() == [] and p.last_text() is None
    # once fixed, the retry of the same job prints (it was never printed)
    p.set_state(PrinterState.OK)
    assert p.print_receipt(receipt()) == PrintResult(ok=True, job_id="job-1", state=PrinterState.OK)
    assert len(p.jobs()) == 1


def test_paper_low_still_prints() -> None:
    p = SimPrinter()
    p.set_state(PrinterState.PAPER_LOW)
    result = p.print_receipt(receipt())
    assert result.ok and result.state == PrinterState.PAPER_LOW
    assert len(p.jobs()) == 1


def test_clear_forgets_everything_but_the_state() -> None:
    p = SimPrinter()
    p.set_state(PrinterState.PAPER_LOW)
    p.print_receipt(receipt())
    p.clear()
    assert p.jobs() == [] and p.last_text() is None
    assert p.status() == PrinterState.PAPER_LOW
    assert not p.print_receipt(receipt()).duplicate


@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.escpos: print job", r"^kiosk\.devices\.printer\.escpos: print job job\-bad: rendering failed: TypeError", r"^kiosk\.devices\.printer\.escpos: printer", r"^kiosk\.devices\.printer\.sim: print job job\-bad failed: TypeError")
def test_never_raises() -> None:
    p = SimPrinter()
    bad = Receipt("job-bad", (Block("text", "x"),), "zh")
    object.__setattr__(bad, "blocks", None)  # a broken receipt: rendering fails
    result = p.print_receipt(bad)
    assert result == PrintResult(ok=False, job_id="job-bad", state=PrinterState.OK)
    assert p.jobs() == []


def test_thread_safe_one_print_per_job() -> None:
    p = SimPrinter()
    results: list[PrintResult] = []
    lock = threading.Lock()

    def worker(n: int) -> None:
        for i in range(5):
            r = p.print_receipt(receipt(f"job-{(n + i) % 4}"))
            with lock:
                results.append(r)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(job for job, _ in p.jobs()) == ["job-0", "job-1", "job-2", "job-3"]
    assert len(results) == 40 and all(r.ok for r in results)
    assert sum(not r.duplicate for r in results) == 4


def test_status_answers_while_a_job_prints() -> None:
    p = SimPrinter(delay=0.3)
    done = threading.Event()
    results: list[PrintResult] = []

    def job() -> None:
        results.append(p.print_receipt(receipt()))
        done.set()

    t = threading.Thread(target=job)
    t.start()
    deadline = time.monotonic() + 2
    while not p._printed and time.monotonic() < deadline:  # wait until the job has started
        time.sleep(0.005)
    assert p.status() == PrinterState.OK and not done.is_set()
    assert p.print_receipt(receipt()).duplicate  # a retry while printing is not printed twice
    t.join()
    assert results[0].ok and not results[0].duplicate and len(p.jobs()) == 1
