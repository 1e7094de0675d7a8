"""Contract 1.1 in the review-service simulator, over real HTTP on loopback: the number on file
(``phone_on_file`` / ``phone_on_file_masked`` / ``use_phone_on_file``), help requests, and
section 4 made exact (``null`` only where the schema allows it, else 422 ``type``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from kiosk.simulator import DEMO_KIOSK_ID, ReviewSimulator, demo_seed
from tests.support.simulator_api import (
    CHEN_JING,
    LIN_HAI,
    OTHER_KIOSK_ID,
    OTHER_TOKEN,
    WANG_FANG,
    ZHANG_WEI,
    Api,
    Clock,
    assert_problem,
    contract_doc,
    field_codes,
    reissue,
    renewal,
)

LIN_HAI_ON_FILE = "13907550310"
CHEN_JING_ON_FILE = "13607550041"
HELP_PATH = f"/v1/kiosks/{DEMO_KIOSK_ID}/help-requests"
KIOSK_PATH = f"/sim/kiosks/{DEMO_KIOSK_ID}"


def person(resident: dict[str, str]) -> dict[str, str]:
    return {"id_number": resident["id_number"], "name": resident["name"]}


def on_file(resident: dict[str, str]) -> dict[str, Any]:
    """The applicant confirming the number on file instead of typing one."""
    return {**person(resident), "use_phone_on_file": True}


def help_request(clock: Clock, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"reason": "resident_asked", "screen": "capture", "created_at": clock().isoformat()}
    body.update(over)
    return body


# ====================================================================== the number on file


def test_demo_residents_have_a_number_on_file_except_wang_fang() -> None:
    without = [resident["name"] for resident in demo_seed() if not resident.get("phone_on_file")]
    assert without == ["王芳"]


def test_lookup_returns_the_number_on_file_masked(api: Api) -> None:
    response = api.post("/v1/permits/lookup", person(LIN_HAI))
    assert response.status_code == 200
    assert response.json()["phone_on_file_masked"] == "139****0310"
    assert LIN_HAI_ON_FILE not in response.text


def test_lookup_without_a_number_on_file_is_null(api: Api) -> None:
    record = api.post("/v1/permits/lookup", person(WANG_FANG)).json()
    assert "phone_on_file_masked" in record and record["phone_on_file_masked"] is None


def test_sim_permits_stores_the_number_on_file(api: Api, sim: ReviewSimulator) -> None:
    seed = dict(demo_seed()[1], phone_on_file="15912345678")
    created = api.post("/sim/permits", seed)
    assert created.status_code == 200 and created.json()["phone_on_file_masked"] == "159****5678"
    assert sim.permit_record(ZHANG_WEI["id_number"])["phone_on_file"] == "15912345678"
    assert api.post("/v1/permits/lookup", person(ZHANG_WEI)).json()["phone_on_file_masked"] == "159****5678"
    cleared = api.post("/sim/permits", dict(seed, phone_on_file=None))
    assert cleared.json()["phone_on_file_masked"] is None


def test_sim_permits_phone_on_file_must_be_a_mobile_number(api: Api) -> None:
    response = api.post("/sim/permits", dict(demo_seed()[1], phone_on_file="0898-66000001"))
    assert field_codes(response) == {"/phone_on_file": "invalid_format"}


def test_use_phone_on_file_applies_with_the_number_on_file(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    response = api.create(reissue(clock, on_file(CHEN_JING)))
    assert response.status_code == 201, response.text
    [stored] = sim.applications()
    assert stored["applicant"] == {**person(CHEN_JING), "phone": CHEN_JING_ON_FILE}
    view = api.get(f"/v1/applications/{response.json()['application_id']}").json()
    assert view["applicant"]["phone_masked"] == "136****0041"


def test_phone_with_use_phone_on_file_false_is_the_typed_phone(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    applicant = {**CHEN_JING, "use_phone_on_file": False}
    assert api.create(reissue(clock, applicant)).status_code == 201
    assert sim.applications()[0]["applicant"]["phone"] == CHEN_JING["phone"]


def test_neither_phone_nor_use_phone_on_file_is_422_phone_required(api: Api, clock: Clock) -> None:
    response = api.create(reissue(clock, person(CHEN_JING)))
    assert field_codes(response) == {"/applicant": "phone_required"}


def test_use_phone_on_file_false_without_phone_is_422_phone_required(api: Api, clock: Clock) -> None:
    response = api.create(reissue(clock, {**person(CHEN_JING), "use_phone_on_file": False}))
    assert field_codes(response) == {"/applicant": "phone_required"}


def test_null_phone_and_null_use_phone_on_file_is_422_phone_required(api: Api, clock: Clock) -> None:
    response = api.create(reissue(clock, {**person(CHEN_JING), "phone": None, "use_phone_on_file": None}))
    assert field_codes(response) == {"/applicant": "phone_required"}


def test_both_phone_and_use_phone_on_file_is_422_phone_required(api: Api, clock: Clock) -> None:
    response = api.create(reissue(clock, {**CHEN_JING, "use_phone_on_file": True}))
    assert field_codes(response) == {"/applicant": "phone_required"}


def test_use_phone_on_file_without_a_number_on_file_is_422_no_phone_on_file(api: Api, clock: Clock) -> None:
    response = api.create(reissue(clock, on_file(WANG_FANG)))
    assert field_codes(response) == {"/applicant/use_phone_on_file": "no_phone_on_file"}


def test_use_phone_on_file_for_a_name_mismatch_is_422_no_phone_on_file(api: Api, clock: Clock) -> None:
    """No record matches both id_number and name: there is no number on file for this person (and
    validation, 422, comes before eligibility, 409 permit_not_found)."""
    response = api.create(reissue(clock, {**on_file(CHEN_JING), "name": "陈晶"}))
    assert field_codes(response) == {"/applicant/use_phone_on_file": "no_phone_on_file"}


def test_use_phone_on_file_must_be_a_boolean(api: Api, clock: Clock) -> None:
    response = api.create(reissue(clock, {**person(CHEN_JING), "use_phone_on_file": "true"}))
    assert field_codes(response) == {"/applicant/use_phone_on_file": "invalid_type"}


def test_use_phone_on_file_renewal_is_stored_for_replay(api: Api, clock: Clock) -> None:
    body = renewal(clock, [contract_doc(api.document())], on_file(LIN_HAI))
    key = str(uuid.uuid4())
    first = api.create(body, key=key)
    again = api.create(body, key=key)
    assert first.status_code == 201 and again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"


# ====================================================================== help requests


def test_help_request_on_duty_by_default(api: Api, clock: Clock) -> None:
    response = api.post(HELP_PATH, help_request(clock), key=str(uuid.uuid4()))
    assert response.status_code == 201, response.text
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {
        "help_request_id": "HR-20260610-000001",
        "staff_on_duty": True,
        "expected_wait_minutes": 5,
        "message": {
            "zh-CN": "已通知大厅工作人员，请在本机旁稍候。",
            "en": "The hall staff have been told. Please wait by this machine.",
        },
    }


def test_help_request_off_duty_gives_a_phone_number(api: Api, clock: Clock) -> None:
    assert api.request("PUT", KIOSK_PATH, body={"out_of_service": False, "staff_on_duty": False}).status_code == 200
    answer = api.post(HELP_PATH, help_request(clock, reason="card_left_in_reader"), key=str(uuid.uuid4())).json()
    assert answer["staff_on_duty"] is False and answer["expected_wait_minutes"] is None
    assert "0898-66000001" in answer["message"]["zh-CN"] and "0898-66000001" in answer["message"]["en"]


def test_staff_on_duty_null_keeps_the_current_value(api: Api, clock: Clock) -> None:
    api.request("PUT", KIOSK_PATH, body={"out_of_service": False, "staff_on_duty": False})
    kept = api.request("PUT", KIOSK_PATH, body={"out_of_service": False, "staff_on_duty": None})
    assert kept.status_code == 200 and kept.json()["staff_on_duty"] is False
    assert api.post(HELP_PATH, help_request(clock), key=str(uuid.uuid4())).json()["staff_on_duty"] is False
    back = api.request("PUT", KIOSK_PATH, body={"out_of_service": False, "staff_on_duty": True})
    assert back.json()["staff_on_duty"] is True
    assert api.post(HELP_PATH, help_request(clock), key=str(uuid.uuid4())).json()["expected_wait_minutes"] == 5


def test_help_request_replay_is_the_first_answer(api: Api, clock: Clock) -> None:
    body, key = help_request(clock), str(uuid.uuid4())
    first = api.post(HELP_PATH, body, key=key)
    api.request("PUT", KIOSK_PATH, body={"out_of_service": False, "staff_on_duty": False})
    again = api.post(HELP_PATH, body, key=key)
    assert again.status_code == 201 and again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(api.get(KIOSK_PATH).json()["help_requests"]) == 1  # nothing executed again


def test_help_request_same_key_other_body_is_409_idempotency_conflict(api: Api, clock: Clock) -> None:
    key = str(uuid.uuid4())
    assert api.post(HELP_PATH, help_request(clock), key=key).status_code == 201
    assert_problem(api.post(HELP_PATH, help_request(clock, reason="other"), key=key), 409, "idempotency_conflict")


def test_help_request_without_idempotency_key_is_400(api: Api, clock: Clock) -> None:
    assert_problem(api.post(HELP_PATH, help_request(clock)), 400, "idempotency_key_required")


def test_help_request_for_another_kiosk_path_is_403_kiosk_mismatch(api: Api, clock: Clock) -> None:
    path = f"/v1/kiosks/{OTHER_KIOSK_ID}/help-requests"
    assert_problem(api.post(path, help_request(clock), key=str(uuid.uuid4())), 403, "kiosk_mismatch")


def test_help_request_validation_is_422(api: Api, clock: Clock) -> None:
    body = {"reason": "bored", "screen": "x" * 41, "created_at": "2026-06-10 10:00:00", "name": "林海"}
    assert field_codes(api.post(HELP_PATH, body, key=str(uuid.uuid4()))) == {
        "/name": "unknown_field",
        "/reason": "invalid_value",
        "/screen": "too_long",
        "/created_at": "invalid_format",
    }
    assert field_codes(api.post(HELP_PATH, {"screen": None}, key=str(uuid.uuid4()))) == {
        "/reason": "required",
        "/created_at": "required",
    }


def test_help_request_created_at_window_is_that_of_every_created_at(api: Api, clock: Clock) -> None:
    ahead = (clock() + dt.timedelta(minutes=11)).isoformat()
    old = (clock() - dt.timedelta(days=31)).isoformat()
    assert field_codes(api.post(HELP_PATH, help_request(clock, created_at=ahead), key=str(uuid.uuid4()))) == {
        "/created_at": "out_of_range"
    }
    assert field_codes(api.post(HELP_PATH, help_request(clock, created_at=old), key=str(uuid.uuid4()))) == {
        "/created_at": "out_of_range"
    }


def test_help_request_with_a_null_or_absent_screen_is_accepted(api: Api, clock: Clock) -> None:
    absent = help_request(clock)
    del absent["screen"]
    assert api.post(HELP_PATH, absent, key=str(uuid.uuid4())).status_code == 201
    assert api.post(HELP_PATH, help_request(clock, screen=None), key=str(uuid.uuid4())).status_code == 201


def test_help_requests_are_listed_oldest_first(api: Api, clock: Clock) -> None:
    api.request("PUT", KIOSK_PATH, body={"out_of_service": False})
    assert api.get(KIOSK_PATH).json()["help_requests"] == []
    first = help_request(clock, created_at="2026-06-10T01:59:59Z")
    api.post(HELP_PATH, first, key=str(uuid.uuid4()))
    clock.advance(minutes=1)
    second = help_request(clock, reason="device_fault", screen=None)
    api.post(HELP_PATH, second, key=str(uuid.uuid4()))
    state = api.get(KIOSK_PATH).json()
    assert state["help_requests"] == [
        {"help_request_id": "HR-20260610-000001", **first},
        {"help_request_id": "HR-20260610-000002", **second},
    ]
    assert state["staff_on_duty"] is True


def test_help_requests_are_per_kiosk_and_forgotten_on_reset(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    other = Api(sim.url, token=OTHER_TOKEN, kiosk_id=OTHER_KIOSK_ID)
    other.post(f"/v1/kiosks/{OTHER_KIOSK_ID}/help-requests", help_request(clock), key=str(uuid.uuid4()))
    api.request("PUT", KIOSK_PATH, body={"out_of_service": False})
    assert api.get(KIOSK_PATH).json()["help_requests"] == []
    api.post(HELP_PATH, help_request(clock), key=str(uuid.uuid4()))
    assert len(api.get(KIOSK_PATH).json()["help_requests"]) == 1
    api.post("/sim/reset")
    assert_problem(api.get(KIOSK_PATH), 404, "not_found")
    api.request("PUT", KIOSK_PATH, body={"out_of_service": False})
    assert api.get(KIOSK_PATH).json()["help_requests"] == []


def test_help_request_faults_and_check_order(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    sim.inject_faults(HELP_PATH, "service_unavailable", retry_after_s=3)
    body, key = help_request(clock), str(uuid.uuid4())
    assert_problem(api.post(HELP_PATH, body, key=key), 503, "service_unavailable")
    assert api.post(HELP_PATH, body, key=key).status_code == 201  # a 503 is not stored for the key


# ====================================================================== section 4: null only where the schema allows it


def test_query_limit_null_is_422_type(api: Api) -> None:
    response = api.post("/v1/applications/query", {**person(CHEN_JING), "limit": None})
    assert field_codes(response) == {"/limit": "type"}


def test_sim_permit_valid_until_null_is_422_type(api: Api) -> None:
    response = api.post("/sim/permits", dict(demo_seed()[0], valid_until=None))
    assert field_codes(response) == {"/valid_until": "type"}


def test_sim_permit_valid_until_offset_days_null_is_422_type(api: Api) -> None:
    seed = dict(demo_seed()[0], valid_until_offset_days=None)
    assert field_codes(api.post("/sim/permits", seed)) == {"/valid_until_offset_days": "type"}
    seed["valid_until"] = "2026-07-01"
    assert field_codes(api.post("/sim/permits", seed)) == {"/valid_until_offset_days": "type"}


def test_sim_kiosk_config_version_null_is_422_type(api: Api) -> None:
    response = api.request("PUT", KIOSK_PATH, body={"out_of_service": False, "config_version": None})
    assert field_codes(response) == {"/config_version": "type"}


def test_sim_kiosk_next_heartbeat_s_null_keeps_the_current_value(api: Api) -> None:
    api.request("PUT", KIOSK_PATH, body={"out_of_service": False, "next_heartbeat_s": 15})
    kept = api.request("PUT", KIOSK_PATH, body={"out_of_service": False, "next_heartbeat_s": None})
    assert kept.status_code == 200 and kept.json()["next_heartbeat_s"] == 15


def test_nullable_optional_members_still_mean_not_given(api: Api, clock: Clock) -> None:
    body = reissue(clock, {**CHEN_JING, "use_phone_on_file": None}, permit_number=None, basis=None, changes=None)
    assert api.create(body).status_code == 201
    seed = dict(demo_seed()[0], last_endorsement_offset_days=None, issued_on=None, label=None, status=None)
    assert api.post("/sim/permits", seed).status_code == 200


# ====================================================================== answering as a 1.0 service


def test_a_contract_1_0_simulator_sends_no_number_on_file_and_refuses_use_phone_on_file(clock: Clock) -> None:
    """``--contract 1.0``: permit records without ``phone_on_file_masked`` (the member did not exist)
    and ``use_phone_on_file`` an unknown member of the closed Applicant (422 ``unknown_field``)."""
    old = ReviewSimulator(now=clock, contract="1.0")
    old.start()
    try:
        api = Api(old.url)
        record = api.post("/v1/permits/lookup", person(LIN_HAI)).json()
        assert record["permit_number"] and "phone_on_file_masked" not in record
        response = api.create(reissue(clock, on_file(CHEN_JING)))
        assert field_codes(response) == {"/applicant/use_phone_on_file": "unknown_field"}
        assert api.create(reissue(clock, CHEN_JING)).status_code == 201  # a typed phone is fine
    finally:
        old.stop()


def test_the_simulator_refuses_an_unknown_contract_version() -> None:
    with pytest.raises(ValueError, match="contract"):
        ReviewSimulator(contract="2.0")
