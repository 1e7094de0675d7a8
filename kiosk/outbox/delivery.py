"""One try at one outbox entry: upload its documents, then send its request as stored.

The documents go first (``PUT /v1/documents/{id}``, content-addressed, so a repeat is a harmless
``200``): every page is present upstream before the POST that references it. Then the request
goes out with its stored ``Idempotency-Key`` and its stored, byte-identical body (contract §6),
through the client's public :meth:`~kiosk.backend_client.ReviewClient.send_stored`. Exactly one
application upstream follows from the idempotency key: a POST whose answer was lost is replayed by
the service. What an error means for the entry is :mod:`kiosk.outbox.policy`'s to say.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag

from kiosk.backend_client import BackendError, ProblemError, ReviewClient, TransportError
from kiosk.outbox.item import KINDS, KindSpec, content_type, request_reference
from kiosk.outbox.policy import MAX_ENTRY_AGE_S, judge
from kiosk.outbox.store import Entry

if TYPE_CHECKING:
    from kiosk.outbox.outbox import Outbox

# The package's one logger name, as before it was split into modules: log lines are unchanged.
log = logging.getLogger("kiosk.outbox")


def attempt(outbox: Outbox, entry: Entry, client: ReviewClient) -> float | None:
    """One try at one entry. Returns a kiosk-wide pause (Retry-After of 429/503) or None."""
    age = outbox._entry_age_s(entry)
    if age is not None and age > MAX_ENTRY_AGE_S:
        outbox._kill(entry, "outbox_expired", None)
        return None
    try:
        request = json.loads(outbox._open_request(entry))
    except (InvalidTag, ValueError):
        outbox._kill(entry, "undecryptable", None)
        return None
    spec = KINDS.get(entry.kind)
    if spec is None:
        outbox._kill(entry, "unknown_kind", None)
        return None
    try:
        if not _upload_documents(outbox, entry, client):
            return None
        answer = _send_request(client, request, spec)
    except ProblemError as e:
        return _on_problem(outbox, entry, request, e)
    except BackendError as e:
        outbox._retry_later(entry, e.code, None, outbox._backoff(entry.attempts))
        return None
    outbox._accept(entry, answer)
    return None


def _upload_documents(outbox: Outbox, entry: Entry, client: ReviewClient) -> bool:
    """Upload the documents not yet confirmed upstream; False if one cannot be decrypted (the
    entry is then dead)."""
    for idx, document_id in outbox._documents_to_send(entry.id):
        try:
            data = outbox._document_bytes(entry.id, idx, document_id)
        except InvalidTag:
            outbox._kill(entry, "undecryptable", None)
            return False
        client.upload_document(document_id, data, content_type(data))
        del data
        outbox._confirm_document(entry.id, idx)
    return True


def _send_request(client: ReviewClient, request: dict[str, Any], spec: KindSpec) -> dict[str, Any]:
    # The stored body bytes as they are (not re-serialised) with the stored key.
    answer = client.send_stored(
        request["method"],
        request["path"],
        request["body"].encode("utf-8"),
        request["idempotency_key"],
        ok=spec.ok,
    )
    if spec.required and not answer.get(spec.required):
        raise TransportError(f"2xx answer without {spec.required}")
    return answer


def _on_problem(outbox: Outbox, entry: Entry, request: dict[str, Any], e: ProblemError) -> float | None:
    verdict = judge(e, entry.kind, backoff_s=lambda: outbox._backoff(entry.attempts), hold_s=outbox.max_backoff_s)
    if verdict.action in ("retry", "hold"):
        outbox._retry_later(entry, e.code, e.status, verdict.delay_s)
        return verdict.pause_s
    if verdict.action == "upstream":
        existing = verdict.existing_application_id
        log.warning("outbox: entry %s already upstream as %s (client_reference_conflict)", entry.id, existing)
        outbox._accept(entry, {"application_id": existing, "client_reference": request_reference(request)})
        return None
    outbox._kill(entry, e.code, e.status, e)
    return None
