"""Change of details and replacement rules (kiosk/domain/changes.py) at their date edges."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.domain.changes import (
    AddressParts,
    ChangePolicy,
    ReissueVerdict,
    TextProblem,
    change_timing,
    check_text,
    districts,
    reissue_eligibility,
)
from tests.unit.domain.test_rules import permit

D = dt.date
TODAY = D(2026, 11, 30)


@pytest.mark.parametrize(
    ("changed", "late"),
    [
        (TODAY, False),
        (D(2026, 10, 31), False),  # exactly 30 days: in time
        (D(2026, 10, 30), True),  # 31 days: late, still accepted
        (D(2025, 11, 30), True),
    ],
)
def test_thirty_day_rule(changed, late):
    t = change_timing(changed, TODAY)
    assert t.late is late
    assert t.days_since == (TODAY - changed).days


def test_thirty_days_across_february():
    assert change_timing(D(2028, 1, 30), D(2028, 2, 29)).late is False  # 30 days (leap year)
    assert change_timing(D(2028, 1, 29), D(2028, 2, 29)).late is True


def test_a_future_change_date_is_refused():
    with pytest.raises(ValueError):
        change_timing(TODAY + dt.timedelta(days=1), TODAY)


def test_reporting_period_is_configuration():
    assert change_timing(D(2026, 10, 1), TODAY, ChangePolicy(report_within_days=60)).late is False


@pytest.mark.parametrize(
    ("valid_until", "lost", "verdict"),
    [
        (D(2027, 5, 1), True, ReissueVerdict.OK),
        (D(2026, 10, 30), True, ReissueVerdict.OK),  # ran out exactly one month ago
        (D(2026, 10, 29), True, ReissueVerdict.RENEW_FIRST),  # a day more than a month
        (D(2026, 10, 29), False, ReissueVerdict.OK),  # damaged: no renew-first rule
        (D(2026, 10, 1), True, ReissueVerdict.RENEW_FIRST),  # 60 days: suspended
        (D(2026, 9, 30), True, ReissueVerdict.EXPIRED),  # 61 days: station visit
        (D(2026, 9, 30), False, ReissueVerdict.EXPIRED),
    ],
)
def test_lost_permit_that_ran_out_must_be_renewed_first(valid_until, lost, verdict):
    assert reissue_eligibility(permit(valid_until), TODAY, lost=lost) == verdict


def test_month_end_edge_for_renew_first():
    # valid until 31 January: one month later is clamped to 28 February.
    p = permit(D(2027, 1, 31))
    assert reissue_eligibility(p, D(2027, 2, 28), lost=True) == ReissueVerdict.OK
    assert reissue_eligibility(p, D(2027, 3, 1), lost=True) == ReissueVerdict.RENEW_FIRST


def test_address_is_assembled_and_checked():
    a = AddressParts("龙华区", "金贸街道", "金贸社区", "龙昆北路 18号 2栋301室")
    assert a.full() == "海南省海口市龙华区金贸街道金贸社区龙昆北路18号2栋301室"
    assert a.problem() is None
    assert AddressParts("龙华区", "", "", "").problem() == TextProblem.EMPTY
    assert AddressParts("三亚市", "", "", "吉阳区1号").full() == "海南省三亚市吉阳区1号"
    assert "三亚市" in districts(ChangePolicy(extra_districts=("三亚市",)))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("海南椰林科技有限公司", None),
        ("", TextProblem.EMPTY),
        ("海", TextProblem.TOO_SHORT),
        ("海" * 101, TextProblem.TOO_LONG),
        (" 海南大学", TextProblem.BAD_CHARACTERS),
        ("海南\x07大学", TextProblem.BAD_CHARACTERS),
    ],
)
def test_organisation_names(text, problem):
    assert check_text(text, (2, 100)) == problem
