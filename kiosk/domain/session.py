"""The resident's session: the one owner of every piece of personal data at the kiosk.

Screens read from it and never keep their own copies; ``wipe()`` ends it. After a wipe
the session holds nothing personal (tests assert this with :meth:`holds_personal_data`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kiosk.domain.application import Application
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


@dataclass(frozen=True)
class PendingSubmission:
    """Fixed when the resident presses submit and reused by every retry (no duplicates)."""

    client_reference: str
    idempotency_key: str
    created_at: dt.datetime


@dataclass
class PickupChoice:
    """Window or mail pickup (contract PickupRequest), built step by step."""

    method: str  # "window" | "mail"
    recipient: str | None = None
    address: str | None = None
    phone: str | None = None

    def request(self) -> dict:
        if self.method == "window":
            return {"method": "window"}
        return {"method": "mail", "mail": {"recipient": self.recipient, "address": self.address, "phone": self.phone}}


class Session:
    def __init__(self) -> None:
        self.service: Service | None = None
        self.consented = False
        self.identity: IdentityRecord | None = None
        self.permit: PermitRecord | None = None
        self.eligibility: Eligibility | None = None
        self.application: Application | None = None
        self.pending: PendingSubmission | None = None
        self.submission: Submission | None = None
        self.late_warning_acknowledged = False
        # info_change
        self.change_date: dt.date | None = None
        self.change_late = False
        # replacement
        self.reissue_verdict: str | None = None
        # my applications
        self.applications: list[dict] | None = None
        self.selected: dict | None = None
        self.operation = "create"  # create | supplement | pickup
        self.pickup: PickupChoice | None = None
        self.result: dict | None = None  # the service's answer to a supplement or pickup

    def start(self, service: Service | None) -> None:
        """A new journey; ``service`` None for 'My applications' (or until chosen)."""
        self.wipe()
        self.service = service
        self.application = Application(service) if service is not None else None

    def holds_personal_data(self) -> bool:
        app = self.application
        return any(
            [
                self.identity is not None,
                self.permit is not None,
                self.eligibility is not None,
                self.submission is not None,
                self.pending is not None,
                self.applications is not None,
                self.selected is not None,
                self.pickup is not None,
                self.result is not None,
                self.change_date is not None,
                app is not None and (bool(app.pages) or app.phone is not None or bool(app.changes)),
            ]
        )

    def wipe(self) -> None:
        if self.application is not None:
            self.application.wipe()
        self.service = None
        self.consented = False
        self.identity = None
        self.permit = None
        self.eligibility = None
        self.application = None
        self.pending = None
        self.submission = None
        self.late_warning_acknowledged = False
        self.change_date = None
        self.change_late = False
        self.reissue_verdict = None
        self.applications = None
        self.selected = None
        self.operation = "create"
        self.pickup = None
        self.result = None
