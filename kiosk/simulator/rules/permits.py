"""Permit records: the lookup (``POST /v1/permits/lookup``), the view the kiosk sees, and the
simulator's own records (the seed and ``POST /sim/permits``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.simulator import timeutil
from kiosk.simulator.problems import ApiError
from kiosk.simulator.rules.common import require_valid
from kiosk.simulator.seed import DEFAULT_STATION
from kiosk.simulator.store import Store
from kiosk.simulator.validation import mask_id_number, mask_phone, validate_person_query
from kiosk.simulator.validation_sim import validate_sim_permit


def matching_permit(store: Store, id_number: str, name: str) -> dict[str, Any] | None:
    """The record of ``id_number`` if its holder's name is ``name`` (both must match, section 3)."""
    record = store.get_permit(id_number)
    if record is None or record["name"] != name:
        return None
    return record


def phone_on_file(store: Store, id_number: str, name: str) -> str | None:
    """The mobile number on file for the record matching both ``id_number`` and ``name`` (section 3)."""
    record = matching_permit(store, id_number, name)
    phone = record.get("phone_on_file") if record is not None else None
    return str(phone) if phone else None


def permit_view(record: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """The contract's PermitRecord: masked, with the status and endorsement window as of ``today``."""
    valid_until = dt.date.fromisoformat(record["valid_until"])
    return {
        "permit_number": record["permit_number"],
        "holder_name": record["name"],
        "id_number_masked": mask_id_number(record["id_number"]),
        "status": timeutil.permit_status(valid_until, today, record.get("status_override")),
        "valid_until": record["valid_until"],
        "endorsement_window_opens_on": timeutil.endorsement_window_opens_on(valid_until).isoformat(),
        "last_endorsement_date": record.get("last_endorsement_date"),
        "issued_on": record.get("issued_on"),
        "registered_address": record["registered_address"],
        "employer": record.get("employer"),
        "school": record.get("school"),
        "police_station": record["police_station"],
        "phone_on_file_masked": mask_phone(phone) if (phone := record.get("phone_on_file")) else None,
    }


def lookup_permit(store: Store, body: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """PersonQuery -> PermitRecord; 404 unless a record matches both id_number and name."""
    errors, query = validate_person_query(body)
    require_valid(errors)
    record = matching_permit(store, query["id_number"], query["name"])
    if record is None:
        raise ApiError("not_found", "No permit record matches the given id_number and name.")
    return permit_view(record, today)


# ---------------------------------------------------------------- simulator records


def resolve_permit(body: dict[str, Any], today: dt.date) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """A SimPermitSeed as it is stored (absolute dates as ISO strings), with its field errors."""
    errors, record = validate_sim_permit(body, today=today, default_station=DEFAULT_STATION)
    if errors:
        return errors, record
    return errors, _permit_for_storage(record)


def _permit_for_storage(record: dict[str, Any]) -> dict[str, Any]:
    """A validated SimPermitSeed record with dates as ISO strings."""
    stored = dict(record)
    for key in ("valid_until", "last_endorsement_date", "issued_on"):
        value = stored.get(key)
        stored[key] = value.isoformat() if isinstance(value, dt.date) else value
    return stored


def resolve_seed(seed: list[dict[str, Any]], today: dt.date) -> list[dict[str, Any]]:
    """Every seed record as stored; ``ValueError`` naming the first invalid one."""
    records = []
    for index, item in enumerate(seed):
        errors, record = resolve_permit(item, today)
        if errors:
            where = ", ".join(f"{e['pointer']} {e['code']}" for e in errors)
            raise ValueError(f"invalid permit seed #{index}: {where}")
        records.append(record)
    return records


def put_sim_permit(store: Store, body: dict[str, Any], today: dt.date) -> tuple[dict[str, Any], bool]:
    """``POST /sim/permits``: store the record (replacing one with the same id_number); returns its
    view and whether it is new."""
    errors, record = resolve_permit(body, today)
    require_valid(errors)
    created = store.put_permit(record)
    return permit_view(record, today), created
