"""Validation of the simulator-only request objects (``/sim/...``, section 11 of the contract).

Same rules as :mod:`kiosk.simulator.validation`: closed objects, every error reported once per
location, ``null`` only where the schema allows it (section 4).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.simulator.validation import (
    PERMIT_NUMBER_RE,
    PERMIT_STATUSES,
    STATION_ID_RE,
    Validator,
    given,
)

#: simulator officer decision -> statuses it may be applied from (section 1)
DECISION_FROM: dict[str, tuple[str, ...]] = {
    "under_review": ("submitted", "needs_more_material"),
    "needs_more_material": ("submitted", "under_review"),
    "rejected": ("submitted", "under_review", "needs_more_material"),
    "approved": ("submitted", "under_review"),
    "card_ready": ("approved",),
    "completed": ("card_ready", "pickup_chosen"),
}


def validate_sim_decision(body: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    v = Validator()
    v.obj(body, "", ("decision", "note"), ("decision",))
    decision = v.string(body["decision"], "/decision", enum=tuple(DECISION_FROM)) if given(body, "decision") else None
    note = v.note(body["note"], "/note") if given(body, "note") else None
    if decision in ("needs_more_material", "rejected") and not given(body, "note"):
        v.add("/note", "required", ("此决定需要填写说明。", f"note is required for {decision}."))
    return v.errors, {"decision": decision, "note": note}


def validate_police_station(v: Validator, value: Any, ptr: str) -> dict[str, str] | None:
    keys = ("station_id", "name", "address", "phone", "pickup_hours")
    obj = v.obj(value, ptr, keys, keys)
    if obj is None:
        return None
    results = {
        "station_id": v.string(obj["station_id"], f"{ptr}/station_id", pattern=STATION_ID_RE)
        if given(obj, "station_id")
        else None,
        "name": v.string(obj["name"], f"{ptr}/name", min_len=1, max_len=100) if given(obj, "name") else None,
        "address": v.string(obj["address"], f"{ptr}/address", min_len=1, max_len=200) if given(obj, "address") else None,
        "phone": v.string(obj["phone"], f"{ptr}/phone", max_len=32) if given(obj, "phone") else None,
        "pickup_hours": v.string(obj["pickup_hours"], f"{ptr}/pickup_hours", max_len=200)
        if given(obj, "pickup_hours")
        else None,
    }
    if any(value is None for value in results.values()):
        return None
    return {key: str(value) for key, value in results.items()}


def validate_sim_permit(
    body: dict[str, Any], *, today: dt.date, default_station: dict[str, str]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """SimPermitSeed; returns the resolved permit record (absolute dates) when valid."""
    v = Validator()
    v.obj(
        body,
        "",
        (
            "id_number",
            "name",
            "permit_number",
            "valid_until",
            "valid_until_offset_days",
            "last_endorsement_date",
            "last_endorsement_offset_days",
            "issued_on",
            "registered_address",
            "employer",
            "school",
            "police_station",
            "status",
            "label",
            "phone_on_file",
        ),
        ("id_number", "name", "permit_number", "registered_address"),
    )
    rec: dict[str, Any] = {}
    rec["id_number"] = v.id_number(body["id_number"], "/id_number") if given(body, "id_number") else None
    rec["name"] = v.name(body["name"], "/name") if given(body, "name") else None
    rec["permit_number"] = (
        v.string(body["permit_number"], "/permit_number", pattern=PERMIT_NUMBER_RE) if given(body, "permit_number") else None
    )

    # Neither member allows null (section 4: 422 ``type``); exactly one of them is required.
    valid_until: dt.date | None = None
    has_date = v.non_null(body, "valid_until", "/valid_until")
    has_offset = v.non_null(body, "valid_until_offset_days", "/valid_until_offset_days")
    if has_date and has_offset:
        v.add("/valid_until_offset_days", "not_allowed", ("有效期只能给出一种方式。", "Give valid_until or valid_until_offset_days, not both."))
    elif has_date:
        valid_until = v.date(body["valid_until"], "/valid_until")
    elif has_offset:
        offset = v.integer(body["valid_until_offset_days"], "/valid_until_offset_days", minimum=-3650, maximum=3650)
        if offset is not None:
            valid_until = today + dt.timedelta(days=offset)
    elif "valid_until" not in body and "valid_until_offset_days" not in body:
        v.add("/valid_until", "required", ("缺少有效期。", "valid_until or valid_until_offset_days is required."))
    rec["valid_until"] = valid_until

    last_endorsement: dt.date | None = None
    if given(body, "last_endorsement_date") and given(body, "last_endorsement_offset_days"):
        v.add("/last_endorsement_offset_days", "not_allowed", ("签注日期只能给出一种方式。", "Give last_endorsement_date or last_endorsement_offset_days, not both."))
    elif given(body, "last_endorsement_date"):
        last_endorsement = v.date(body["last_endorsement_date"], "/last_endorsement_date")
    elif given(body, "last_endorsement_offset_days"):
        offset = v.integer(body["last_endorsement_offset_days"], "/last_endorsement_offset_days", minimum=-3650, maximum=0)
        if offset is not None:
            last_endorsement = today + dt.timedelta(days=offset)
    rec["last_endorsement_date"] = last_endorsement

    rec["issued_on"] = v.date(body["issued_on"], "/issued_on") if given(body, "issued_on") else None
    rec["registered_address"] = (
        v.address(body["registered_address"], "/registered_address") if given(body, "registered_address") else None
    )
    rec["employer"] = v.organisation(body["employer"], "/employer") if given(body, "employer") else None
    rec["school"] = v.organisation(body["school"], "/school") if given(body, "school") else None
    rec["police_station"] = (
        validate_police_station(v, body["police_station"], "/police_station")
        if given(body, "police_station")
        else dict(default_station)
    )
    rec["status_override"] = v.string(body["status"], "/status", enum=PERMIT_STATUSES) if given(body, "status") else None
    rec["label"] = v.string(body["label"], "/label", max_len=100) if given(body, "label") else None
    rec["phone_on_file"] = v.phone(body["phone_on_file"], "/phone_on_file") if given(body, "phone_on_file") else None
    return v.errors, rec


def validate_sim_kiosk(body: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """SimKioskDirective. Only the members given are returned (omitted ones keep their value):
    non-null ones, and ``message``, where ``null`` clears the message shown in heartbeats.
    ``config_version`` does not allow null (422 ``type``); ``next_heartbeat_s`` and ``staff_on_duty``
    do, and null there keeps the current value."""
    v = Validator()
    v.obj(
        body,
        "",
        ("out_of_service", "message", "config_version", "next_heartbeat_s", "staff_on_duty"),
        ("out_of_service",),
    )
    out: dict[str, Any] = {}
    if given(body, "out_of_service"):
        out["out_of_service"] = v.boolean(body["out_of_service"], "/out_of_service")
    if "message" in body:
        out["message"] = v.localized_text(body["message"], "/message") if body["message"] is not None else None
    if v.non_null(body, "config_version", "/config_version"):
        out["config_version"] = v.string(body["config_version"], "/config_version", min_len=1, max_len=64)
    if given(body, "next_heartbeat_s"):
        out["next_heartbeat_s"] = v.integer(body["next_heartbeat_s"], "/next_heartbeat_s", minimum=10, maximum=3600)
    if given(body, "staff_on_duty"):
        out["staff_on_duty"] = v.boolean(body["staff_on_duty"], "/staff_on_duty")
    return v.errors, out


def validate_empty_object(body: dict[str, Any]) -> list[dict[str, Any]]:
    v = Validator()
    v.obj(body, "", ())
    return v.errors
