"""Pure rules behind the review-service simulator (dates, ID numbers, masking, validation helpers)."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.simulator import demo_seed
from kiosk.simulator.timeutil import (
    CST,
    endorsement_window_opens_on,
    expected_decision_by,
    format_datetime,
    parse_datetime,
    permit_status,
    renewed_valid_until,
)
from kiosk.simulator.validation import (
    Validator,
    id_number_check_char,
    is_clean_text,
    mask_id_number,
    mask_phone,
)

D = dt.date


@pytest.mark.parametrize(
    ("valid_until", "opens"),
    [
        (D(2027, 3, 31), D(2027, 2, 28)),
        (D(2028, 3, 31), D(2028, 2, 29)),
        (D(2026, 5, 31), D(2026, 4, 30)),
        (D(2026, 1, 15), D(2025, 12, 15)),
        (D(2026, 7, 1), D(2026, 6, 1)),
    ],
)
def test_endorsement_window_is_one_calendar_month_clamped(valid_until: dt.date, opens: dt.date) -> None:
    assert endorsement_window_opens_on(valid_until) == opens


@pytest.mark.parametrize(
    ("days_after", "status"),
    [(-30, "active"), (0, "active"), (1, "suspended"), (60, "suspended"), (61, "expired")],
)
def test_permit_status_by_date(days_after: int, status: str) -> None:
    valid_until = D(2026, 6, 30)
    assert permit_status(valid_until, valid_until + dt.timedelta(days=days_after)) == status


def test_permit_status_override_wins() -> None:
    assert permit_status(D(2030, 1, 1), D(2026, 1, 1), "suspended") == "suspended"


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        (dt.datetime(2025, 6, 11, 10, 15, 23, tzinfo=CST), "2025-06-18T18:00:00+08:00"),  # Wed
        (dt.datetime(2025, 6, 10, 15, 0, 2, tzinfo=CST), "2025-06-17T18:00:00+08:00"),  # Tue
        (dt.datetime(2025, 6, 13, 23, 59, tzinfo=CST), "2025-06-20T18:00:00+08:00"),  # Fri
        (dt.datetime(2025, 6, 14, 9, 0, tzinfo=CST), "2025-06-20T18:00:00+08:00"),  # Sat
        (dt.datetime(2025, 6, 15, 9, 0, tzinfo=CST), "2025-06-20T18:00:00+08:00"),  # Sun
        (dt.datetime(2025, 6, 12, 16, 30, tzinfo=dt.UTC), "2025-06-20T18:00:00+08:00"),  # Fri 00:30 in CST
    ],
)
def test_expected_decision_by_is_the_fifth_working_day(received: dt.datetime, deadline: str) -> None:
    assert format_datetime(expected_decision_by(received)) == deadline


def test_renewal_extends_from_the_later_date() -> None:
    assert renewed_valid_until(D(2026, 6, 30), D(2026, 6, 11)) == D(2027, 6, 30)
    assert renewed_valid_until(D(2026, 5, 31), D(2026, 6, 11)) == D(2027, 6, 11)
    assert renewed_valid_until(D(2028, 2, 29), D(2028, 2, 1)) == D(2029, 2, 28)


def test_rfc3339_parsing() -> None:
    assert parse_datetime("2026-06-10T10:00:00+08:00") == dt.datetime(2026, 6, 10, 10, tzinfo=CST)
    assert parse_datetime("2026-06-10t02:00:00.5z") == dt.datetime(2026, 6, 10, 2, 0, 0, 500000, tzinfo=dt.UTC)
    for bad in ("2026-06-10T10:00:00", "2026-06-10 10:00:00+08:00", "2026-02-30T10:00:00Z", "2026-06-10T10:00Z"):
        assert parse_datetime(bad) is None, bad


def test_format_datetime_is_plus_eight_with_seconds() -> None:
    assert format_datetime(dt.datetime(2026, 6, 10, 2, 0, 1, 999999, tzinfo=dt.UTC)) == "2026-06-10T10:00:01+08:00"


def test_id_number_check_characters() -> None:
    assert id_number_check_char("46010819870612031") == "0"
    assert id_number_check_char("11010519491231002") == "X"
    for resident in demo_seed():
        number = resident["id_number"]
        assert id_number_check_char(number[:17]) == number[17], resident["label"]


def test_masking() -> None:
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("张伟", True),
        ("阿依古丽·买买提", True),
        ("海南省 海口市", True),
        (" 张伟", False),
        ("张伟\u3000", False),
        ("\ufeff张伟", False),
        ("张\n伟", False),
        ("张\x7f伟", False),
        ("", False),
    ],
)
def test_clean_text_rule(text: str, clean: bool) -> None:
    assert is_clean_text(text) is clean


def test_validator_escapes_pointer_tokens_and_reports_each_location_once() -> None:
    v = Validator()
    v.obj({"a/b": 1, "m~n": 2}, "", ())
    v.add("/x", "invalid_format")
    v.add("/x", "too_long")
    assert [(e["pointer"], e["code"]) for e in v.errors] == [
        ("/a~1b", "unknown_field"),
        ("/m~0n", "unknown_field"),
        ("/x", "invalid_format"),
    ]


def test_validator_integers_reject_booleans_and_fractions() -> None:
    v = Validator()
    assert v.integer(True, "/a") is None
    assert v.integer(1.5, "/b") is None
    assert v.integer(2.0, "/c") == 2
    assert v.integer(0, "/d", minimum=1) is None
    assert [e["code"] for e in v.errors] == ["invalid_type", "invalid_type", "out_of_range"]
