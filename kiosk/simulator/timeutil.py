"""Date and time rules of the review-service contract (sections 8 and 9)."""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta

#: Asia/Shanghai: UTC+8 all year (no DST since 1991), so a fixed offset is exact.
CST = dt.timezone(dt.timedelta(hours=8))

#: Days after ``valid_until`` during which a permit is ``suspended`` (after that: ``expired``).
SUSPENSION_DAYS = 60

#: Working days (Mon-Fri) between the receipt date and ``expected_decision_by``.
DECISION_WORKING_DAYS = 5

_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATETIME_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2})"
)


def to_cst(value: dt.datetime) -> dt.datetime:
    """Convert an aware datetime to +08:00 (a naive one is taken to be in +08:00 already)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=CST)
    return value.astimezone(CST)


def format_datetime(value: dt.datetime) -> str:
    """RFC 3339 in +08:00 with second precision, as the service emits it."""
    return to_cst(value).replace(microsecond=0).isoformat()


def parse_date(text: str) -> dt.date | None:
    """Strict ``YYYY-MM-DD`` (a real calendar date) or ``None``."""
    match = _DATE_RE.fullmatch(text)
    if match is None:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def parse_datetime(text: str) -> dt.datetime | None:
    """RFC 3339 date-time with an explicit offset, or ``None``."""
    match = _DATETIME_RE.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(match[i]) for i in range(1, 7))
    fraction = match[7]
    offset_text = match[8]
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    if offset_text in ("Z", "z"):
        offset = dt.timedelta(0)
    else:
        off_h, off_m = int(offset_text[1:3]), int(offset_text[4:6])
        if off_h > 23 or off_m > 59:
            return None
        offset = dt.timedelta(hours=off_h, minutes=off_m)
        if offset_text[0] == "-":
            offset = -offset
    try:
        return dt.datetime(year, month, day, hour, minute, second, micro, tzinfo=dt.timezone(offset))
    except ValueError:
        return None


def endorsement_window_opens_on(valid_until: dt.date) -> dt.date:
    """``valid_until`` minus one calendar month, the day clamped to the month's length."""
    opens: dt.date = valid_until + relativedelta(months=-1)
    return opens


def permit_status(valid_until: dt.date, on: dt.date, override: str | None = None) -> str:
    """Reference permit status rule: active / suspended (1-60 days late) / expired."""
    if override is not None:
        return override
    days_late = (on - valid_until).days
    if days_late <= 0:
        return "active"
    if days_late <= SUSPENSION_DAYS:
        return "suspended"
    return "expired"


def renewed_valid_until(old_valid_until: dt.date, approval_date: dt.date) -> dt.date:
    """One year after the later of the old ``valid_until`` and the approval date (Feb 29 clamps)."""
    base = max(old_valid_until, approval_date)
    renewed: dt.date = base + relativedelta(years=1)
    return renewed


def expected_decision_by(received_at: dt.datetime) -> dt.datetime:
    """The 5th working day (Mon-Fri) after the date of ``received_at``, at 18:00 +08:00."""
    day = to_cst(received_at).date()
    remaining = DECISION_WORKING_DAYS
    while remaining:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return dt.datetime(day.year, day.month, day.day, 18, 0, 0, tzinfo=CST)
