"""The journey's common core: what happens at each step, between the session, the devices
and the review service. Pure Python (no Qt): methods marked *blocking* do I/O and are
called by the screens on a worker thread; the rest are instant. What differs between the
services is in one class per service (``services``, ``change``, ``reissue``, ``applications``);
sending is in ``submission``, printing in ``receipts``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.backend_client import BackendError, ProblemError, ReviewClient
from kiosk.devices.base import PrintResult, ReceiptPrinter
from kiosk.domain.application import Application, valid_mobile
from kiosk.domain.applications import ApplicationView, PickupResult
from kiosk.domain.changes import ChangePolicy, ReissuePolicy
from kiosk.domain.clock import Clock, today
from kiosk.domain.help import HelpAnswer, help_request_body
from kiosk.domain.idcard import IdentityRecord
from kiosk.domain.rules import RenewalPolicy, Verdict, renewal_eligibility
from kiosk.domain.services import Service
from kiosk.domain.session import Operation, Session, Submission
from kiosk.events import EventLog
from kiosk.flow.applications import MyApplications
from kiosk.flow.change import ChangeJourney
from kiosk.flow.lifecycle import KioskState, SessionEnd
from kiosk.flow.receipts import ReceiptDesk
from kiosk.flow.reissue import ReissueJourney
from kiosk.flow.services import RenewalJourney, ServiceJourney
from kiosk.flow.steps import Kind, Step, Wizard
from kiosk.flow.submission import Submitter

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.outbox import Outbox

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
    """The common core of every journey: the session from attract to its end, the steps, the
    card and the permit, the documents and the phone, sending and printing. What differs
    between services is in one class per service (:mod:`kiosk.flow.services`)."""

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
        events: EventLog | None = None,
        outbox: Outbox | None = None,
        submit_wait_s: float = 5.0,
        on_problem: Callable[[str, str], None] | None = None,
        keep_failed_receipt_s: float = 1800.0,
    ) -> None:
        self.session = session
        self.wizard = wizard
        self.client = client
        self.clock = clock
        self.kiosk = kiosk
        self.policy = policy
        self.change_policy = change_policy
        self.reissue_policy = reissue_policy
        self.lang = "zh"
        self.events = events or EventLog()  # app.build gives the data directory's events.jsonl
        self.state = KioskState(self.events)
        self.submitter = Submitter(self, outbox, submit_wait_s)
        self.on_problem = on_problem  # reported in the heartbeat
        self.receipts = ReceiptDesk(printer, self.events, on_problem=self.report_problem, keep_failed_s=keep_failed_receipt_s)
        self._end_listeners: list[Callable[[SessionEnd], None]] = []
        # One journey class per service; ``current`` is the one in progress.
        self.renewal = RenewalJourney(self)
        self.changes = ChangeJourney(self)
        self.reissue = ReissueJourney(self)
        self.applications = MyApplications(self)
        self._by_kind: dict[Kind, ServiceJourney] = {
            j.kind: j for j in (self.renewal, self.changes, self.reissue, self.applications)
        }

    @property
    def current(self) -> ServiceJourney:
        """The journey in progress (renewal's rules when none is)."""
        kind = self.wizard.kind
        return self._by_kind.get(kind, self.renewal) if kind is not None else self.renewal

    # --- start and end ---
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
        self.receipts.session_ended()
        self.wizard.restart()
        if step != Step.ATTRACT:  # a session was under way (not a close or a wipe at attract)
            log.info("session ended: %s", how.value)
            self.events.emit("session_ended", how=how.value, step=step.value)
        for listener in list(self._end_listeners):
            listener(how)

    def device_lost(self, device: str) -> None:
        """A device went away in the middle of a step and the session cannot continue: it ends
        as in the failsafe (wiped; the window says so calmly and returns to attract)."""
        step = self.wizard.current
        log.error("%s lost at %s; the session is ended", device, step.value)
        self.report_problem(f"{device}_lost", f"{device} lost at {step.value}; the session was ended")
        self.end(SessionEnd.FAILSAFE)

    def report_problem(self, code: str, message: str) -> None:
        """Tell the technician (the heartbeat's ``last_error``)."""
        if self.on_problem:
            self.on_problem(code, message)

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
        """One step back; from a journey's first step that is leaving it (nothing to keep)."""
        if self.wizard.back_leaves_journey:
            self.end(SessionEnd.CANCELLED)
        else:
            self.wizard.back()

    def change(self, step: Step) -> None:
        """'Change' on check-your-answers: a detour to ``step`` and back."""
        self.wizard.change(step)

    def confirm_identity(self) -> None:
        """'Yes, this is me': on to what this journey does next (a renewal that can simply go
        ahead skips the verdict screen; the identity screen has already said so)."""
        self.current.identity_confirmed()
        self.wizard.next()

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
        """Why this journey cannot go on with this permit, or None."""
        return self.current.blocker()

    # --- documents and phone ---
    def category_choices(self) -> tuple[str, ...]:
        """The documents the resident may show at the category step of this journey."""
        return self.current.categories()

    def choose_category(self, code: str) -> None:
        """The document the resident will show (for a renewal this also says the basis)."""
        app = self.application()
        if app.category != code:
            self._drop_pages_except(code)
            app.category = code
        self.current.category_chosen(code)
        self.wizard.next()

    def set_phone(self, phone: str) -> None:
        if not valid_mobile(phone):
            raise ValueError("not a mainland mobile number")
        if self.session.operation == Operation.PICKUP and self.session.pickup is not None:
            self.session.pickup.phone = phone
        else:
            app = self.application()
            app.phone = phone
            app.use_phone_on_file = False
        self.wizard.next()

    def phone_on_file(self) -> str | None:
        """The masked number the police hold for the resident (contract 1.1), when this step may
        use it: a new application, and a service that sent one. None: the keypad it is."""
        permit = self.session.permit
        if self.session.operation != Operation.CREATE or self.session.application is None or permit is None:
            return None
        return permit.phone_on_file_masked

    def use_phone_on_file(self) -> None:
        """'Send it to this number': the application asks the service to use the number on file."""
        if self.phone_on_file() is None:
            raise RuntimeError("no number on file")
        app = self.application()
        app.phone = None
        app.use_phone_on_file = True
        self.wizard.next()

    def current_phone(self) -> str | None:
        s = self.session
        if s.operation == Operation.PICKUP:
            return s.pickup.phone if s.pickup else None
        return s.application.phone if s.application else None

    # --- send and print ---
    def submit(self, progress=None) -> Submission | PickupResult | ApplicationView:
        """*Blocking.* Send what this journey built: a new application, a supplement or a pickup choice."""
        return self.current.submit(progress)

    def print_after_submit(self) -> PrintResult | None:
        """*Blocking.* The receipt that goes with what was just sent (none for a supplement)."""
        return self.current.print_after_submit()

    def storage_failed(self, reason: str) -> None:
        """The data directory could not store a submission: out of service until it can (UI thread)."""
        self.state.set_storage(reason)

    @property
    def accepted(self) -> bool:
        """What the resident submitted is committed (at the service, or queued to be sent):
        cancelling now deletes it from this machine, not from the service."""
        pending = self.session.pending
        return self.session.submission is not None or (pending is not None and pending.committed)

    @property
    def print_result(self) -> PrintResult | None:
        """How this session's receipt printed (None before it was printed)."""
        return self.receipts.last

    # --- helpers ---
    def application(self) -> Application:
        """The application this session is building."""
        if self.session.application is None:
            raise RuntimeError("no journey in progress")
        return self.session.application

    def _drop_pages_except(self, code: str | None) -> None:
        app = self.application()
        for page in [p for p in app.pages if p.category != code]:
            app.remove_page(page)


def problem_reasons(err: BackendError) -> list[str]:
    """The not_eligible reason codes of a refusal, if that is what it was."""
    if isinstance(err, ProblemError) and err.code == "not_eligible":
        return [str(r.get("code")) for r in err.reasons]
    return []
