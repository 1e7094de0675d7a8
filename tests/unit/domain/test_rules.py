"""Renewal rules (kiosk/domain/rules.py, contract §9) at every date edge, with an injectable clock."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.domain.clock import FixedClock, today
from kiosk.domain.permit import PermitRecord, PoliceStation
from kiosk.domain.rules import RenewalPolicy, Verdict, renewal_eligibility, window_opens_on

D = dt.date


def permit(valid_until: dt.date, last: dt.date | None = None, status: str = "active") -> PermitRecord:
    return PermitRecord(
        permit_number="4601082020000310",
        holder_name="林海",
        id_number_masked="460108********0310",
        status=status,
        valid_until=valid_until,
        endorsement_window_opens_on=window_opens_on(valid_until),
        last_endorsement_date=last,
        registered_address="海南省海口市美兰区和平大道56号",
        employer=None,
        school=None,
        police_station=PoliceStation("HK-LH-JM", "金贸派出所", "金贸示例路1号", "0898-66000001", "09:00-17:30"),
    )


@pytest.mark.parametrize(
    ("valid_until", "opens"),
    [
        (D(2027, 3, 31), D(2027, 2, 28)),  # month end clamps
        (D(2028, 3, 31), D(2028, 2, 29)),  # leap year
        (D(2028, 3, 29), D(2028, 2, 29)),
        (D(2028, 2, 29), D(2028, 1, 29)),  # 29 February as the last day
        (D(2027, 1, 15), D(2026, 12, 15)),  # across the year
        (D(2026, 12, 31), D(2026, 11, 30)),
        (D(2027, 5, 31), D(2027, 4, 30)),
    ],
)
def test_window_opens_one_calendar_month_before_with_day_clamped(valid_until, opens):
    assert window_opens_on(valid_until) == opens


@pytest.mark.parametrize(
    ("today_", "verdict"),
    [
        (D(2026, 11, 19), Verdict.TOO_EARLY),  # the day before the window
        (D(2026, 11, 20), Verdict.ELIGIBLE),  # exactly one month before
        (D(2026, 12, 10), Verdict.ELIGIBLE),
        (D(2026, 12, 20), Verdict.ELIGIBLE),  # the last day itself (inclusive)
        (D(2026, 12, 21), Verdict.ELIGIBLE_LATE),  # the day after: suspended, late renewal
        (D(2027, 2, 18), Verdict.ELIGIBLE_LATE),  # 60 days overdue: still suspended
        (D(2027, 2, 19), Verdict.EXPIRED),  # 61 days: expired, station visit
    ],
)
def test_renewal_verdict_at_each_edge(today_, verdict):
    e = renewal_eligibility(permit(D(2026, 12, 20), last=D(2025, 12, 18)), today_)
    assert e.verdict == verdict
    assert e.allowed == (verdict in (Verdict.ELIGIBLE, Verdict.ELIGIBLE_LATE))


def test_too_early_gives_the_first_date():
    e = renewal_eligibility(permit(D(2027, 3, 31)), D(2027, 1, 5))
    assert e.verdict == Verdict.TOO_EARLY
    assert e.earliest_date == D(2027, 2, 28)


def test_late_renewal_counts_days_overdue():
    e = renewal_eligibility(permit(D(2026, 11, 20)), D(2026, 11, 30))
    assert e.verdict == Verdict.ELIGIBLE_LATE
    assert e.days_overdue == 10
    assert e.earliest_date is None


def test_leap_day_permit():
    p = permit(D(2028, 2, 29))
    assert renewal_eligibility(p, D(2028, 1, 28)).verdict == Verdict.TOO_EARLY
    assert renewal_eligibility(p, D(2028, 1, 29)).verdict == Verdict.ELIGIBLE
    assert renewal_eligibility(p, D(2028, 2, 29)).verdict == Verdict.ELIGIBLE
    assert renewal_eligibility(p, D(2028, 3, 1)).verdict == Verdict.ELIGIBLE_LATE


def test_already_endorsed_in_this_window_is_refused():
    p = permit(D(2026, 12, 20), last=D(2026, 11, 27))
    e = renewal_eligibility(p, D(2026, 11, 30))
    assert e.verdict == Verdict.ALREADY_ENDORSED
    assert not e.allowed
    # Endorsed on the day the window opened counts too.
    assert renewal_eligibility(permit(D(2026, 12, 20), last=D(2026, 11, 20)), D(2026, 11, 30)).verdict == Verdict.ALREADY_ENDORSED
    # The previous year's endorsement does not.
    assert renewal_eligibility(permit(D(2026, 12, 20), last=D(2026, 11, 19)), D(2026, 11, 30)).verdict == Verdict.ELIGIBLE


def test_server_marked_expired_is_expired_even_inside_dates():
    assert renewal_eligibility(permit(D(2026, 12, 20), status="expired"), D(2026, 12, 1)).verdict == Verdict.EXPIRED


def test_policy_is_configuration_not_code():
    p = permit(D(2026, 12, 20))
    wide = RenewalPolicy(window_months=2, suspended_max_days=90)
    assert renewal_eligibility(p, D(2026, 10, 20), wide).verdict == Verdict.ELIGIBLE
    assert renewal_eligibility(p, D(2027, 3, 20), wide).verdict == Verdict.ELIGIBLE_LATE
    assert renewal_eligibility(p, D(2027, 3, 20)).verdict == Verdict.EXPIRED


def test_fixed_clock_gives_shanghai_dates():
    # 17:00 UTC on 30 November is already 1 December in Haikou.
    c = FixedClock(dt.datetime(2026, 11, 30, 17, 0, tzinfo=dt.UTC))
    assert today(c) == D(2026, 12, 1)
