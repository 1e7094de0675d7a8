"""Sending a new application: every page, then the application itself (idempotent), either
straight to the review service or through the durable, encrypted outbox. Pure Python (no Qt);
methods marked *blocking* do I/O and run on a worker thread."""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.backend_client import ProblemError
from kiosk.domain.application import new_client_reference
from kiosk.domain.session import PendingSubmission, Submission
from kiosk.storage import STORAGE_CODE, StorageError

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.flow.journey import Journey
    from kiosk.outbox import Outbox

log = logging.getLogger("kiosk.flow.journey")  # the journey's log lines, as before the split

Progress = Callable[[int, int], None]


class Submitter:
    def __init__(self, journey: Journey, outbox: Outbox | None = None, wait_s: float = 5.0) -> None:
        self.journey = journey
        self.outbox = outbox  # applications go through it when set
        self.wait_s = wait_s  # how long the resident waits for the service's number

    def prepare(self) -> PendingSubmission:
        """Fix the reference, key and time once, so every retry sends the same request."""
        s, j = self.journey.session, self.journey
        if s.pending is None:
            now = j.clock.now()
            s.pending = PendingSubmission(
                client_reference=new_client_reference(j.kiosk.kiosk_id, now),
                idempotency_key=str(uuid.uuid4()),
                created_at=now,
            )
        return s.pending

    def send_application(self, progress: Progress | None = None) -> Submission:
        """*Blocking.* Upload every page, then create the application (idempotent).

        ``progress(done, total)`` is called after each step. Raises BackendError.
        """
        j = self.journey
        s = j.session
        app = j.application()
        ident = s.identity
        pending = self.prepare()
        if ident is None:
            raise RuntimeError("no identity")
        total = len(app.pages) + 1
        body = app.create_request(
            name=ident.name,
            id_number=ident.id_number,
            permit_number=s.permit.permit_number if s.permit else None,
            kiosk_id=j.kiosk.kiosk_id,
            client_reference=pending.client_reference,
            created_at=pending.created_at,
        )
        service = s.service.value if s.service else "unknown"
        try:
            if self.outbox is not None:
                receipt = self._through_outbox(body, pending, app, progress)
            else:
                for i, page in enumerate(list(app.pages), start=1):
                    j.client.upload_document(page.document_id, bytes(page.jpeg))
                    if progress:
                        progress(i, total)
                receipt = j.client.create_application(body, pending.idempotency_key)
                pending.committed = True
        except ProblemError as e:
            if not e.retryable:
                j.events.emit("application_refused", service=service, code=e.code)
            raise
        except StorageError as e:  # nothing was accepted: it could not be stored
            j.report_problem(STORAGE_CODE, e.reason)
            raise
        except Exception:
            if pending.committed and s.identity is ident:  # in the outbox: it will be sent
                s.submission = Submission(pending.client_reference, None, pending.created_at, None)
            raise
        if receipt is not None:
            j.events.emit(
                "application_accepted", service=service, client_reference=pending.client_reference,
                application_id=str(receipt["application_id"]),
            )
        if progress:
            progress(total, total)
        submission = Submission(
            client_reference=pending.client_reference,
            application_id=str(receipt["application_id"]) if receipt else None,
            submitted_at=pending.created_at,
            expected_decision_by=decision_date(receipt),
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
        pending.committed = True
        self.journey.events.emit(
            "application_queued", service=str(body.get("service")), client_reference=pending.client_reference
        )
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                receipt = self.outbox.wait_accepted(entry, min(0.25, max(0.0, deadline - time.monotonic())))
            except OutboxRefused:
                pending.committed = False  # refused for good: nothing of it will be sent
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


def decision_date(receipt: dict | None) -> dt.datetime | None:
    """The receipt's ``expected_decision_by``, or None when it is missing or no date: it is
    informational, and the application is accepted whatever it says."""
    value = receipt.get("expected_decision_by") if receipt else None
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        log.warning("application receipt: expected_decision_by is not a date; left out")
        return None
