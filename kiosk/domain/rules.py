"""Renewal (annual endorsement, 签注) rules: 《居住证暂行条例》 and contract §9 (docs/contract/).

The permit is endorsed once a year, within the month before its validity year ends
(window opens on ``valid_until`` minus one calendar month, day clamped). Late
endorsement is allowed while the permit is suspended, but the resident must first be
told that its functions were suspended and that residence years restart. Numbers that
local practice may change live in :class:`RenewalPolicy` (configuration), not in code.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from kiosk.domain.permit import PermitRecord


@dataclass(frozen=True)
class RenewalPolicy:
    window_months: int = 1  # the window opens this many calendar months before valid_until
    suspended_max_days: int = 60  # overdue by more than this: expired, the kiosk cannot serve it


class Verdict(enum.StrEnum):
    ELIGIBLE = "eligible"
    ELIGIBLE_LATE = "eligible_late"  # overdue: allowed after the plain warning
    TOO_EARLY = "too_early"
    ALREADY_ENDORSED = "already_endorsed"
    EXPIRED = "expired"  # overdue beyond the suspension period: station visit needed


@dataclass(frozen=True)
class Eligibility:
    verdict: Verdict
    valid_until: dt.date
    window_opens_on: dt.date
    days_overdue: int = 0  # > 0 only when the permit ran out
    days_left: int = 0  # days until valid_until (inclusive end), >= 0 when not overdue
    last_endorsement_date: dt.date | None = None

    @property
    def allowed(self) -> bool:
        return self.verdict in (Verdict.ELIGIBLE, Verdict.ELIGIBLE_LATE)

    @property
    def earliest_date(self) -> dt.date | None:
        return self.window_opens_on if self.verdict == Verdict.TOO_EARLY else None


def window_opens_on(valid_until: dt.date, policy: RenewalPolicy = RenewalPolicy()) -> dt.date:
    """``valid_until`` minus ``window_months`` calendar months; the day is clamped to the month."""
    return valid_until - relativedelta(months=policy.window_months)


def renewal_eligibility(
    permit: PermitRecord, today: dt.date, policy: RenewalPolicy = RenewalPolicy()
) -> Eligibility:
    valid_until = permit.valid_until
    opens = window_opens_on(valid_until, policy)
    base = dict(valid_until=valid_until, window_opens_on=opens, last_endorsement_date=permit.last_endorsement_date)
    last = permit.last_endorsement_date
    if last is not None and opens <= last <= today:
        # Endorsed inside the current window already: once a year.
        return Eligibility(Verdict.ALREADY_ENDORSED, **base)
    if today > valid_until:
        overdue = (today - valid_until).days
        if overdue > policy.suspended_max_days or permit.status == "expired":
            return Eligibility(Verdict.EXPIRED, days_overdue=overdue, **base)
        return Eligibility(Verdict.ELIGIBLE_LATE, days_overdue=overdue, **base)
    if permit.status == "expired":
        return Eligibility(Verdict.EXPIRED, **base)
    days_left = (valid_until - today).days
    if today < opens:
        return Eligibility(Verdict.TOO_EARLY, days_left=days_left, **base)
    return Eligibility(Verdict.ELIGIBLE, days_left=days_left, **base)
