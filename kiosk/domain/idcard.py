"""Identity-card profile layer: card bytes -> validated identity record.

Implements the pure-data part of the kiosk card profile v1 (docs/contract/card-profile.md):

- §6 decoding of EF 0101 (256 bytes, UCS-2LE, fixed-width fields),
- §7 code tables and §8 validation, run in the order of §8 (first failure wins),
- §9 refusal reasons, messages and the identity record, §9.3 photo / appended address.

§11 test-card JSON and the encoding of card bytes live in :mod:`kiosk.domain.testcard`.

No devices, no Qt: the PC/SC reader and the simulated reader both hand their bytes to
:func:`parse_identity`, so real and simulated cards go through exactly the same checks.

Privacy (brief §6): nothing here logs; ``repr()`` of a record masks the ID number and
leaves out name, address and photo; ``str()`` of a refusal is only its reason code.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import re
import struct
from typing import Any, ClassVar, Final

from .idcard_codes import (
    ETHNICITY_NAMES,
    FIELD_NAMES_EN,
    FIELD_NAMES_ZH,
    MESSAGES_EN,
    MESSAGES_ZH,
    PROVINCE_CODES,
    REASONS,
    SEX_NAMES,
)

__all__ = [
    "EF0101_LAYOUT",
    "EF0101_SIZE",
    "EF0102_MAX_SIZE",
    "EF0103_SIZE",
    "FID_APPENDED_ADDRESS",
    "FID_IDENTITY",
    "FID_PHOTO",
    "LONG_TERM",
    "REASONS",
    "SHANGHAI",
    "CardRefusal",
    "IdentityRecord",
    "check_character",
    "mask_id_number",
    "parse_identity",
    "shanghai_today",
]

# --------------------------------------------------------------------------------------
# Layout (§3, §6)
# --------------------------------------------------------------------------------------

FID_IDENTITY: Final = 0x0101
FID_PHOTO: Final = 0x0102
FID_APPENDED_ADDRESS: Final = 0x0103

EF0101_SIZE: Final = 256
EF0103_SIZE: Final = 70
EF0102_MAX_SIZE: Final = 32768

#: (field name, byte offset, width in characters) of EF 0101, §6 table order.
EF0101_LAYOUT: Final[tuple[tuple[str, int, int], ...]] = (
    ("name", 0, 15),
    ("sex", 30, 1),
    ("ethnicity", 32, 2),
    ("birth_date", 36, 8),
    ("address", 52, 35),
    ("id_number", 122, 18),
    ("issuing_authority", 158, 15),
    ("valid_from", 188, 8),
    ("valid_until", 204, 8),
    ("reserved", 220, 18),
)
_WIDTHS: Final = {name: width for name, _, width in EF0101_LAYOUT}
_CHECKED_FIELDS: Final = EF0101_LAYOUT[:9]  # fields 1-9; reserved is never interpreted

_NAME_WIDTH: Final = _WIDTHS["name"]
_APPENDED_WIDTH: Final = EF0103_SIZE // 2

#: Valid-until value of a card that never expires, as shown in the record.
LONG_TERM: Final = "长期"
_LONG_TERM_STORED: Final = LONG_TERM + " " * (_WIDTHS["valid_until"] - len(LONG_TERM))

_JPEG_MAGIC: Final = b"\xff\xd8"

_DATE_RE: Final = re.compile(r"[0-9]{8}")
_ID_RE: Final = re.compile(r"[0-9]{17}[0-9X]")
_DIGITS17_RE: Final = re.compile(r"[0-9]{17}")

_MIN_BIRTH_DATE: Final = datetime.date(1900, 1, 1)

# ISO 7064 MOD 11-2 as used by GB 11643-1999 (§8.2).
_CHECK_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS: Final = "10X98765432"

#: Kiosk calendar zone (§1): Asia/Shanghai is UTC+8 all year (no DST), so a fixed offset
#: is exact and needs no tzdata on the kiosk.
SHANGHAI: Final = datetime.timezone(datetime.timedelta(hours=8), "Asia/Shanghai")


def _check_layout() -> None:
    end = 0
    for _, offset, width in EF0101_LAYOUT:
        assert offset == end, "EF 0101 layout must be contiguous"
        end = offset + 2 * width
    assert end == EF0101_SIZE


_check_layout()


def shanghai_today(now: datetime.datetime | None = None) -> datetime.date:
    """The kiosk's "today" (§1): the calendar date in Asia/Shanghai (UTC+8)."""
    if now is None:
        now = datetime.datetime.now(SHANGHAI)
    return now.astimezone(SHANGHAI).date()


