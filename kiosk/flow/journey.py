"""The journey controller: what happens at each step, between the session, the devices
and the review service. Pure Python (no Qt): methods marked *blocking* do I/O and are
called by the screens on a worker thread; the rest are instant.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.backend_client import BackendError, ProblemError, ReviewClient
from kiosk.devices.base import PrintResult, ReceiptPrinter
from kiosk.domain.application import Application, new_client_reference, valid_mobile
from kiosk.domain.applications import ApplicationView, PickupMethod, PickupResult
from kiosk.domain.changes import (
    ChangeField,
    ChangePolicy,
    ReissuePolicy,
    change_timing,
    permit_usable_for_change,
    reissue_eligibility,
)
from kiosk.domain.clock import Clock, today
from kiosk.domain.help import HelpAnswer, help_request_body
from kiosk.domain.idcard import IdentityRecord
from kiosk.domain.receipt import Receipt, SubmissionInfo, build_submission_receipt
from kiosk.domain.rules import RenewalPolicy, Verdict, renewal_eligibility
from kiosk.domain.services import CATEGORIES, Basis, Group, Service
from kiosk.domain.session import Operation, PendingSubmission, Session, Submission
from kiosk.events import EventLog
from kiosk.flow.applications import MyApplications
from kiosk.flow.lifecycle import KioskState, SessionEnd
from kiosk.flow.steps import Kind, Step, Wizard

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
        change_policy: ChangePolicy = ChangePolicy(),
        reissue_policy: ReissuePolicy = ReissuePolicy(),
        paper_width: int = 32,
        events: EventLog | None = None,
    ) -> None:
        self.session = session
        self.wizard = wizard
        self.client = client
        self.printer = printer
        self.clock = clock
        self.kiosk = kiosk
        self.policy = policy
        self.change_policy = change_policy
        self.reissue_policy = reissue_policy
        self.paper_width = paper_width
        self.lang = "zh"
        self.print_result: PrintResult | None = None  # of the current session's receipt
        # A receipt that failed to print (masked data only), for the technician's reprint.
        self.failed_receipt: tuple[float, Receipt] | None = None
        self.keep_failed_receipt_s = 1800.0
        self.on_problem: Callable[[str, str], None] | None = None  # reported in the heartbeat
        self.outbox = None  # kiosk.outbox.Outbox: applications go through it when set
        self.submit_wait_s = 5.0
        self.events = events or EventLog()  # app.build gives the data directory's events.jsonl
        self.state = KioskState(self.events)
        self._end_listeners: list[Callable[[SessionEnd], None]] = []
        self.my_applications = MyApplications(self)

    # --- start and end ---
    def choose_service(self) -> None:
        self.session.wipe()
        self.wizard.choose_service()

    def begin(self, what: Service | Kind) -> None:
        """Start a journey: a service, or 'My applications' (Kind.STATUS)."""
        if what in (Service.REISSUE_LOST, Service.REISSUE_DAMAGED, Kind.REISSUE):
            # Lost or damaged is asked inside the journey.
            self.session.start(Service.REISSUE_LOST)
            self.session.service = None
            self.wizard.begin(Kind.REISSUE)
            self.events.emit("session_started", service=Kind.REISSUE.value)
            return
        self.session.start(what if isinstance(what, Service) else None)
        self.wizard.begin(what)
        self.events.emit("session_started", service=what.value)

    def end(self, how: SessionEnd = SessionEnd.FINISHED) -> None:
        """Cancel, timeout, completion or failure: wipe everything personal, back to
        attract, then tell the listeners (the window wipes its views)."""
        step = self.wizard.current
        self.session.wipe()
        self.print_result = None
        self.wizard.restart()
        if step != Step.ATTRACT:  # a session was under way (not a close or a wipe at attract)
            log.info("session ended: %s", how.value)
            self.events.emit("session_ended", how=how.value, step=step.value)
        for listener in list(self._end_listeners):
            listener(how)

    def on_end(self, listener: Callable[[SessionEnd], None]) -> None:
        self._end_listeners.append(listener)

    # --- moving between steps (screens never touch the wizard) ---
    @property
    def step(self) -> Step:
        return self.wizard.current

    @property
    def kind(self) -> Kind | None:
        return self.wizard.kind

    @property
    def service(self) -> Service | None:
        """The service of the journey in progress, as the wizard knows it."""
        return self.wizard.service

    def position(self) -> tuple[int, int] | None:
        """(n, total) for the step counter, or None when the step is not counted."""
        return self.wizard.position()

    def on_step(self, listener: Callable[[Step], None]) -> None:
        """Call ``listener`` with every new step (the window shows that step's screen)."""
        self.wizard.subscribe(listener)

    def next(self) -> None:
        self.wizard.next()

    def back(self) -> None:
        self.wizard.back()

    def change(self, step: Step) -> None:
        """'Change' on check-your-answers: a detour to ``step`` and back."""
        self.wizard.change(step)

    def accept_eligibility(self) -> None:
        """Continue from the eligibility screen; a late renewal's warning counts as read."""
        e = self.session.eligibility
        if e is not None and e.verdict == Verdict.ELIGIBLE_LATE:
            self.session.late_warning_acknowledged = True
        self.wizard.next()

    def not_me(self) -> None:
        """'This is not me': forget the card's identity and its permit, read another card."""
        self.session.identity = None
        self.session.permit = None
        self.session.eligibility = None
        self.wizard.back()

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
        self.events.emit("card_read")
        return True

    def card_refused(self, reason: str) -> None:
        """The reader refused a card on the read-card step (the screen says why)."""
        if self.wizard.current == Step.READ_CARD:
            self.events.emit("card_refused", reason=reason)

    def ask_for_help(self, reason: str = "resident_asked") -> HelpAnswer:
        """*Blocking.* Ask the hall's staff to come to this kiosk (no personal data is sent).

        Raises BackendError when the service cannot be reached or refuses."""
        body = help_request_body(reason, self.wizard.current.value, self.clock.now())
        answer = self.client.help_request(body, str(uuid.uuid4()))
        self.events.emit("help_requested", reason=reason, staff_on_duty=answer.staff_on_duty)
        return answer

    def lookup_permit(self) -> None:
        """*Blocking.* Fetch the permit record and evaluate eligibility.

        Raises NoPermitRecord or BackendError.
        """
        ident = self.session.identity
        if ident is None:
            raise RuntimeError("no identity")
        try:
            permit = self.client.lookup_permit(ident.id_number, ident.name)
        except BackendError:
            self.events.emit("permit_looked_up", outcome="failed")
            raise
        self.events.emit("permit_looked_up", outcome="found" if permit is not None else "not_found")
        if permit is None:
            raise NoPermitRecord()
        if self.session.identity is not ident:  # the session ended meanwhile
            return
        self.session.permit = permit
        self.session.eligibility = renewal_eligibility(permit, today(self.clock), self.policy)

    def identity_blocker(self) -> str | None:
        """Why this journey cannot go on with this permit (non-renewal services), or None."""
        permit = self.session.permit
        if permit is None or self.wizard.kind in (Kind.RENEWAL, Kind.STATUS):
            return None
        if not permit_usable_for_change(permit, today(self.clock), self.policy):
            return "expired"
        return None

    # --- change of registration information ---
    def choose_changes(self, chosen: set[ChangeField]) -> None:
        if not chosen:
            raise ValueError("choose at least one")
        app = self._app()
        app.changes = {k: v for k, v in (app.changes or {}).items() if ChangeField(k) in chosen}
        order = (Step.ADDRESS, Step.EMPLOYER, Step.SCHOOL)
        fields = (ChangeField.RESIDENCE_ADDRESS, ChangeField.EMPLOYER, ChangeField.SCHOOL)
        steps = tuple(step for step, f in zip(order, fields, strict=True) if f in chosen)
        self.wizard.insert_after(Step.CHANGE_WHAT, steps, frozenset(order))
        self.wizard.next()

    def chosen_changes(self) -> set[ChangeField]:
        order = {Step.ADDRESS: ChangeField.RESIDENCE_ADDRESS, Step.EMPLOYER: ChangeField.EMPLOYER, Step.SCHOOL: ChangeField.SCHOOL}
        return {f for step, f in order.items() if step in self.wizard.steps}

    def set_change(self, field: ChangeField, value: str) -> None:
        app = self._app()
        changes = dict(app.changes or {})
        changes[field.value] = value
        app.changes = changes
        self.wizard.next()

    def set_change_date(self, when: dt.date) -> None:
        timing = change_timing(when, today(self.clock), self.change_policy)
        self.session.change_date = when
        self.session.change_late = timing.late
        self.wizard.next()

    def change_categories(self) -> tuple[str, ...]:
        """Proof categories that fit what changed (change proof first)."""
        groups = {Group.CHANGE}
        chosen = self.chosen_changes()
        if ChangeField.RESIDENCE_ADDRESS in chosen:
            groups.add(Group.RESIDENCE)
        if ChangeField.EMPLOYER in chosen:
            groups.add(Group.EMPLOYMENT)
        if ChangeField.SCHOOL in chosen:
            groups.add(Group.STUDY)
        return tuple(c.code for c in CATEGORIES if c.group in groups)

    # --- replacement ---
    def choose_reissue(self, lost: bool) -> None:
        service = Service.REISSUE_LOST if lost else Service.REISSUE_DAMAGED
        app = self._app()
        app.service = service
        self.session.service = service
        self.wizard.service = service
        permit = self.session.permit
        if permit is not None:
            self.session.reissue_verdict = reissue_eligibility(
                permit, today(self.clock), lost=lost, renewal=self.policy, policy=self.reissue_policy
            )
        self.wizard.next()

    def switch_to_renewal(self) -> None:
        """A lost permit that ran out must be endorsed first: continue as a renewal, same card."""
        s = self.session
        s.service = Service.RENEWAL
        s.application = Application(Service.RENEWAL)
        s.reissue_verdict = None
        self.wizard.switch(Service.RENEWAL, at=Step.ELIGIBILITY)

    # --- my applications (kiosk/flow/applications.py) ---
    def load_applications(self) -> None:
        """*Blocking.* The resident's applications, newest first."""
        self.my_applications.load()

    def select_application(self, application_id: str) -> None:
        self.my_applications.select(application_id)

    def start_pickup(self) -> None:
        self.my_applications.start_pickup()

    def choose_pickup(self, method: PickupMethod) -> None:
        self.my_applications.choose_pickup(method)

    def set_mail_address(self, address: str) -> None:
        self.my_applications.set_mail_address(address)

    def start_supplement(self) -> None:
        self.my_applications.start_supplement()

    def supplement_categories(self) -> tuple[str, ...]:
        return self.my_applications.supplement_categories()

    def category_choices(self) -> tuple[str, ...]:
        """The documents the resident may show at the category step of this journey."""
        if self.session.operation == Operation.SUPPLEMENT:
            return self.supplement_categories()
        if self.wizard.kind == Kind.INFO_CHANGE:
            return self.change_categories()
        app = self.session.application
        if app is None or app.basis is None:
            return ()
        return tuple(c.code for c in CATEGORIES if c.group.value == app.basis.value)

    def reprint_application_receipt(self) -> PrintResult:
        """*Blocking.* A receipt for the selected application (e.g. the printer failed elsewhere)."""
        return self.my_applications.reprint_receipt()

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
        if self.session.operation == Operation.PICKUP and self.session.pickup is not None:
            self.session.pickup.phone = phone
        else:
            self._app().phone = phone
        self.wizard.next()

    def current_phone(self) -> str | None:
        s = self.session
        if s.operation == Operation.PICKUP:
            return s.pickup.phone if s.pickup else None
        return s.application.phone if s.application else None

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

    def submit(self, progress=None) -> Submission | PickupResult | ApplicationView:
        """*Blocking.* Send what this journey built: a new application, a supplement or a pickup choice."""
        op = self.session.operation
        if op == Operation.PICKUP:
            return self.my_applications.submit_pickup(progress)
        if op == Operation.SUPPLEMENT:
            return self.my_applications.submit_supplement(progress)
        return self.submit_application(progress)

    def submit_application(self, progress: callable | None = None) -> Submission:  # type: ignore[valid-type]
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
        body = app.create_request(
            name=ident.name,
            id_number=ident.id_number,
            permit_number=s.permit.permit_number if s.permit else None,
            kiosk_id=self.kiosk.kiosk_id,
            client_reference=pending.client_reference,
            created_at=pending.created_at,
        )
        service = s.service.value if s.service else "unknown"
        try:
            if self.outbox is not None:
                receipt = self._through_outbox(body, pending, app, progress)
            else:
                for i, page in enumerate(list(app.pages), start=1):
                    self.client.upload_document(page.document_id, bytes(page.jpeg))
                    if progress:
                        progress(i, total)
                receipt = self.client.create_application(body, pending.idempotency_key)
        except ProblemError as e:
            if not e.retryable:
                self.events.emit("application_refused", service=service, code=e.code)
            raise
        if receipt is not None:
            self.events.emit(
                "application_accepted", service=service, client_reference=pending.client_reference,
                application_id=str(receipt["application_id"]),
            )
        if progress:
            progress(total, total)
        decision_by = receipt.get("expected_decision_by") if receipt else None
        submission = Submission(
            client_reference=pending.client_reference,
            application_id=str(receipt["application_id"]) if receipt else None,
            submitted_at=pending.created_at,
            expected_decision_by=dt.datetime.fromisoformat(decision_by) if decision_by else None,
        )
        if s.identity is ident:
            s.submission = submission
        log.info("application submitted: %s", submission.application_id or "queued")
        return submission

    def _through_outbox(self, body, pending, app, progress) -> dict | None:
        """Commit the application and its pages to the encrypted outbox (durable before the
        resident is told anything), then wait a few seconds for the service's number.
        None means queued: the sender delivers it later. A refusal raises (OutboxRefused)."""
        from kiosk.outbox import OutboxItem, OutboxRefused

        entry = self.outbox.enqueue(
            OutboxItem.application(body, pending.idempotency_key, [(p.document_id, bytes(p.jpeg)) for p in app.pages])
        )
        self.events.emit("application_queued", service=str(body.get("service")), client_reference=pending.client_reference)
        deadline = time.monotonic() + self.submit_wait_s
        while True:
            try:
                receipt = self.outbox.wait_accepted(entry, min(0.25, max(0.0, deadline - time.monotonic())))
            except OutboxRefused:
                self.outbox.discard(entry)  # the resident sees the refusal now; nothing to resend
                raise
            if receipt is not None:
                return receipt
            if progress:
                done = self.outbox.progress(entry)
                if done:
                    progress(*done)
            if time.monotonic() >= deadline:
                log.info("application queued in the outbox: %s", pending.client_reference)
                return None

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

    def print_after_submit(self) -> PrintResult | None:
        """*Blocking.* The receipt that goes with what was just sent (none for a supplement)."""
        op = self.session.operation
        if op == Operation.SUPPLEMENT:
            return None
        if op == Operation.PICKUP:
            return self.my_applications.print_pickup_receipt()
        return self.print_receipt()

    def print_pickup_receipt(self) -> PrintResult | None:
        return self.my_applications.print_pickup_receipt()

    def print_receipt(self) -> PrintResult:
        """*Blocking.* Print the receipt once (the job id makes a retry safe)."""
        receipt = self.receipt()
        result = self.printer.print_receipt(receipt)
        self.print_result = result
        log.info("receipt print: ok=%s state=%s", result.ok, result.state)
        self._after_print(receipt, result)
        return result

    def _after_print(self, receipt: Receipt, result: PrintResult) -> None:
        kind = receipt.job_id.split("-", 1)[0]  # receipt | pickup
        if result.ok:
            self.events.emit("receipt_printed", kind=kind)
            return
        self.events.emit("receipt_failed", kind=kind, printer_state=result.state.value)
        self.failed_receipt = (time.monotonic(), receipt)
        if self.on_problem:
            self.on_problem(f"printer_{result.state.value}", f"receipt not printed: printer {result.state.value}")

    def reprint_failed_receipt(self) -> PrintResult | None:
        """*Blocking.* Technician: print the receipt that failed, once the printer is fixed."""
        held = self.held_receipt()
        if held is None:
            return None
        reprint = Receipt(job_id=held.job_id + "-r", blocks=held.blocks, lang=held.lang)
        result = self.printer.print_receipt(reprint)
        if result.ok:
            self.failed_receipt = None
        return result

    def held_receipt(self) -> Receipt | None:
        if self.failed_receipt is None:
            return None
        at, receipt = self.failed_receipt
        if time.monotonic() - at > self.keep_failed_receipt_s:
            self.failed_receipt = None
            return None
        return receipt

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
