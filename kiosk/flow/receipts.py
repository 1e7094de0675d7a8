"""The receipt desk: prints a journey's receipts, remembers the last result for the done
screen, and holds a receipt that failed to print (masked data only) for the technician's
reprint. Pure Python (no Qt); methods marked *blocking* do I/O."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from kiosk.devices.base import PrintResult, ReceiptPrinter
from kiosk.domain.receipt import Receipt, SubmissionInfo, build_submission_receipt
from kiosk.domain.rules import Verdict
from kiosk.domain.session import Session
from kiosk.events import EventLog

log = logging.getLogger("kiosk.flow.journey")  # the journey's log lines, as before the split


class ReceiptDesk:
    def __init__(
        self,
        printer: ReceiptPrinter,
        events: EventLog,
        *,
        on_problem: Callable[[str, str], None] | None = None,
        keep_failed_s: float = 1800.0,
    ) -> None:
        self.printer = printer
        self.events = events
        self.on_problem = on_problem  # the journey's report_problem
        self.keep_failed_s = keep_failed_s
        self.last: PrintResult | None = None  # of the current session's receipt
        self._failed: tuple[float, Receipt] | None = None

    def print(self, receipt: Receipt, *, follow_up: bool = True) -> PrintResult:
        """*Blocking.* Print once (the job id makes a retry safe). ``follow_up``: a failure is
        an event, a problem in the heartbeat and a receipt held for the technician."""
        result = self.printer.print_receipt(receipt)
        self.last = result
        log.info("receipt print: ok=%s state=%s", result.ok, result.state)
        if follow_up:
            self._after_print(receipt, result)
        return result

    def _after_print(self, receipt: Receipt, result: PrintResult) -> None:
        kind = receipt.job_id.split("-", 1)[0]  # receipt | pickup
        if result.ok:
            self.events.emit("receipt_printed", kind=kind)
            return
        self.events.emit("receipt_failed", kind=kind, printer_state=result.state.value)
        self._failed = (time.monotonic(), receipt)
        if self.on_problem:
            self.on_problem(f"printer_{result.state.value}", f"receipt not printed: printer {result.state.value}")

    def session_ended(self) -> None:
        self.last = None

    # --- the technician's reprint ---
    def reprint_failed(self) -> PrintResult | None:
        """*Blocking.* Print the receipt that failed, once the printer is fixed."""
        held = self.held()
        if held is None:
            return None
        reprint = Receipt(job_id=held.job_id + "-r", blocks=held.blocks, lang=held.lang)
        result = self.printer.print_receipt(reprint)
        if result.ok:
            self._failed = None
        return result

    def held(self) -> Receipt | None:
        if self._failed is None:
            return None
        at, receipt = self._failed
        if time.monotonic() - at > self.keep_failed_s:
            self._failed = None
            return None
        return receipt


def submission_receipt(s: Session, *, kiosk_id: str, kiosk_location: str, lang: str) -> Receipt:
    """The receipt of the application this session just sent."""
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
        kiosk_id=kiosk_id,
        kiosk_location=kiosk_location,
        late_endorsement=bool(s.eligibility and s.eligibility.verdict == Verdict.ELIGIBLE_LATE),
    )
    return build_submission_receipt(info, lang, job_id=f"receipt-{s.submission.client_reference}")
