"""Replacement of a lost or damaged permit: which one, then the fee and what to bring."""

from __future__ import annotations

from kiosk.domain.changes import ReissueVerdict
from kiosk.domain.services import Service
from kiosk.flow.lifecycle import SessionEnd
from kiosk.flow.steps import Step
from kiosk.screens.base import Context, Screen
from kiosk.screens.widgets import Notice, OptionButton, label, vbox


class ReissueKindScreen(Screen):
    step = Step.REISSUE_KIND

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=24)
        self.heading = label("heading")
        lay.addWidget(self.heading)
        self.lost = OptionButton("fa5s.search")
        self.lost.setObjectName("reissue_lost")
        self.lost.clicked.connect(lambda: self.journey.reissue.choose(lost=True))
        self.damaged = OptionButton("fa5s.tools")
        self.damaged.setObjectName("reissue_damaged")
        self.damaged.clicked.connect(lambda: self.journey.reissue.choose(lost=False))
        lay.addWidget(self.lost)
        lay.addWidget(self.damaged)
        lay.addStretch(1)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("What happened to your permit?"))
        self.lost.set_text(self.tr("I lost it"), self.tr("丢失补领: a new permit replaces the lost one."))
        self.damaged.set_text(
            self.tr("It is damaged"), self.tr("损坏换领: bring the damaged permit when you collect the new one.")
        )


class FeeScreen(Screen):
    step = Step.FEE

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=24)
        self.heading = label("heading")
        self.heading.setObjectName("feeHeading")
        lay.addWidget(self.heading)
        self.fee = Notice("info")
        self.fee.setObjectName("feeNotice")
        lay.addWidget(self.fee)
        self.bring = Notice("info")
        lay.addWidget(self.bring)
        self.stop = Notice("warning")
        self.stop.setObjectName("reissueStop")
        lay.addWidget(self.stop)
        lay.addStretch(1)

    @property
    def verdict(self) -> ReissueVerdict | None:
        return self.session.reissue_verdict

    def retranslate(self) -> None:
        v = self.verdict
        p = self.journey.reissue_policy
        lost = self.session.service == Service.REISSUE_LOST
        permit = self.session.permit
        self.fee.setVisible(v == ReissueVerdict.OK)
        self.bring.setVisible(v == ReissueVerdict.OK)
        self.stop.setVisible(v != ReissueVerdict.OK)
        if v == ReissueVerdict.OK:
            self.heading.setText(self.tr("A new permit costs a production fee"))
            payment = p.fee_payment_zh if self.zh else p.fee_payment_en
            self.fee.set_text(
                self.tr("Production fee (工本费): ￥{fee}").replace("{fee}", str(p.fee_cny)),
                self.tr("It is {payment}. Nothing is paid at this machine.").replace("{payment}", payment),
            )
            if lost:
                self.bring.set_text(self.tr("What to bring when you collect it"), self.tr("Your ID card."))
            else:
                self.bring.set_text(
                    self.tr("What to bring when you collect it"),
                    self.tr("Your ID card and the damaged permit: it is handed in when you get the new one."),
                )
        elif v == ReissueVerdict.RENEW_FIRST:
            self.heading.setText(self.tr("Renew your permit first"))
            self.stop.set_text(
                self.tr("Your permit ran out more than a month ago"),
                self.tr("A lost permit that has run out must be renewed (endorsed) first. The renewal gives you a new, valid permit, so you do not need a replacement as well."),
            )
        else:
            station = permit.police_station if permit else None
            self.heading.setText(self.tr("This permit can no longer be replaced here"))
            self.stop.set_text(
                self.tr("Your permit ran out too long ago"),
                self.tr("Please go to {station}, {address}, with your ID card.")
                .replace("{station}", station.name if station else "")
                .replace("{address}", station.address if station else ""),
            )

    def primary_text(self) -> str:
        v = self.verdict
        if v == ReissueVerdict.OK:
            return self.tr("Continue")
        if v == ReissueVerdict.RENEW_FIRST:
            return self.tr("Renew my permit now")
        return self.tr("Finish")

    def activate_primary(self) -> None:
        v = self.verdict
        if v == ReissueVerdict.OK:
            self.journey.next()
        elif v == ReissueVerdict.RENEW_FIRST:
            self.journey.reissue.switch_to_renewal()
        else:
            self.journey.end(SessionEnd.TURNED_AWAY)
