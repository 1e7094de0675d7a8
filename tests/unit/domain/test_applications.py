"""The typed views of the review service's answers about applications (kiosk/domain/applications.py):
each ``from_contract`` takes a valid answer and refuses every kind of malformed one."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from kiosk.domain.applications import (
    ApplicationStatus,
    ApplicationView,
    BringItem,
    ContractError,
    PickupMethod,
    PickupResult,
    StationAddress,
    applications_from_contract,
)
from kiosk.domain.services import Service
from tests.support.receipt_samples import PICKUP_MAIL_REISSUE, PICKUP_MAIL_RENEWAL, PICKUP_WINDOW

TZ = dt.timezone(dt.timedelta(hours=8))

APPLICATION: dict[str, Any] = {
    "application_id": "JZ-20250611-000123",
    "service": "renewal",
    "status": "needs_more_material",
    "applicant": {"name": "林海", "id_number_masked": "460108********0310", "phone_masked": "138****5678"},
    "permit_number": "4601082020000310",
    "basis": "employment",
    "changes": None,
    "documents": [],
    "kiosk_id": "HK-KIOSK-0007",
    "client_reference": "K0007-20250611-0042",
    "created_at": "2025-06-11T10:15:20+08:00",
    "received_at": "2025-06-11T10:15:22+08:00",
    "updated_at": "2025-06-12T09:00:00+08:00",
    "expected_decision_by": "2025-06-18T18:00:00+08:00",
    "officer_note": "请补充劳动合同第2页",
    "rejection_reason": None,
    "police_station": {
        "station_id": "HK-LH-JM",
        "name": "海口市公安局龙华分局金贸派出所",
        "address": "海南省海口市龙华区金贸示例路1号",
        "phone": "0898-66000001",
        "pickup_hours": "周一至周五 09:00-12:00",
    },
    "pickup": None,
    "history": [{"status": "submitted", "at": "2025-06-11T10:15:22+08:00", "actor": "kiosk", "note": None}],
    "a_member_of_a_later_version": 1,
}


def with_(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    d = copy.deepcopy(base)
    d.update(changes)
    return d


def without(base: dict[str, Any], key: str) -> dict[str, Any]:
    d = copy.deepcopy(base)
    del d[key]
    return d


# --- the enums -------------------------------------------------------------------------------


def test_statuses_are_the_contracts_and_only_rejected_and_completed_are_closed():
    assert {s.value for s in ApplicationStatus} == {
        "submitted", "under_review", "needs_more_material", "rejected", "approved", "card_ready", "pickup_chosen", "completed",
    }
    assert {s for s in ApplicationStatus if not s.is_open} == {ApplicationStatus.REJECTED, ApplicationStatus.COMPLETED}


def test_pickup_methods_and_bring_items_are_the_contracts():
    assert {m.value for m in PickupMethod} == {"window", "mail"}
    assert {b.value for b in BringItem} == {"id_card", "residence_permit"}


# --- the application -------------------------------------------------------------------------


def test_application_from_the_contract():
    app = ApplicationView.from_contract(APPLICATION)
    assert app.application_id == "JZ-20250611-000123"
    assert app.service is Service.RENEWAL and not app.is_reissue
    assert app.status is ApplicationStatus.NEEDS_MORE_MATERIAL and app.status.is_open
    assert app.client_reference == "K0007-20250611-0042"
    assert app.created_at == dt.datetime(2025, 6, 11, 10, 15, 20, tzinfo=TZ)
    assert app.received_at == dt.datetime(2025, 6, 11, 10, 15, 22, tzinfo=TZ)
    assert app.expected_decision_by == dt.datetime(2025, 6, 18, 18, 0, tzinfo=TZ)
    assert app.police_station.name == "海口市公安局龙华分局金贸派出所"
    assert app.police_station.pickup_hours == "周一至周五 09:00-12:00"
    assert app.officer_note == "请补充劳动合同第2页" and app.rejection_reason is None and app.pickup is None
    assert "林海" not in repr(app)  # the applicant is not kept


def test_application_with_its_pickup():
    app = ApplicationView.from_contract(with_(APPLICATION, status="pickup_chosen", service="reissue_lost", pickup=PICKUP_WINDOW))
    assert app.is_reissue and app.pickup is not None and app.pickup.method is PickupMethod.WINDOW


def test_application_list_from_the_contract():
    apps = applications_from_contract({"applications": [APPLICATION, with_(APPLICATION, application_id="JZ-20250612-000001")], "truncated": False})
    assert [a.application_id for a in apps] == ["JZ-20250611-000123", "JZ-20250612-000001"]
    assert applications_from_contract({"applications": [], "truncated": False}) == []


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ([APPLICATION], "application: expected an object"),
        (without(APPLICATION, "application_id"), "application.application_id is missing"),
        (with_(APPLICATION, application_id=123), "application.application_id: expected a string"),
        (without(APPLICATION, "status"), "application.status is missing"),
        (with_(APPLICATION, status="lost_in_the_post"), "application.status: unknown value"),
        (with_(APPLICATION, service="adoption"), "application.service: unknown value"),
        (with_(APPLICATION, received_at="yesterday"), "application.received_at: not a date-time"),
        (with_(APPLICATION, expected_decision_by=None), "application.expected_decision_by: expected a string"),
        (without(APPLICATION, "created_at"), "application.created_at is missing"),
        (with_(APPLICATION, police_station="金贸派出所"), "application.police_station: expected an object"),
        (with_(APPLICATION, police_station={"name": "金贸派出所"}), "application.police_station.address is missing"),
        (with_(APPLICATION, officer_note=["a", "list"]), "application.officer_note: expected a string or null"),
        (with_(APPLICATION, pickup={"method": "drone"}), "application.pickup.method: unknown value"),
    ],
)
def test_a_malformed_application_is_refused(answer, says):
    with pytest.raises(ContractError, match=f"^{says}"):
        ApplicationView.from_contract(answer)


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        (None, "application list: expected an object"),
        ({"truncated": False}, "application list.applications: expected a list"),
        ({"applications": {"0": APPLICATION}}, "application list.applications: expected a list"),
        ({"applications": [APPLICATION, "JZ-20250612-000001"]}, r"applications\[1\]: expected an object"),
        ({"applications": [without(APPLICATION, "status")]}, r"applications\[0\].status is missing"),
    ],
)
def test_a_malformed_application_list_is_refused(answer, says):
    with pytest.raises(ContractError, match=f"^{says}"):
        applications_from_contract(answer)


# --- the pickup ------------------------------------------------------------------------------


def test_window_pickup_from_the_contract():
    p = PickupResult.from_contract(PICKUP_WINDOW)
    assert p.method is PickupMethod.WINDOW and p.application_id == "JZ-20250611-000123"
    assert p.chosen_at == dt.datetime(2025, 6, 13, 17, 0, tzinfo=TZ)
    assert p.station_name == "海口市公安局龙华分局金贸派出所" and p.station_phone == "0898-66000001"
    assert p.pickup_hours.startswith("周一至周五")
    assert p.bring == (BringItem.ID_CARD, BringItem.RESIDENCE_PERMIT)


def test_mail_pickup_from_the_contract():
    p = PickupResult.from_contract(PICKUP_MAIL_RENEWAL)
    assert p.method is PickupMethod.MAIL and p.postage == "cod" and p.phone_masked == "138****5678"
    assert p.send_permit_to == StationAddress("海口市公安局龙华分局金贸派出所", "海南省海口市龙华区金贸示例路1号", "0898-66000001")
    assert "示例路88号" not in repr(p) and PICKUP_MAIL_RENEWAL["recipient"] not in repr(p)
    assert PickupResult.from_contract(PICKUP_MAIL_REISSUE).send_permit_to is None
    assert PickupResult.from_contract(with_(PICKUP_MAIL_REISSUE, chosen_at="2025-06-14T01:00:00Z")).chosen_at == dt.datetime(
        2025, 6, 14, 9, 0, tzinfo=TZ
    )


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ("window", "pickup: expected an object"),
        (without(PICKUP_WINDOW, "method"), "pickup.method is missing"),
        (with_(PICKUP_WINDOW, method="drone"), "pickup.method: unknown value"),
        (without(PICKUP_WINDOW, "application_id"), "pickup.application_id is missing"),
        (with_(PICKUP_WINDOW, chosen_at=None), "pickup.chosen_at: expected a string"),
        (with_(PICKUP_WINDOW, chosen_at="13 June"), "pickup.chosen_at: not a date-time"),
        (without(PICKUP_WINDOW, "station_name"), "pickup.station_name is missing"),
        (with_(PICKUP_WINDOW, bring=[]), "pickup.bring: expected a non-empty list"),
        (with_(PICKUP_WINDOW, bring="id_card"), "pickup.bring: expected a non-empty list"),
        (with_(PICKUP_WINDOW, bring=["passport"]), "pickup.bring: unknown value"),
        (without(PICKUP_MAIL_RENEWAL, "address"), "pickup.address is missing"),
        (with_(PICKUP_MAIL_RENEWAL, phone_masked=13800000000), "pickup.phone_masked: expected a string"),
        (with_(PICKUP_MAIL_RENEWAL, send_permit_to="the station"), "pickup.send_permit_to: expected an object"),
        (with_(PICKUP_MAIL_RENEWAL, send_permit_to={"station_name": "金贸派出所"}), "pickup.send_permit_to.address is missing"),
    ],
)
def test_a_malformed_pickup_is_refused(answer, says):
    with pytest.raises(ContractError, match=f"^{says}"):
        PickupResult.from_contract(answer)


def test_a_contract_error_is_a_value_error():
    assert issubclass(ContractError, ValueError)  # PickupInfo.from_contract has always raised ValueError
