"""Parsing the contract's PermitRecord (kiosk/domain/permit.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.domain.permit import PermitRecord


def record(**over: Any) -> dict[str, Any]:
    """A PermitRecord as the review service sends it (contract example PermitActive, 1.0 members)."""
    body: dict[str, Any] = {
        "permit_number": "4601062019000123",
        "holder_name": "张伟",
        "id_number_masked": "430102********1234",
        "status": "active",
        "valid_until": "2025-07-01",
        "endorsement_window_opens_on": "2025-06-01",
        "last_endorsement_date": "2024-07-01",
        "issued_on": "2019-07-02",
        "registered_address": "海南省海口市龙华区示例路12号3栋201室",
        "employer": "海口示例科技有限公司",
        "school": None,
        "police_station": {
            "station_id": "HK-LH-JM",
            "name": "海口市公安局龙华分局金贸派出所",
            "address": "海南省海口市龙华区金贸示例路1号",
            "phone": "0898-66000001",
            "pickup_hours": "周一至周五 09:00-12:00，14:30-17:30（法定节假日除外）",
        },
    }
    body.update(over)
    return body


def test_phone_on_file_masked_from_a_1_1_service() -> None:
    permit = PermitRecord.from_json(record(phone_on_file_masked="138****5678"))
    assert permit.phone_on_file_masked == "138****5678"
    assert permit.valid_until == dt.date(2025, 7, 1)


def test_no_phone_on_file_is_none() -> None:
    assert PermitRecord.from_json(record(phone_on_file_masked=None)).phone_on_file_masked is None


def test_a_1_0_service_without_the_member_means_none() -> None:
    permit = PermitRecord.from_json(record())
    assert permit.phone_on_file_masked is None
    assert permit.police_station.phone == "0898-66000001"


def test_unknown_members_are_ignored() -> None:
    permit = PermitRecord.from_json(record(phone_on_file_masked="138****5678", something_new={"a": 1}))
    assert permit.phone_on_file_masked == "138****5678"
