"""Technician helpers for the receipt printer (``kiosk devices print-test``)."""

from __future__ import annotations

import datetime as dt
import uuid

from kiosk.devices.base import PrinterState, PrintResult, ReceiptPrinter
from kiosk.domain.receipt import SHANGHAI, build_test_page

#: What each state means, for the technician (zh, en).
STATE_TEXT: dict[PrinterState, tuple[str, str]] = {
    PrinterState.OK: ("正常", "ready"),
    PrinterState.PAPER_LOW: ("纸将用完，仍可打印", "paper near end, still printing"),
    PrinterState.PAPER_OUT: ("缺纸", "out of paper"),
    PrinterState.COVER_OPEN: ("纸仓盖未关", "cover open"),
    PrinterState.OFFLINE: ("离线或无应答", "offline or not answering"),
}


def describe_printer(printer: ReceiptPrinter) -> str:
    """``network://10.0.0.5:9100, gb18030, 58 mm`` when the printer can say, else its class."""
    describe = getattr(printer, "describe", None)
    if callable(describe):
        try:
            return str(describe())
        except Exception:  # a description is never worth a failure
            pass
    return type(printer).__name__


def print_test_page(
    printer: ReceiptPrinter, kiosk_id: str, lang: str = "zh", now: dt.datetime | None = None
) -> tuple[PrinterState, PrintResult]:
    """Read the printer's state, then print the test page with a fresh job id (a test page
    always prints). Returns ``(state before printing, result)``; never raises for printer
    trouble (a refused page is ``result.ok == False``)."""
    state = printer.status()
    page = build_test_page(
        kiosk_id,
        describe_printer(printer),
        now or dt.datetime.now(SHANGHAI),
        lang,
        job_id=f"test-{uuid.uuid4().hex[:12]}",
    )
    return state, printer.print_receipt(page)


def format_report(state: PrinterState, result: PrintResult, printer: ReceiptPrinter | None = None) -> str:
    """The lines ``kiosk devices print-test`` shows (bilingual, no receipt content)."""
    zh, en = STATE_TEXT[state]
    lines = []
    if printer is not None:
        lines.append(f"打印机 Printer: {describe_printer(printer)}")
        problem = getattr(printer, "problem", None)
        if problem:
            lines.append(f"问题 Problem: {problem}")
    lines.append(f"状态 Status: {state.value} ({zh} / {en})")
    if result.ok:
        lines.append(f"测试页已打印 Test page printed (job {result.job_id})")
        if not result.state.can_print:
            rzh, ren = STATE_TEXT[result.state]
            lines.append(f"打印后状态 State after printing: {result.state.value} ({rzh} / {ren})")
    else:
        rzh, ren = STATE_TEXT[result.state]
        lines.append(f"测试页未打印 Test page NOT printed: {result.state.value} ({rzh} / {ren})")
    return "\n".join(lines)


__all__ = ["STATE_TEXT", "describe_printer", "format_report", "print_test_page"]
