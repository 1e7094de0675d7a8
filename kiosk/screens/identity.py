"""Read the ID card, confirm who it is with the permit record (and, for a renewal that can go
ahead, that it can), and the renewal verdicts that need their own screen."""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt, Slot
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel

from kiosk.backend_client import BackendError
from kiosk.devices.base import CardEvent, ReaderState
from kiosk.domain.rules import Verdict
from kiosk.flow.journey import NoPermitRecord
from kiosk.flow.lifecycle import SessionEnd
from kiosk.flow.steps import Kind, Step
from kiosk.screens import fmt
from kiosk.screens.base import Context, Screen
from kiosk.screens.theme import PALETTE
from kiosk.screens.widgets import Notice, Row, button, icon_pixmap, label, pictogram, vbox

log = logging.getLogger(__name__)


class ReadCardScreen(Screen):
    step = Step.READ_CARD

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=28)
        self.heading = label("heading")
        lay.addWidget(self.heading)
        pics = QHBoxLayout()
        pics.addStretch(1)
        pics.addWidget(pictogram("fa5s.id-card", 150))
        pics.addWidget(pictogram("fa5s.arrow-down", 80, PALETTE.muted))
        pics.addWidget(pictogram("mdi6.credit-card-wireless-outline", 150))
        pics.addStretch(1)
        lay.addLayout(pics)
        self.how = label("lead", center=True)
        lay.addWidget(self.how)
        self.status = Notice("info")
        self.status.setObjectName("cardStatus")
        lay.addWidget(self.status)
        self.code = label("small")  # the refusal's code, for a technician
        self.code.setObjectName("refusalCode")
        lay.addWidget(self.code)
        lay.addStretch(1)
        self.state = ReaderState.NO_READER
        self.refusal = None
        self.must_lift = False
        ctx.cards.event.connect(self._on_card)

    def on_enter(self) -> None:
        self.refusal = None
        self.state = self.ctx.cards.last_state
        # A card already on the reader was read before consent: ask for it again (fresh read).
        self.must_lift = self.state in (ReaderState.READ, ReaderState.READING, ReaderState.REFUSED)
        super().on_enter()

    def wipe_view(self) -> None:
        self.refusal = None

    @Slot(object)
    def _on_card(self, ev: CardEvent) -> None:
        if self.journey.step != Step.READ_CARD:
            return
        self.state = ev.state
        self.refusal = ev.refusal
        if ev.state == ReaderState.REFUSED and ev.refusal is not None:
            self.journey.card_refused(ev.refusal.reason)
        if ev.state == ReaderState.WAITING:
            self.must_lift = False
        if ev.state == ReaderState.READ and ev.identity is not None and not self.must_lift:
            if self.journey.accept_identity(ev.identity):
                self.play("card")
                self.journey.next()
                return
        self.retranslate()
        self.changed.emit()  # the window says a refusal

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Put your ID card on the reader"))
        self.how.setText(self.tr("Lay the card flat on the reader below the screen, photo side up, and leave it there until your details appear."))
        s = self.state
        if self.must_lift and s != ReaderState.WAITING:
            self.status.set_kind("info")
            self.status.set_text(self.tr("Please lift your card off the reader and put it down again."), "")
        elif s == ReaderState.NO_READER:
            self.status.set_kind("error")
            self.status.set_text(
                self.tr("The card reader is not working"),
                self.tr("This is not your fault. Please press Help and a member of staff will come."),
            )
        elif s == ReaderState.READING:
            self.status.set_kind("info")
            self.status.set_text(self.tr("Reading your card… keep it still."), "")
        elif s == ReaderState.REFUSED and self.refusal is not None:
            self.status.set_kind("error")
            self.status.set_text(*self.refusal_advice(self.refusal.reason))
        else:
            self.status.set_kind("info")
            self.status.set_text(self.tr("Waiting for your card…"), "")
        refused = s == ReaderState.REFUSED and self.refusal is not None and not self.must_lift
        self.code.setText(self.tr("For staff: reader code {code}").replace("{code}", str(self.refusal)) if refused else "")
        self.code.setVisible(refused)

    def refusal_advice(self, reason: str) -> tuple[str, str]:
        """What went wrong in plain words, and what to do about it (card profile §8 reasons)."""
        counter = self.tr("This machine cannot accept it. Please go to a police station counter.")
        if reason == "expired":
            return self.tr("This ID card has expired"), counter
        if reason == "not_yet_valid":
            return self.tr("This ID card is not valid yet"), counter
        if reason == "not_identity_card":
            return self.tr("This is not a resident ID card"), self.tr("Please put your second-generation resident ID card on the reader.")
        if reason == "no_reader":
            return self.tr("The card reader is not working"), self.tr("This is not your fault. Please press Help and a member of staff will come.")
        if reason in ("no_card", "card_removed", "card_error", "data_truncated"):
            return self.tr("The card could not be read"), self.tr(
                "Lift the card off the reader and put it down again, flat and still, until your details appear. If this keeps happening, press Help."
            )
        # The card's own data is wrong (encoding, codes, check digit, dates): a counter's job.
        return self.tr("The information on this ID card cannot be used here"), self.sentences(counter, self.tr("Or press Help."))


