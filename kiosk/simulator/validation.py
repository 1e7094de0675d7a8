"""Validation of the contract's (closed) request objects.

Every check reports a FieldError with a JSON Pointer; all errors found are reported, one per location.
Optional properties that are absent or ``null`` mean "not given" (section 4).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.simulator import timeutil
from kiosk.simulator.problems import field_error

# ---------------------------------------------------------------- primitives

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
KIOSK_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{2,63}")
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._:-]{1,64}")
APPLICATION_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{5,63}")
ID_NUMBER_RE = re.compile(
    r"[1-9][0-9]{5}(18|19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X]"
)
MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")
PERMIT_NUMBER_RE = re.compile(r"[0-9A-Z]{8,32}")
CLIENT_REFERENCE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{5,39}")
SOFTWARE_VERSION_RE = re.compile(r"[0-9A-Za-z.+_-]{1,64}")
STATION_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"

# ECMA-262 \s (what the contract's JSON Schema patterns mean by \s).
_ECMA_WHITESPACE = frozenset(
    "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000\ufeff"
)

SERVICES = ("renewal", "info_change", "reissue_lost", "reissue_damaged")
BASES = ("employment", "residence", "study")
CATEGORY_GROUPS: dict[str, str] = {
    "employment_contract": "employment",
    "employment_certificate": "employment",
    "social_insurance_record": "employment",
    "business_license": "employment",
    "property_certificate": "residence",
    "rental_contract": "residence",
    "accommodation_certificate": "residence",
    "enrollment_certificate": "study",
    "student_card": "study",
    "change_proof": "change",
    "identity_document": "supplementary",
    "other": "supplementary",
}
PERMIT_STATUSES = ("active", "suspended", "expired")
DEVICE_STATUSES = ("ok", "degraded", "offline")
PRINTER_STATUSES = ("ok", "degraded", "offline", "paper_low", "paper_out", "cover_open")
#: simulator officer decision -> statuses it may be applied from (section 1)
DECISION_FROM: dict[str, tuple[str, ...]] = {
    "under_review": ("submitted", "needs_more_material"),
    "needs_more_material": ("submitted", "under_review"),
    "rejected": ("submitted", "under_review", "needs_more_material"),
    "approved": ("submitted", "under_review"),
    "card_ready": ("approved",),
    "completed": ("card_ready", "pickup_chosen"),
}
MAX_DOCUMENTS = 20
CREATED_AT_MAX_FUTURE = dt.timedelta(minutes=10)
CREATED_AT_MAX_AGE = dt.timedelta(days=30)


def id_number_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    total = sum(int(ch) * weight for ch, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def is_clean_text(value: str) -> bool:
    """The contract's text pattern: no control characters, no leading/trailing whitespace."""
    if not value:
        return False
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return False
    return value[0] not in _ECMA_WHITESPACE and value[-1] not in _ECMA_WHITESPACE


def escape_pointer_token(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def mask_id_number(id_number: str) -> str:
    return id_number[:6] + "*" * 8 + id_number[-4:]


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:]


# ---------------------------------------------------------------- the validator