# --------------------------------------------------------------------------------------
# Refusal (§9.1)
# --------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CardRefusal(Exception):
    """A card refused for identity use. Raised by :func:`parse_identity`.

    ``reason`` is one of :data:`REASONS`; for ``invalid_field``, ``field`` names the
    offending field with its §9.2 JSON name ("name", "sex", "birth_date", ...).
    ``str()`` gives only the reason code (and field), never card data, so it is safe
    to log.
    """

    reason: str
    field: str | None = None

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise ValueError(f"unknown refusal reason: {self.reason!r}")

    def __str__(self) -> str:
        return self.reason if self.field is None else f"{self.reason} ({self.field})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.reason, self.field))

    def message(self, lang: str = "zh") -> str:
        """Message for the resident. ``lang`` "zh" (default) or "en" (any "en-*" too)."""
        english = lang.lower().startswith("en")
        if self.reason == "invalid_field" and self.field is not None:
            if english:
                label = FIELD_NAMES_EN.get(self.field, self.field)
                return f"Part of the ID card information is not in the expected format: {label}."
            return f"{MESSAGES_ZH['invalid_field']}：{FIELD_NAMES_ZH.get(self.field, self.field)}"
        return (MESSAGES_EN if english else MESSAGES_ZH)[self.reason]


# A frozen dataclass forbids every attribute assignment, but the exception machinery
# assigns a few dunder attributes after construction (contextlib sets __traceback__,
# BaseException.add_note sets __notes__, e.g. when pytest/hypothesis annotate a failure).
# Let those through; the dataclass fields stay frozen.
_frozen_setattr = CardRefusal.__setattr__
_frozen_delattr = CardRefusal.__delattr__


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


def _refusal_setattr(self: CardRefusal, name: str, value: Any) -> None:
    if _is_dunder(name):
        Exception.__setattr__(self, name, value)
    else:
        _frozen_setattr(self, name, value)


def _refusal_delattr(self: CardRefusal, name: str) -> None:
    if _is_dunder(name):
        Exception.__delattr__(self, name)
    else:
        _frozen_delattr(self, name)


CardRefusal.__setattr__ = _refusal_setattr  # type: ignore[method-assign]
CardRefusal.__delattr__ = _refusal_delattr  # type: ignore[method-assign]


# --------------------------------------------------------------------------------------
# Identity record (§9.2)
# --------------------------------------------------------------------------------------


def mask_id_number(id_number: str) -> str:
    """First 6 + eight '*' + last 4 (brief §6), e.g. ``460100********123X``.

    Meant for 18-character numbers; any other length is masked completely.
    """
    if len(id_number) != 18:
        return "*" * len(id_number)
    return id_number[:6] + "*" * 8 + id_number[-4:]