class IdentityScreen(Screen):
    step = Step.IDENTITY

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=20)
        self.heading = label("heading")
        lay.addWidget(self.heading)
        top = QHBoxLayout()
        top.setSpacing(32)
        self.photo = QLabel()
        self.photo.setFixedSize(QSize(180, 225))
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setProperty("role", "thumb")
        self._photo_source: QPixmap | None = None  # the card's photo, scaled to the frame when shown
        top.addWidget(self.photo, 0, Qt.AlignmentFlag.AlignTop)
        col = vbox(spacing=4)
        self.name = label("hero")
        self.name.setObjectName("identityName")
        self.idno = label("lead")
        self.idno.setObjectName("identityId")
        for w in (self.name, self.idno):
            w.setProperty("private", True)  # never said aloud in the hall
        self.name_hint = label("small")
        col.addWidget(self.name)
        col.addWidget(self.idno)
        col.addWidget(self.name_hint)
        col.addStretch(1)
        top.addLayout(col, 1)
        lay.addLayout(top)
        self.top, self.lay = top, lay
        self.rows = [Row(with_change=False) for _ in range(4)]
        for r in self.rows:
            lay.addWidget(r)
        self.notice = Notice("info")
        self.notice.setObjectName("identityNotice")
        lay.addWidget(self.notice)
        self.not_me = button("link")
        self.not_me.clicked.connect(self._not_me)
        lay.addWidget(self.not_me, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addStretch(1)

    def on_enter(self) -> None:
        if self.session.permit is None and not self.loading:
            self.start_loading(self.journey.lookup_permit)
        super().on_enter()

    def on_leave(self) -> None:
        pass

    def wipe_view(self) -> None:
        self.cancel_loading()
        self.photo.clear()
        self._photo_source = None
        self.name.clear()
        self.idno.clear()
        for r in self.rows:
            r.set("", "")

    def busy(self) -> bool:
        return self.loading

    # Large English text on a wide screen: the photo a fifth smaller (still the face to check).
    spare_parts = 1

    def fold(self, n: int) -> None:
        size = QSize(144, 180) if n >= 1 else QSize(180, 225)
        if size != self.photo.size():
            self.photo.setFixedSize(size)
            self._show_photo()

    def _show_photo(self) -> None:
        pix = self._photo_source
        if pix is None:
            self.photo.setPixmap(icon_pixmap("fa5s.user", 120, PALETTE.border))
        else:
            self.photo.setPixmap(pix.scaled(self.photo.size(), Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    def set_orientation(self, portrait: bool) -> None:
        for r in self.rows:
            r.set_orientation(portrait)
        # Wide: "This is not me" beside the name (elder mode fits); tall: under the details.
        self.top.removeWidget(self.not_me)
        self.lay.removeWidget(self.not_me)
        if portrait:
            self.lay.insertWidget(self.lay.count() - 1, self.not_me, 0, Qt.AlignmentFlag.AlignLeft)
        else:
            self.top.addWidget(self.not_me, 0, Qt.AlignmentFlag.AlignTop)

    def _load_failed(self, e: Exception) -> None:
        if not isinstance(e, (NoPermitRecord, BackendError)):
            log.error("permit lookup failed: %s", type(e).__name__)
        super()._load_failed(e)

    def _not_me(self) -> None:
        self.journey.not_me()

    def retranslate(self) -> None:
        ident = self.session.identity
        permit = self.session.permit
        zh = self.zh
        self.heading.setText(self.tr("Is this you?"))
        self.not_me.setText(self.tr("This is not me: read another card"))
        if ident is None:
            return
        self.name.setText(ident.name)
        self.idno.setText(self.tr("ID number") + "  " + ident.masked_id())
        self.name_hint.setText(self.tr("Your name may be shortened: the card holds 15 characters.") if ident.name_maybe_truncated else "")
        self.name_hint.setVisible(ident.name_maybe_truncated)
        pix = QPixmap()
        ok = ident.photo_kind == "jpeg" and ident.photo and pix.loadFromData(bytes(ident.photo))
        self._photo_source = pix if ok else None
        self._show_photo()
        for r in self.rows:
            r.setVisible(permit is not None)
        if self.loading:
            self.notice.set_kind("info")
            self.notice.set_text(self.tr("Finding your residence permit…"), "")
            self.notice.show()
        elif isinstance(self.error, NoPermitRecord):
            self.notice.set_kind("error")
            self.notice.set_text(
                self.tr("We could not find a residence permit for this ID card"),
                self.tr("If you have never had a Haikou residence permit, apply for one at your local police station. If you think this is wrong, press Help."),
            )
            self.notice.show()
        elif self.error is not None:
            self.notice.set_kind("error")
            msg = self.error.message(self.journey.lang) if isinstance(self.error, BackendError) else ""
            self.notice.set_text(
                self.tr("We could not reach the police service"),
                (msg + "\n" if msg else "") + self.tr("This is not your fault. Press Try again in a moment."),
            )
            self.notice.show()
        ahead = self.can_go_ahead()
        if ahead:
            # "Is this you? You can renew today": one screen, one tap (no verdict screen after it).
            self.heading.setText(self.tr("Is this you? You can renew your permit today."))
        if permit is not None and not self.loading and self.error is None:
            self.rows[0].set(self.tr("Residence permit number"), permit.permit_number)
            valid = fmt.date(permit.valid_until, zh)
            if ahead:
                valid = self.tr("{date}, renewing now adds one year").replace("{date}", valid)
            self.rows[1].set(self.tr("Valid until"), valid)
            self.rows[2].set(self.tr("Registered address"), permit.registered_address)
            self.rows[3].set(self.tr("Police station"), permit.police_station.name)
        if self.loading or self.error is not None:
            return
        if permit is not None and self.journey.identity_blocker() == "expired":
            station = permit.police_station
            self.notice.set_kind("error")
            self.notice.set_text(
                self.tr("This permit ran out too long ago to use here"),
                self.tr("Please go to {station}, {address}, with your ID card.")
                .replace("{station}", station.name)
                .replace("{address}", station.address),
            )
            self.notice.show()
        elif permit is not None:
            self.notice.hide()

    def can_go_ahead(self) -> bool:
        """A renewal that can simply go ahead: this screen says so (the verdict screen is left out)."""
        return (
            not self.loading and self.error is None and self.session.permit is not None
            and self.journey.kind == Kind.RENEWAL and self.journey.renewal.can_go_ahead()
        )

    def primary_text(self) -> str | None:
        if self.loading:
            return self.tr("Please wait…")
        if isinstance(self.error, NoPermitRecord) or (self.error is None and self.journey.identity_blocker()):
            return self.tr("Finish")
        if self.error is not None:
            return self.tr("Try again")
        return self.tr("Yes, this is me")

    def primary_enabled(self) -> bool:
        return not self.loading

    def activate_primary(self) -> None:
        if isinstance(self.error, NoPermitRecord) or (self.error is None and self.journey.identity_blocker()):
            self.journey.end(SessionEnd.TURNED_AWAY)
        elif self.error is not None:
            self.start_loading(self.journey.lookup_permit)
            self.retranslate()
            self.changed.emit()
        elif self.session.permit is not None:
            self.journey.confirm_identity()


class EligibilityScreen(Screen):
    step = Step.ELIGIBILITY

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=28)
        self.icon_holder = QLabel()
        self.icon_holder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lay.addWidget(self.icon_holder)
        self.heading = label("heading", center=True)
        self.heading.setObjectName("eligibilityHeading")
        lay.addWidget(self.heading)
        self.body = label("lead", center=True)
        lay.addWidget(self.body)
        self.notice = Notice("warning")
        self.notice.setObjectName("lateWarning")
        lay.addWidget(self.notice)
        lay.addStretch(1)

    @property
    def verdict(self) -> Verdict | None:
        e = self.session.eligibility
        return e.verdict if e else None

    def retranslate(self) -> None:
        e = self.session.eligibility
        if e is None:
            return
        zh = self.zh
        icons = {
            Verdict.ELIGIBLE: ("fa5s.calendar-check", PALETTE.primary),
            Verdict.ELIGIBLE_LATE: ("fa5s.exclamation-triangle", PALETTE.warning_border),
            Verdict.TOO_EARLY: ("fa5s.calendar-alt", PALETTE.primary),
            Verdict.ALREADY_ENDORSED: ("fa5s.check-double", PALETTE.primary),
            Verdict.EXPIRED: ("fa5s.store-alt", PALETTE.danger),
        }
        name, color = icons[e.verdict]
        self.icon_holder.setPixmap(icon_pixmap(name, 120, color))
        self.notice.hide()
        station = self.session.permit.police_station if self.session.permit else None
        if e.verdict == Verdict.ELIGIBLE:
            self.heading.setText(self.tr("You can renew your permit today"))
            self.body.setText(
                self.tr("Your permit is valid until {date}. Renewing now keeps it valid for another year.")
                .replace("{date}", fmt.date(e.valid_until, zh))
            )
        elif e.verdict == Verdict.ELIGIBLE_LATE:
            self.heading.setText(self.tr("Your permit ran out {days} ago").replace("{days}", fmt.days(e.days_overdue, zh)))
            self.body.setText(self.tr("You can still renew it today. Please read this first:"))
            self.notice.set_text(
                self.tr("What a late renewal means"),
                self.tr("Since {date} your permit has not worked: its services were paused. Renewing today turns it back on.")
                .replace("{date}", fmt.date(e.valid_until, zh))
                + "\n"
                + self.tr("Your years of residence in Haikou will be counted again from today, {today}.")
                .replace("{today}", fmt.date(self.journey.clock.now().date(), zh)),
            )
            self.notice.show()
        elif e.verdict == Verdict.TOO_EARLY:
            self.heading.setText(self.tr("It is too early to renew"))
            self.body.setText(
                self.tr("You can renew from {date}, one month before your permit runs out on {until}. Please come back then.")
                .replace("{date}", fmt.date(e.window_opens_on, zh))
                .replace("{until}", fmt.date(e.valid_until, zh))
            )
        elif e.verdict == Verdict.ALREADY_ENDORSED:
            self.heading.setText(self.tr("Your permit is already renewed for this year"))
            self.body.setText(
                self.tr("It was renewed on {date}. A permit is renewed once a year, so there is nothing to do now.")
                .replace("{date}", fmt.date(e.last_endorsement_date, zh) if e.last_endorsement_date else "")
            )
        else:
            self.heading.setText(self.tr("This permit can no longer be renewed here"))
            self.body.setText(
                self.tr("It ran out {days} ago. Please go to {station}, {address}, with your ID card.")
                .replace("{days}", fmt.days(e.days_overdue, zh))
                .replace("{station}", station.name if station else "")
                .replace("{address}", station.address if station else "")
            )

    def primary_text(self) -> str | None:
        v = self.verdict
        if v == Verdict.ELIGIBLE:
            return self.tr("Continue")
        if v == Verdict.ELIGIBLE_LATE:
            return self.tr("I understand, continue")
        return self.tr("Finish")

    def activate_primary(self) -> None:
        e = self.session.eligibility
        if e is not None and e.allowed:
            self.journey.accept_eligibility()
        else:
            self.journey.end(SessionEnd.TURNED_AWAY)
