"""'My applications' (我的事务) in the journey: the resident's applications, adding documents the
officer asked for, choosing window or mail pickup, and reprinting an application's receipt.

Pure Python (no Qt). One of the journeys of :mod:`kiosk.flow.services`; methods marked
*blocking* do I/O and are called by the screens on a worker thread.
"""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

from kiosk.devices.base import PrintResult
from kiosk.domain.application import Application
from kiosk.domain.applications import ApplicationView, PickupMethod, PickupResult
from kiosk.domain.receipt import PickupInfo, SubmissionInfo, build_pickup_receipt, build_submission_receipt
from kiosk.domain.services import CATEGORIES
from kiosk.domain.session import Operation, PickupChoice, Submission
from kiosk.flow.services import ServiceJourney
from kiosk.flow.steps import Kind, Step

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.domain.session import Session

log = logging.getLogger("kiosk.flow.journey")  # the journey's log lines, as before the split


class MyApplications(ServiceJourney):
    kind = Kind.STATUS

    @property
    def _session(self) -> Session:
        return self.journey.session

    def categories(self) -> tuple[str, ...]:
        if self._session.operation == Operation.SUPPLEMENT:
            return self.supplement_categories()
        return super().categories()

    def submit(self, progress=None) -> Submission | PickupResult | ApplicationView:
        """*Blocking.* A pickup choice or a supplement, whichever the resident started."""
        op = self._session.operation
        if op == Operation.PICKUP:
            return self.submit_pickup(progress)
        if op == Operation.SUPPLEMENT:
            return self.submit_supplement(progress)
        return super().submit(progress)

    def print_after_submit(self) -> PrintResult | None:
        """*Blocking.* The pickup receipt; none for a supplement."""
        op = self._session.operation
        if op == Operation.SUPPLEMENT:
            return None
        if op == Operation.PICKUP:
            return self.print_pickup_receipt()
        return super().print_after_submit()

    def load(self) -> None:
        """*Blocking.* The resident's applications, newest first."""
        j = self.journey
        ident = self._session.identity
        if ident is None:
            raise RuntimeError("no identity")
        apps = j.client.query_applications(ident.id_number, ident.name, limit=20)
        permit = j.client.lookup_permit(ident.id_number, ident.name)  # for the mail address; may be None
        if self._session.identity is ident:
            self._session.applications = apps
            self._session.permit = permit

    def select(self, application_id: str) -> None:
        apps = self._session.applications or []
        self._session.selected = next(a for a in apps if a.application_id == application_id)
        self.journey.next()

    # --- pickup ---
    def start_pickup(self) -> None:
        self._session.operation = Operation.PICKUP
        self._session.pickup = None
        self.journey.wizard.branch((Step.PICKUP_METHOD, Step.PICKUP_REVIEW, Step.SUBMIT, Step.DONE))
        self.journey.next()

    def choose_pickup(self, method: PickupMethod) -> None:
        s, wizard = self._session, self.journey.wizard
        if method == PickupMethod.WINDOW:
            s.pickup = PickupChoice(PickupMethod.WINDOW)
            wizard.branch((Step.PICKUP_REVIEW, Step.SUBMIT, Step.DONE))
        else:
            ident = s.identity
            s.pickup = PickupChoice(PickupMethod.MAIL, recipient=ident.name if ident else None)
            wizard.branch((Step.MAIL_ADDRESS, Step.PHONE, Step.PICKUP_REVIEW, Step.SUBMIT, Step.DONE))
        wizard.next()

    def set_mail_address(self, address: str) -> None:
        if self._session.pickup is None:
            raise RuntimeError("no pickup")
        self._session.pickup.address = address
        self.journey.next()

    def submit_pickup(self, progress=None) -> PickupResult:
        """*Blocking.* Send the pickup choice (idempotent key: the resident may retry)."""
        s = self._session
        sel, choice = s.selected, s.pickup
        if sel is None or choice is None:
            raise RuntimeError("no pickup to send")
        pending = self.journey.submitter.prepare()
        result = self.journey.client.choose_pickup(sel.application_id, choice.request(), pending.idempotency_key)
        if progress:
            progress(1, 1)
        s.result = result
        log.info("pickup chosen: %s", choice.method.value)
        return result

    def print_pickup_receipt(self) -> PrintResult | None:
        """*Blocking.* The receipt of the pickup choice just made."""
        j, s = self.journey, self._session
        if not isinstance(s.result, PickupResult):
            return None
        info = PickupInfo.from_result(
            s.result,
            kiosk_id=j.kiosk.kiosk_id,
            kiosk_location=j.kiosk.location,
            service=s.selected.service.value if s.selected is not None else None,
        )
        key = s.pending.idempotency_key if s.pending else uuid.uuid4()
        receipt = build_pickup_receipt(info, j.lang, job_id=f"pickup-{key}")
        return j.receipts.print(receipt)

    # --- supplement ---
    def start_supplement(self) -> None:
        sel = self._session.selected
        if sel is None:
            raise RuntimeError("no application selected")
        self._session.operation = Operation.SUPPLEMENT
        self._session.application = Application(sel.service)
        self.journey.wizard.branch((Step.CATEGORY, Step.CAPTURE, Step.REVIEW, Step.SUBMIT, Step.DONE))
        self.journey.next()

    @staticmethod
    def supplement_categories() -> tuple[str, ...]:
        return tuple(c.code for c in CATEGORIES)

    def submit_supplement(self, progress=None) -> ApplicationView:
        """*Blocking.* Upload the pages, then add them to the selected application."""
        j, s = self.journey, self._session
        sel, app = s.selected, j.application()
        if sel is None:
            raise RuntimeError("no application selected")
        pending = j.submitter.prepare()
        total = len(app.pages) + 1
        for i, page in enumerate(list(app.pages), start=1):
            j.client.upload_document(page.document_id, bytes(page.jpeg))
            if progress:
                progress(i, total)
        result = j.client.add_supplement(sel.application_id, {"documents": app.document_refs()}, pending.idempotency_key)
        if progress:
            progress(total, total)
        s.result = result
        log.info("supplement sent: %s pages", len(app.pages))
        return result

    # --- reprint ---
    def reprint_receipt(self) -> PrintResult:
        """*Blocking.* A receipt for the selected application (e.g. the printer failed elsewhere)."""
        j, s = self.journey, self._session
        sel, ident = s.selected, s.identity
        if sel is None or ident is None:
            raise RuntimeError("nothing selected")
        info = SubmissionInfo(
            service=sel.service.value,
            application_id=sel.application_id,
            client_reference=sel.client_reference,
            applicant_name=ident.name,
            id_number=ident.id_number,
            submitted_at=sel.created_at,
            expected_decision_by=sel.expected_decision_by,
            kiosk_id=j.kiosk.kiosk_id,
            kiosk_location=j.kiosk.location,
        )
        receipt = build_submission_receipt(info, j.lang, job_id=f"reprint-{uuid.uuid4()}")
        return j.receipts.print(receipt, follow_up=False)
