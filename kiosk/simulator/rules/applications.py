"""Applications: creation with the eligibility rules (section 9), the person's list, one
application, supplements; and the contract's Application view."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.simulator import timeutil
from kiosk.simulator.problems import ApiError
from kiosk.simulator.rules.common import find_application, move, pick, reason, require_status, require_valid
from kiosk.simulator.rules.documents import document_known
from kiosk.simulator.rules.permits import matching_permit, phone_on_file
from kiosk.simulator.store import Store
from kiosk.simulator.validation import (
    mask_id_number,
    mask_phone,
    validate_application_create,
    validate_person_query,
    validate_supplement,
)

# ---------------------------------------------------------------- views


def pickup_view(pickup: dict[str, Any], *, full: bool = False) -> dict[str, Any]:
    """PickupChoice: a mail pickup's phone masked right after the address (``full``: also unmasked)."""
    if pickup["method"] != "mail":
        return dict(pickup)
    view = {key: value for key, value in pickup.items() if key != "phone"}
    items = list(view.items())
    position = [key for key, _ in items].index("address") + 1
    items.insert(position, ("phone_masked", mask_phone(pickup["phone"])))
    if full:
        items.insert(position, ("phone", pickup["phone"]))
    return dict(items)


def application_view(app: dict[str, Any], *, full: bool = False) -> dict[str, Any]:
    """The contract's Application object (``full``: the applicant unmasked, for test introspection)."""
    view = dict(app)
    applicant = app["applicant"]
    if full:
        view["applicant"] = {"name": applicant["name"], "id_number": applicant["id_number"], "phone": applicant["phone"]}
    else:
        view["applicant"] = {
            "name": applicant["name"],
            "id_number_masked": mask_id_number(applicant["id_number"]),
            "phone_masked": mask_phone(applicant["phone"]),
        }
    view["pickup"] = None if app["pickup"] is None else pickup_view(app["pickup"], full=full)
    return view


def submission_receipt(app: dict[str, Any]) -> dict[str, Any]:
    """ApplicationReceipt: the answer to a creation."""
    return pick(app, ("application_id", "status", "client_reference", "received_at", "expected_decision_by"))


# ---------------------------------------------------------------- creation


def create_application(store: Store, kiosk_id: str, body: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """ApplicationCreate -> the stored application (``submitted``): 422, then 409
    ``client_reference_conflict``, then 409 ``not_eligible`` with every reason."""
    errors, data = validate_application_create(
        body,
        header_kiosk_id=kiosk_id,
        now=now,
        document_known=document_known(store, kiosk_id),
        phone_on_file=lambda id_number, name: phone_on_file(store, id_number, name),
    )
    require_valid(errors)
    reference = data["client_reference"]
    existing = store.application_id_by_client_reference(kiosk_id, reference)
    if existing is not None:
        raise ApiError(
            "client_reference_conflict",
            f"client_reference {reference} is already used by {existing}.",
            extra={"existing_application_id": existing},
        )
    applicant = data["applicant"]
    created_at: dt.datetime = data["created_at"]
    permit = matching_permit(store, applicant["id_number"], applicant["name"])
    reasons = eligibility(store, data, permit, timeutil.to_cst(created_at).date())
    if reasons:
        detail = " ".join(found["message"]["en"] for found in reasons)
        raise ApiError("not_eligible", detail, extra={"reasons": reasons})
    assert permit is not None
    seq = store.next_sequence()
    app = _new_application(f"JZ-{now:%Y%m%d}-{seq:06d}", data, permit, kiosk_id, now)
    store.add_application(seq, app)
    return app


def _new_application(
    application_id: str, data: dict[str, Any], permit: dict[str, Any], kiosk_id: str, now: dt.datetime
) -> dict[str, Any]:
    received_at = timeutil.format_datetime(now)
    return {
        "application_id": application_id,
        "service": data["service"],
        "status": "submitted",
        "applicant": dict(data["applicant"]),
        "permit_number": permit["permit_number"],
        "basis": data["basis"],
        "changes": data["changes"],
        "documents": data["documents"],
        "kiosk_id": kiosk_id,
        "client_reference": data["client_reference"],
        "created_at": timeutil.format_datetime(data["created_at"]),
        "received_at": received_at,
        "updated_at": received_at,
        "expected_decision_by": timeutil.format_datetime(timeutil.expected_decision_by(now)),
        "officer_note": None,
        "rejection_reason": None,
        "police_station": permit["police_station"],
        "pickup": None,
        "history": [{"status": "submitted", "at": received_at, "actor": "kiosk", "note": None}],
    }


def eligibility(
    store: Store, data: dict[str, Any], permit: dict[str, Any] | None, on: dt.date
) -> list[dict[str, Any]]:
    """Section 9: reasons in the documented order; ``permit_not_found`` alone."""
    if permit is None:
        return [
            reason(
                "permit_not_found",
                "未查询到您的居住证记录，请到派出所办理。",
                "No residence permit record was found; please visit a police station.",
            )
        ]
    reasons: list[dict[str, Any]] = []
    if data["permit_number"] is not None and data["permit_number"] != permit["permit_number"]:
        reasons.append(
            reason(
                "permit_mismatch",
                "居住证号码与登记记录不一致。",
                "The permit number does not match the registered record.",
            )
        )
    valid_until = dt.date.fromisoformat(permit["valid_until"])
    status = timeutil.permit_status(valid_until, on, permit.get("status_override"))
    if status == "expired":
        reasons.append(
            reason(
                "permit_expired",
                "您的居住证已失效，请到派出所办理。",
                "The residence permit has expired; please visit a police station.",
                permit_status="expired",
            )
        )
    opens = timeutil.endorsement_window_opens_on(valid_until)
    if data["service"] == "renewal" and status == "active" and on < opens:
        day = opens.isoformat()
        reasons.append(
            reason(
                "too_early_for_endorsement",
                f"尚未到签注时间，请于{day}之后办理。",
                f"Too early for endorsement; apply on or after {day}.",
                earliest_date=day,
            )
        )
    open_id = store.open_application_id(permit["id_number"])
    if open_id is not None:
        reasons.append(
            reason(
                "duplicate_open_application",
                "您有正在办理中的业务，请勿重复申请。",
                "An application is already in progress.",
                open_application_id=open_id,
            )
        )
    return reasons


# ---------------------------------------------------------------- reading and supplements


def query_applications(store: Store, body: dict[str, Any]) -> dict[str, Any]:
    """ApplicationQuery -> ApplicationList: the person's applications, at most ``limit``."""
    errors, query = validate_person_query(body, with_limit=True)
    require_valid(errors)
    apps = store.person_applications(query["id_number"], query["name"])
    limit: int = query["limit"]
    return {"applications": [application_view(app) for app in apps[:limit]], "truncated": len(apps) > limit}


def get_application(store: Store, application_id: str) -> dict[str, Any]:
    return application_view(find_application(store, application_id))


def add_supplement(
    store: Store, kiosk_id: str, application_id: str, body: dict[str, Any], now: dt.datetime
) -> dict[str, Any]:
    """Supplement: more documents for an application in ``needs_more_material``, which goes back
    to ``under_review``; returns the application."""
    errors, data = validate_supplement(body, document_known=document_known(store, kiosk_id))
    require_valid(errors)
    app = find_application(store, application_id)
    require_status(
        app,
        ("needs_more_material",),
        f"Supplements are accepted only in needs_more_material; current status is {app['status']}.",
    )
    app["documents"].extend(data["documents"])
    move(app, "under_review", timeutil.format_datetime(now), "kiosk", data["note"])
    store.save_application(app)
    return app
