"""``Idempotency-Key`` (contract section 6): the first answer to a creating POST is stored with the
request's fingerprint and replayed byte for byte to a retry with the same key."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from kiosk.simulator.faults import Fault
from kiosk.simulator.http import Request, Response, canonical_json, json_body, problem_response
from kiosk.simulator.problems import ApiError
from kiosk.simulator.store import Store
from kiosk.simulator.validation import UUID_RE


def storable(status: int) -> bool:
    """Section 6: definitive answers from the validation step on are stored for replay."""
    return 200 <= status < 300 or status in (404, 409, 422)


def idempotency_key(req: Request) -> str:
    key = req.headers.get("Idempotency-Key")
    if key is None:
        raise ApiError("idempotency_key_required", "This operation requires an Idempotency-Key header.")
    if UUID_RE.fullmatch(key) is None:
        raise ApiError("idempotency_key_invalid", "Idempotency-Key must be a lowercase canonical UUID.")
    return key


def replay(record: dict[str, Any], fingerprint: str) -> Response:
    """The stored answer for a retry (409 if the key was used for another request or is in progress)."""
    if record["fingerprint"] != fingerprint:
        raise ApiError("idempotency_conflict", "The Idempotency-Key was first used with a different request.")
    if record["state"] != "done":
        raise ApiError(
            "idempotency_in_progress",
            "Retry with the same key after Retry-After seconds.",
            extra={"retry_after_s": 1},
            headers={"Retry-After": "1"},
        )
    headers = {"Idempotent-Replayed": "true"}
    if record["location"]:
        headers["Location"] = record["location"]
    return Response(int(record["status"]), record["body"] or b"", record["content_type"], headers)


def idempotent(
    store: Store,
    req: Request,
    kiosk_id: str,
    *,
    claimed_at: Callable[[], str],
    fault: Fault | None,
    operation: Callable[[dict[str, Any]], Response],
) -> Response:
    """Run ``operation(body)`` once per ``(kiosk, Idempotency-Key)``: the key is claimed (in progress)
    before it runs, and its answer stored if definitive, else the key released for a retry.

    The key is checked before the body; a ``delay`` fault holds the claimed key in progress."""
    key = idempotency_key(req)
    body = json_body(req)
    fingerprint = hashlib.sha256(f"{req.method} {req.path}\n".encode() + canonical_json(body)).hexdigest()
    with store.transaction() as tx:
        record = tx.get_idempotency(kiosk_id, key)
        if record is None:
            tx.claim_idempotency(kiosk_id, key, fingerprint, claimed_at())
    if record is not None:
        return replay(record, fingerprint)
    try:
        if fault is not None:
            fault.delay()
        with store.transaction() as tx:
            try:
                response = operation(body)
            except ApiError as err:
                response = problem_response(req, err)
            if storable(response.status):
                content_type = response.content_type or "application/json"
                location = response.headers.get("Location")
                tx.finish_idempotency(kiosk_id, key, response.status, content_type, response.body, location)
            else:
                tx.release_idempotency(kiosk_id, key)
        return response
    except BaseException:
        with store.transaction() as tx:
            tx.release_idempotency(kiosk_id, key)
        raise
