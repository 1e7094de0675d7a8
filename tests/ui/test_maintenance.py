"""Maintenance mode: press and hold to reach the PIN, wrong PINs lock out, the technician
prints a test page, reprints a receipt that failed, and takes the kiosk out of service."""

from __future__ import annotations

import pytest

from kiosk.devices.base import PrinterState
from kiosk.domain.maintenance import (
    DEMO_PIN,
    DEMO_PIN_HASH,
    LOCKOUT_FILE,
    LockoutFile,
    PinGate,
    check_pin,
    hash_pin,
)
from tests.support.journey_steps import enter_pin, hold_title, to_review


def test_a_short_tap_on_the_title_does_nothing(kiosk):
    k, d = kiosk
    d.tap(d.win.current_screen().title)
    d.pump(300)
    assert d.step() == "attract"


def test_pin_then_test_page(kiosk):
    k, d = kiosk
    hold_title(d)
    enter_pin(d, DEMO_PIN)
    assert d.step() == "maintenance"
    screen = d.win.current_screen()
    d.wait(lambda: not screen.busy_with and screen.state.get("printer"), what="device probe")
    assert screen.state["printer"] == "ok" and screen.state["service"] == "ok"
    d.tap(d.find("maint_test_print"))
    d.wait(lambda: not screen.busy_with, what="test print")
    assert "打印机测试页" in k.printer.last_text()
    d.tap(d.find("primaryButton"))  # leave
    assert d.step() == "attract"


def test_wrong_pins_lock_out():
    now = [0.0]
    gate = PinGate(hash_pin("1357", iterations=1000), max_tries=3, lockout_s=300, _now=lambda: now[0])
    assert not gate.try_pin("0000") and not gate.try_pin("1111") and not gate.try_pin("2222")
    assert gate.locked_for() == 300
    assert not gate.try_pin("1357")  # even the right PIN while locked
    now[0] = 301
    assert gate.try_pin("1357")


def test_the_demo_hash_is_the_demo_pin():
    assert check_pin(DEMO_PIN, DEMO_PIN_HASH) and DEMO_PIN_HASH == hash_pin(DEMO_PIN, salt="demo-kiosk")


def test_the_lockout_survives_a_restart_and_keeps_no_pin_material(tmp_path):
    """Issue 17, case 7: the lockout lived in memory only; a restart let the right PIN in at once."""
    now = [1_800_000_000.0]
    stored = hash_pin("1357", salt="s4lt", iterations=1000)
    store = LockoutFile(tmp_path / LOCKOUT_FILE)
    gate = PinGate(stored, lockout_s=300, _now=lambda: now[0], store=store)
    assert not gate.try_pin("0000") and not gate.try_pin("1111")
    restarted = PinGate(stored, lockout_s=300, _now=lambda: now[0], store=store)  # wrong tries are kept too
    assert restarted.tries_left() == 1
    assert not restarted.try_pin("2222")
    now[0] += 10
    after_restart = PinGate(stored, lockout_s=300, _now=lambda: now[0], store=store)
    assert after_restart.locked_for() == 290
    assert not after_restart.try_pin("1357")  # the right PIN, still locked
    text = (tmp_path / LOCKOUT_FILE).read_text()
    assert "1357" not in text and "s4lt" not in text and stored.split("$")[-1] not in text
    now[0] -= 100_000  # the clock set back a day: never more than one lockout
    assert PinGate(stored, lockout_s=300, _now=lambda: now[0], store=store).locked_for() == 300
    now[0] += 100_000 + 300
    assert PinGate(stored, lockout_s=300, _now=lambda: now[0], store=store).try_pin("1357")


@pytest.mark.allow_log(r"^kiosk\.screens\.maintenance: wrong maintenance PIN")
def test_a_lockout_on_screen_survives_a_restart_of_the_kiosk(qtbot, kiosk_config):
    from tests.support.kiosk import make_kiosk

    k, d = make_kiosk(qtbot, kiosk_config)
    try:
        hold_title(d)
        for _ in range(3):
            enter_pin(d, "999999")
        assert d.win.current_screen().gate.locked_for() > 0
    finally:
        k.close()
    k, d = make_kiosk(qtbot, kiosk_config)  # the same data directory: a restart
    try:
        hold_title(d)
        screen = d.win.current_screen()
        assert screen.gate.locked_for() > 0
        for digit in DEMO_PIN:
            d.tap(d.find(f"pin_{digit}"))
        assert not d.win.primary_button.isEnabled()
        assert "Too many wrong PINs" in screen.error.text() or "错误" in screen.error.text()
    finally:
        k.close()


@pytest.mark.allow_log(r"^kiosk\.screens\.maintenance: wrong maintenance PIN")
def test_wrong_pin_on_screen(kiosk):
    k, d = kiosk
    hold_title(d)
    enter_pin(d, "999999")
    assert d.step() == "maint_pin"
    assert d.win.current_screen().error.text()


@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.sim: print job")
def test_reprint_of_a_receipt_that_failed(kiosk, sim):
    k, d = kiosk
    k.printer.set_state(PrinterState.PAPER_OUT)
    to_review(d, pages=1)
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "done", timeout=30, what="done")
    assert k.printer.jobs() == []
    app_id = sim.applications()[0]["application_id"]
    d.tap(d.find("primaryButton"))  # the resident leaves with the number
    assert not k.session.holds_personal_data()
    k.printer.set_state(PrinterState.OK)  # the technician refills the paper
    hold_title(d)
    enter_pin(d, DEMO_PIN)
    screen = d.win.current_screen()
    d.wait(lambda: not screen.busy_with, what="probe")
    assert d.find("maint_reprint").isEnabled()
    d.tap(d.find("maint_reprint"))
    d.wait(lambda: not screen.busy_with, what="reprint")
    text = k.printer.last_text()
    assert app_id in text and "460108********0310" in text and "460108198706120310" not in text
    assert not d.find("maint_reprint").isEnabled()  # printed once; nothing held any more


def wait_idle(d) -> None:
    screen = d.win.current_screen()
    d.wait(lambda: not screen.busy_with, what="maintenance idle")


def test_technician_takes_the_kiosk_out_of_service(kiosk):
    k, d = kiosk
    hold_title(d)
    enter_pin(d, DEMO_PIN)
    wait_idle(d)
    d.tap(d.find("maint_service"))
    d.tap(d.find("primaryButton"))
    attract = d.win.current_screen()
    assert d.step() == "attract" and attract.oos.isVisible() and not attract.tiles["renewal"].isVisible()
    hold_title(d)
    enter_pin(d, DEMO_PIN)
    wait_idle(d)
    d.tap(d.find("maint_service"))
    d.tap(d.find("primaryButton"))
    assert attract.tiles["renewal"].isVisible()


def test_hash_pin_cli(tmp_path):
    import subprocess
    import sys

    from kiosk.domain.maintenance import check_pin

    r = subprocess.run([sys.executable, "-m", "kiosk", "maintenance", "hash-pin"], input="135790\n", capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    stored = r.stdout.strip()
    assert check_pin("135790", stored) and not check_pin("135791", stored)
    bad = subprocess.run([sys.executable, "-m", "kiosk", "maintenance", "hash-pin"], input="12\n", capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
