"""'My applications' (我的事务): the resident's applications in plain words, adding documents
when the officer asks, and choosing window or mail pickup when the card is ready."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel

from kiosk.backend_client import BackendError
from kiosk.domain.application import mask_phone
from kiosk.domain.applications import ApplicationStatus, ApplicationView, BringItem, PickupMethod
from kiosk.flow.lifecycle import SessionEnd
from kiosk.flow.steps import Step
from kiosk.screens import fmt, tasks
from kiosk.screens.base import Context, Screen
from kiosk.screens.change import AddressForm
from kiosk.screens.frame import service_name
from kiosk.screens.theme import PALETTE
from kiosk.screens.widgets import Notice, OptionButton, Row, button, clear_layout, icon_pixmap, label, vbox

log = logging.getLogger(__name__)

STATUS_ICONS = {
    ApplicationStatus.SUBMITTED: ("fa5s.paper-plane", PALETTE.primary),
    ApplicationStatus.UNDER_REVIEW: ("fa5s.user-shield", PALETTE.primary),
    ApplicationStatus.NEEDS_MORE_MATERIAL: ("fa5s.file-medical", PALETTE.warning_border),
    ApplicationStatus.REJECTED: ("fa5s.times-circle", PALETTE.danger),
    ApplicationStatus.APPROVED: ("fa5s.check", PALETTE.primary),
    ApplicationStatus.CARD_READY: ("fa5s.id-card", PALETTE.success),
    ApplicationStatus.PICKUP_CHOSEN: ("fa5s.truck", PALETTE.primary),
    ApplicationStatus.COMPLETED: ("fa5s.check-double", PALETTE.primary),
}


#: Plain words for each contract status (translated in the "Status" context).
STATUS_WORDS: dict[ApplicationStatus, str] = {
    ApplicationStatus.SUBMITTED: QT_TRANSLATE_NOOP("Status", "Sent: waiting for a police officer"),
    ApplicationStatus.UNDER_REVIEW: QT_TRANSLATE_NOOP("Status", "A police officer is checking it"),
    ApplicationStatus.NEEDS_MORE_MATERIAL: QT_TRANSLATE_NOOP("Status", "More documents are needed"),
    ApplicationStatus.REJECTED: QT_TRANSLATE_NOOP("Status", "Not approved"),
    ApplicationStatus.APPROVED: QT_TRANSLATE_NOOP("Status", "Approved: your permit is being made"),
    ApplicationStatus.CARD_READY: QT_TRANSLATE_NOOP("Status", "Your permit is ready: choose how to collect it"),
    ApplicationStatus.PICKUP_CHOSEN: QT_TRANSLATE_NOOP("Status", "Collection chosen"),
    ApplicationStatus.COMPLETED: QT_TRANSLATE_NOOP("Status", "Finished"),
}
IN_PROGRESS = QT_TRANSLATE_NOOP("Status", "In progress")


def status_words(status: ApplicationStatus) -> str:
    """Plain words for a contract status."""
    return QCoreApplication.translate("Status", STATUS_WORDS.get(status, IN_PROGRESS))


def app_service_name(app: ApplicationView) -> str:
    return service_name(app.service)


def short_date(value: dt.datetime | None, zh: bool) -> str:
    return fmt.date(value.date(), zh) if value is not None else ""


class ApplicationsScreen(Screen):
    step = Step.APPLICATIONS

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=20)
        self.heading = label("heading")
        lay.addWidget(self.heading)
        self.list = vbox(spacing=16)
        lay.addLayout(self.list)
        self.notice = Notice("info")
        self.notice.setObjectName("applicationsNotice")
        lay.addWidget(self.notice)
        lay.addStretch(1)

    def on_enter(self) -> None:
        if self.session.applications is None and not self.loading:
            self.start_loading(self.journey.applications.load)
        super().on_enter()

    def wipe_view(self) -> None:
        self.cancel_loading()
        clear_layout(self.list)

    def busy(self) -> bool:
        return self.loading

    def retranslate(self) -> None:
        self.heading.setText(self.tr("My applications"))
        clear_layout(self.list)
        apps = self.session.applications
        if self.loading:
            self.notice.set_kind("info")
            self.notice.set_text(self.tr("Finding your applications…"), "")
            self.notice.show()
            return
        if self.error is not None:
            self.notice.set_kind("error")
            msg = self.error.message(self.journey.lang) if isinstance(self.error, BackendError) else ""
            self.notice.set_text(self.tr("We could not reach the police service"), msg)
            self.notice.show()
            return
        if not apps:
            self.notice.set_kind("info")
            self.notice.set_text(
                self.tr("You have no applications"),
                self.tr("Applications made at a kiosk or on 椰城警民通 appear here once the police have them."),
            )
            self.notice.show()
            return
        self.notice.hide()
        for app in apps[:6]:
            icon, _color = STATUS_ICONS.get(app.status, ("fa5s.file-alt", PALETTE.primary))
            b = OptionButton(icon)
            b.setObjectName(f"application_{app.application_id}")
            b.set_text(
                app_service_name(app) + " · " + status_words(app.status),
                self.tr("Number {number}, sent {date}")
                .replace("{number}", app.application_id)
                .replace("{date}", short_date(app.received_at, self.zh)),
            )
            b.clicked.connect(self._opener(app.application_id))
            self.list.addWidget(b)

    def _opener(self, application_id: str):
        return lambda: self.journey.applications.select(application_id)

    def primary_text(self) -> str | None:
        if self.loading:
            return self.tr("Please wait…")
        if self.error is not None:
            return self.tr("Try again")
        return self.tr("Finish")

    def primary_enabled(self) -> bool:
        return not self.loading

    def activate_primary(self) -> None:
        if self.error is not None:
            self.start_loading(self.journey.applications.load)
            self.retranslate()
            self.changed.emit()
        else:
            self.journey.end(SessionEnd.FINISHED)


class ApplicationScreen(Screen):
    step = Step.APPLICATION

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=16)
        top = QHBoxLayout()
        self.icon = QLabel()
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        col = vbox(spacing=4)
        self.heading = label("heading")
        self.heading.setObjectName("applicationStatus")
        self.subheading = label("lead")
        col.addWidget(self.heading)
        col.addWidget(self.subheading)
        top.addLayout(col, 1)
        lay.addLayout(top)
        self.rows = [Row(with_change=False) for _ in range(4)]
        for r in self.rows:
            lay.addWidget(r)
        self.note = Notice("warning")
        self.note.setObjectName("officerNote")
        lay.addWidget(self.note)
        self.reprint = button("quiet", icon="mdi6.printer-pos", color=PALETTE.text)
        self.reprint.setObjectName("reprintButton")
        self.reprint.clicked.connect(self._reprint)
        lay.addWidget(self.reprint, 0, Qt.AlignmentFlag.AlignLeft)
        self.print_state = label("muted")
        lay.addWidget(self.print_state)
        lay.addStretch(1)
        self.printing = False

    def set_orientation(self, portrait: bool) -> None:
        for r in self.rows:
            r.set_orientation(portrait)

    def wipe_view(self) -> None:
        for r in self.rows:
            r.set("", "")
        self.note.set_text("", "")
        self.print_state.clear()

    def busy(self) -> bool:
        return self.printing

    def _reprint(self) -> None:
        self.printing = True
        self.print_state.setText(self.tr("Printing your receipt…"))
        tasks.run(self.journey.applications.reprint_receipt, on_done=self._printed, on_error=lambda e: self._printed(None))

    def _printed(self, result) -> None:
        self.printing = False
        if result is not None and result.ok:
            self.print_state.setText(self.tr("Take your receipt from the slot below the screen."))
        else:
            self.print_state.setText(self.tr("The receipt printer is not working. Please write down the number above."))
        self.changed.emit()

    def retranslate(self) -> None:
        app = self.session.selected
        if app is None:
            return
        zh = self.zh
        status = app.status
        icon, color = STATUS_ICONS.get(status, ("fa5s.file-alt", PALETTE.primary))
        self.icon.setPixmap(icon_pixmap(icon, 96, color))
        self.heading.setText(status_words(status))
        self.subheading.setText(app_service_name(app))
        self.rows[0].set(self.tr("Application number"), app.application_id)
        self.rows[1].set(self.tr("Sent"), short_date(app.received_at, zh))
        self.rows[2].set(self.tr("Expected decision by"), short_date(app.expected_decision_by, zh))
        self.rows[3].set(self.tr("Police station"), app.police_station.name)
        self.note.hide()
        if status == ApplicationStatus.NEEDS_MORE_MATERIAL:
            self.note.set_kind("warning")
            self.note.set_text(self.tr("What the officer asks for"), app.officer_note or "")
            self.note.show()
        elif status == ApplicationStatus.REJECTED:
            self.note.set_kind("error")
            self.note.set_text(
                self.tr("Why it was not approved"),
                (app.rejection_reason or "") + "\n" + self.tr("You can apply again, or ask at the police station."),
            )
            self.note.show()
        elif status == ApplicationStatus.PICKUP_CHOSEN and app.pickup is not None:
            p = app.pickup
            self.note.set_kind("info")
            if p.method == PickupMethod.WINDOW:
                self.note.set_text(self.tr("Collect it at the police station"), f"{p.station_name}\n{p.station_address}\n{p.pickup_hours}")
            else:
                self.note.set_text(self.tr("It will be sent by post"), p.address)
            self.note.show()
        self.reprint.setText(self.tr("Print a receipt for this application"))

    def _status(self) -> ApplicationStatus | None:
        sel = self.session.selected
        return sel.status if sel is not None else None

    def primary_text(self) -> str:
        status = self._status()
        if status == ApplicationStatus.CARD_READY:
            return self.tr("Choose how to collect it")
        if status == ApplicationStatus.NEEDS_MORE_MATERIAL:
            return self.tr("Add documents")
        return self.tr("Finish")

    def primary_enabled(self) -> bool:
        return not self.printing

    def activate_primary(self) -> None:
        status = self._status()
        if status == ApplicationStatus.CARD_READY:
            self.journey.applications.start_pickup()
        elif status == ApplicationStatus.NEEDS_MORE_MATERIAL:
            self.journey.applications.start_supplement()
        else:
            self.journey.end(SessionEnd.FINISHED)


def bring_words(items: list[BringItem]) -> str:
    names = {
        BringItem.ID_CARD: QCoreApplication.translate("Status", "your ID card"),
        BringItem.RESIDENCE_PERMIT: QCoreApplication.translate("Status", "your residence permit"),
    }
    sep = "、" if QCoreApplication.translate("Status", "and") == "和" else ", "
    return sep.join(names.get(i, i) for i in items)


class PickupMethodScreen(Screen):
    step = Step.PICKUP_METHOD

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=24)
        self.heading = label("heading")
        lay.addWidget(self.heading)
        self.window = OptionButton("fa5s.store-alt")
        self.window.setObjectName("pickup_window")
        self.window.clicked.connect(lambda: self.journey.applications.choose_pickup(PickupMethod.WINDOW))
        self.mail = OptionButton("fa5s.truck")
        self.mail.setObjectName("pickup_mail")
        self.mail.clicked.connect(lambda: self.journey.applications.choose_pickup(PickupMethod.MAIL))
        lay.addWidget(self.window)
        lay.addWidget(self.mail)
        lay.addStretch(1)

    def retranslate(self) -> None:
        app = self.session.selected
        if app is None:
            return
        station = app.police_station
        self.heading.setText(self.tr("How do you want to collect your permit?"))
        self.window.set_text(
            self.tr("At the police station (窗口领证)"),
            f"{self.pair(station.name, station.address)}\n{station.pickup_hours}",
        )
        reissue = app.is_reissue
        detail = self.tr("Sent to you; you pay the postage on delivery.")
        if not reissue:
            detail = self.sentences(detail, self.tr("First you post your current permit to the police station."))
        self.mail.set_text(self.tr("By post (邮寄领证)"), detail)


class MailAddressScreen(Screen):
    """Where the permit is posted: the registered address in one tap, or another address
    (the form replaces the choices: one thing at a time)."""

    step = Step.MAIL_ADDRESS
    needs_keyboard = True

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=16)
        self.heading = label("heading")
        lay.addWidget(self.heading)
        self.recipient = label("lead")
        self.recipient.setProperty("private", True)  # a name: never said aloud
        lay.addWidget(self.recipient)
        self.registered = OptionButton("fa5s.home")
        self.registered.setObjectName("mail_registered")
        self.registered.clicked.connect(self._use_registered)
        lay.addWidget(self.registered)
        self.other = OptionButton("fa5s.map-marker-alt")
        self.other.setObjectName("mail_other")
        self.other.clicked.connect(self._show_form)
        lay.addWidget(self.other)
        self.form = AddressForm(self, prefix="mail")
        self.form.edited.connect(self._edited)
        lay.addWidget(self.form)
        lay.addStretch(1)
        self.entering = False

    def on_enter(self) -> None:
        self.entering = self.session.permit is None
        super().on_enter()

    def wipe_view(self) -> None:
        self.form.clear()
        self.registered.set_text("", "")
        self.entering = False

    def back_allowed(self) -> bool:
        return True

    def _show_form(self) -> None:
        self.entering = True
        self.retranslate()
        self.changed.emit()

    def _edited(self) -> None:
        self.retranslate()
        self.changed.emit()

    def _use_registered(self) -> None:
        permit = self.session.permit
        if permit is not None:
            self.journey.applications.set_mail_address(permit.registered_address)

    def retranslate(self) -> None:
        s = self.session
        self.heading.setText(self.tr("Where should we send it?"))
        name = s.pickup.recipient if s.pickup else ""
        self.recipient.setText(self.tr("Recipient: {name}").replace("{name}", name or ""))
        permit = s.permit
        self.registered.setVisible(permit is not None and not self.entering)
        self.other.setVisible(not self.entering)
        self.form.setVisible(self.entering)
        if permit is not None:
            self.registered.set_text(self.tr("My registered address"), permit.registered_address)
        self.other.set_text(self.tr("Another address"), self.tr("Type the address on the keyboard."))
        self.form.retranslate()

    def primary_text(self) -> str | None:
        return self.tr("Use this address") if self.entering else None

    def primary_enabled(self) -> bool:
        return self.form.valid()

    def activate_primary(self) -> None:
        if self.form.valid():
            self.journey.applications.set_mail_address(self.form.full())


class PickupReviewScreen(Screen):
    step = Step.PICKUP_REVIEW

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=8)
        self.heading = label("heading")
        lay.addWidget(self.heading)
        self.rows = [Row(with_change=False) for _ in range(4)]
        for r in self.rows:
            lay.addWidget(r)
        self.notice = Notice("info")
        lay.addSpacing(16)
        lay.addWidget(self.notice)
        lay.addStretch(1)

    def set_orientation(self, portrait: bool) -> None:
        for r in self.rows:
            r.set_orientation(portrait)

    # Large English text: the rows closer together.
    spare_parts = 1

    def fold(self, n: int) -> None:
        for r in self.rows:
            r.set_dense(n >= 1)

    def wipe_view(self) -> None:
        for r in self.rows:
            r.set("", "")

    def retranslate(self) -> None:
        s = self.session
        app, choice = s.selected, s.pickup
        self.heading.setText(self.tr("Check your answers"))
        if choice is None or app is None:
            return
        station = app.police_station
        for r in self.rows:
            r.show()
        self.rows[0].set(self.tr("Application number"), app.application_id)
        if choice.method == PickupMethod.WINDOW:
            self.rows[1].set(self.tr("How"), self.tr("At the police station (窗口领证)"))
            self.rows[2].set(self.tr("Where"), f"{station.name}\n{station.address}")
            self.rows[3].set(self.tr("When"), station.pickup_hours)
            bring = [BringItem.ID_CARD] if app.is_reissue else [BringItem.ID_CARD, BringItem.RESIDENCE_PERMIT]
            self.notice.set_text(self.tr("Bring {items}.").replace("{items}", bring_words(bring)), "")
        else:
            self.rows[1].set(self.tr("How"), self.tr("By post (邮寄领证)"))
            self.rows[2].set(self.tr("Send to"), f"{choice.recipient or ''}\n{choice.address or ''}")
            self.rows[3].set(self.tr("Mobile number"), mask_phone(choice.phone or ""))
            if app.is_reissue:
                self.notice.set_text(self.tr("The postage is paid on delivery."), "")
            else:
                self.notice.set_text(
                    self.tr("First post your current permit to the police station"),
                    self.sentences(
                        self.pair(station.name, station.address) + ("。" if self.zh else "."),
                        self.tr("The postage is paid on delivery."),
                    ),
                )

    def primary_text(self) -> str:
        return self.tr("Confirm")

    def activate_primary(self) -> None:
        self.journey.next()
