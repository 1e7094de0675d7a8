"""The resident's session: the one owner of every piece of personal data at the kiosk.

Screens read from it and never keep their own copies; ``wipe()`` ends it. After a wipe
the session holds nothing personal (tests assert this with :meth:`holds_personal_data`).
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from kiosk.domain.application import Application
from kiosk.domain.applications import ApplicationView, PickupMethod, PickupResult
from kiosk.domain.changes import ReissueVerdict
from kiosk.domain.permit import PermitRecord
from kiosk.domain.rules import Eligibility
from kiosk.domain.services import Service

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.domain.idcard import IdentityRecord


@dataclass(frozen=True)
class Submission:
    """What the review service (or the outbox) said about a submitted application."""

    client_reference: str
    application_id: str | None
    submitted_at: dt.datetime
    expected_decision_by: dt.datetime | None


@dataclass
class PendingSubmission:
    """Fixed when the resident presses submit and reused by every retry (no duplicates)."""

    client_reference: str
    idempotency_key: str
    created_at: dt.datetime
    #: The request is committed (at the service, or durably in the outbox): it will be sent.
    committed: bool = False


class Operation(enum.StrEnum):
    """What the journey sends when the resident submits."""

    CREATE = "create"  # a new application
    SUPPLEMENT = "supplement"  # documents the officer asked for
    PICKUP = "pickup"  # window or mail pickup of a ready card


@dataclass
class PickupChoice:
    """Window or mail pickup (contract PickupRequest), built step by step."""

    method: PickupMethod
    recipient: str | None = None
    address: str | None = None
    phone: str | None = None

    def request(self) -> dict:
        if self.method == PickupMethod.WINDOW:
            return {"method": PickupMethod.WINDOW.value}
        return {"method": PickupMethod.MAIL.value, "mail": {"recipient": self.recipient, "address": self.address, "phone": self.phone}}


@dataclass
class Session:
    """Every field is declared once, here, with its empty value: :meth:`wipe` resets every
    field to that value and :meth:`holds_personal_data` looks at every field, so a field
    added later is wiped and checked without anyone remembering to."""

    service: Service | None = None
    consented: bool = False
    identity: IdentityRecord | None = None
    permit: PermitRecord | None = None
    eligibility: Eligibility | None = None
    application: Application | None = None
    pending: PendingSubmission | None = None
    submission: Submission | None = None
    late_warning_acknowledged: bool = False
    # info_change
    change_date: dt.date | None = None
    change_late: bool = False
    # replacement
    reissue_verdict: ReissueVerdict | None = None
    # my applications
    applications: list[ApplicationView] | None = None
    selected: ApplicationView | None = None
    operation: Operation = Operation.CREATE
    pickup: PickupChoice | None = None
    result: PickupResult | ApplicationView | None = None  # the service's answer to a pickup or supplement

    def start(self, service: Service | None) -> None:
        """A new journey; ``service`` None for 'My applications' (or until chosen)."""
        self.wipe()
        self.service = service
        self.application = Application(service) if service is not None else None

    def holds_personal_data(self) -> bool:
        """True while any field differs from its empty value in a way that can identify the
        resident. The service chosen, consent and the step flags are not personal; an
        application is personal once it has pages, a phone or changes."""
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in NOT_PERSONAL or value == f.default:
                continue
            if f.name == "application":
                if value.pages or value.phone is not None or value.changes:
                    return True
                continue
            return True
        return False

    def wipe(self) -> None:
        if self.application is not None:
            self.application.wipe()  # zero the page buffers before letting go of them
        for f in fields(self):
            setattr(self, f.name, f.default)


# Fields that say where the resident is in a journey, not who they are.
NOT_PERSONAL = frozenset({"service", "consented", "late_warning_acknowledged", "change_late", "reissue_verdict", "operation"})
