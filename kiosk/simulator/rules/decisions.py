"""The officer's decisions (``POST /sim/applications/{application_id}/decide`` and auto review) and
what an approval does to the permit record (section 9 reference behaviour)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.simulator import timeutil
from kiosk.simulator.rules.common import find_application, move, require_status, require_valid
from kiosk.simulator.store import Store
from kiosk.simulator.validation_sim import DECISION_FROM, validate_sim_decision

#: auto review: status -> next status
AUTO_REVIEW_NEXT: dict[str, str] = {"submitted": "under_review", "under_review": "approved", "approved": "card_ready"}


def decide(store: Store, application_id: str, body: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """SimDecision: move the application if the decision is allowed from its status; returns it."""
    errors, data = validate_sim_decision(body)
    require_valid(errors)
    decision: str = data["decision"]
    app = find_application(store, application_id)
    require_status(app, DECISION_FROM[decision], f"Cannot move to {decision} from {app['status']}.")
    apply_decision(store, app, decision, data["note"], now)
    return app


def apply_decision(store: Store, app: dict[str, Any], decision: str, note: str | None, now: dt.datetime) -> None:
    move(app, decision, timeutil.format_datetime(now), "officer", note)
    if note is not None:
        app["officer_note"] = note
    if decision == "rejected":
        app["rejection_reason"] = note
    if decision == "approved":
        _apply_approval(store, app, now.date())
    store.save_application(app)


def _apply_approval(store: Store, app: dict[str, Any], today: dt.date) -> None:
    """Section 9 reference behaviour: update the permit record on approval."""
    record = store.get_permit(app["applicant"]["id_number"])
    if record is None:
        return
    if app["service"] == "renewal":
        old = dt.date.fromisoformat(record["valid_until"])
        record["last_endorsement_date"] = today.isoformat()
        record["valid_until"] = timeutil.renewed_valid_until(old, today).isoformat()
        record["status_override"] = None
    elif app["service"] == "info_change":
        changes = app["changes"] or {}
        if "residence_address" in changes:
            record["registered_address"] = changes["residence_address"]
        for key in ("employer", "school"):
            if key in changes:
                record[key] = changes[key]
    else:
        return
    store.put_permit(record)
