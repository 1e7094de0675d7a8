"""Printer trouble during a session, with the real ESC/POS adapter and the capture printer
over TCP: the application is submitted anyway, the number stays on screen, nothing prints
twice, and a technician can reprint once the printer is fixed."""

from __future__ import annotations

import pytest

from kiosk.devices.base import PrinterState
from kiosk.devices.printer.capture import CapturePrinter
from kiosk.domain.maintenance import DEMO_PIN
from tests.support.journey_steps import enter_pin, hold_title, to_review
from tests.support.kiosk import make_kiosk


@pytest.fixture
def capture():
    with CapturePrinter(port=0) as cap:
        yield cap


@pytest.fixture
def escpos_kiosk(qtbot, kiosk_config, capture):
    cfg = kiosk_config.with_overrides(devices={"printer": capture.uri})
    k, d = make_kiosk(qtbot, cfg)
    yield k, d
    k.close()


def submit(d) -> None:
    to_review(d, pages=1)
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "done", timeout=30, what="done")


def test_receipt_prints_on_the_escpos_printer(escpos_kiosk, capture, sim):
    k, d = escpos_kiosk
    submit(d)
    capture.wait_jobs(1)
    (text,) = capture.texts()
    app_id = sim.applications()[0]["application_id"]
    assert app_id in text and "460108********0310" in text and "[CUT]" in text


@pytest.mark.parametrize("state", [PrinterState.PAPER_OUT, PrinterState.COVER_OPEN, PrinterState.OFFLINE])
@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.escpos: print job")
def test_printer_trouble_keeps_the_number_on_screen(escpos_kiosk, capture, sim, state):
    k, d = escpos_kiosk
    capture.state = state
    submit(d)
    app_id = sim.applications()[0]["application_id"]
    done = d.win.current_screen()
    assert done.number.text() == app_id
    assert "not working" in done.print_notice.heading.text() or "无法使用" in done.print_notice.heading.text()
    assert capture.complete_jobs() == []
    k.heartbeat.beat()  # the technicians see it
    assert k.heartbeat.last_error["code"] == f"printer_{state.value}"

    d.tap(d.find("primaryButton"))
    capture.state = PrinterState.OK
    hold_title(d)
    enter_pin(d, DEMO_PIN)
    screen = d.win.current_screen()
    d.wait(lambda: not screen.busy_with, what="probe")
    d.tap(d.find("maint_reprint"))
    d.wait(lambda: not screen.busy_with, what="reprint")
    capture.wait_jobs(1)
    jobs = capture.complete_jobs()
    assert len(jobs) == 1
    assert app_id in capture.texts()[-1]
