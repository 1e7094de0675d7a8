"""Sample receipts of every type, built from data that contains full personal data, so tests
can check that none of it reaches paper. The pickup data are the contract's examples
(review-service.openapi.yaml: PickupWindow, PickupMailRenewal, PickupMailReissue)."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any

from kiosk.domain.receipt import (
    PickupInfo,
    Receipt,
    SubmissionInfo,
    build_pickup_receipt,
    build_submission_receipt,
    build_test_page,
)

TZ = dt.timezone(dt.timedelta(hours=8))
FULL_NAME = "阿依古丽·买买提"
GIVEN_NAME_PART = "依古丽"
FULL_ID = "46010019900101123X"
BIRTH_DATE = "19900101"
PHONE = "13812345678"
KIOSK_ID = "HK-KIOSK-0007"
LOCATION = "海口市政务服务中心一楼大厅"

SUBMISSION = SubmissionInfo(
    service="renewal",
    application_id="JZ-20250611-000123",
    client_reference="K0007-20250611-0042",
    applicant_name=FULL_NAME,
    id_number=FULL_ID,
    submitted_at=dt.datetime(2025, 6, 11, 10, 15, 20, tzinfo=TZ),
    expected_decision_by=dt.datetime(2025, 6, 18, 18, 0, tzinfo=TZ),
    kiosk_id=KIOSK_ID,
    kiosk_location=LOCATION,
)

PICKUP_WINDOW: dict[str, Any] = {
    "method": "window",
    "application_id": "JZ-20250611-000123",
    "chosen_at": "2025-06-13T17:00:00+08:00",
    "station_name": "海口市公安局龙华分局金贸派出所",
    "station_address": "海南省海口市龙华区金贸示例路1号",
    "station_phone": "0898-66000001",
    "pickup_hours": "周一至周五 09:00-12:00，14:30-17:30（法定节假日除外）",
    "bring": ["id_card", "residence_permit"],
}
PICKUP_MAIL_RENEWAL: dict[str, Any] = {
    "method": "mail",
    "application_id": "JZ-20250611-000123",
    "chosen_at": "2025-06-13T17:00:00+08:00",
    "recipient": FULL_NAME,  # the contract example has 张伟; a long name tests masking harder
    "address": "海南省海口市美兰区示例路88号2栋1单元502室",
    "phone_masked": "138****5678",
    "send_permit_to": {
        "station_name": "海口市公安局龙华分局金贸派出所",
        "address": "海南省海口市龙华区金贸示例路1号",
        "phone": "0898-66000001",
    },
    "postage": "cod",
}
PICKUP_MAIL_REISSUE: dict[str, Any] = {
    "method": "mail",
    "application_id": "JZ-20250611-000130",
    "chosen_at": "2025-06-14T09:00:00+08:00",
    "recipient": "陈静",
    "address": "海南省海口市琼山区示例街9号",
    "phone_masked": PHONE,  # a full number by mistake: it must still be printed masked
    "send_permit_to": None,
    "postage": "cod",
}


def pickup(data: dict[str, Any], service: str | None) -> PickupInfo:
    return PickupInfo.from_contract(copy.deepcopy(data), kiosk_id=KIOSK_ID, kiosk_location=LOCATION, service=service)


def _queued() -> SubmissionInfo:
    import dataclasses

    return dataclasses.replace(SUBMISSION, application_id=None, expected_decision_by=None)


TEST_PAGE_NOW = dt.datetime(2025, 6, 11, 9, 30, tzinfo=TZ)
TEST_PAGE_PRINTER = "network://127.0.0.1:9100, gb18030, 58 mm"

#: name -> builder(job_id) of every receipt type and language the tests cover.
RECEIPTS: dict[str, Callable[[str], Receipt]] = {
    "submission-zh": lambda job: build_submission_receipt(SUBMISSION, "zh", job),
    "submission-en": lambda job: build_submission_receipt(SUBMISSION, "en", job),
    "queued-zh": lambda job: build_submission_receipt(_queued(), "zh", job),
    "queued-en": lambda job: build_submission_receipt(_queued(), "en", job),
    "pickup-window-zh": lambda job: build_pickup_receipt(pickup(PICKUP_WINDOW, "renewal"), "zh", job),
    "pickup-window-en": lambda job: build_pickup_receipt(pickup(PICKUP_WINDOW, "renewal"), "en", job),
    "pickup-mail-renewal-zh": lambda job: build_pickup_receipt(pickup(PICKUP_MAIL_RENEWAL, "renewal"), "zh", job),
    "pickup-mail-renewal-en": lambda job: build_pickup_receipt(pickup(PICKUP_MAIL_RENEWAL, "renewal"), "en", job),
    "pickup-mail-reissue-zh": lambda job: build_pickup_receipt(
        pickup(PICKUP_MAIL_REISSUE, "reissue_lost"), "zh", job
    ),
    "test-page-zh": lambda job: build_test_page(KIOSK_ID, TEST_PAGE_PRINTER, TEST_PAGE_NOW, "zh", job),
    "test-page-en": lambda job: build_test_page(KIOSK_ID, TEST_PAGE_PRINTER, TEST_PAGE_NOW, "en", job),
}

#: Strings that must never appear on any receipt, in any rendering.
FORBIDDEN: tuple[str, ...] = (FULL_NAME, GIVEN_NAME_PART, FULL_ID, BIRTH_DATE, PHONE, "张伟", "陈静")


def leaks(text: str) -> list[str]:
    return [s for s in FORBIDDEN if s in text]
