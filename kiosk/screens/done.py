"""The confirmation: the number to keep, what happens next, the printer's state, take your
things, and a countdown back to the start (with a warning and "keep viewing")."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout

from kiosk.domain.applications import ApplicationView, PickupMethod, PickupResult
from kiosk.domain.services import Service
from kiosk.domain.session import Operation
from kiosk.flow.lifecycle import SessionEnd
from kiosk.flow.steps import Step
from kiosk.screens import fmt
from kiosk.screens.base import Context, Screen
from kiosk.screens.widgets import Notice, TakeThings, button, label, vbox

log = logging.getLogger(__name__)


class DoneScreen(Screen):
    """The confirmation: the number, what happens next, the printer, take your things, and a
    visible countdown back to the start (a warning before it, "Keep viewing" extends it; no
    countdown while a printer problem is shown: the resident must note the number)."""

    step = Step.DONE

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        outer = vbox(self, spacing=14)
        # Tall screens: one column. Wide screens: the outcome left, what to take and the time right.
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(32)
        outer.addLayout(self.body)
        lay = vbox(spacing=8)
        self.body.addLayout(lay, 3)
        self.banner = Notice("success")
        lay.addWidget(self.banner)
        self.number_label = label("label", center=True)
        lay.addWidget(self.number_label)
        self.number = label("display", center=True)
        self.number.setObjectName("applicationNumber")
        self.number.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        lay.addWidget(self.number)
        self.next_heading = label("value")
        lay.addWidget(self.next_heading)
        # What happens next is also on the receipt: body text, so the number and the things to
        # take keep their size and elder mode fits without scrolling.
        self.steps = [label("body") for _ in range(3)]
        for s in self.steps:
            lay.addWidget(s)
        lay.addStretch(1)
        lay = vbox(spacing=12)
        self.body.addLayout(lay, 2)
        self.print_notice = Notice("info")
        self.print_notice.setObjectName("printNotice")
        lay.addWidget(self.print_notice)
        self.take_things = TakeThings(140)
        lay.addWidget(self.take_things)
        row = QHBoxLayout()
        row.setSpacing(20)
        self.countdown = label("body")
        self.countdown.setObjectName("doneCountdown")
        row.addWidget(self.countdown, 1)
        self.keep = button("", icon="fa5s.hourglass-start")
        self.keep.setObjectName("keepViewing")
        self.keep.clicked.connect(self.keep_viewing)
        row.addWidget(self.keep)
        lay.addLayout(row)
        self.closing = Notice("warning")
        self.closing.setObjectName("doneClosing")
        lay.addWidget(self.closing)
        lay.addStretch(1)
        outer.addStretch(1)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._on_tick)
        self.left = 0  # seconds until the screen returns to the start (0: not counting)

    def set_orientation(self, portrait: bool) -> None:
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        self.body.setSpacing(12 if portrait else 32)  # one column: the two parts close together
        # Wide: two equal columns (what to take is in larger type than the steps).
        self.body.setStretch(0, 3 if portrait else 1)
        self.body.setStretch(1, 2 if portrait else 1)

    # Large English text: the success banner's second line (its heading says it), then the
    # heading over the numbered steps.
    spare_parts = 2

    def fold(self, n: int) -> None:
        self.banner.body.setVisible(bool(self.banner.body.text()) and not (n >= 1 and self.banner.kind == "success"))
        self.next_heading.setVisible(n < 2)

    @property
    def warning_s(self) -> int:
        """The warning comes this many seconds before the return (at least 20, WCAG 2.2.1)."""
        return self.ctx.config.timeouts.warning_s

    def on_enter(self) -> None:
        self.left = 0
        super().on_enter()
        self._start_countdown()

    def on_leave(self) -> None:
        self._tick.stop()

    def wipe_view(self) -> None:
        self._tick.stop()
        self.left = 0
        self.number.clear()

    def busy(self) -> bool:
        # A printer problem is on screen: the resident is writing the number down; no timeout.
        return self.printer_problem()

    def printer_problem(self) -> bool:
        if self.session.operation == Operation.SUPPLEMENT:
            return False
        result = self.journey.print_result
        return result is None or not result.ok

    def _start_countdown(self) -> None:
        if self.printer_problem():
            self._tick.stop()
            self.left = 0
        else:
            self.left = self.ctx.config.timeouts.done_s
            self._tick.start()
        self._show_countdown()

    def keep_viewing(self) -> None:
        """'Keep viewing': the full time again."""
        self._start_countdown()
        self.changed.emit()

    def _on_tick(self) -> None:
        self.left -= 1
        if self.left <= 0:
            self._tick.stop()
            self._finish()
            return
        warned = self.closing.isVisibleTo(self)
        self._show_countdown()
        if self.closing.isVisibleTo(self) and not warned:
            self.play("reminder")
            self.changed.emit()  # the window says the warning

    def _show_countdown(self) -> None:
        counting = self.left > 0
        self.keep.setVisible(counting)
        self.keep.setText(self.tr("Keep viewing"))
        if counting:
            self.countdown.setText(self.tr("This page returns to the start in {n} s.").replace("{n}", str(self.left)))
        else:
            self.countdown.setText(self.tr("This page stays until you press Finish."))
        warn = counting and self.left <= self.warning_s
        self.closing.setVisible(warn)
        if warn:
            self.closing.set_text(
                self.tr("This page will close soon"),
                self.tr("Press Keep viewing if you still need the number."),
            )

    def spoken_texts(self) -> list[str]:
        """The outcome, the number, what happens next, the receipt and take your things."""
        texts = [self.banner.heading.text(), self.banner.body.text()]
        if self.number.text():
            texts.append(self.number_label.text() + " " + " ".join(self.number.text()))
        texts += [self.next_heading.text(), *(w.text() for w in self.steps)]
        if self.print_notice.isVisibleTo(self):
            texts += [self.print_notice.heading.text(), self.print_notice.body.text()]
        texts.append(self.take_things.text.text())
        return [t for t in texts if t]

    def retranslate(self) -> None:
        s = self.session
        zh = self.zh
        self._after_retranslate()
        if s.operation == Operation.PICKUP and isinstance(s.result, PickupResult):
            self.banner.set_kind("success")
            self._pickup_done(s.result)
        elif s.operation == Operation.SUPPLEMENT and isinstance(s.result, ApplicationView):
            self.banner.set_kind("success")
            self.banner.set_text(self.tr("Documents sent"), self.tr("Your application is back with the police officer."))
            self.number_label.setText(self.tr("Your application number"))
            self.number.setText(s.result.application_id)
            self.next_heading.setText(self.tr("What happens next"))
            self._steps(
                self.tr("The officer checks the new documents."),
                self.tr("You get an SMS with the result."),
                self.tr("You can follow it at any kiosk under My applications."),
            )
        elif s.submission is not None:
            sub = s.submission
            if sub.application_id:
                self.banner.set_kind("success")
                self.banner.set_text(self.tr("Application submitted"), self.tr("The police have received your application."))
                self.number_label.setText(self.tr("Your application number"))
                self.number.setText(sub.application_id)
            else:
                # Saved on this machine, not yet with the police: not the success colour.
                self.banner.set_kind("info")
                self.banner.set_text(
                    self.tr("Application saved"),
                    self.tr("The network is slow, so this machine will send it automatically. You do not need to do anything or wait here."),
                )
                self.number_label.setText(self.tr("Your reference number"))
                self.number.setText(sub.client_reference)
            self.next_heading.setText(self.tr("What happens next"))
            when = fmt.date(sub.expected_decision_by.date(), zh) if sub.expected_decision_by else ""
            third = self.tr("Then choose window or mail pickup at any kiosk under My applications. Your permit is ready within 15 days.")
            if s.service == Service.REISSUE_DAMAGED:
                third = self.sentences(third, self.tr("Bring the damaged permit when you collect."))
            self._steps(
                self.tr("A police officer reviews your application, usually within 5 working days."),
                self.tr("You get an SMS with the result, expected by {date}.").replace("{date}", when) if when
                else self.tr("You get an SMS with the result."),
                third,
            )
        else:
            return
        result = self.journey.print_result
        if s.operation == Operation.SUPPLEMENT:
            self.print_notice.hide()
        elif result is not None and result.ok:
            self.print_notice.show()
            self.print_notice.set_kind("info")
            self.print_notice.set_text(self.tr("Take your receipt from the slot below the screen."), "")
        else:
            self.print_notice.show()
            self.print_notice.set_kind("warning")
            self.print_notice.set_text(
                self.tr("The receipt printer is not working"),
                self.tr("Your application is submitted. Please take a photo of the number above, or write it down. You can print the receipt at another kiosk by reading your ID card under My applications."),
            )

    def _after_retranslate(self) -> None:
        self.take_things.retranslate()
        self._show_countdown()

    def _steps(self, *texts: str) -> None:
        for i, (w, t) in enumerate(zip(self.steps, texts, strict=True), start=1):
            w.setText(f"{i}. {t}")

    def _pickup_done(self, p: PickupResult) -> None:
        self.banner.set_text(self.tr("Your choice is recorded"), "")
        self.number_label.setText(self.tr("Your application number"))
        self.number.setText(p.application_id)
        self.next_heading.setText(self.tr("What to do now"))
        if p.method == PickupMethod.WINDOW:
            from kiosk.screens.status import bring_words

            self._steps(
                self.tr("Go to {station}, {address}.").replace("{station}", p.station_name).replace("{address}", p.station_address),
                self.tr("Opening hours: {hours}").replace("{hours}", p.pickup_hours),
                self.tr("Bring {items}.").replace("{items}", bring_words(list(p.bring))),
            )
        else:
            to = p.send_permit_to
            first = (
                self.tr("First post your current permit to {station}, {address}.").replace("{station}", to.name).replace("{address}", to.address)
                if to is not None
                else self.tr("You do not need to send anything.")
            )
            self._steps(
                first,
                self.tr("The police post the new permit to you; you pay the postage on delivery."),
                self.tr("The courier calls {phone}.").replace("{phone}", p.phone_masked),
            )

    def primary_text(self) -> str:
        return self.tr("Finish")

    def activate_primary(self) -> None:
        self._finish()

    def _finish(self) -> None:
        self.journey.end(SessionEnd.FINISHED)
