"""Property-based tests of the card profile layer (hypothesis).

1. For ANY bytes, parse_identity returns a record or raises CardRefusal with a known reason.
2. Every valid identity survives encode -> parse unchanged.
3. A card failing several checks reports the first one in §8 order.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kiosk.domain import idcard, testcard
from kiosk.domain.idcard import CardRefusal, check_character, parse_identity
from kiosk.domain.idcard_codes import ETHNICITY_NAMES, PROVINCE_CODES, SEX_NAMES
from kiosk.domain.testcard import encode_ef0101

from .test_idcard import ORDERED_CHECKS, WORKED_EXAMPLE, build_failing_card

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ANY_DATE = st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31))
OPTIONAL_BYTES = st.none() | st.binary(max_size=80)


def assert_outcome(ef0101: bytes, photo: bytes | None, ef0103: bytes | None, today: datetime.date) -> None:
    """parse_identity either refuses with a known reason or returns a consistent record."""
    try:
        record = parse_identity(ef0101, photo, ef0103, today)
    except CardRefusal as error:
        event(f"refused: {error}")
        assert error.reason in idcard.REASONS
        assert (error.field is not None) == (error.reason == "invalid_field")
        assert error.message("zh") and error.message("en")
        return
    event("accepted")
    # Anything accepted really is valid.
    json.dumps(record.to_json())
    assert record.sex in ("1", "2")
    assert record.ethnicity in ETHNICITY_NAMES
    assert record.id_number[:2] in PROVINCE_CODES
    assert check_character(record.id_number[:17]) == record.id_number[17]
    assert record.id_number[6:14] == record.birth_date.replace("-", "")
    assert datetime.date.fromisoformat(record.valid_from) <= today
    assert record.valid_until == "长期" or datetime.date.fromisoformat(record.valid_until) >= today
    assert record.name and record.address and record.issuing_authority
    assert not record.name.endswith(" ")
    assert len(record.name) <= 15 and len(record.address) <= 35
    assert record.appended_address is None or (record.appended_address and len(record.appended_address) <= 35)
    if photo:
        assert record.photo_sha256 == hashlib.sha256(photo).hexdigest()
        assert record.photo_kind == ("jpeg" if photo[:2] == b"\xff\xd8" else "wlt")
    else:
        assert (record.photo_kind, record.photo_sha256) == ("none", None)


# --------------------------------------------------------------------------------------
# 1. Any bytes
# --------------------------------------------------------------------------------------


@FAST
@given(ef0101=st.binary(max_size=300), photo=OPTIONAL_BYTES, ef0103=OPTIONAL_BYTES, today=ANY_DATE)
def test_any_bytes_of_any_length(ef0101: bytes, photo: bytes | None, ef0103: bytes | None, today) -> None:
    assert_outcome(ef0101, photo, ef0103, today)


@FAST
@given(
    ef0101=st.binary(min_size=256, max_size=256),
    photo=OPTIONAL_BYTES,
    ef0103=st.none() | st.binary(min_size=70, max_size=70),
    today=ANY_DATE,
)
def test_any_bytes_of_the_right_length(ef0101: bytes, photo, ef0103, today) -> None:
    assert_outcome(ef0101, photo, ef0103, today)


@FAST
@given(
    patches=st.lists(st.tuples(st.integers(0, 255), st.binary(min_size=1, max_size=8)), max_size=6),
    ef0103=st.none() | st.binary(min_size=70, max_size=72),
    today=ANY_DATE,
)
def test_mutated_valid_card(patches: list[tuple[int, bytes]], ef0103, today) -> None:
    data = bytearray(WORKED_EXAMPLE)
    for offset, patch in patches:
        data[offset : offset + len(patch)] = patch[: 256 - offset]
    assert_outcome(bytes(data[:256]), None, ef0103, today)


# Field values built from characters that matter to the checks, so that the
# deeper checks (region, check character, dates, sex parity) are reached.
# Mostly characters that pass the encoding check; a few that do not.
NEAR_CHARS = st.sampled_from(list("01234567890123456789012345678912X x长期·林\u3000\ue000１A\x00\ud800"))


def near_value(width: int) -> st.SearchStrategy[str]:
    return st.text(NEAR_CHARS, max_size=width + 1)


@st.composite
def near_valid_fields(draw: st.DrawFn) -> dict[str, str]:
    fields = {
        "name": "林海",
        "sex": "1",
        "ethnicity": "01",
        "birth_date": "19870612",
        "address": "海口市",
        "id_number": "460108198706120310",
        "issuing_authority": "海口市公安局",
        "valid_from": "20200716",
        "valid_until": "20400716",
    }
    for name, _, width in idcard.EF0101_LAYOUT[:9]:
        if draw(st.integers(0, 7)) == 3:  # ~1 in 8 (hypothesis favours the bounds)
            fields[name] = draw(near_value(width))
    if draw(st.booleans()):  # a well-formed ID number, often matching the birth date field
        region = draw(st.sampled_from([*sorted(PROVINCE_CODES), "00", "81", "99"]))
        birth = (
            fields["birth_date"] if draw(st.booleans()) else draw(st.from_regex(r"[0-9]{8}", fullmatch=True))
        )
        first17 = (
            region
            + draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
            + birth
            + draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
        )
        if _DIGITS17.fullmatch(first17):
            check = (
                check_character(first17) if draw(st.integers(0, 4)) else draw(st.sampled_from("0123456789X"))
            )
            fields["id_number"] = first17 + check
    fields["reserved"] = draw(st.text(max_size=20))
    return fields


_DIGITS17 = re.compile(r"[0-9]{17}")


@FAST
@given(
    fields=near_valid_fields(),
    photo=OPTIONAL_BYTES,
    ef0103=st.none() | near_value(35),
    today=st.dates(min_value=datetime.date(2020, 7, 16), max_value=datetime.date(2040, 7, 16)) | ANY_DATE,
)
def test_near_valid_fields(fields: dict[str, str], photo, ef0103, today) -> None:
    appended = None if ef0103 is None else testcard.encode_ef0103(ef0103)
    assert_outcome(encode_ef0101(fields), photo, appended, today)


# --------------------------------------------------------------------------------------
# 2. Round trip of valid identities
# --------------------------------------------------------------------------------------

TEXT_CHAR = st.characters(min_codepoint=0x20, max_codepoint=0xFFFD, exclude_categories=["Cs"]).filter(
    lambda c: not 0x7F <= ord(c) <= 0x9F
)


def text_field(width: int) -> st.SearchStrategy[str]:
    return st.text(TEXT_CHAR, min_size=1, max_size=width).map(lambda s: s.rstrip(" ")).filter(bool)


def ymd(day: datetime.date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


@st.composite
def valid_identities(draw: st.DrawFn) -> dict:
    today = draw(st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2150, 12, 31)))
    birth = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=today))
    region = draw(st.sampled_from(sorted(PROVINCE_CODES))) + draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    sequence = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    first17 = region + ymd(birth) + sequence
    id_number = first17 + check_character(first17)
    sex = "1" if int(sequence[2]) % 2 else "2"
    valid_from = draw(st.dates(min_value=datetime.date(1900, 1, 1), max_value=today))
    earliest_until = max(today, valid_from + datetime.timedelta(days=1))
    until = draw(st.none() | st.dates(min_value=earliest_until, max_value=datetime.date(9999, 12, 31)))
    return {
        "today": today,
        "fields": {
            "name": draw(text_field(15)),
            "sex": sex,
            "ethnicity": draw(st.sampled_from(sorted(ETHNICITY_NAMES))),
            "birth_date": ymd(birth),
            "address": draw(text_field(35)),
            "id_number": id_number,
            "issuing_authority": draw(text_field(15)),
            "valid_from": ymd(valid_from),
            "valid_until": "长期" if until is None else ymd(until),
            "reserved": draw(st.text(max_size=18)),
        },
        "dates": (birth, valid_from, until),
        "appended": draw(st.none() | st.text(TEXT_CHAR, max_size=35)),
        "photo": draw(
            st.none() | st.binary(max_size=64) | st.binary(max_size=64).map(lambda b: b"\xff\xd8" + b)
        ),
    }


@FAST
@given(identity=valid_identities())
def test_round_trip(identity: dict) -> None:
    fields, (birth, valid_from, until) = identity["fields"], identity["dates"]
    appended = identity["appended"]
    card = testcard.load_test_card(
        {
            "ef0101": fields,
            "photo": {"kind": "none"},
            "ef0103": appended,
        }
    )
    record = parse_identity(card.ef0101, identity["photo"], card.ef0103, identity["today"])
    photo = identity["photo"] or None
    assert record.to_json() == {
        "name": fields["name"],
        "sex": fields["sex"],
        "sex_name": SEX_NAMES[fields["sex"]],
        "ethnicity": fields["ethnicity"],
        "ethnicity_name": ETHNICITY_NAMES[fields["ethnicity"]],
        "birth_date": birth.isoformat(),
        "address": fields["address"],
        "id_number": fields["id_number"],
        "issuing_authority": fields["issuing_authority"],
        "valid_from": valid_from.isoformat(),
        "valid_until": "长期" if until is None else until.isoformat(),
        "appended_address": (appended or "").rstrip(" ") or None,
        "photo_kind": "none" if photo is None else ("jpeg" if photo.startswith(b"\xff\xd8") else "wlt"),
        "photo_sha256": None if photo is None else hashlib.sha256(photo).hexdigest(),
    }
    assert record.photo == photo
    assert record.masked_id() == fields["id_number"][:6] + "********" + fields["id_number"][-4:]
    assert record.name_maybe_truncated == (len(fields["name"]) == 15)


# --------------------------------------------------------------------------------------
# 3. Order of checks for any combination of failures
# --------------------------------------------------------------------------------------


@FAST
@given(
    failures=st.sets(st.sampled_from(ORDERED_CHECKS), min_size=1).filter(
        lambda s: not {"not_yet_valid", "expired"} <= s
    )
)
def test_first_failing_check_is_reported(failures: set[str]) -> None:
    ef0101, ef0103 = build_failing_card(failures)
    try:
        parse_identity(ef0101, None, ef0103, datetime.date(2026, 11, 30))
    except CardRefusal as error:
        assert error.reason == min(failures, key=ORDERED_CHECKS.index)
    else:
        raise AssertionError("card was not refused")
