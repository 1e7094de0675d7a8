"""Replacement (补领 / 换领): lost or damaged is asked inside the journey; a lost permit that ran
out continues as a renewal with the same card. Pure Python (no Qt)."""

from __future__ import annotations

from kiosk.domain.application import Application
from kiosk.domain.changes import reissue_eligibility
from kiosk.domain.clock import today
from kiosk.domain.services import Service
from kiosk.flow.services import NeedsUsablePermit
from kiosk.flow.steps import Kind, Step


class ReissueJourney(NeedsUsablePermit):
    kind = Kind.REISSUE

    def choose(self, lost: bool) -> None:
        j, s = self.journey, self.session
        service = Service.REISSUE_LOST if lost else Service.REISSUE_DAMAGED
        j.application().service = service
        s.service = service
        j.wizard.service = service
        if s.permit is not None:
            s.reissue_verdict = reissue_eligibility(
                s.permit, today(j.clock), lost=lost, renewal=j.policy, policy=j.reissue_policy
            )
        j.next()

    def switch_to_renewal(self) -> None:
        """A lost permit that ran out must be endorsed first: continue as a renewal, same card."""
        s = self.session
        s.service = Service.RENEWAL
        s.application = Application(Service.RENEWAL)
        s.reissue_verdict = None
        self.journey.wizard.switch(Service.RENEWAL, at=Step.ELIGIBILITY)
