"""The four services, the bases of a renewal and the material categories (contract §7)."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Service(enum.StrEnum):
    RENEWAL = "renewal"  # 续签 / 签注
    INFO_CHANGE = "info_change"  # 登记信息变更
    REISSUE_LOST = "reissue_lost"  # 丢失补领
    REISSUE_DAMAGED = "reissue_damaged"  # 损坏换领


class Basis(enum.StrEnum):
    EMPLOYMENT = "employment"  # 合法稳定就业
    RESIDENCE = "residence"  # 合法稳定住所
    STUDY = "study"  # 连续就读


class Group(enum.StrEnum):
    EMPLOYMENT = "employment"
    RESIDENCE = "residence"
    STUDY = "study"
    CHANGE = "change"
    SUPPLEMENTARY = "supplementary"


@dataclass(frozen=True)
class Category:
    code: str
    group: Group
    zh: str
    en: str


CATEGORIES: tuple[Category, ...] = (
    Category("employment_contract", Group.EMPLOYMENT, "劳动合同", "Employment contract"),
    Category("employment_certificate", Group.EMPLOYMENT, "单位在职证明", "Employer's certificate"),
    Category("social_insurance_record", Group.EMPLOYMENT, "社保缴纳证明", "Social insurance record"),
    Category("business_license", Group.EMPLOYMENT, "营业执照", "Business licence"),
    Category("property_certificate", Group.RESIDENCE, "房产证 / 不动产权证书", "Property certificate"),
    Category("rental_contract", Group.RESIDENCE, "房屋租赁合同", "Registered lease"),
    Category("accommodation_certificate", Group.RESIDENCE, "住所证明（宿舍、借住）", "Accommodation certificate"),
    Category("enrollment_certificate", Group.STUDY, "在读证明", "School certificate"),
    Category("student_card", Group.STUDY, "学生证", "Student card"),
    Category("change_proof", Group.CHANGE, "信息变更证明材料", "Proof of the change"),
    Category("identity_document", Group.SUPPLEMENTARY, "身份证 / 居住证影像", "ID card or permit image"),
    Category("other", Group.SUPPLEMENTARY, "其他材料", "Other document"),
)
_BY_CODE = {c.code: c for c in CATEGORIES}


def category(code: str) -> Category:
    return _BY_CODE[code]


def categories_for_basis(basis: Basis) -> tuple[Category, ...]:
    """The categories that prove ``basis`` (the resident picks one of these)."""
    return tuple(c for c in CATEGORIES if c.group.value == basis.value)


MAX_DOCUMENTS = 20  # contract §7: at most 20 documents per request
MAX_PAGES_PER_CATEGORY = 10
