"""One journey class per service, on the small common core of :class:`~kiosk.flow.journey.Journey`.

The core knows the session, the steps, the card and the submission; what differs between the
services lives here: which documents fit, what stops the journey with a given permit, what is
sent and what is printed. ``Journey.current`` is the class of the journey in progress; screens
that belong to one service talk to its class (``journey.changes``, ``journey.reissue``,
``journey.applications``). Pure Python (no Qt); methods marked *blocking* do I/O.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from kiosk.devices.base import PrintResult
from kiosk.domain.changes import permit_usable_for_change
from kiosk.domain.clock import today
from kiosk.domain.rules import Verdict
from kiosk.domain.services import CATEGORIES, Basis, category
from kiosk.flow.receipts import submission_receipt
from kiosk.flow.steps import Kind, Step

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.domain.applications import ApplicationView, PickupResult
    from kiosk.domain.session import Session, Submission
    from kiosk.flow.journey import Journey


class ServiceJourney:
    """What every service does unless it says otherwise: a new application, documents chosen
    by the basis of residence, the submission receipt."""

    kind: ClassVar[Kind]

    def __init__(self, journey: Journey) -> None:
        self.journey = journey

    @property
    def session(self) -> Session:
        return self.journey.session

    def categories(self) -> tuple[str, ...]:
        """The documents the resident may show at the category step."""
        app = self.session.application
        if app is None or app.basis is None:
            return ()
        return tuple(c.code for c in CATEGORIES if c.group.value == app.basis.value)

    def blocker(self) -> str | None:
        """Why this journey cannot go on with the permit on file, or None."""
        return None

    def identity_confirmed(self) -> None:
        """The resident said the card is theirs (the route may depend on the permit)."""

    def category_chosen(self, code: str) -> None:
        """The resident chose the document ``code`` at the category step."""

    def submit(self, progress=None) -> Submission | PickupResult | ApplicationView:
        """*Blocking.* Send what this journey built."""
        return self.journey.submitter.send_application(progress)

    def print_after_submit(self) -> PrintResult | None:
        """*Blocking.* The receipt that goes with what was just sent."""
        j = self.journey
        receipt = submission_receipt(self.session, kiosk_id=j.kiosk.kiosk_id, kiosk_location=j.kiosk.location, lang=j.lang)
        return j.receipts.print(receipt)


class RenewalJourney(ServiceJourney):
    """签注: one screen says who it is and that they can renew; one tap on a document says both
    the basis and the document."""

    kind = Kind.RENEWAL

    def categories(self) -> tuple[str, ...]:
        """Every document that proves a basis (work, home, study), grouped by basis."""
        bases = {b.value for b in Basis}
        return tuple(c.code for c in CATEGORIES if c.group.value in bases)

    def can_go_ahead(self) -> bool:
        """Eligible with nothing to read first: the identity screen says so and the verdict
        screen is left out. Late, too early, already endorsed and expired keep theirs."""
        e = self.session.eligibility
        return e is not None and e.verdict == Verdict.ELIGIBLE

    def identity_confirmed(self) -> None:
        self.journey.wizard.skip(Step.ELIGIBILITY, self.can_go_ahead())

    def category_chosen(self, code: str) -> None:
        app = self.journey.application()
        basis = Basis(category(code).group.value)
        if app.basis != basis:
            app.basis = basis


class NeedsUsablePermit(ServiceJourney):
    """Changes and replacements need a permit that has not run out."""

    def blocker(self) -> str | None:
        permit = self.session.permit
        if permit is None:
            return None
        j = self.journey
        if not permit_usable_for_change(permit, today(j.clock), j.policy):
            return "expired"
        return None