def check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character (§8.2) of the first 17 digits of an ID number."""
    if not _DIGITS17_RE.fullmatch(first17):
        raise ValueError("check_character needs exactly 17 ASCII digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, _CHECK_WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


@dataclasses.dataclass(frozen=True, repr=False)
class IdentityRecord:
    """A validated identity (§9.2). Dates are "YYYY-MM-DD"; valid_until may be "长期"."""

    name: str
    sex: str
    sex_name: str
    ethnicity: str
    ethnicity_name: str
    birth_date: str
    address: str
    id_number: str
    issuing_authority: str
    valid_from: str
    valid_until: str
    appended_address: str | None
    photo_kind: str  # "jpeg" | "wlt" | "none"
    photo_sha256: str | None
    photo: bytes | None = dataclasses.field(default=None, repr=False, compare=False)

    #: §9.2 JSON names, in table order.
    JSON_FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "sex",
        "sex_name",
        "ethnicity",
        "ethnicity_name",
        "birth_date",
        "address",
        "id_number",
        "issuing_authority",
        "valid_from",
        "valid_until",
        "appended_address",
        "photo_kind",
        "photo_sha256",
    )

    def to_json(self) -> dict[str, str | None]:
        """The §9.2 record as a JSON-ready dict (no photo bytes)."""
        return {key: getattr(self, key) for key in self.JSON_FIELDS}

    def masked_id(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def name_maybe_truncated(self) -> bool:
        """True for a 15-character name: the card may hold only its first 15 characters (§6)."""
        return len(self.name) >= _NAME_WIDTH

    def __repr__(self) -> str:
        # Safe for logs: no name, address or photo; ID number masked.
        return (
            f"IdentityRecord(id_number={self.masked_id()!r}, photo_kind={self.photo_kind!r}, "
            f"valid_until={self.valid_until!r})"
        )


# --------------------------------------------------------------------------------------
# Decoding and validation (§6-§9)
# --------------------------------------------------------------------------------------


def _is_forbidden_unit(unit: int) -> bool:
    """§6 encoding check: C0/C1 controls, surrogates, U+FFFE/U+FFFF."""
    return unit <= 0x1F or 0x7F <= unit <= 0x9F or 0xD800 <= unit <= 0xDFFF or unit >= 0xFFFE


def _decode_units(data: bytes, offset: int, width: int) -> str:
    """Decode ``width`` UCS-2LE code units; CardRefusal("bad_encoding") on a forbidden unit.

    The code units are inspected before becoming characters, so no byte value can make
    the decoder fail.
    """
    units = struct.unpack_from(f"<{width}H", data, offset)
    if any(_is_forbidden_unit(unit) for unit in units):
        raise CardRefusal("bad_encoding")
    return "".join(map(chr, units))


def _strip_padding(text: str) -> str:
    """Text fields: remove trailing U+0020 only (not NUL, not U+3000, not leading spaces)."""
    return text.rstrip(" ")


def _parse_date(text: str) -> datetime.date | None:
    """``YYYYMMDD`` in ASCII digits that is a real calendar date, else None."""
    if not _DATE_RE.fullmatch(text):
        return None
    try:
        return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


@dataclasses.dataclass(frozen=True)
class _Fields:
    """EF 0101 fields 1-9 after the §8 field checks (step 3), before the cross-checks."""

    name: str
    sex: str
    ethnicity: str
    birth_date: datetime.date
    birth_date_raw: str  # as stored, YYYYMMDD, compared with the ID number (step 7)
    address: str
    id_number: str
    issuing_authority: str
    valid_from: datetime.date
    valid_until: datetime.date | None  # None = 长期


def parse_identity(
    ef0101: bytes,
    photo: bytes | None,
    ef0103: bytes | None,
    today: datetime.date,
) -> IdentityRecord:
    """Decode and validate the files of one card; return the identity record.

    ``ef0101``: the bytes read from EF 0101 (only the first 256 are used; a reader never
    reads more). ``photo``: EF 0102 as read, ``None`` if absent (empty is treated as absent,
    §9.3). ``ef0103``: EF 0103 as read, ``None`` if absent (only the first 70 bytes are used).
    ``today``: the kiosk's calendar date in Asia/Shanghai (see :func:`shanghai_today`).

    Raises :class:`CardRefusal` for the first failing check of §8, in §8 order. No other
    exception is raised for any input bytes.
    """
    if isinstance(today, datetime.datetime):  # a datetime is a date, but does not compare with one
        today = today.date()
    ef0101 = _check_lengths(ef0101, ef0103)  # 1. data_truncated
    raw, appended_address = _decode_fields(ef0101, ef0103)  # 2. bad_encoding
    fields = _check_fields(raw, today)  # 3. invalid_field
    _cross_check(fields, today)  # 4.-10.
    return _record(fields, appended_address, photo)


def _check_lengths(ef0101: bytes, ef0103: bytes | None) -> bytes:
    """§8 step 1 (data_truncated); the 256 bytes of EF 0101 that are used."""
    ef0101 = bytes(ef0101)
    if len(ef0101) < EF0101_SIZE:
        raise CardRefusal("data_truncated")
    if ef0103 is not None and len(ef0103) < EF0103_SIZE:
        raise CardRefusal("data_truncated")
    return ef0101[:EF0101_SIZE]


def _decode_fields(ef0101: bytes, ef0103: bytes | None) -> tuple[dict[str, str], str | None]:
    """§8 step 2 (bad_encoding): fields 1-9 as stored, and the appended address if any.

    The reserved field is never looked at.
    """
    raw = {name: _decode_units(ef0101, offset, width) for name, offset, width in _CHECKED_FIELDS}
    appended_address: str | None = None
    if ef0103 is not None:
        appended_address = (
            _strip_padding(_decode_units(bytes(ef0103[:EF0103_SIZE]), 0, _APPENDED_WIDTH)) or None
        )
    return raw, appended_address


def _check_fields(raw: dict[str, str], today: datetime.date) -> _Fields:
    """§8 step 3 (invalid_field), in the order §8 lists the conditions."""
    name = _strip_padding(raw["name"])
    address = _strip_padding(raw["address"])
    issuing_authority = _strip_padding(raw["issuing_authority"])
    for field_name, value in (("name", name), ("address", address), ("issuing_authority", issuing_authority)):
        if not value:
            raise CardRefusal("invalid_field", field_name)
    sex = raw["sex"]
    if sex not in SEX_NAMES:
        raise CardRefusal("invalid_field", "sex")
    birth_date = _parse_date(raw["birth_date"])
    if birth_date is None or not _MIN_BIRTH_DATE <= birth_date <= today:
        raise CardRefusal("invalid_field", "birth_date")
    id_number = raw["id_number"]
    if not _ID_RE.fullmatch(id_number):
        raise CardRefusal("invalid_field", "id_number")
    valid_from = _parse_date(raw["valid_from"])
    if valid_from is None:
        raise CardRefusal("invalid_field", "valid_from")
    valid_until: datetime.date | None  # None = 长期
    if raw["valid_until"] == _LONG_TERM_STORED:
        valid_until = None
    else:
        valid_until = _parse_date(raw["valid_until"])
        if valid_until is None or valid_until <= valid_from:
            raise CardRefusal("invalid_field", "valid_until")
    return _Fields(
        name=name,
        sex=sex,
        ethnicity=raw["ethnicity"],
        birth_date=birth_date,
        birth_date_raw=raw["birth_date"],
        address=address,
        id_number=id_number,
        issuing_authority=issuing_authority,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def _cross_check(fields: _Fields, today: datetime.date) -> None:
    """§8 steps 4-10: codes, the ID number against the other fields, the validity period."""
    id_number = fields.id_number
    # 4. bad_ethnicity
    if fields.ethnicity not in ETHNICITY_NAMES:
        raise CardRefusal("bad_ethnicity")
    # 5. bad_region_code (positions 1-2 only; 3-6 deliberately unchecked)
    if id_number[:2] not in PROVINCE_CODES:
        raise CardRefusal("bad_region_code")
    # 6. bad_check_digit
    if check_character(id_number[:17]) != id_number[17]:
        raise CardRefusal("bad_check_digit")
    # 7. birth_date_mismatch
    if id_number[6:14] != fields.birth_date_raw:
        raise CardRefusal("birth_date_mismatch")
    # 8. sex_mismatch ("0" and "9" always fail here)
    if fields.sex != ("1" if int(id_number[16]) % 2 else "2"):
        raise CardRefusal("sex_mismatch")
    # 9. not_yet_valid, 10. expired (valid until is inclusive)
    if fields.valid_from > today:
        raise CardRefusal("not_yet_valid")
    if fields.valid_until is not None and fields.valid_until < today:
        raise CardRefusal("expired")


def _record(fields: _Fields, appended_address: str | None, photo: bytes | None) -> IdentityRecord:
    """The §9.2 record of a card that passed every check, with its §9.3 photo facts.

    The photo is never a reason to refuse.
    """
    photo_bytes = bytes(photo) if photo else None
    if photo_bytes is None:
        photo_kind, photo_sha256 = "none", None
    else:
        photo_kind = "jpeg" if photo_bytes.startswith(_JPEG_MAGIC) else "wlt"
        photo_sha256 = hashlib.sha256(photo_bytes).hexdigest()
    return IdentityRecord(
        name=fields.name,
        sex=fields.sex,
        sex_name=SEX_NAMES[fields.sex],
        ethnicity=fields.ethnicity,
        ethnicity_name=ETHNICITY_NAMES[fields.ethnicity],
        birth_date=fields.birth_date.isoformat(),
        address=fields.address,
        id_number=fields.id_number,
        issuing_authority=fields.issuing_authority,
        valid_from=fields.valid_from.isoformat(),
        valid_until=LONG_TERM if fields.valid_until is None else fields.valid_until.isoformat(),
        appended_address=appended_address,
        photo_kind=photo_kind,
        photo_sha256=photo_sha256,
        photo=photo_bytes,
    )