class Validator:
    """Collects field errors; each helper returns the valid value or ``None``."""

    def __init__(self) -> None:
        self.errors: list[dict[str, Any]] = []
        self._seen: set[str] = set()

    def add(self, pointer: str, code: str, message: tuple[str, str] | None = None) -> None:
        if pointer in self._seen:
            return
        self._seen.add(pointer)
        self.errors.append(field_error(code, pointer=pointer, message=message))

    def has_error_at(self, pointer: str) -> bool:
        return pointer in self._seen

    def obj(
        self,
        value: Any,
        ptr: str,
        allowed: Sequence[str],
        required: Sequence[str] = (),
    ) -> dict[str, Any] | None:
        """Closed object: unknown members, missing (or null) required members."""
        if not isinstance(value, dict):
            self.add(ptr, "invalid_type")
            return None
        for key in value:
            if key not in allowed:
                self.add(f"{ptr}/{escape_pointer_token(key)}", "unknown_field")
        for key in required:
            if value.get(key) is None:
                self.add(f"{ptr}/{key}", "required")
        return value

    def string(
        self,
        value: Any,
        ptr: str,
        *,
        min_len: int | None = None,
        max_len: int | None = None,
        pattern: re.Pattern[str] | None = None,
        text: bool = False,
        enum: Sequence[str] | None = None,
        format_message: tuple[str, str] | None = None,
    ) -> str | None:
        if not isinstance(value, str):
            self.add(ptr, "invalid_type")
            return None
        if enum is not None:
            if value not in enum:
                self.add(ptr, "invalid_value")
                return None
            return value
        if min_len is not None and len(value) < min_len:
            self.add(ptr, "too_short")
            return None
        if max_len is not None and len(value) > max_len:
            self.add(ptr, "too_long")
            return None
        if pattern is not None and pattern.fullmatch(value) is None:
            self.add(ptr, "invalid_format", format_message)
            return None
        if text and not is_clean_text(value):
            self.add(ptr, "invalid_format", format_message)
            return None
        return value

    def integer(
        self, value: Any, ptr: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(ptr, "invalid_type")
            return None
        if isinstance(value, float) and not value.is_integer():
            self.add(ptr, "invalid_type")
            return None
        number = int(value)
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            self.add(ptr, "out_of_range")
            return None
        return number

    def boolean(self, value: Any, ptr: str) -> bool | None:
        if not isinstance(value, bool):
            self.add(ptr, "invalid_type")
            return None
        return value

    def id_number(self, value: Any, ptr: str) -> str | None:
        number = self.string(
            value,
            ptr,
            min_len=18,
            max_len=18,
            pattern=ID_NUMBER_RE,
            format_message=("身份证号码格式不正确。", "Invalid citizen ID number."),
        )
        if number is None:
            return None
        if timeutil.parse_date(f"{number[6:10]}-{number[10:12]}-{number[12:14]}") is None:
            self.add(ptr, "invalid_format", ("身份证号码中的出生日期无效。", "The birth date in the ID number is invalid."))
            return None
        if id_number_check_char(number[:17]) != number[17]:
            self.add(ptr, "invalid_checksum")
            return None
        return number

    def name(self, value: Any, ptr: str) -> str | None:
        return self.string(value, ptr, min_len=1, max_len=64, text=True)

    def phone(self, value: Any, ptr: str) -> str | None:
        return self.string(
            value, ptr, pattern=MOBILE_RE, format_message=("手机号码格式不正确。", "Invalid mainland mobile number.")
        )

    def address(self, value: Any, ptr: str) -> str | None:
        return self.string(value, ptr, min_len=5, max_len=200, text=True)

    def organisation(self, value: Any, ptr: str) -> str | None:
        return self.string(value, ptr, min_len=2, max_len=100, text=True)

    def note(self, value: Any, ptr: str) -> str | None:
        return self.string(value, ptr, min_len=1, max_len=500, text=True)

    def uuid(self, value: Any, ptr: str) -> str | None:
        return self.string(value, ptr, pattern=UUID_RE)

    def date(self, value: Any, ptr: str) -> dt.date | None:
        if not isinstance(value, str):
            self.add(ptr, "invalid_type")
            return None
        parsed = timeutil.parse_date(value)
        if parsed is None:
            self.add(ptr, "invalid_format")
        return parsed

    def datetime(self, value: Any, ptr: str) -> dt.datetime | None:
        if not isinstance(value, str):
            self.add(ptr, "invalid_type")
            return None
        parsed = timeutil.parse_datetime(value)
        if parsed is None:
            self.add(ptr, "invalid_format")
        return parsed

    def localized_text(self, value: Any, ptr: str) -> dict[str, str] | None:
        obj = self.obj(value, ptr, ("zh-CN", "en"), ("zh-CN", "en"))
        if obj is None:
            return None
        texts = {
            key: self.string(obj[key], f"{ptr}/{key}", min_len=1)
            for key in ("zh-CN", "en")
            if obj.get(key) is not None
        }
        if len(texts) != 2 or None in texts.values():
            return None
        return {key: str(text) for key, text in texts.items()}


def _given(body: dict[str, Any], key: str) -> bool:
    return body.get(key) is not None


# ---------------------------------------------------------------- documents


@dataclass(frozen=True)
class DocRef:
    index: int
    document_id: str | None
    category: str | None
    page: int | None


def _document_list(
    v: Validator,
    value: Any,
    ptr: str,
    document_known: Callable[[str], bool],
) -> list[DocRef] | None:
    """``documents[]`` of DocumentRef: types, at most 20, duplicates, unknown documents."""
    if not isinstance(value, list):
        v.add(ptr, "invalid_type")
        return None
    if len(value) > MAX_DOCUMENTS:
        v.add(ptr, "too_long", ("材料数量超过上限（20份）。", "At most 20 documents are allowed."))
    refs: list[DocRef] = []
    seen_ids: set[str] = set()
    seen_pages: set[tuple[str, int]] = set()
    for index, item in enumerate(value):
        item_ptr = f"{ptr}/{index}"
        obj = v.obj(item, item_ptr, ("document_id", "category", "page"), ("document_id", "category", "page"))
        if obj is None:
            continue
        doc_id = v.uuid(obj["document_id"], f"{item_ptr}/document_id") if _given(obj, "document_id") else None
        category = (
            v.string(obj["category"], f"{item_ptr}/category", enum=tuple(CATEGORY_GROUPS))
            if _given(obj, "category")
            else None
        )
        page = v.integer(obj["page"], f"{item_ptr}/page", minimum=1, maximum=50) if _given(obj, "page") else None
        if doc_id is not None:
            if doc_id in seen_ids:
                v.add(f"{item_ptr}/document_id", "duplicate_document")
            else:
                seen_ids.add(doc_id)
                if not document_known(doc_id):
                    v.add(f"{item_ptr}/document_id", "unknown_document")
        if category is not None and page is not None:
            if (category, page) in seen_pages:
                v.add(f"{item_ptr}/page", "duplicate_page")
            seen_pages.add((category, page))
        refs.append(DocRef(index, doc_id, category, page))
    return refs


def _documents_out(refs: list[DocRef]) -> list[dict[str, Any]]:
    return [{"document_id": r.document_id, "category": r.category, "page": r.page} for r in refs]


# ---------------------------------------------------------------- request objects


def validate_person_query(body: dict[str, Any], *, with_limit: bool = False) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """PersonQuery (lookup) or ApplicationQuery (with ``limit``)."""
    v = Validator()
    allowed = ("id_number", "name", "limit") if with_limit else ("id_number", "name")
    v.obj(body, "", allowed, ("id_number", "name"))
    out: dict[str, Any] = {}
    if _given(body, "id_number"):
        out["id_number"] = v.id_number(body["id_number"], "/id_number")
    if _given(body, "name"):
        out["name"] = v.name(body["name"], "/name")
    if with_limit:
        out["limit"] = 50
        if _given(body, "limit"):
            out["limit"] = v.integer(body["limit"], "/limit", minimum=1, maximum=100)
    return v.errors, out


def validate_application_create(
    body: dict[str, Any],
    *,
    header_kiosk_id: str,
    now: dt.datetime,
    document_known: Callable[[str], bool],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """ApplicationCreate with the service-conditional and document rules (sections 7 and 8)."""
    v = Validator()
    v.obj(
        body,
        "",
        (
            "service",
            "applicant",
            "permit_number",
            "basis",
            "changes",
            "documents",
            "kiosk_id",
            "client_reference",
            "created_at",
        ),
        ("service", "applicant", "documents", "kiosk_id", "client_reference", "created_at"),
    )
    out: dict[str, Any] = {}
    service = v.string(body["service"], "/service", enum=SERVICES) if _given(body, "service") else None
    out["service"] = service

    if _given(body, "applicant"):
        applicant = v.obj(body["applicant"], "/applicant", ("name", "id_number", "phone"), ("name", "id_number", "phone"))
        if applicant is not None:
            out["applicant"] = {
                "name": v.name(applicant["name"], "/applicant/name") if _given(applicant, "name") else None,
                "id_number": (
                    v.id_number(applicant["id_number"], "/applicant/id_number")
                    if _given(applicant, "id_number")
                    else None
                ),
                "phone": v.phone(applicant["phone"], "/applicant/phone") if _given(applicant, "phone") else None,
            }

    out["permit_number"] = (
        v.string(body["permit_number"], "/permit_number", pattern=PERMIT_NUMBER_RE)
        if _given(body, "permit_number")
        else None
    )

    basis = None
    if service == "renewal":
        if not _given(body, "basis"):
            v.add("/basis", "required", ("请选择签注依据。", "basis is required for renewal."))
        else:
            basis = v.string(body["basis"], "/basis", enum=BASES)
    elif service is not None and _given(body, "basis"):
        v.add("/basis", "not_allowed", ("此业务不需要签注依据。", "basis is only allowed for renewal."))
    out["basis"] = basis

    changes: dict[str, str] | None = None
    if service == "info_change":
        if not _given(body, "changes"):
            v.add("/changes", "required", ("请填写变更信息。", "changes is required for info_change."))
        else:
            changes = _changes(v, body["changes"])
    elif service is not None and _given(body, "changes"):
        v.add("/changes", "not_allowed", ("此业务不需要变更信息。", "changes is only allowed for info_change."))
    out["changes"] = changes

    refs = None
    if _given(body, "documents"):
        refs = _document_list(v, body["documents"], "/documents", document_known)
    if refs is not None and service is not None:
        _service_document_rules(v, service, basis, refs)
    out["documents"] = _documents_out(refs or [])

    if _given(body, "kiosk_id"):
        kiosk_id = v.string(body["kiosk_id"], "/kiosk_id", pattern=KIOSK_ID_RE)
        if kiosk_id is not None and kiosk_id != header_kiosk_id:
            v.add("/kiosk_id", "kiosk_mismatch")
        out["kiosk_id"] = kiosk_id

    if _given(body, "client_reference"):
        out["client_reference"] = v.string(body["client_reference"], "/client_reference", pattern=CLIENT_REFERENCE_RE)

    if _given(body, "created_at"):
        created_at = v.datetime(body["created_at"], "/created_at")
        if created_at is not None:
            if created_at > now + CREATED_AT_MAX_FUTURE:
                v.add("/created_at", "out_of_range", ("提交时间晚于服务器时间。", "created_at is in the future."))
                created_at = None
            elif created_at < now - CREATED_AT_MAX_AGE:
                v.add("/created_at", "out_of_range", ("提交时间已超过30天。", "created_at is more than 30 days old."))
                created_at = None
        out["created_at"] = created_at
    return v.errors, out


def _changes(v: Validator, value: Any) -> dict[str, str] | None:
    obj = v.obj(value, "/changes", ("residence_address", "employer", "school"))
    if obj is None:
        return None
    result: dict[str, str] = {}
    non_null = 0
    checks = (
        ("residence_address", v.address),
        ("employer", v.organisation),
        ("school", v.organisation),
    )
    for key, check in checks:
        if _given(obj, key):
            if isinstance(obj[key], str):
                non_null += 1
            checked = check(obj[key], f"/changes/{key}")
            if checked is not None:
                result[key] = checked
    if non_null == 0 and not any(v.has_error_at(f"/changes/{key}") for key, _ in checks):
        v.add("/changes", "changes_required")
    return result


def _service_document_rules(v: Validator, service: str, basis: str | None, refs: list[DocRef]) -> None:
    """Section 7: documents_required / category_not_allowed per service."""
    categories = [(r.index, r.category) for r in refs if r.category is not None]
    groups = {CATEGORY_GROUPS[c] for _, c in categories}
    if service == "renewal":
        allowed_groups = {basis, "supplementary"} if basis is not None else {*BASES, "supplementary"}
        if basis is not None and basis not in groups:
            v.add("/documents", "documents_required", ("请提供签注依据的证明材料。", f"At least one {basis} document is required."))
    elif service == "info_change":
        allowed_groups = {"change", *BASES, "supplementary"}
        if not groups & {"change", *BASES}:
            v.add("/documents", "documents_required", ("请提供变更信息的证明材料。", "At least one proof of the change is required."))
    else:
        allowed_groups = {"supplementary"}
    for index, category in categories:
        if CATEGORY_GROUPS[category] not in allowed_groups:
            v.add(f"/documents/{index}/category", "category_not_allowed")


def validate_supplement(
    body: dict[str, Any], *, document_known: Callable[[str], bool]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    v = Validator()
    v.obj(body, "", ("documents", "note"), ("documents",))
    out: dict[str, Any] = {"documents": [], "note": None}
    if _given(body, "documents"):
        refs = _document_list(v, body["documents"], "/documents", document_known)
        if refs is not None and not refs:
            v.add("/documents", "documents_required", ("请至少提供一份补充材料。", "At least one document is required."))
        out["documents"] = _documents_out(refs or [])
    if _given(body, "note"):
        out["note"] = v.note(body["note"], "/note")
    return v.errors, out


def validate_pickup(body: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    v = Validator()
    v.obj(body, "", ("method", "mail"), ("method",))
    out: dict[str, Any] = {"method": None, "mail": None}
    method = v.string(body["method"], "/method", enum=("window", "mail")) if _given(body, "method") else None
    out["method"] = method
    if method == "mail":
        if not _given(body, "mail"):
            v.add("/mail", "required", ("请填写邮寄地址。", "mail is required for mail pickup."))
        else:
            mail = v.obj(body["mail"], "/mail", ("recipient", "address", "phone"), ("recipient", "address", "phone"))
            if mail is not None:
                out["mail"] = {
                    "recipient": v.name(mail["recipient"], "/mail/recipient") if _given(mail, "recipient") else None,
                    "address": v.address(mail["address"], "/mail/address") if _given(mail, "address") else None,
                    "phone": v.phone(mail["phone"], "/mail/phone") if _given(mail, "phone") else None,
                }
    elif method == "window" and _given(body, "mail"):
        v.add("/mail", "not_allowed", ("窗口领证无需填写邮寄地址。", "mail is not allowed for window pickup."))
    return v.errors, out


def validate_heartbeat(body: dict[str, Any]) -> list[dict[str, Any]]:
    v = Validator()
    v.obj(
        body,
        "",
        ("software_version", "uptime_s", "devices", "outbox_depth", "outbox_oldest_age_s", "last_error", "kiosk_time"),
        ("software_version", "uptime_s", "devices", "outbox_depth"),
    )
    if _given(body, "software_version"):
        v.string(body["software_version"], "/software_version", pattern=SOFTWARE_VERSION_RE)
    if _given(body, "uptime_s"):
        v.integer(body["uptime_s"], "/uptime_s", minimum=0)
    if _given(body, "devices"):
        devices = v.obj(body["devices"], "/devices", ("card_reader", "camera", "printer"), ("card_reader", "camera", "printer"))
        if devices is not None:
            for key, enum in (("card_reader", DEVICE_STATUSES), ("camera", DEVICE_STATUSES), ("printer", PRINTER_STATUSES)):
                if _given(devices, key):
                    v.string(devices[key], f"/devices/{key}", enum=enum)
    if _given(body, "outbox_depth"):
        v.integer(body["outbox_depth"], "/outbox_depth", minimum=0)
    if _given(body, "outbox_oldest_age_s"):
        v.integer(body["outbox_oldest_age_s"], "/outbox_oldest_age_s", minimum=0)
    if _given(body, "last_error"):
        err = v.obj(body["last_error"], "/last_error", ("code", "message", "at"), ("code", "message", "at"))
        if err is not None:
            if _given(err, "code"):
                v.string(err["code"], "/last_error/code", min_len=1, max_len=64)
            if _given(err, "message"):
                v.string(err["message"], "/last_error/message", max_len=500)
            if _given(err, "at"):
                v.datetime(err["at"], "/last_error/at")
    if _given(body, "kiosk_time"):
        v.datetime(body["kiosk_time"], "/kiosk_time")
    return v.errors


def validate_sim_decision(body: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    v = Validator()
    v.obj(body, "", ("decision", "note"), ("decision",))
    decision = v.string(body["decision"], "/decision", enum=tuple(DECISION_FROM)) if _given(body, "decision") else None
    note = v.note(body["note"], "/note") if _given(body, "note") else None
    if decision in ("needs_more_material", "rejected") and not _given(body, "note"):
        v.add("/note", "required", ("此决定需要填写说明。", f"note is required for {decision}."))
    return v.errors, {"decision": decision, "note": note}


def validate_police_station(v: Validator, value: Any, ptr: str) -> dict[str, str] | None:
    keys = ("station_id", "name", "address", "phone", "pickup_hours")
    obj = v.obj(value, ptr, keys, keys)
    if obj is None:
        return None
    results = {
        "station_id": v.string(obj["station_id"], f"{ptr}/station_id", pattern=STATION_ID_RE)
        if _given(obj, "station_id")
        else None,
        "name": v.string(obj["name"], f"{ptr}/name", min_len=1, max_len=100) if _given(obj, "name") else None,
        "address": v.string(obj["address"], f"{ptr}/address", min_len=1, max_len=200) if _given(obj, "address") else None,
        "phone": v.string(obj["phone"], f"{ptr}/phone", max_len=32) if _given(obj, "phone") else None,
        "pickup_hours": v.string(obj["pickup_hours"], f"{ptr}/pickup_hours", max_len=200)
        if _given(obj, "pickup_hours")
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
        ),
        ("id_number", "name", "permit_number", "registered_address"),
    )
    rec: dict[str, Any] = {}
    rec["id_number"] = v.id_number(body["id_number"], "/id_number") if _given(body, "id_number") else None
    rec["name"] = v.name(body["name"], "/name") if _given(body, "name") else None
    rec["permit_number"] = (
        v.string(body["permit_number"], "/permit_number", pattern=PERMIT_NUMBER_RE) if _given(body, "permit_number") else None
    )

    valid_until: dt.date | None = None
    if _given(body, "valid_until") and _given(body, "valid_until_offset_days"):
        v.add("/valid_until_offset_days", "not_allowed", ("有效期只能给出一种方式。", "Give valid_until or valid_until_offset_days, not both."))
    elif _given(body, "valid_until"):
        valid_until = v.date(body["valid_until"], "/valid_until")
    elif _given(body, "valid_until_offset_days"):
        offset = v.integer(body["valid_until_offset_days"], "/valid_until_offset_days", minimum=-3650, maximum=3650)
        if offset is not None:
            valid_until = today + dt.timedelta(days=offset)
    else:
        v.add("/valid_until", "required", ("缺少有效期。", "valid_until or valid_until_offset_days is required."))
    rec["valid_until"] = valid_until

    last_endorsement: dt.date | None = None
    if _given(body, "last_endorsement_date") and _given(body, "last_endorsement_offset_days"):
        v.add("/last_endorsement_offset_days", "not_allowed", ("签注日期只能给出一种方式。", "Give last_endorsement_date or last_endorsement_offset_days, not both."))
    elif _given(body, "last_endorsement_date"):
        last_endorsement = v.date(body["last_endorsement_date"], "/last_endorsement_date")
    elif _given(body, "last_endorsement_offset_days"):
        offset = v.integer(body["last_endorsement_offset_days"], "/last_endorsement_offset_days", minimum=-3650, maximum=0)
        if offset is not None:
            last_endorsement = today + dt.timedelta(days=offset)
    rec["last_endorsement_date"] = last_endorsement

    rec["issued_on"] = v.date(body["issued_on"], "/issued_on") if _given(body, "issued_on") else None
    rec["registered_address"] = (
        v.address(body["registered_address"], "/registered_address") if _given(body, "registered_address") else None
    )
    rec["employer"] = v.organisation(body["employer"], "/employer") if _given(body, "employer") else None
    rec["school"] = v.organisation(body["school"], "/school") if _given(body, "school") else None
    rec["police_station"] = (
        validate_police_station(v, body["police_station"], "/police_station")
        if _given(body, "police_station")
        else dict(default_station)
    )
    rec["status_override"] = v.string(body["status"], "/status", enum=PERMIT_STATUSES) if _given(body, "status") else None
    rec["label"] = v.string(body["label"], "/label", max_len=100) if _given(body, "label") else None
    return v.errors, rec


def validate_sim_kiosk(body: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """SimKioskDirective. Only the members given (non-null, except ``message``) are returned."""
    v = Validator()
    v.obj(body, "", ("out_of_service", "message", "config_version", "next_heartbeat_s"), ("out_of_service",))
    out: dict[str, Any] = {}
    if _given(body, "out_of_service"):
        out["out_of_service"] = v.boolean(body["out_of_service"], "/out_of_service")
    if "message" in body:
        out["message"] = v.localized_text(body["message"], "/message") if body["message"] is not None else None
    if _given(body, "config_version"):
        out["config_version"] = v.string(body["config_version"], "/config_version", min_len=1, max_len=64)
    if _given(body, "next_heartbeat_s"):
        out["next_heartbeat_s"] = v.integer(body["next_heartbeat_s"], "/next_heartbeat_s", minimum=10, maximum=3600)
    return v.errors, out


def validate_empty_object(body: dict[str, Any]) -> list[dict[str, Any]]:
    v = Validator()
    v.obj(body, "", ())
    return v.errors
