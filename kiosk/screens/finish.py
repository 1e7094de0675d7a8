"""Mobile number, check your answers and submitting (the confirmation is in ``done.py``)."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel

from kiosk.backend_client import BackendError
from kiosk.domain.application import valid_mobile
from kiosk.domain.rules import Verdict
from kiosk.domain.services import Basis, Service
from kiosk.domain.session import Operation
from kiosk.flow.lifecycle import SessionEnd
from kiosk.flow.steps import Kind, Step
from kiosk.screens import fmt, tasks
from kiosk.screens.base import Context, Screen
from kiosk.screens.frame import service_name
from kiosk.screens.materials import PhoneKeypad, category_name
from kiosk.screens.theme import PALETTE
from kiosk.screens.widgets import Notice, Row, button, icon_pixmap, label, vbox
from kiosk.storage import StorageError

log = logging.getLogger(__name__)


class PhoneScreen(Screen):
    """The mobile number for the result SMS. When the police hold a number for the resident
    (contract 1.1) it is offered first: one tap to use it, or "Use another number" for the
    keypad. A service that sends no number on file (1.0) shows the keypad straight away."""

    step = Step.PHONE

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=20)
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(32)
        lay.addLayout(self.body)
        col = vbox(spacing=20)
        self.heading = label("heading")
        self.hint = label("lead")
        col.addWidget(self.heading)
        col.addWidget(self.hint)
        self.on_file = label("phone", center=True)
        self.on_file.setObjectName("phoneOnFile")
        col.addWidget(self.on_file)
        self.other = button("quiet", icon="fa5s.keyboard")
        self.other.setObjectName("otherNumber")
        self.other.clicked.connect(self._use_keypad)
        col.addWidget(self.other, 0, Qt.AlignmentFlag.AlignLeft)
        self.display = label("phone", center=True)
        self.display.setObjectName("phoneDisplay")
        col.addWidget(self.display)
        self.error = label("error")
        col.addWidget(self.error)
        col.addStretch(1)
        self.body.addLayout(col, 1)
        self.keypad = PhoneKeypad(self._key)
        self.body.addWidget(self.keypad, 1)
        lay.addStretch(1)
        self.digits = ""
        self.keypad_chosen = False

    def set_orientation(self, portrait: bool) -> None:
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)

    def on_enter(self) -> None:
        self.digits = self.journey.current_phone() or ""
        # A number typed before (a "Change" from check-your-answers) keeps the keypad.
        self.keypad_chosen = bool(self.digits)
        super().on_enter()

    def wipe_view(self) -> None:
        self.digits = ""
        self.keypad_chosen = False
        self.display.clear()
        self.on_file.clear()

    def offering_on_file(self) -> bool:
        return not self.keypad_chosen and self.journey.phone_on_file() is not None

    def _use_keypad(self) -> None:
        self.keypad_chosen = True
        self.retranslate()
        self.changed.emit()

    def _key(self, k: str) -> None:
        if k == "del":
            self.digits = self.digits[:-1]
        elif k == "clear":
            self.digits = ""
        elif len(self.digits) < 11:
            self.digits += k
        self.retranslate()
        self.changed.emit()

    def retranslate(self) -> None:
        offering = self.offering_on_file()
        for w in (self.on_file, self.other):
            w.setVisible(offering)
        for w in (self.display, self.keypad):
            w.setVisible(not offering)
        pickup = self.session.operation == Operation.PICKUP
        if offering:
            masked = self.journey.phone_on_file() or ""
            self.heading.setText(self.tr("The SMS goes to your phone ending {tail}").replace("{tail}", masked[-4:]))
            self.hint.setText(self.tr("This is the number the police have for you. The review result is sent to it."))
            self.on_file.setText(fmt.phone_spaced(masked))
            self.other.setText(self.tr("Use another number"))
            self.error.setText("")
            self.error.hide()
            return
        self.heading.setText(self.tr("Your mobile number"))
        if pickup:
            self.hint.setText(self.tr("The courier calls this number when your permit is delivered."))
        else:
            self.hint.setText(self.tr("The police send the review result to this number by SMS."))
        self.display.setText(fmt.phone_spaced(self.digits) if self.digits else "— — —")
        self.keypad.buttons["clear"].setText(self.tr("Clear"))
        if len(self.digits) == 11 and not valid_mobile(self.digits):
            self.error.setText(self.tr("This is not a mobile number. It starts with 13 to 19 and has 11 digits."))
        else:
            self.error.setText("")
        self.error.setVisible(bool(self.error.text()))

    def primary_text(self) -> str:
        if self.offering_on_file():
            return self.tr("Use this number")
        return self.tr("Continue")

    def primary_enabled(self) -> bool:
        return self.offering_on_file() or valid_mobile(self.digits)

    def activate_primary(self) -> None:
        if self.offering_on_file():
            self.journey.use_phone_on_file()
        elif valid_mobile(self.digits):
            self.journey.set_phone(self.digits)


class ReviewScreen(Screen):
    """Check your answers: every answer of this journey, each with a Change link."""

    step = Step.REVIEW

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=8)
        self.heading = label("heading")
        lay.addWidget(self.heading)
        # Tall screens: one column of rows. Wide screens: two columns (elder mode fits).
        self.rows_box = QHBoxLayout()
        self.rows_box.setSpacing(48)
        self.columns = [vbox(spacing=0), vbox(spacing=0)]
        for c in self.columns:
            self.rows_box.addLayout(c)
            c.addStretch(1)
        lay.addLayout(self.rows_box)
        self.rows: dict[str, Row] = {}
        self.notice = Notice("warning")
        self.notice.setObjectName("reviewNotice")
        lay.addWidget(self.notice)
        self.declaration = label("muted")
        lay.addWidget(self.declaration)
        lay.addStretch(1)
        self._portrait = True

    def wipe_view(self) -> None:
        self._clear_rows()

    def set_orientation(self, portrait: bool) -> None:
        self._portrait = portrait
        self._arrange()

    # Large English text: the heading (the header's step says "Check and submit").
    spare_parts = 1

    def fold(self, n: int) -> None:
        self.heading.setVisible(n < 1)

    def _clear_rows(self) -> None:
        for r in self.rows.values():
            for c in self.columns:
                c.removeWidget(r)
            r.setParent(None)
            r.deleteLater()
        self.rows = {}

    def _arrange(self) -> None:
        """One column on a tall screen; down the first column, then the second, on a wide one."""
        rows = list(self.rows.values())
        for r in rows:
            for c in self.columns:
                c.removeWidget(r)
        half = len(rows) if self._portrait else (len(rows) + 1) // 2
        for i, r in enumerate(rows):
            column = self.columns[0 if i < half else 1]
            column.insertWidget(column.count() - 1, r)  # above the column's stretch
        # Wide: two equal columns (a long answer in large English text wraps in a narrow one).
        self.rows_box.setStretch(0, 3)
        self.rows_box.setStretch(1, 0 if self._portrait else 3)

    def _add(self, key: str, name: str, value: str, change_to: Step | None = None) -> None:
        row = Row(with_change=change_to is not None)
        # The label above the value: a tall screen's one column, or a wide screen's two.
        row.set_orientation(True)
        row.layout().setContentsMargins(0, 6, 0, 6)
        if row.change is not None:
            row.change.setObjectName(f"change_{key}")
            row.change.clicked.connect(lambda _=False, step=change_to: self.journey.change(step))
        row.set(name, value, self.tr("Change") if change_to is not None else "")
        self.rows[key] = row
        self._arrange()

    def retranslate(self) -> None:
        s = self.session
        app, ident, permit = s.application, s.identity, s.permit
        self.heading.setText(self.tr("Check your answers"))
        self._clear_rows()
        if app is None or ident is None:
            return
        zh = self.zh
        kind = self.journey.kind
        pages = self.tr("{n} page(s)").replace("{n}", str(len(app.pages)))
        docs = (category_name(app.category, zh) if app.category else "") + "  " + pages
        phone = fmt.phone_spaced(app.phone or "")
        if app.use_phone_on_file:
            on_file = self.journey.phone_on_file() or ""
            phone = self.tr("{number} (the number the police have for you)").replace("{number}", fmt.phone_spaced(on_file))
        notice: tuple[str, str] | None = None
        if s.operation == Operation.SUPPLEMENT:
            self._add("application", self.tr("Application number"), s.selected.application_id if s.selected else "")
            self._add("documents", self.tr("Documents to add"), docs, Step.CAPTURE)
        elif kind == Kind.INFO_CHANGE:
            self._add("service", self.tr("Service"), service_name(app.service))
            self._add("applicant", self.tr("Applicant"), f"{ident.name}  {ident.masked_id()}")
            changes = app.changes or {}
            if "residence_address" in changes:
                self._add("address", self.tr("New address"), changes["residence_address"], Step.ADDRESS)
            if "employer" in changes:
                self._add("employer", self.tr("New employer"), changes["employer"], Step.EMPLOYER)
            if "school" in changes:
                self._add("school", self.tr("New school"), changes["school"], Step.SCHOOL)
            if s.change_date:
                self._add("change_date", self.tr("Date of the change"), fmt.date(s.change_date, zh), Step.CHANGE_DATE)
            self._add("documents", self.tr("Proof"), docs, Step.CAPTURE)
            self._add("phone", self.tr("Mobile number"), phone, Step.PHONE)
            if s.change_late:
                notice = (self.tr("Reported late"), self.tr("More than 30 days have passed since the change. It is still accepted."))
        elif kind == Kind.REISSUE:
            self._add("service", self.tr("Service"), service_name(app.service), Step.REISSUE_KIND)
            self._add("applicant", self.tr("Applicant"), f"{ident.name}  {ident.masked_id()}")
            fee = self.journey.reissue_policy
            self._add("fee", self.tr("Production fee"), f"￥{fee.fee_cny}  " + (fee.fee_payment_zh if zh else fee.fee_payment_en))
            self._add("phone", self.tr("Mobile number"), phone, Step.PHONE)
            if app.service == Service.REISSUE_DAMAGED:
                notice = (self.tr("Bring the damaged permit"), self.tr("It is handed in when you collect the new one."))
        else:
            self._add("service", self.tr("Service"), service_name(app.service))
            self._add("applicant", self.tr("Applicant"), f"{ident.name}  {ident.masked_id()}")
            self._add("permit", self.tr("Permit valid until"), fmt.date(permit.valid_until, zh) if permit else "")
            basis_names = {Basis.EMPLOYMENT: self.tr("I work here"), Basis.RESIDENCE: self.tr("I have a home here"), Basis.STUDY: self.tr("I study here")}
            self._add("basis", self.tr("Reason"), basis_names.get(app.basis, ""), Step.CATEGORY)
            self._add("documents", self.tr("Document"), docs, Step.CAPTURE)
            self._add("phone", self.tr("Mobile number"), phone, Step.PHONE)
            if s.eligibility is not None and s.eligibility.verdict == Verdict.ELIGIBLE_LATE:
                notice = (self.tr("Late renewal"), self.tr("Your years of residence will be counted again from today."))
        self.notice.setVisible(notice is not None)
        if notice:
            self.notice.set_text(*notice)
        self.declaration.setText(self.tr("By submitting you confirm that the information and documents are true."))

    def primary_text(self) -> str:
        if self.session.operation == Operation.SUPPLEMENT:
            return self.tr("Send documents")
        return self.tr("Submit application")

    def activate_primary(self) -> None:
        self.journey.next()


class SubmitScreen(Screen):
    """Working: upload, submit, print. Words and progress; no dead ends."""

    step = Step.SUBMIT

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=28)
        lay.addStretch(1)
        self.icon = QLabel()
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.icon)
        self.heading = label("heading", center=True)
        self.heading.setObjectName("submitHeading")
        lay.addWidget(self.heading)
        self.detail = label("lead", center=True)
        lay.addWidget(self.detail)
        self.notice = Notice("error")
        self.notice.setObjectName("submitError")
        lay.addWidget(self.notice)
        lay.addStretch(2)
        self.phase = "idle"  # sending | printing | failed | refused
        self.progress = (0, 0)
        self.error: BackendError | Exception | None = None
        self.slow = False
        self._slow_timer = QTimer(self)
        self._slow_timer.setSingleShot(True)
        self._slow_timer.setInterval(10_000)
        self._slow_timer.timeout.connect(self._on_slow)
        self._task: tasks.Task | None = None

    def on_enter(self) -> None:
        self._send()
        super().on_enter()

    def on_leave(self) -> None:
        self._slow_timer.stop()

    def wipe_view(self) -> None:
        if self._task:
            self._task.cancel()
        self._slow_timer.stop()
        self.phase = "idle"
        self.error = None

    def busy(self) -> bool:
        return self.phase in ("sending", "printing")

    def back_allowed(self) -> bool:
        # While working there is no way back; after a failure, Back/Cancel are offered.
        return self.phase in ("failed", "refused", "storage")

    def _send(self) -> None:
        self.phase = "sending"
        self.error = None
        self.slow = False
        app = self.session.application
        self.progress = (0, len(app.pages) + 1 if app and self.session.operation != Operation.PICKUP else 1)
        self._slow_timer.start()
        self._task = tasks.run(self.journey.submit, on_done=self._sent, on_error=self._failed, on_progress=self._on_progress)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress = (done, total)
        self.retranslate()
        self.changed.emit()  # progress: the idle timer stays paused (frame.refresh)

    def _sent(self, _submission) -> None:
        self.phase = "printing"
        self.slow = False
        self._slow_timer.start()
        self.retranslate()
        self.changed.emit()
        self._task = tasks.run(self.journey.print_after_submit, on_done=self._printed, on_error=self._print_error)

    def _printed(self, _result) -> None:
        self._slow_timer.stop()
        self.phase = "idle"
        self.journey.next()

    def _print_error(self, e: Exception) -> None:
        log.error("printing failed: %s", type(e).__name__)
        self._printed(None)

    def _failed(self, e: Exception) -> None:
        self._slow_timer.stop()
        if self.journey.accepted:  # committed before it failed: it will be sent, the resident is told so
            log.error("after the commit: %s; the application is saved and will be sent", type(e).__name__)
            self._sent(None)
            return
        self.error = e
        refused = isinstance(e, BackendError) and not e.retryable
        self.phase = "storage" if isinstance(e, StorageError) else "refused" if refused else "failed"
        if isinstance(e, StorageError):
            self.journey.storage_failed(e.reason)
        elif not isinstance(e, BackendError):
            log.error("submission failed: %s", type(e).__name__)
        self.retranslate()
        self.changed.emit()

    def _on_slow(self) -> None:
        self.slow = True
        self.retranslate()
        self.changed.emit()

    def retranslate(self) -> None:
        self.notice.hide()
        if self.phase == "sending":
            self.icon.setPixmap(icon_pixmap("fa5s.paper-plane", 120))
            done, total = self.progress
            pages = max(0, total - 1)
            if done < pages:
                self.heading.setText(self.tr("Sending your documents… {done} of {total}").replace("{done}", str(done + 1)).replace("{total}", str(pages)))
            elif self.session.operation == Operation.PICKUP:
                self.heading.setText(self.tr("Sending your choice…"))
            else:
                self.heading.setText(self.tr("Submitting your application…"))
            self.detail.setText(self.tr("Please wait. Do not take your documents away yet."))
        elif self.phase == "printing":
            self.icon.setPixmap(icon_pixmap("mdi6.printer-pos", 120))
            self.heading.setText(self.tr("Printing your receipt…"))
            self.detail.setText("")
        elif self.phase == "storage":
            self.icon.setPixmap(icon_pixmap("fa5s.exclamation-circle", 120, PALETTE.danger))
            self.heading.setText(self.tr("This machine cannot save your application"))
            self.detail.setText(
                self.tr("Its storage is full or has a fault. Your application has not been submitted, and staff have been told.")
            )
            self.notice.set_text(
                self.tr("What you can do"),
                self.tr("Press Finish, then use another kiosk or go to a police station counter. Your details are deleted from this machine."),
            )
            self.notice.show()
        elif self.phase in ("failed", "refused"):
            self.icon.setPixmap(icon_pixmap("fa5s.exclamation-circle", 120, PALETTE.danger))
            if self.phase == "refused":
                self.heading.setText(self.tr("The police service did not accept this application"))
                self.detail.setText(self.error.message(self.journey.lang) if isinstance(self.error, BackendError) else "")
            else:
                self.heading.setText(self.tr("Your application has not been sent yet"))
                self.detail.setText(self.tr("We could not reach the police service. Nothing is lost: your answers and photos are still here."))
            self.notice.set_text(
                self.tr("What you can do"),
                self.tr("Press Try again. If it still does not work, press Help.") if self.phase == "failed"
                else self.tr("Press Finish. A member of staff can help you with Help."),
            )
            self.notice.show()
        if self.slow and self.phase in ("sending", "printing"):
            self.detail.setText(self.tr("This is taking longer than usual because the network is slow. You can keep waiting, or press Cancel."))

    def primary_text(self) -> str | None:
        if self.phase == "failed":
            return self.tr("Try again")
        if self.phase in ("refused", "storage"):
            return self.tr("Finish")
        return None

    def activate_primary(self) -> None:
        if self.phase == "failed":
            self._send()
            self.retranslate()
            self.changed.emit()
        elif self.phase in ("refused", "storage"):
            self.journey.end(SessionEnd.TURNED_AWAY)
