"""The journey controller: what happens at each step, between the session, the devices
and the review service. Pure Python (no Qt): methods marked *blocking* do I/O and are
called by the screens on a worker thread; the rest are instant.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from kiosk.backend_client import BackendError, ProblemError, ReviewClient
from kiosk.devices.base import PrintResult, ReceiptPrinter
from kiosk.domain.application import new_client_reference, valid_mobile
from kiosk.domain.clock import Clock, today
from kiosk.domain.idcard import IdentityRecord
from kiosk.domain.receipt import Receipt, SubmissionInfo, build_submission_receipt
from kiosk.domain.rules import RenewalPolicy, Verdict, renewal_eligibility
from kiosk.domain.services import Basis, Service
from kiosk.domain.session import PendingSubmission, Session, Submission
from kiosk.flow.steps import Step, Wizard

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KioskInfo:
    kiosk_id: str
    location: str
    location_en: str
    help_phone: str


class NoPermitRecord(Exception):
    """No permit record matches this ID card: the kiosk cannot renew it."""


class Journey:
    def __init__(
        self,
        *,
        session: Session,
        wizard: Wizard,
        client: ReviewClient,
        printer: ReceiptPrinter,
        clock: Clock,
        kiosk: KioskInfo,
        policy: RenewalPolicy = RenewalPolicy(),
        paper_width: int = 32,
    ) -> None:
        self.session = session
        self.wizard = wizard
        self.client = client
        self.printer = printer
        self.clock = clock
        self.kiosk = kiosk
        self.policy = policy
        self.paper_width = paper_width
        self.lang = "zh"
        self.print_result: PrintResult | None = None  # of the current session's receipt

    # --- start and end ---
    def choose_service(self) -> None:
        self.session.wipe()
        self.wizard.choose_service()

    def begin(self, service: Service) -> None:
        self.session.start(service)
        self.wizard.begin(service)

    def end(self) -> None:
        """Cancel, timeout or completion: wipe everything personal, back to attract."""
        self.session.wipe()
        self.print_result = None
        self.wizard.restart()
        log.info("session ended")

    # --- consent and identity ---
    def consent(self) -> None:
        self.session.consented = True
        self.wizard.next()

    def accept_identity(self, identity: IdentityRecord) -> bool:
        """Take a read card into the session (only after consent, only on the read-card step)."""
        if not self.session.consented or self.wizard.current != Step.READ_CARD:
            return False
        self.session.identity = identity
        self.session.permit = None
        self.session.eligibility = None
        return True

    def lookup_permit(self) -> None:
        """*Blocking.* Fetch the permit record and evaluate eligibility.

        Raises NoPermitRecord or BackendError.
        """
        ident = self.session.identity
        if ident is None:
            raise RuntimeError("no identity")
        permit = self.client.lookup_permit(ident.id_number, ident.name)
        if permit is None:
            raise NoPermitRecord()
        if self.session.identity is not ident:  # the session ended meanwhile
            return
        self.session.permit = permit
        self.session.eligibility = renewal_eligibility(permit, today(self.clock), self.policy)

    # --- choices ---
    def choose_basis(self, basis: Basis) -> None:
        app = self._app()
        if app.basis != basis:
            app.basis = basis
            self._drop_pages_except(None)
            app.category = None
        self.wizard.next()

    def choose_category(self, code: str) -> None:
        app = self._app()
        if app.category != code:
            self._drop_pages_except(code)
            app.category = code
        self.wizard.next()

    def set_phone(self, phone: str) -> None:
        if not valid_mobile(phone):
            raise ValueError("not a mainland mobile number")
        self._app().phone = phone
        self.wizard.next()

    # --- submit ---
    def prepare_submission(self) -> PendingSubmission:
        """Fix the reference, key and time once, so every retry sends the same request."""
        if self.session.pending is None:
            now = self.clock.now()
            self.session.pending = PendingSubmission(
                client_reference=new_client_reference(self.kiosk.kiosk_id, now),
                idempotency_key=str(uuid.uuid4()),
                created_at=now,
            )
        return self.session.pending

    def submit(self, progress: callable | None = None) -> Submission:  # type: ignore[valid-type]
        """*Blocking.* Upload every page, then create the application (idempotent).

        ``progress(done, total)`` is called after each step. Raises BackendError.
        """
        s = self.session
        app = self._app()
        ident = s.identity
        pending = self.prepare_submission()
        if ident is None:
            raise RuntimeError("no identity")
        total = len(app.pages) + 1
        for i, page in enumerate(list(app.pages), start=1):
            self.client.upload_document(page.document_id, bytes(page.jpeg))
            if progress:
                progress(i, total)
        body = app.create_request(
            name=ident.name,
            id_number=ident.id_number,
            permit_number=s.permit.permit_number if s.permit else None,
            kiosk_id=self.kiosk.kiosk_id,
            client_reference=pending.client_reference,
            created_at=pending.created_at,
        )
        receipt = self.client.create_application(body, pending.idempotency_key)
        if progress:
            progress(total, total)
        decision_by = receipt.get("expected_decision_by")
        submission = Submission(
            client_reference=pending.client_reference,
            application_id=str(receipt["application_id"]),
            submitted_at=pending.created_at,
            expected_decision_by=dt.datetime.fromisoformat(decision_by) if decision_by else None,
        )
        if s.identity is ident:
            s.submission = submission
        log.info("application submitted: %s", submission.application_id)
        return submission

    def receipt(self) -> Receipt:
        s = self.session
        if s.submission is None or s.identity is None or s.service is None:
            raise RuntimeError("nothing submitted")
        info = SubmissionInfo(
            service=s.service.value,
            application_id=s.submission.application_id,
            client_reference=s.submission.client_reference,
            applicant_name=s.identity.name,
            id_number=s.identity.id_number,
            submitted_at=s.submission.submitted_at,
            expected_decision_by=s.submission.expected_decision_by,
            kiosk_id=self.kiosk.kiosk_id,
            kiosk_location=self.kiosk.location,
            late_endorsement=bool(s.eligibility and s.eligibility.verdict == Verdict.ELIGIBLE_LATE),
        )
        return build_submission_receipt(info, self.lang, job_id=f"receipt-{s.submission.client_reference}")

    def print_receipt(self) -> PrintResult:
        """*Blocking.* Print the receipt once (the job id makes a retry safe)."""
        receipt = self.receipt()
        result = self.printer.print_receipt(receipt)
        self.print_result = result
        log.info("receipt print: ok=%s state=%s", result.ok, result.state)
        return result

    # --- helpers ---
    def _app(self):  # -> Application
        if self.session.application is None:
            raise RuntimeError("no journey in progress")
        return self.session.application

    def _drop_pages_except(self, code: str | None) -> None:
        app = self._app()
        for page in [p for p in app.pages if p.category != code]:
            app.remove_page(page)


def problem_reasons(err: BackendError) -> list[str]:
    """The not_eligible reason codes of a refusal, if that is what it was."""
    if isinstance(err, ProblemError) and err.code == "not_eligible":
        return [str(r.get("code")) for r in err.reasons]
    return []
