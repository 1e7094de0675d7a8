"""Maintenance mode for technicians, behind a PIN: device states, test print, reprint of a
receipt that failed, sending queued applications, and taking the kiosk out of service."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt

from kiosk.domain.maintenance import LOCKOUT_FILE, LockoutFile, PinGate
from kiosk.flow.lifecycle import SessionEnd
from kiosk.flow.steps import Step
from kiosk.screens import tasks
from kiosk.screens.base import Context, Screen
from kiosk.screens.materials import PhoneKeypad
from kiosk.screens.theme import PALETTE
from kiosk.screens.widgets import Row, button, label, vbox

log = logging.getLogger(__name__)


class MaintPinScreen(Screen):
    step = Step.MAINT_PIN

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        m = ctx.config.maintenance
        self.gate = PinGate(m.pin_hash, lockout_s=m.lockout_s, store=LockoutFile(ctx.config.data_dir / LOCKOUT_FILE))
        lay = vbox(self, spacing=20)
        self.heading = label("heading")
        lay.addWidget(self.heading)
        self.display = label("phone", center=True)
        self.display.setObjectName("pinDisplay")
        lay.addWidget(self.display)
        self.error = label("error")
        lay.addWidget(self.error)
        self.keypad = PhoneKeypad(self._key, prefix="pin")
        lay.addWidget(self.keypad)
        lay.addStretch(1)
        self.pin = ""
        self.failed = False

    def on_enter(self) -> None:
        self.pin = ""
        self.failed = False
        super().on_enter()

    def wipe_view(self) -> None:
        self.pin = ""
        self.display.clear()

    def _key(self, k: str) -> None:
        if k == "del":
            self.pin = self.pin[:-1]
        elif k == "clear":
            self.pin = ""
        elif len(self.pin) < 12:
            self.pin += k
        self.failed = False
        self.retranslate()
        self.changed.emit()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Technician PIN"))
        self.display.setText("●" * len(self.pin) if self.pin else "— — —")
        self.keypad.buttons["clear"].setText(self.tr("Clear"))
        locked = self.gate.locked_for()
        if locked > 0:
            self.error.setText(self.tr("Too many wrong PINs. Try again in {n} minutes.").replace("{n}", str(int(locked // 60) + 1)))
        elif self.failed:
            self.error.setText(self.tr("That PIN is not right."))
        else:
            self.error.setText("")

    def primary_text(self) -> str:
        return self.tr("Enter")

    def primary_enabled(self) -> bool:
        return len(self.pin) >= 4 and self.gate.locked_for() == 0

    def activate_primary(self) -> None:
        ok = self.gate.try_pin(self.pin)
        self.pin = ""
        events = self.journey.events
        if ok:
            log.info("maintenance mode entered")
            events.emit("maintenance_entered")
            self.journey.next()
        else:
            log.warning("wrong maintenance PIN")
            locked = self.gate.locked_for()
            if locked > 0:
                events.emit("lockout", seconds=round(locked))
            else:
                events.emit("pin_wrong", tries_left=self.gate.tries_left())
            self.failed = True
            self.retranslate()
            self.changed.emit()


class MaintenanceScreen(Screen):
    step = Step.MAINTENANCE

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=12)
        self.heading = label("heading")
        lay.addWidget(self.heading)
        self.rows = {k: Row(with_change=False) for k in ("kiosk", "reader", "camera", "printer", "service", "outbox")}
        for r in self.rows.values():
            lay.addWidget(r)
        self.buttons = {}
        for key, icon in (
            ("refresh", "fa5s.sync"),
            ("test_print", "mdi6.printer-pos"),
            ("reprint", "fa5s.redo"),
            ("flush", "fa5s.paper-plane"),
            ("service", "fa5s.power-off"),
        ):
            b = button("quiet", icon=icon, color=PALETTE.text)
            b.setObjectName(f"maint_{key}")
            lay.addWidget(b)
            self.buttons[key] = b
        self.buttons["refresh"].clicked.connect(self._refresh)
        self.buttons["test_print"].clicked.connect(self._test_print)
        self.buttons["reprint"].clicked.connect(self._reprint)
        self.buttons["flush"].clicked.connect(self._flush)
        self.buttons["service"].clicked.connect(self._toggle_service)
        # Demo mode only: quit the kiosk program (a production kiosk has no way out: README).
        self.quit_button = button("danger", icon="fa5s.sign-out-alt", color=PALETTE.danger)
        self.quit_button.setObjectName("maint_quit")
        self.quit_button.setVisible(ctx.config.kiosk.mode == "demo")
        self.quit_button.clicked.connect(self._quit)
        lay.addWidget(self.quit_button)
        self.result = label("value")
        self.result.setObjectName("maintResult")
        lay.addWidget(self.result)
        lay.addStretch(1)
        self.state: dict[str, str] = {}
        self.busy_with = ""

    def set_orientation(self, portrait: bool) -> None:
        for r in self.rows.values():
            r.set_orientation(portrait)

    def on_enter(self) -> None:
        self.result.clear()
        super().on_enter()
        self._refresh()

    def busy(self) -> bool:
        return bool(self.busy_with)

    # --- actions (all device I/O off the UI thread) ---
    def _run(self, what: str, fn, done) -> None:
        if self.busy_with:
            return
        self.busy_with = what
        self.changed.emit()

        def finished(value) -> None:
            self.busy_with = ""
            done(value)
            self.retranslate()
            self.changed.emit()

        def failed(e: Exception) -> None:
            self.busy_with = ""
            self.result.setText(self.tr("Failed: {error}").replace("{error}", type(e).__name__))
            self.retranslate()
            self.changed.emit()

        tasks.run(fn, on_done=finished, on_error=failed)

    def _refresh(self) -> None:
        kiosk = self.ctx.services

        def probe() -> dict[str, str]:
            return kiosk.probe() if kiosk else {}

        self._run("refresh", probe, lambda st: self.state.update(st))

    def _test_print(self) -> None:
        kiosk = self.ctx.services
        self._run("test_print", lambda: kiosk.print_test_page(self.journey.lang), self._show_print)

    def _reprint(self) -> None:
        self._run("reprint", self.journey.receipts.reprint_failed, self._show_print)

    def _show_print(self, result) -> None:
        if result is None:
            self.result.setText(self.tr("Nothing to print."))
        elif result.ok:
            self.result.setText(self.tr("Printed."))
        else:
            self.result.setText(self.tr("Not printed: the printer reports {state}.").replace("{state}", result.state.value))
        self._refresh()

    def _flush(self) -> None:
        kiosk = self.ctx.services
        self._run("flush", lambda: kiosk.flush_outbox(30), lambda ok: self.result.setText(
            self.tr("Everything queued has been sent.") if ok else self.tr("Some applications are still queued.")
        ))

    def _quit(self) -> None:
        if self.ctx.config.kiosk.mode != "demo":
            return
        log.info("technician quit the kiosk (demo mode)")
        self.window().close()  # allowed in demo maintenance (MainWindow.escape_allowed); the program ends

    def _toggle_service(self) -> None:
        state = self.journey.state
        state.set_local(not state.local_out_of_service)
        log.info("technician set out of service: %s", state.local_out_of_service)
        self.retranslate()

    def retranslate(self) -> None:
        cfg = self.ctx.config
        self.heading.setText(self.tr("Maintenance"))
        st = self.state
        self.rows["kiosk"].set(self.tr("Kiosk"), f"{cfg.kiosk.id} · {cfg.kiosk.location}")
        self.rows["reader"].set(self.tr("Card reader"), st.get("card_reader", "…"))
        self.rows["camera"].set(self.tr("Camera"), st.get("camera", "…"))
        self.rows["printer"].set(self.tr("Printer"), st.get("printer", "…"))
        self.rows["service"].set(self.tr("Review service"), st.get("service", "…"))
        self.rows["outbox"].set(self.tr("Queued applications"), st.get("outbox", "…"))
        self.buttons["refresh"].setText(self.tr("Check the devices again"))
        self.buttons["test_print"].setText(self.tr("Print a test page"))
        self.buttons["reprint"].setText(self.tr("Reprint the receipt that failed"))

        self.buttons["flush"].setText(self.tr("Send queued applications now"))
        self.quit_button.setText(self.tr("Quit the kiosk program (demo)"))
        local_oos = self.journey.state.local_out_of_service
        self.buttons["service"].setText(self.tr("Put the kiosk back in service") if local_oos else self.tr("Take the kiosk out of service"))
        for key, b in self.buttons.items():
            allowed = self.journey.receipts.held() is not None if key == "reprint" else True
            b.setEnabled(allowed and not self.busy_with)
        self.result.setAlignment(Qt.AlignmentFlag.AlignLeft)

    def primary_text(self) -> str:
        return self.tr("Leave maintenance")

    def activate_primary(self) -> None:
        self.journey.end(SessionEnd.MAINTENANCE_LEFT)
