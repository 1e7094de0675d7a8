"""Validation of the contract's (closed) request objects.

Every check reports a FieldError with a JSON Pointer; all errors found are reported, one per location.
Section 4: an optional property that is absent, or ``null`` where its schema allows ``null``, is "not
given"; ``null`` where the schema does not allow it is field code ``type`` (:meth:`Validator.non_null`).
The simulator-only request objects are validated in :mod:`kiosk.simulator.validation_sim`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from kiosk.simulator import timeutil
from kiosk.simulator.problems import field_error

# ---------------------------------------------------------------- primitives

_T = TypeVar("_T")

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
MAX_DOCUMENTS = 20
#: Section 4 (1.1): the field code of ``null`` for a property whose schema does not allow ``null``.
NULL_NOT_ALLOWED = "type"
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

    def non_null(self, body: dict[str, Any], key: str, ptr: str) -> bool:
        """Whether an optional property whose schema does not allow ``null`` is given: absent is
        "not given"; ``null`` is a 422 ``type`` (section 4)."""
        if key not in body:
            return False
        if body[key] is None:
            self.add(ptr, NULL_NOT_ALLOWED)
            return False
        return True

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
        return self._parsed(value, ptr, timeutil.parse_date)

    def datetime(self, value: Any, ptr: str) -> dt.datetime | None:
        return self._parsed(value, ptr, timeutil.parse_datetime)

    def _parsed(self, value: Any, ptr: str, parse: Callable[[str], _T | None]) -> _T | None:
        """A string parsed by ``parse``: ``invalid_type`` if not a string, ``invalid_format`` if unparsable."""
        if not isinstance(value, str):
            self.add(ptr, "invalid_type")
            return None
        parsed = parse(value)
        if parsed is None:
            self.add(ptr, "invalid_format")
        return parsed

    def created_at(self, value: Any, ptr: str, now: dt.datetime) -> dt.datetime | None:
        """Section 8: at most 10 minutes ahead of the server clock, at most 30 days old."""
        moment = self.datetime(value, ptr)
        if moment is not None and moment > now + CREATED_AT_MAX_FUTURE:
            self.add(ptr, "out_of_range", ("提交时间晚于服务器时间。", "created_at is in the future."))
            return None
        if moment is not None and moment < now - CREATED_AT_MAX_AGE:
            self.add(ptr, "out_of_range", ("提交时间已超过30天。", "created_at is more than 30 days old."))
            return None
        return moment

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


def given(body: dict[str, Any], key: str) -> bool:
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
        doc_id = v.uuid(obj["document_id"], f"{item_ptr}/document_id") if given(obj, "document_id") else None
        category = (
            v.string(obj["category"], f"{item_ptr}/category", enum=tuple(CATEGORY_GROUPS))
            if given(obj, "category")
            else None
        )
        page = v.integer(obj["page"], f"{item_ptr}/page", minimum=1, maximum=50) if given(obj, "page") else None
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
    if given(body, "id_number"):
        out["id_number"] = v.id_number(body["id_number"], "/id_number")
    if given(body, "name"):
        out["name"] = v.name(body["name"], "/name")
    if with_limit:
        out["limit"] = 50
        if v.non_null(body, "limit", "/limit"):  # ``limit`` is an integer, never null
            out["limit"] = v.integer(body["limit"], "/limit", minimum=1, maximum=100)
    return v.errors, out


def validate_application_create(
    body: dict[str, Any],
    *,
    header_kiosk_id: str,
    now: dt.datetime,
    document_known: Callable[[str], bool],
    phone_on_file: Callable[[str, str], str | None],
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """ApplicationCreate with the service-conditional and document rules (sections 7 and 8).

    ``phone_on_file(id_number, name)`` is the mobile number on file for the person whose record
    matches both, or ``None``; with ``use_phone_on_file: true`` it becomes the applicant's phone.
    """
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
    service = v.string(body["service"], "/service", enum=SERVICES) if given(body, "service") else None
    out["service"] = service

    if given(body, "applicant"):
        applicant = _applicant(v, body["applicant"], phone_on_file)
        if applicant is not None:
            out["applicant"] = applicant

    out["permit_number"] = (
        v.string(body["permit_number"], "/permit_number", pattern=PERMIT_NUMBER_RE)
        if given(body, "permit_number")
        else None
    )

    basis = _basis(v, service, body)
    out["basis"] = basis
    out["changes"] = _changes_of(v, service, body)

    refs = None
    if given(body, "documents"):
        refs = _document_list(v, body["documents"], "/documents", document_known)
    if refs is not None and service is not None:
        _service_document_rules(v, service, basis, refs)
    out["documents"] = _documents_out(refs or [])

    if given(body, "kiosk_id"):
        kiosk_id = v.string(body["kiosk_id"], "/kiosk_id", pattern=KIOSK_ID_RE)
        if kiosk_id is not None and kiosk_id != header_kiosk_id:
            v.add("/kiosk_id", "kiosk_mismatch")
        out["kiosk_id"] = kiosk_id

    if given(body, "client_reference"):
        out["client_reference"] = v.string(body["client_reference"], "/client_reference", pattern=CLIENT_REFERENCE_RE)

    if given(body, "created_at"):
        out["created_at"] = v.created_at(body["created_at"], "/created_at", now)
    return v.errors, out


def _basis(v: Validator, service: str | None, body: dict[str, Any]) -> str | None:
    """``basis``: required for a renewal, not allowed for the other services."""
    if service == "renewal":
        if not given(body, "basis"):
            v.add("/basis", "required", ("请选择签注依据。", "basis is required for renewal."))
            return None
        return v.string(body["basis"], "/basis", enum=BASES)
    if service is not None and given(body, "basis"):
        v.add("/basis", "not_allowed", ("此业务不需要签注依据。", "basis is only allowed for renewal."))
    return None


def _changes_of(v: Validator, service: str | None, body: dict[str, Any]) -> dict[str, str] | None:
    """``changes``: required for info_change, not allowed for the other services."""
    if service == "info_change":
        if not given(body, "changes"):
            v.add("/changes", "required", ("请填写变更信息。", "changes is required for info_change."))
            return None
        return _changes(v, body["changes"])
    if service is not None and given(body, "changes"):
        v.add("/changes", "not_allowed", ("此业务不需要变更信息。", "changes is only allowed for info_change."))
    return None


def _applicant(
    v: Validator, value: Any, phone_on_file: Callable[[str, str], str | None]
) -> dict[str, Any] | None:
    """Applicant: exactly one of ``phone`` / ``use_phone_on_file: true`` (1.1), else ``phone_required``
    on ``/applicant``; ``use_phone_on_file: true`` without a number on file is ``no_phone_on_file``."""
    obj = v.obj(value, "/applicant", ("name", "id_number", "phone", "use_phone_on_file"), ("name", "id_number"))
    if obj is None:
        return None
    name = v.name(obj["name"], "/applicant/name") if given(obj, "name") else None
    id_number = v.id_number(obj["id_number"], "/applicant/id_number") if given(obj, "id_number") else None
    phone = v.phone(obj["phone"], "/applicant/phone") if given(obj, "phone") else None
    use_ptr = "/applicant/use_phone_on_file"
    use_on_file = v.boolean(obj["use_phone_on_file"], use_ptr) if given(obj, "use_phone_on_file") else None
    if not v.has_error_at(use_ptr):
        if given(obj, "phone") == (use_on_file is True):
            v.add("/applicant", "phone_required")
        elif use_on_file and name is not None and id_number is not None:
            phone = phone_on_file(id_number, name)
            if phone is None:
                v.add(use_ptr, "no_phone_on_file")
    return {"name": name, "id_number": id_number, "phone": phone}


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
        if given(obj, key):
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
    if given(body, "documents"):
        refs = _document_list(v, body["documents"], "/documents", document_known)
        if refs is not None and not refs:
            v.add("/documents", "documents_required", ("请至少提供一份补充材料。", "At least one document is required."))
        out["documents"] = _documents_out(refs or [])
    if given(body, "note"):
        out["note"] = v.note(body["note"], "/note")
    return v.errors, out


def validate_pickup(body: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    v = Validator()
    v.obj(body, "", ("method", "mail"), ("method",))
    out: dict[str, Any] = {"method": None, "mail": None}
    method = v.string(body["method"], "/method", enum=("window", "mail")) if given(body, "method") else None
    out["method"] = method
    if method == "mail":
        if not given(body, "mail"):
            v.add("/mail", "required", ("请填写邮寄地址。", "mail is required for mail pickup."))
        else:
            mail = v.obj(body["mail"], "/mail", ("recipient", "address", "phone"), ("recipient", "address", "phone"))
            if mail is not None:
                out["mail"] = {
                    "recipient": v.name(mail["recipient"], "/mail/recipient") if given(mail, "recipient") else None,
                    "address": v.address(mail["address"], "/mail/address") if given(mail, "address") else None,
                    "phone": v.phone(mail["phone"], "/mail/phone") if given(mail, "phone") else None,
                }
    elif method == "window" and given(body, "mail"):
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
    if given(body, "software_version"):
        v.string(body["software_version"], "/software_version", pattern=SOFTWARE_VERSION_RE)
    if given(body, "uptime_s"):
        v.integer(body["uptime_s"], "/uptime_s", minimum=0)
    if given(body, "devices"):
        devices = v.obj(body["devices"], "/devices", ("card_reader", "camera", "printer"), ("card_reader", "camera", "printer"))
        if devices is not None:
            for key, enum in (("card_reader", DEVICE_STATUSES), ("camera", DEVICE_STATUSES), ("printer", PRINTER_STATUSES)):
                if given(devices, key):
                    v.string(devices[key], f"/devices/{key}", enum=enum)
    if given(body, "outbox_depth"):
        v.integer(body["outbox_depth"], "/outbox_depth", minimum=0)
    if given(body, "outbox_oldest_age_s"):
        v.integer(body["outbox_oldest_age_s"], "/outbox_oldest_age_s", minimum=0)
    if given(body, "last_error"):
        err = v.obj(body["last_error"], "/last_error", ("code", "message", "at"), ("code", "message", "at"))
        if err is not None:
            if given(err, "code"):
                v.string(err["code"], "/last_error/code", min_len=1, max_len=64)
            if given(err, "message"):
                v.string(err["message"], "/last_error/message", max_len=500)
            if given(err, "at"):
                v.datetime(err["at"], "/last_error/at")
    if given(body, "kiosk_time"):
        v.datetime(body["kiosk_time"], "/kiosk_time")
    return v.errors
