"""Change of registration information (登记信息变更) and replacement (补领 / 换领) rules.

The rules: a change of residence address, employer or school must be reported within 30
days, with proof; later is still accepted, with a warning. A lost or damaged permit is
replaced with no materials beyond identity; a production fee applies (configuration). A
lost permit that ran out more than a month ago must be endorsed (renewed) first.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from kiosk.domain.permit import PermitRecord
from kiosk.domain.rules import RenewalPolicy

# Contract text rules: no leading/trailing whitespace, no control characters.
_TEXT_RE = re.compile(r"^[^\s\x00-\x1F\x7F](?:[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F])?$")
ADDRESS_LEN = (5, 200)  # AddressText
ORGANISATION_LEN = (2, 100)  # OrganisationName


class ChangeField(enum.StrEnum):
    RESIDENCE_ADDRESS = "residence_address"
    EMPLOYER = "employer"
    SCHOOL = "school"


HAIKOU_DISTRICTS = ("秀英区", "龙华区", "琼山区", "美兰区")


@dataclass(frozen=True)
class ChangePolicy:
    report_within_days: int = 30
    province_city: str = "海南省海口市"
    # Other cities and counties of Hainan offered beside Haikou's districts (configuration).
    extra_districts: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ChangeTiming:
    days_since: int
    late: bool  # past the reporting period: accepted, with a warning


class TextProblem(enum.StrEnum):
    EMPTY = "empty"
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    BAD_CHARACTERS = "bad_characters"


def change_timing(change_date: dt.date, today: dt.date, policy: ChangePolicy = ChangePolicy()) -> ChangeTiming:
    """How long ago the change happened. A future date is a ValueError (ask again)."""
    if change_date > today:
        raise ValueError("the change date is in the future")
    days = (today - change_date).days
    return ChangeTiming(days_since=days, late=days > policy.report_within_days)


def normalise_text(text: str) -> str:
    """Collapse inner runs of whitespace and trim the ends (what a keyboard may leave)."""
    return " ".join(text.split())


def check_text(text: str, lengths: tuple[int, int]) -> TextProblem | None:
    if not text:
        return TextProblem.EMPTY
    if len(text) < lengths[0]:
        return TextProblem.TOO_SHORT
    if len(text) > lengths[1]:
        return TextProblem.TOO_LONG
    if not _TEXT_RE.match(text):
        return TextProblem.BAD_CHARACTERS
    return None


@dataclass(frozen=True)
class AddressParts:
    district: str  # 秀英区, or a configured city/county
    street: str  # street or town (街道 / 镇)
    community: str  # community (社区 / 村)
    detail: str  # road, number, building, unit, room

    def full(self, policy: ChangePolicy = ChangePolicy()) -> str:
        prefix = policy.province_city if self.district in HAIKOU_DISTRICTS else "海南省"
        return normalise_text(f"{prefix}{self.district}{self.street}{self.community}{self.detail}").replace(" ", "")

    def problem(self, policy: ChangePolicy = ChangePolicy()) -> TextProblem | None:
        if not self.district or not self.detail.strip():
            return TextProblem.EMPTY
        return check_text(self.full(policy), ADDRESS_LEN)


def districts(policy: ChangePolicy = ChangePolicy()) -> tuple[str, ...]:
    return HAIKOU_DISTRICTS + tuple(policy.extra_districts)


# --- replacement -------------------------------------------------------------------


class ReissueVerdict(enum.StrEnum):
    OK = "ok"
    RENEW_FIRST = "renew_first"  # lost, and ran out more than a month ago: endorse first
    EXPIRED = "expired"  # beyond the suspension period: station visit


@dataclass(frozen=True)
class ReissuePolicy:
    fee_cny: int = 20  # 工本费, set by the authorities
    fee_payment_zh: str = "领证时在派出所窗口缴纳"
    fee_payment_en: str = "paid at the police station when you collect the new permit"
    renew_first_after_months: int = 1


def reissue_eligibility(
    permit: PermitRecord,
    today: dt.date,
    *,
    lost: bool,
    renewal: RenewalPolicy = RenewalPolicy(),
    policy: ReissuePolicy = ReissuePolicy(),
) -> ReissueVerdict:
    overdue = (today - permit.valid_until).days
    if permit.status == "expired" or overdue > renewal.suspended_max_days:
        return ReissueVerdict.EXPIRED
    if lost and today > permit.valid_until + relativedelta(months=policy.renew_first_after_months):
        return ReissueVerdict.RENEW_FIRST
    return ReissueVerdict.OK


def permit_usable_for_change(permit: PermitRecord, today: dt.date, renewal: RenewalPolicy = RenewalPolicy()) -> bool:
    """Contract §9: an expired permit (beyond suspension) cannot use any service at the kiosk."""
    overdue = (today - permit.valid_until).days
    return permit.status != "expired" and overdue <= renewal.suspended_max_days
