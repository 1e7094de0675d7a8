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

    def start(self, service: Service) -> None:
        self.wipe()
        self.service = service
        self.application = Application(service)

    def holds_personal_data(self) -> bool:
        app = self.application
        return any(
            [
                self.identity is not None,
                self.permit is not None,
                self.eligibility is not None,
                self.submission is not None,
                self.pending is not None,
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
