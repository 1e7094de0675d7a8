"""When the outbox tries again, waits, holds, or gives up (contract §5, §6, §7, §8).

Retries use exponential backoff with jitter that honours ``Retry-After``; a 429 or 503 with
``Retry-After`` pauses the whole sender, not just the entry refused. Kiosk-level refusals hold the
entry; anything else the service says definitively makes the entry ``dead`` (kept, encrypted,
for a technician) - except ``client_reference_conflict``, which means the journey is already
upstream.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.backend_client import ProblemError

#: Statuses and codes the contract (§5) calls retryable with the same key and body.
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
RETRYABLE_CODES = frozenset({"idempotency_in_progress", "digest_mismatch"})
#: Kiosk-level refusals (token, certificate, kiosk disabled): checked before the idempotency store,
#: so nothing is stored for the key. They say nothing about the entry itself, so the entry is held
#: (retried slowly) until a technician fixes the kiosk, never given up.
HOLD_STATUS = frozenset({401, 403})
#: The service may purge unreferenced documents 7 days after upload (§7), and a 422
#: unknown_document is final for the key (§6): re-confirm older uploads right before the POST.
DOCUMENT_RECONFIRM_S = 24 * 3600.0
#: Keys are retained at least 45 days (§6): after that a retry could never be a replay.
MAX_ENTRY_AGE_S = 45 * 24 * 3600.0
#: Longest Retry-After honoured as such (a larger one is capped; the entry is retried then).
MAX_RETRY_AFTER_S = 3600.0
#: Non-personal result rows are kept this long (the UI and ``outbox status`` read them).
RESULT_RETENTION_S = 30 * 24 * 3600.0
#: Dead entries (personal, encrypted) wait this long for a technician, then are discarded:
#: ``created_at`` may be at most 30 days old (§8), so they could never be sent afterwards anyway.
DEAD_RETENTION_S = 30 * 24 * 3600.0


def backoff(attempts: int, base_s: float, max_s: float) -> float:
    """Exponential with 'equal jitter': half fixed, half random, capped."""
    d = min(max_s, base_s * (2 ** min(attempts, 30)))
    return d / 2 + random.uniform(0, d / 2)


@dataclass(frozen=True)
class Verdict:
    """What becomes of an entry after a problem answer from the service."""

    #: ``retry`` (after ``delay_s``), ``hold`` (likewise: the kiosk, not the entry, was refused),
    #: ``upstream`` (already an application: ``existing_application_id``) or ``dead``.
    action: str
    delay_s: float = 0.0
    #: A kiosk-wide pause: the whole service said "not now" (429/503 with Retry-After).
    pause_s: float | None = None
    existing_application_id: str | None = None


def judge(problem: ProblemError, kind: str, *, backoff_s: Callable[[], float], hold_s: float) -> Verdict:
    """The verdict on ``problem`` for an entry of ``kind``; ``backoff_s()`` is the entry's next backoff."""
    if problem.status in RETRYABLE_STATUS or problem.code in RETRYABLE_CODES:
        retry_after = min(MAX_RETRY_AFTER_S, problem.retry_after) if problem.retry_after is not None else None
        delay = backoff_s()
        if retry_after is not None:
            delay = max(delay, retry_after)
        pause = retry_after if problem.status in (429, 503) and retry_after is not None else None
        return Verdict("retry", delay, pause)
    if problem.status in HOLD_STATUS:
        return Verdict("hold", hold_s)
    existing = problem.problem.get("existing_application_id")
    if problem.code == "client_reference_conflict" and kind == "application" and isinstance(existing, str):
        # The safety net of §6: this kiosk's journey reference is already an application
        # upstream (sent under another key, e.g. before an upgrade). It is there: accepted.
        return Verdict("upstream", existing_application_id=existing)
    return Verdict("dead")
