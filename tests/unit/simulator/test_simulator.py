"""Behaviour of the review-service simulator over real HTTP on loopback (no mocks)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from typing import Any

import pytest
import requests

from kiosk.simulator import DEMO_KIOSK_ID, DEMO_TOKEN, ReviewSimulator, demo_seed
from tests.support.paths import ROOT
from tests.support.simulator_api import (  # noqa: F401
    AYGUL,
    CHEN_JING,
    CST,
    FU_MINGDE,
    JPEG,
    LI_QIANG,
    LIN_HAI,
    OTHER_KIOSK_ID,
    PDF,
    PNG,
    START,
    UNKNOWN_PERSON,
    WANG_FANG,
    ZHANG_WEI,
    Api,
    Clock,
    assert_problem,
    contract_doc,
    created_at,
    field_codes,
    reasons,
    reissue,
    renewal,
    submitted_renewal,
    to_card_ready,
)

# ====================================================================== transport and authentication


def test_missing_token_is_401_with_www_authenticate(api: Api) -> None:
    api.token = None
    response = api.post("/v1/permits/lookup", {"id_number": LIN_HAI["id_number"], "name": LIN_HAI["name"]})
    body = assert_problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="review-service"'
    assert body["instance"] == "/v1/permits/lookup"


def test_invalid_token_is_401_invalid_token(api: Api) -> None:
    api.token = "not-a-token"
    response = api.post("/v1/permits/lookup", {"id_number": LIN_HAI["id_number"], "name": LIN_HAI["name"]})
    assert_problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="review-service", error="invalid_token"'


def test_missing_kiosk_id_header_is_401(api: Api) -> None:
    api.kiosk_id = None
    response = api.post("/v1/permits/lookup", {"id_number": LIN_HAI["id_number"], "name": LIN_HAI["name"]})
    assert_problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer realm=")


def test_malformed_kiosk_id_header_is_401(api: Api) -> None:
    api.kiosk_id = "-bad kiosk"
    response = api.post("/v1/permits/lookup", {"id_number": LIN_HAI["id_number"], "name": LIN_HAI["name"]})
    assert_problem(response, 401, "unauthorized")


def test_token_of_another_kiosk_is_403_kiosk_mismatch(api: Api) -> None:
    api.kiosk_id = OTHER_KIOSK_ID
    response = api.post("/v1/permits/lookup", {"id_number": LIN_HAI["id_number"], "name": LIN_HAI["name"]})
    assert_problem(response, 403, "kiosk_mismatch")


def test_auth_is_checked_before_idempotency_key_and_body(api: Api) -> None:
    api.token = None
    response = api.request("POST", "/v1/applications", data=b"not json", headers={"Content-Type": "text/plain"})
    assert_problem(response, 401, "unauthorized")


def test_request_id_is_echoed(api: Api) -> None:
    response = api.post(
        "/v1/permits/lookup",
        {"id_number": LIN_HAI["id_number"], "name": "nobody"},
        headers={"X-Request-Id": "kiosk-0001:req.42"},
    )
    assert response.headers["X-Request-Id"] == "kiosk-0001:req.42"
    assert response.json()["request_id"] == "kiosk-0001:req.42"


def test_request_id_is_generated_when_missing_or_invalid(api: Api) -> None:
    first = api.post("/v1/permits/lookup", {"id_number": LIN_HAI["id_number"], "name": LIN_HAI["name"]})
    second = api.post(
        "/v1/permits/lookup",
        {"id_number": LIN_HAI["id_number"], "name": LIN_HAI["name"]},
        headers={"X-Request-Id": "has spaces"},
    )
    assert first.headers["X-Request-Id"]
    assert second.headers["X-Request-Id"] not in ("has spaces", first.headers["X-Request-Id"])


def test_unknown_path_is_404(api: Api) -> None:
    assert_problem(api.get("/v1/nothing-here"), 404, "not_found")
    assert_problem(api.get("/"), 404, "not_found")


def test_wrong_method_is_405_with_allow(api: Api) -> None:
    response = api.get("/v1/applications")
    assert_problem(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "POST"
    response = api.request("DELETE", "/sim/kiosks/HK-KIOSK-0001")
    assert_problem(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "GET, PUT, HEAD"


def test_get_on_query_path_is_405_not_an_application(api: Api) -> None:
    response = api.get("/v1/applications/query")
    assert_problem(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == "POST"


def test_sim_paths_need_the_token_but_not_the_kiosk_header(api: Api) -> None:
    api.kiosk_id = None
    assert api.post("/sim/reset").status_code == 200
    api.token = None
    assert_problem(api.post("/sim/reset"), 401, "unauthorized")


# ====================================================================== request bodies


def test_json_body_needs_json_content_type(api: Api) -> None:
    response = api.request(
        "POST", "/v1/permits/lookup", data=b'{"id_number": "x"}', headers={"Content-Type": "text/plain"}
    )
    assert_problem(response, 415, "unsupported_media_type")


def test_json_charset_utf8_parameter_is_accepted(api: Api) -> None:
    data = json.dumps({"id_number": LIN_HAI["id_number"], "name": LIN_HAI["name"]}).encode()
    response = api.request(
        "POST", "/v1/permits/lookup", data=data, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    assert response.status_code == 200


def test_invalid_json_is_400_malformed_body(api: Api) -> None:
    response = api.request(
        "POST", "/v1/permits/lookup", data=b'{"id_number": ', headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 400, "malformed_body")


def test_json_array_is_400_malformed_body(api: Api) -> None:
    assert_problem(api.post("/v1/permits/lookup", [1, 2]), 400, "malformed_body")


def test_json_body_over_1_mib_is_413(api: Api) -> None:
    big = {"id_number": LIN_HAI["id_number"], "name": "x" * (1024 * 1024)}
    assert_problem(api.post("/v1/permits/lookup", big), 413, "payload_too_large")


# ====================================================================== permit lookup


def test_lookup_returns_the_masked_permit_record(api: Api) -> None:
    response = api.post("/v1/permits/lookup", {"id_number": LIN_HAI["id_number"], "name": LIN_HAI["name"]})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    record = response.json()
    assert record == {
        "permit_number": "4601082020000310",
        "holder_name": "林海",
        "id_number_masked": "460108********0310",
        "status": "active",
        "valid_until": "2026-06-30",
        "endorsement_window_opens_on": "2026-05-30",
        "last_endorsement_date": "2025-06-30",
        "issued_on": None,
        "registered_address": "海南省海口市美兰区和平大道56号",
        "employer": "海口椰风科技有限公司",
        "school": None,
        "police_station": {
            "station_id": "HK-LH-JM",
            "name": "海口市公安局龙华分局金贸派出所",
            "address": "海南省海口市龙华区金贸示例路1号",
            "phone": "0898-66000001",
            "pickup_hours": "周一至周五 09:00-12:00，14:30-17:30（法定节假日除外）",
        },
        "phone_on_file_masked": "139****0310",
    }
    assert LIN_HAI["id_number"] not in response.text
    assert "13907550310" not in response.text


def test_lookup_with_a_different_name_is_404(api: Api) -> None:
    response = api.post("/v1/permits/lookup", {"id_number": LIN_HAI["id_number"], "name": "林 海"})
    assert_problem(response, 404, "not_found")


def test_lookup_of_an_unknown_person_is_404(api: Api) -> None:
    response = api.post("/v1/permits/lookup", {"id_number": UNKNOWN_PERSON["id_number"], "name": "赵敏"})
    assert_problem(response, 404, "not_found")


def test_lookup_status_suspended_and_expired(api: Api) -> None:
    overdue = api.post("/v1/permits/lookup", {"id_number": WANG_FANG["id_number"], "name": WANG_FANG["name"]}).json()
    expired = api.post("/v1/permits/lookup", {"id_number": LI_QIANG["id_number"], "name": LI_QIANG["name"]}).json()
    assert overdue["status"] == "suspended"
    assert overdue["police_station"]["station_id"] == "HK-ML-HF"
    assert overdue["school"] == "海南师范大学"
    assert expired["status"] == "expired"


def test_lookup_matches_a_name_with_a_middle_dot_exactly(api: Api) -> None:
    response = api.post("/v1/permits/lookup", {"id_number": AYGUL["id_number"], "name": AYGUL["name"]})
    assert response.status_code == 200
    assert response.json()["holder_name"] == "阿依古丽·买买提"


def test_lookup_invalid_checksum_is_422(api: Api) -> None:
    response = api.post("/v1/permits/lookup", {"id_number": "460108198706120311", "name": "林海"})
    assert field_codes(response) == {"/id_number": "invalid_checksum"}


def test_lookup_lowercase_x_and_bad_birth_date_are_invalid_format(api: Api) -> None:
    lower_x = api.post("/v1/permits/lookup", {"id_number": "46010819870612031x", "name": "林海"})
    bad_date = api.post("/v1/permits/lookup", {"id_number": "460108198702300310", "name": "林海"})
    assert field_codes(lower_x) == {"/id_number": "invalid_format"}
    assert field_codes(bad_date) == {"/id_number": "invalid_format"}


def test_lookup_unknown_field_and_missing_name_are_all_reported(api: Api) -> None:
    response = api.post("/v1/permits/lookup", {"id_number": LIN_HAI["id_number"], "phone": "13812345678"})
    assert field_codes(response) == {"/phone": "unknown_field", "/name": "required"}


def test_lookup_name_with_surrounding_whitespace_is_invalid_format(api: Api) -> None:
    response = api.post("/v1/permits/lookup", {"id_number": LIN_HAI["id_number"], "name": " 林海"})
    assert field_codes(response) == {"/name": "invalid_format"}


# ====================================================================== documents


def test_upload_document_201_with_receipt_and_location(api: Api, sim: ReviewSimulator) -> None:
    document_id, response = api.upload(JPEG)
    assert response.status_code == 201
    assert response.headers["Location"] == f"/v1/documents/{document_id}"
    assert response.json() == {
        "document_id": document_id,
        "content_type": "image/jpeg",
        "size_bytes": len(JPEG),
        "sha256": hashlib.sha256(JPEG).hexdigest(),
        "received_at": "2026-06-10T10:00:00+08:00",
    }
    assert sim.document_bytes(document_id) == JPEG
    assert sim.document_bytes(str(uuid.uuid4())) is None


def test_upload_pdf_with_content_digest_only(api: Api) -> None:
    digest = base64.b64encode(hashlib.sha256(PDF).digest()).decode()
    sha512 = base64.b64encode(hashlib.sha512(PDF).digest()).decode()
    _, response = api.upload(
        PDF,
        "application/pdf",
        headers={"X-Content-SHA256": None, "Content-Digest": f"sha-256=:{digest}:, sha-512=:{sha512}:"},
    )
    assert response.status_code == 201
    assert response.json()["content_type"] == "application/pdf"


def test_repeat_upload_is_200_with_the_original_receipt(api: Api, clock: Clock) -> None:
    document_id, first = api.upload(JPEG)
    clock.advance(minutes=5)
    _, again = api.upload(JPEG, document_id=document_id)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert "Location" not in again.headers


def test_upload_of_different_bytes_to_the_same_id_is_409(api: Api) -> None:
    document_id, _ = api.upload(JPEG)
    _, response = api.upload(JPEG + b"changed", document_id=document_id)
    assert_problem(response, 409, "document_conflict")


def test_upload_to_an_id_of_another_kiosk_is_409(api: Api, other_api: Api) -> None:
    document_id, _ = api.upload(JPEG)
    _, response = other_api.upload(JPEG, document_id=document_id)
    assert_problem(response, 409, "document_conflict")


def test_upload_without_digest_is_400_digest_required(api: Api) -> None:
    _, response = api.upload(JPEG, headers={"X-Content-SHA256": None})
    assert_problem(response, 400, "digest_required")


def test_upload_with_only_a_sha512_digest_is_400_digest_required(api: Api) -> None:
    sha512 = base64.b64encode(hashlib.sha512(JPEG).digest()).decode()
    _, response = api.upload(JPEG, headers={"X-Content-SHA256": None, "Content-Digest": f"sha-512=:{sha512}:"})
    assert_problem(response, 400, "digest_required")


def test_upload_with_a_wrong_sha256_is_400_digest_mismatch(api: Api) -> None:
    _, response = api.upload(JPEG, headers={"X-Content-SHA256": hashlib.sha256(b"other").hexdigest()})
    assert_problem(response, 400, "digest_mismatch")


def test_upload_with_a_wrong_sha512_member_is_400_digest_mismatch(api: Api) -> None:
    sha256 = base64.b64encode(hashlib.sha256(JPEG).digest()).decode()
    wrong512 = base64.b64encode(hashlib.sha512(b"other").digest()).decode()
    _, response = api.upload(JPEG, headers={"Content-Digest": f"sha-256=:{sha256}:, sha-512=:{wrong512}:"})
    assert_problem(response, 400, "digest_mismatch")


def test_upload_png_bytes_declared_as_jpeg_is_415(api: Api) -> None:
    _, response = api.upload(PNG, "image/jpeg")
    assert_problem(response, 415, "unsupported_media_type")


def test_upload_pdf_bytes_declared_as_jpeg_is_415(api: Api) -> None:
    _, response = api.upload(PDF, "image/jpeg")
    assert_problem(response, 415, "unsupported_media_type")


def test_upload_with_an_unsupported_content_type_is_415(api: Api) -> None:
    _, response = api.upload(PNG, "image/png")
    assert_problem(response, 415, "unsupported_media_type")


def test_upload_to_a_malformed_document_id_is_422_parameter(api: Api) -> None:
    _, response = api.upload(JPEG, document_id="0D6F1C2E-8A4B-4E9F-B1A7-3C5D7E9F1A2B")
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "document_id"


def test_upload_of_an_empty_body_is_422(api: Api) -> None:
    _, response = api.upload(b"")
    assert field_codes(response) == {"": "too_short"}


def test_upload_over_10_mib_is_413(api: Api) -> None:
    _, response = api.upload(b"\xff\xd8\xff" + b"\0" * (10 * 1024 * 1024 - 2))
    assert_problem(response, 413, "payload_too_large")


# ====================================================================== create application


def test_create_renewal_is_201_with_receipt(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    doc1, doc2 = api.document(), api.document(PDF + b"2")
    body = renewal(clock, [contract_doc(doc1, 1), contract_doc(doc2, 2)], permit_number="4601082020000310")
    clock.advance(seconds=3)
    response = api.create(body)
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt == {
        "application_id": "JZ-20260610-000001",
        "status": "submitted",
        "client_reference": body["client_reference"],
        "received_at": "2026-06-10T10:00:03+08:00",
        "expected_decision_by": "2026-06-17T18:00:00+08:00",
    }
    assert response.headers["Location"] == "/v1/applications/JZ-20260610-000001"
    assert "Idempotent-Replayed" not in response.headers
    [stored] = sim.applications()
    assert stored["applicant"] == LIN_HAI
    assert stored["documents"] == body["documents"]
    assert stored["created_at"] == "2026-06-10T10:00:00+08:00"
    assert stored["police_station"]["station_id"] == "HK-LH-JM"
    assert stored["history"] == [
        {"status": "submitted", "at": "2026-06-10T10:00:03+08:00", "actor": "kiosk", "note": None}
    ]


def test_get_application_masks_the_applicant(api: Api, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    response = api.get(f"/v1/applications/{application_id}")
    assert response.status_code == 200
    app = response.json()
    assert app["applicant"] == {"name": "林海", "id_number_masked": "460108********0310", "phone_masked": "138****5678"}
    assert app["status"] == "submitted"
    assert app["basis"] == "employment" and app["changes"] is None and app["pickup"] is None
    assert app["permit_number"] == "4601082020000310"
    assert LIN_HAI["id_number"] not in response.text and LIN_HAI["phone"] not in response.text


def test_head_on_an_application_sends_headers_only(api: Api, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    response = api.request("HEAD", f"/v1/applications/{application_id}")
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["Content-Length"]) > 0


def test_get_unknown_or_malformed_application_is_404(api: Api) -> None:
    assert_problem(api.get("/v1/applications/JZ-20260610-999999"), 404, "not_found")
    assert_problem(api.get("/v1/applications/x!"), 404, "not_found")


def test_created_at_is_normalised_to_plus_eight(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    body = renewal(clock, [contract_doc(api.document())], created_at="2026-06-10T01:59:59.750Z")
    assert api.create(body).status_code == 201
    assert sim.applications()[0]["created_at"] == "2026-06-10T09:59:59+08:00"


def test_replay_is_byte_identical_with_idempotent_replayed(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    body = renewal(clock, [contract_doc(api.document())])
    key = str(uuid.uuid4())
    first = api.create(body, key=key)
    clock.advance(minutes=1)
    again = api.create(body, key=key)
    assert again.status_code == 201
    assert again.content == first.content
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert len(sim.applications()) == 1


def test_replay_ignores_whitespace_and_key_order(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    body = renewal(clock, [contract_doc(api.document())])
    key = str(uuid.uuid4())
    first = api.create(body, key=key)
    reordered = json.dumps(dict(reversed(list(body.items()))), ensure_ascii=False, indent=2).encode()
    again = api.request(
        "POST", "/v1/applications", data=reordered, key=key, headers={"Content-Type": "application/json"}
    )
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.content == first.content
    assert len(sim.applications()) == 1


def test_same_key_with_another_body_is_409_idempotency_conflict(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    document = contract_doc(api.document())
    key = str(uuid.uuid4())
    first = api.create(renewal(clock, [document]), key=key)
    conflict = api.create(renewal(clock, [document]), key=key)  # new client_reference
    body = assert_problem(conflict, 409, "idempotency_conflict")
    assert "Idempotent-Replayed" not in conflict.headers
    assert body["request_id"] != first.headers["X-Request-Id"]
    assert len(sim.applications()) == 1


def test_same_key_on_another_path_is_409_idempotency_conflict(api: Api, clock: Clock) -> None:
    key = str(uuid.uuid4())
    created = api.create(renewal(clock, [contract_doc(api.document())]), key=key)
    application_id = created.json()["application_id"]
    response = api.post(f"/v1/applications/{application_id}/pickup", {"method": "window"}, key=key)
    assert_problem(response, 409, "idempotency_conflict")


def test_idempotency_keys_are_scoped_per_kiosk(api: Api, other_api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    key = str(uuid.uuid4())
    assert api.create(renewal(clock, [contract_doc(api.document())]), key=key).status_code == 201
    other_body = reissue(clock, kiosk_id=OTHER_KIOSK_ID)
    response = other_api.create(other_body, key=key)
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers
    assert len(sim.applications()) == 2


def test_missing_idempotency_key_is_400(api: Api, clock: Clock) -> None:
    response = api.post("/v1/applications", reissue(clock))
    assert_problem(response, 400, "idempotency_key_required")


def test_uppercase_idempotency_key_is_400_invalid(api: Api, clock: Clock) -> None:
    response = api.create(reissue(clock), key=str(uuid.uuid4()).upper())
    assert_problem(response, 400, "idempotency_key_invalid")


def test_idempotency_key_is_checked_before_the_content_type(api: Api) -> None:
    response = api.request("POST", "/v1/applications", data=b"x", headers={"Content-Type": "text/plain"})
    assert_problem(response, 400, "idempotency_key_required")


def test_malformed_body_is_not_stored_for_the_key(api: Api, clock: Clock) -> None:
    key = str(uuid.uuid4())
    bad = api.request(
        "POST", "/v1/applications", data=b"{", key=key, headers={"Content-Type": "application/json"}
    )
    assert_problem(bad, 400, "malformed_body")
    assert api.create(reissue(clock), key=key).status_code == 201


def test_client_reference_reused_under_a_new_key_is_409(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    body = reissue(clock)
    first = api.create(body)
    response = api.create(body)  # new key, same client_reference
    problem = assert_problem(response, 409, "client_reference_conflict")
    assert problem["existing_application_id"] == first.json()["application_id"]
    assert len(sim.applications()) == 1


def test_client_reference_conflict_is_checked_before_eligibility(api: Api, clock: Clock) -> None:
    body = reissue(clock)
    api.create(body)
    other_person = dict(body, applicant=dict(UNKNOWN_PERSON))
    assert_problem(api.create(other_person), 409, "client_reference_conflict")


def test_same_client_reference_on_another_kiosk_is_fine(api: Api, other_api: Api, clock: Clock) -> None:
    body = reissue(clock)
    assert api.create(body).status_code == 201
    other = dict(body, applicant=dict(FU_MINGDE), kiosk_id=OTHER_KIOSK_ID)
    assert other_api.create(other).status_code == 201


# ---------------------------------------------------------------------- validation


def test_unknown_fields_are_422_with_pointers(api: Api, clock: Clock) -> None:
    body = reissue(clock, extra="x")
    body["applicant"]["nickname"] = "x"
    body["applicant"]["a/b~c"] = 1
    assert field_codes(api.create(body)) == {
        "/extra": "unknown_field",
        "/applicant/nickname": "unknown_field",
        "/applicant/a~1b~0c": "unknown_field",
    }


def test_applicant_id_number_checksum_is_422_invalid_checksum(api: Api, clock: Clock) -> None:
    body = reissue(clock, applicant=dict(CHEN_JING, id_number="460102199208080042"))
    assert field_codes(api.create(body)) == {"/applicant/id_number": "invalid_checksum"}


def test_every_field_error_is_reported(api: Api, clock: Clock) -> None:
    body = {
        "service": "renew",
        "applicant": {"name": "", "id_number": 460102199208080041, "phone": "12345"},
        "documents": "none",
        "kiosk_id": "HK-KIOSK-0001",
        "client_reference": "short",
        "created_at": "yesterday",
    }
    assert field_codes(api.create(body)) == {
        "/service": "invalid_value",
        "/applicant/name": "too_short",
        "/applicant/id_number": "invalid_type",
        "/applicant/phone": "invalid_format",
        "/documents": "invalid_type",
        "/client_reference": "invalid_format",
        "/created_at": "invalid_format",
    }


def test_missing_required_members_are_422_required(api: Api) -> None:
    assert field_codes(api.create({"service": "reissue_lost"})) == {
        "/applicant": "required",
        "/documents": "required",
        "/kiosk_id": "required",
        "/client_reference": "required",
        "/created_at": "required",
    }


def test_renewal_without_basis_is_422_required(api: Api, clock: Clock) -> None:
    body = renewal(clock, [contract_doc(api.document())])
    del body["basis"]
    assert field_codes(api.create(body)) == {"/basis": "required"}


def test_renewal_with_null_basis_is_422_required(api: Api, clock: Clock) -> None:
    body = renewal(clock, [contract_doc(api.document())], basis=None)
    assert field_codes(api.create(body)) == {"/basis": "required"}


def test_basis_on_a_reissue_is_422_not_allowed(api: Api, clock: Clock) -> None:
    assert field_codes(api.create(reissue(clock, basis="employment"))) == {"/basis": "not_allowed"}


def test_null_basis_and_changes_on_a_reissue_are_accepted(api: Api, clock: Clock) -> None:
    assert api.create(reissue(clock, basis=None, changes=None, permit_number=None)).status_code == 201


def test_renewal_without_a_basis_document_is_422_documents_required(api: Api, clock: Clock) -> None:
    body = renewal(clock, [contract_doc(api.document(), category="identity_document")])
    assert field_codes(api.create(body)) == {"/documents": "documents_required"}


def test_renewal_with_a_document_of_another_basis_is_422_category_not_allowed(api: Api, clock: Clock) -> None:
    documents = [contract_doc(api.document()), contract_doc(api.document(PDF), category="rental_contract")]
    assert field_codes(api.create(renewal(clock, documents))) == {"/documents/1/category": "category_not_allowed"}


def test_reissue_with_a_basis_document_is_422_category_not_allowed(api: Api, clock: Clock) -> None:
    documents = [contract_doc(api.document(), category="identity_document"), contract_doc(api.document(PDF))]
    assert field_codes(api.create(reissue(clock, documents=documents))) == {
        "/documents/1/category": "category_not_allowed"
    }


def test_reissue_with_supplementary_documents_is_accepted(api: Api, clock: Clock) -> None:
    documents = [contract_doc(api.document(), category="identity_document"), contract_doc(api.document(PDF), category="other")]
    assert api.create(reissue(clock, documents=documents, service="reissue_damaged")).status_code == 201


def test_same_category_and_page_twice_is_422_duplicate_page(api: Api, clock: Clock) -> None:
    documents = [contract_doc(api.document(), 1), contract_doc(api.document(PDF), 1)]
    assert field_codes(api.create(renewal(clock, documents))) == {"/documents/1/page": "duplicate_page"}


def test_same_document_twice_is_422_duplicate_document(api: Api, clock: Clock) -> None:
    document_id = api.document()
    documents = [contract_doc(document_id, 1), contract_doc(document_id, 2)]
    assert field_codes(api.create(renewal(clock, documents))) == {"/documents/1/document_id": "duplicate_document"}


def test_document_never_uploaded_is_422_unknown_document(api: Api, clock: Clock) -> None:
    documents = [contract_doc(api.document(), 1), contract_doc(str(uuid.uuid4()), 2)]
    assert field_codes(api.create(renewal(clock, documents))) == {"/documents/1/document_id": "unknown_document"}


def test_document_of_another_kiosk_is_422_unknown_document(api: Api, other_api: Api, clock: Clock) -> None:
    foreign = other_api.document()
    assert field_codes(api.create(renewal(clock, [contract_doc(foreign)]))) == {
        "/documents/0/document_id": "unknown_document"
    }


def test_more_than_20_documents_is_422_too_long(api: Api, clock: Clock) -> None:
    documents = [contract_doc(api.document(JPEG + bytes([i])), page=i + 1) for i in range(21)]
    assert field_codes(api.create(renewal(clock, documents))) == {"/documents": "too_long"}


def test_body_kiosk_id_other_than_header_is_422_kiosk_mismatch(api: Api, clock: Clock) -> None:
    assert field_codes(api.create(reissue(clock, kiosk_id=OTHER_KIOSK_ID))) == {"/kiosk_id": "kiosk_mismatch"}


def test_created_at_more_than_10_minutes_ahead_is_422_out_of_range(api: Api, clock: Clock) -> None:
    ahead = (clock() + dt.timedelta(minutes=10, seconds=1)).isoformat()
    assert field_codes(api.create(reissue(clock, created_at=ahead))) == {"/created_at": "out_of_range"}


def test_created_at_more_than_30_days_old_is_422_out_of_range(api: Api, clock: Clock) -> None:
    old = (clock() - dt.timedelta(days=30, seconds=1)).isoformat()
    assert field_codes(api.create(reissue(clock, created_at=old))) == {"/created_at": "out_of_range"}


def test_created_at_without_an_offset_is_422_invalid_format(api: Api, clock: Clock) -> None:
    assert field_codes(api.create(reissue(clock, created_at="2026-06-10T10:00:00"))) == {
        "/created_at": "invalid_format"
    }


def test_info_change_without_changes_is_422_required(api: Api, clock: Clock) -> None:
    documents = [contract_doc(api.document(), category="change_proof")]
    body = reissue(clock, person=ZHANG_WEI, service="info_change", documents=documents)
    assert field_codes(api.create(body)) == {"/changes": "required"}


def test_info_change_with_only_null_changes_is_422_changes_required(api: Api, clock: Clock) -> None:
    documents = [contract_doc(api.document(), category="change_proof")]
    body = reissue(clock, person=ZHANG_WEI, service="info_change", documents=documents, changes={"employer": None})
    assert field_codes(api.create(body)) == {"/changes": "changes_required"}


def test_info_change_without_proof_is_422_documents_required(api: Api, clock: Clock) -> None:
    documents = [contract_doc(api.document(), category="identity_document")]
    body = reissue(clock, person=ZHANG_WEI, service="info_change", documents=documents, changes={"school": "海南大学"})
    assert field_codes(api.create(body)) == {"/documents": "documents_required"}


def test_changes_on_a_renewal_is_422_not_allowed(api: Api, clock: Clock) -> None:
    body = renewal(clock, [contract_doc(api.document())], changes={"school": "海南大学"})
    assert field_codes(api.create(body)) == {"/changes": "not_allowed"}


def test_a_422_is_final_for_its_key(api: Api, clock: Clock) -> None:
    missing = str(uuid.uuid4())
    body = renewal(clock, [contract_doc(missing)])
    key = str(uuid.uuid4())
    first = api.create(body, key=key)
    assert field_codes(first) == {"/documents/0/document_id": "unknown_document"}
    api.upload(JPEG, document_id=missing)
    again = api.create(body, key=key)
    assert again.status_code == 422
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"


# ---------------------------------------------------------------------- eligibility


def test_renewal_before_the_window_is_not_eligible_too_early(api: Api, clock: Clock) -> None:
    response = api.create(renewal(clock, [contract_doc(api.document())], person=ZHANG_WEI))
    valid_until = START.date() + dt.timedelta(days=200)  # 2026-12-27
    assert reasons(response) == [
        {
            "code": "too_early_for_endorsement",
            "message": {
                "zh-CN": "尚未到签注时间，请于2026-11-27之后办理。",
                "en": "Too early for endorsement; apply on or after 2026-11-27.",
            },
            "earliest_date": "2026-11-27",
        }
    ]
    assert valid_until.isoformat() == "2026-12-27"


def test_reissue_is_not_limited_by_the_endorsement_window(api: Api, clock: Clock) -> None:
    assert api.create(reissue(clock, person=ZHANG_WEI)).status_code == 201


def test_second_open_application_is_not_eligible_duplicate_open(api: Api, clock: Clock) -> None:
    first = api.create(reissue(clock)).json()["application_id"]
    response = api.create(reissue(clock, service="reissue_damaged"))
    assert [(r["code"], r.get("open_application_id")) for r in reasons(response)] == [
        ("duplicate_open_application", first)
    ]


def test_a_closed_application_does_not_block_a_new_one(api: Api, clock: Clock) -> None:
    first = api.create(reissue(clock)).json()["application_id"]
    assert api.decide(first, "rejected", "材料不全。").status_code == 200
    assert api.create(reissue(clock)).status_code == 201


def test_expired_permit_is_not_eligible_permit_expired(api: Api, clock: Clock) -> None:
    response = api.create(reissue(clock, person=LI_QIANG))
    [reason] = reasons(response)
    assert reason["code"] == "permit_expired"
    assert reason["permit_status"] == "expired"


def test_unknown_person_is_not_eligible_permit_not_found_alone(api: Api, clock: Clock) -> None:
    response = api.create(reissue(clock, person=UNKNOWN_PERSON, permit_number="4601082020000310"))
    assert [r["code"] for r in reasons(response)] == ["permit_not_found"]
    assert response.json()["reasons"][0]["message"]["zh-CN"] == "未查询到您的居住证记录，请到派出所办理。"


def test_name_mismatch_is_not_eligible_permit_not_found(api: Api, clock: Clock) -> None:
    response = api.create(reissue(clock, person=dict(CHEN_JING, name="陈晶")))
    assert [r["code"] for r in reasons(response)] == ["permit_not_found"]


def test_wrong_permit_number_is_not_eligible_permit_mismatch(api: Api, clock: Clock) -> None:
    response = api.create(reissue(clock, permit_number="4601022022000999"))
    assert [r["code"] for r in reasons(response)] == ["permit_mismatch"]


def test_reasons_are_listed_in_the_documented_order(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    seed = dict(demo_seed()[4], status=None)  # 李强, expired
    api.post("/sim/permits", seed)
    # an open application of 李强 created while the record was still valid
    api.post("/sim/permits", dict(seed, valid_until_offset_days=20))
    assert api.create(reissue(clock, person=LI_QIANG)).status_code == 201
    api.post("/sim/permits", seed)
    response = api.create(reissue(clock, person=LI_QIANG, permit_number="4601062018000999", service="reissue_damaged"))
    assert [r["code"] for r in reasons(response)] == [
        "permit_mismatch",
        "permit_expired",
        "duplicate_open_application",
    ]


def test_mismatch_too_early_and_duplicate_are_reported_together(api: Api, clock: Clock) -> None:
    open_id = api.create(reissue(clock, person=ZHANG_WEI)).json()["application_id"]
    body = renewal(clock, [contract_doc(api.document())], person=ZHANG_WEI, permit_number="4601062021000999")
    found = reasons(api.create(body))
    assert [r["code"] for r in found] == ["permit_mismatch", "too_early_for_endorsement", "duplicate_open_application"]
    assert found[2]["open_application_id"] == open_id


def test_suspended_permit_may_be_renewed(api: Api, clock: Clock) -> None:
    documents = [contract_doc(api.document(), category="enrollment_certificate")]
    response = api.create(renewal(clock, documents, person=WANG_FANG, basis="study"))
    assert response.status_code == 201, response.text


def test_not_eligible_is_stored_for_replay(api: Api, clock: Clock) -> None:
    body = reissue(clock, person=UNKNOWN_PERSON)
    key = str(uuid.uuid4())
    first = api.create(body, key=key)
    again = api.create(body, key=key)
    assert again.status_code == 409
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"


def test_eligibility_uses_the_shanghai_date_of_created_at(sim: ReviewSimulator, api: Api, clock: Clock) -> None:
    # window opens on 2026-06-11 for a permit valid until 2026-07-11
    seed = dict(demo_seed()[0], valid_until="2026-07-11")
    del seed["valid_until_offset_days"]
    api.post("/sim/permits", seed)
    clock.value = dt.datetime(2026, 6, 11, 0, 5, tzinfo=CST)
    late_evening = "2026-06-10T15:59:00Z"  # 23:59 on 2026-06-10 in Shanghai
    early_morning = "2026-06-10T16:00:00Z"  # 00:00 on 2026-06-11 in Shanghai
    documents = [contract_doc(api.document())]
    too_early = api.create(renewal(clock, documents, created_at=late_evening))
    assert [(r["code"], r["earliest_date"]) for r in reasons(too_early)] == [
        ("too_early_for_endorsement", "2026-06-11")
    ]
    assert api.create(renewal(clock, documents, created_at=early_morning)).status_code == 201


def test_endorsement_window_clamps_to_the_end_of_february(api: Api, clock: Clock) -> None:
    seed = dict(demo_seed()[0], valid_until="2027-03-31")
    del seed["valid_until_offset_days"]
    clock.value = dt.datetime(2027, 2, 27, 12, 0, tzinfo=CST)
    assert api.post("/sim/permits", seed).json()["endorsement_window_opens_on"] == "2027-02-28"
    documents = [contract_doc(api.document())]
    early = api.create(renewal(clock, documents))
    assert [(r["code"], r["earliest_date"]) for r in reasons(early)] == [("too_early_for_endorsement", "2027-02-28")]
    clock.value = dt.datetime(2027, 2, 28, 9, 0, tzinfo=CST)
    assert api.create(renewal(clock, documents)).status_code == 201


# ====================================================================== query


def test_query_lists_newest_first_with_limit_and_truncated(api: Api, clock: Clock) -> None:
    ids = []
    for _ in range(3):
        created = api.create(reissue(clock))
        ids.append(created.json()["application_id"])
        api.decide(ids[-1], "rejected", "照片不清晰。")
        clock.advance(minutes=1)
    everything = api.post("/v1/applications/query", {"id_number": CHEN_JING["id_number"], "name": "陈静"}).json()
    assert [a["application_id"] for a in everything["applications"]] == list(reversed(ids))
    assert everything["truncated"] is False
    assert everything["applications"][0]["applicant"]["id_number_masked"] == "460102********0041"
    limited = api.post(
        "/v1/applications/query", {"id_number": CHEN_JING["id_number"], "name": "陈静", "limit": 2}
    ).json()
    assert [a["application_id"] for a in limited["applications"]] == [ids[2], ids[1]]
    assert limited["truncated"] is True


def test_query_ties_on_received_at_order_by_id_descending(api: Api, clock: Clock) -> None:
    first = api.create(reissue(clock)).json()["application_id"]
    api.decide(first, "rejected", "照片不清晰。")
    second = api.create(reissue(clock)).json()["application_id"]
    listed = api.post("/v1/applications/query", {"id_number": CHEN_JING["id_number"], "name": "陈静"}).json()
    assert [a["application_id"] for a in listed["applications"]] == [second, first]


def test_query_with_a_name_mismatch_is_an_empty_list(api: Api, clock: Clock) -> None:
    api.create(reissue(clock))
    response = api.post("/v1/applications/query", {"id_number": CHEN_JING["id_number"], "name": "陈晶"})
    assert response.status_code == 200
    assert response.json() == {"applications": [], "truncated": False}


def test_query_limit_out_of_range_is_422(api: Api) -> None:
    response = api.post("/v1/applications/query", {"id_number": CHEN_JING["id_number"], "name": "陈静", "limit": 101})
    assert field_codes(response) == {"/limit": "out_of_range"}


# ====================================================================== officer decisions (simulator)


def test_decide_walks_the_status_machine(api: Api, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    clock.advance(hours=1)
    assert api.decide(application_id, "under_review").json()["status"] == "under_review"
    response = api.decide(application_id, "needs_more_material", "请补充近6个月社保缴纳证明。")
    app = response.json()
    assert app["status"] == "needs_more_material"
    assert app["officer_note"] == "请补充近6个月社保缴纳证明。"
    assert app["updated_at"] == "2026-06-10T11:00:00+08:00"
    assert app["history"][-1] == {
        "status": "needs_more_material",
        "at": "2026-06-10T11:00:00+08:00",
        "actor": "officer",
        "note": "请补充近6个月社保缴纳证明。",
    }
    for decision in ("under_review", "approved", "card_ready", "completed"):
        assert api.decide(application_id, decision).json()["status"] == decision


def test_decide_from_a_wrong_status_is_409_invalid_state(api: Api, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    response = api.decide(application_id, "card_ready")
    problem = assert_problem(response, 409, "invalid_state")
    assert problem["current_status"] == "submitted"
    assert problem["allowed_statuses"] == ["approved"]


def test_decide_after_a_terminal_status_is_409(api: Api, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    api.decide(application_id, "rejected", "材料不全。")
    problem = assert_problem(api.decide(application_id, "approved"), 409, "invalid_state")
    assert problem["allowed_statuses"] == ["submitted", "under_review"]


def test_reject_needs_a_note_and_sets_the_reason(api: Api, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    assert field_codes(api.decide(application_id, "rejected")) == {"/note": "required"}
    assert field_codes(api.decide(application_id, "needs_more_material")) == {"/note": "required"}
    app = api.decide(application_id, "rejected", "证明材料与工作单位不一致。").json()
    assert app["rejection_reason"] == app["officer_note"] == "证明材料与工作单位不一致。"


def test_decide_unknown_application_is_404(api: Api) -> None:
    assert_problem(api.decide("JZ-20260610-424242", "approved"), 404, "not_found")


def test_approved_renewal_updates_the_permit(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    clock.advance(days=1)
    api.decide(application_id, "approved")
    record = api.post("/v1/permits/lookup", {"id_number": LIN_HAI["id_number"], "name": "林海"}).json()
    assert record["last_endorsement_date"] == "2026-06-11"
    assert record["valid_until"] == "2027-06-30"
    assert record["endorsement_window_opens_on"] == "2027-05-30"


def test_approved_late_renewal_counts_from_the_approval_date(api: Api, clock: Clock) -> None:
    documents = [contract_doc(api.document(), category="student_card")]
    application_id = api.create(renewal(clock, documents, person=WANG_FANG, basis="study")).json()["application_id"]
    api.decide(application_id, "approved")
    record = api.post("/v1/permits/lookup", {"id_number": WANG_FANG["id_number"], "name": "王芳"}).json()
    assert record["valid_until"] == "2027-06-10"
    assert record["status"] == "active"


def test_approved_renewal_clears_a_status_override(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    api.post("/sim/permits", dict(demo_seed()[0], status="suspended"))
    application_id = submitted_renewal(api, clock)
    api.decide(application_id, "approved")
    record = sim.permit_record(LIN_HAI["id_number"])
    assert record is not None and record["status_override"] is None


def test_approved_info_change_writes_the_changed_fields(api: Api, clock: Clock) -> None:
    documents = [contract_doc(api.document(), category="rental_contract")]
    body = reissue(
        clock,
        person=ZHANG_WEI,
        service="info_change",
        documents=documents,
        changes={"residence_address": "海南省海口市秀英区示例路66号1栋803室", "employer": None},
    )
    application_id = api.create(body).json()["application_id"]
    api.decide(application_id, "approved")
    record = api.post("/v1/permits/lookup", {"id_number": ZHANG_WEI["id_number"], "name": "张伟"}).json()
    assert record["registered_address"] == "海南省海口市秀英区示例路66号1栋803室"
    assert record["employer"] == "海南南海贸易有限公司"


# ====================================================================== supplements


def test_supplement_moves_back_to_under_review(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    api.decide(application_id, "needs_more_material", "请补充社保缴纳证明。")
    extra = api.document(PDF)
    body = {"documents": [contract_doc(extra, category="social_insurance_record")], "note": "补充近6个月社保缴纳证明"}
    key = str(uuid.uuid4())
    response = api.post(f"/v1/applications/{application_id}/supplements", body, key=key)
    assert response.status_code == 200, response.text
    app = response.json()
    assert app["status"] == "under_review"
    assert app["documents"][-1] == contract_doc(extra, category="social_insurance_record")
    assert len(app["documents"]) == 2
    assert app["history"][-1]["actor"] == "kiosk"
    assert app["history"][-1]["note"] == "补充近6个月社保缴纳证明"
    replay = api.post(f"/v1/applications/{application_id}/supplements", body, key=key)
    assert replay.content == response.content and replay.headers["Idempotent-Replayed"] == "true"
    assert len(sim.applications()[0]["documents"]) == 2


def test_supplement_outside_needs_more_material_is_409(api: Api, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    body = {"documents": [contract_doc(api.document(PDF), category="other")]}
    response = api.post(f"/v1/applications/{application_id}/supplements", body, key=str(uuid.uuid4()))
    problem = assert_problem(response, 409, "invalid_state")
    assert problem["current_status"] == "submitted"
    assert problem["allowed_statuses"] == ["needs_more_material"]


def test_supplement_without_documents_is_422(api: Api, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    response = api.post(f"/v1/applications/{application_id}/supplements", {"documents": []}, key=str(uuid.uuid4()))
    assert field_codes(response) == {"/documents": "documents_required"}


def test_supplement_validation_comes_before_the_404(api: Api) -> None:
    body = {"documents": [contract_doc(str(uuid.uuid4()), category="other")]}
    response = api.post("/v1/applications/JZ-20260610-777777/supplements", body, key=str(uuid.uuid4()))
    assert field_codes(response) == {"/documents/0/document_id": "unknown_document"}
    body = {"documents": [contract_doc(api.document(), category="other")]}
    response = api.post("/v1/applications/JZ-20260610-777777/supplements", body, key=str(uuid.uuid4()))
    assert_problem(response, 404, "not_found")


# ====================================================================== pickup


def test_window_pickup_for_a_renewal(api: Api, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    to_card_ready(api, application_id)
    response = api.post(f"/v1/applications/{application_id}/pickup", {"method": "window"}, key=str(uuid.uuid4()))
    assert response.status_code == 200, response.text
    assert response.json() == {
        "method": "window",
        "application_id": application_id,
        "chosen_at": "2026-06-10T10:00:00+08:00",
        "station_name": "海口市公安局龙华分局金贸派出所",
        "station_address": "海南省海口市龙华区金贸示例路1号",
        "station_phone": "0898-66000001",
        "pickup_hours": "周一至周五 09:00-12:00，14:30-17:30（法定节假日除外）",
        "bring": ["id_card", "residence_permit"],
    }
    app = api.get(f"/v1/applications/{application_id}").json()
    assert app["status"] == "pickup_chosen"
    assert app["pickup"] == response.json()
    assert app["history"][-1]["actor"] == "kiosk"


def test_window_pickup_for_a_reissue_brings_only_the_id_card(api: Api, clock: Clock) -> None:
    application_id = api.create(reissue(clock)).json()["application_id"]
    to_card_ready(api, application_id)
    response = api.post(f"/v1/applications/{application_id}/pickup", {"method": "window"}, key=str(uuid.uuid4()))
    assert response.json()["bring"] == ["id_card"]


def test_mail_pickup_for_an_info_change_sends_the_permit_to_the_station(
    api: Api, sim: ReviewSimulator, clock: Clock
) -> None:
    documents = [contract_doc(api.document(), category="enrollment_certificate")]
    body = reissue(clock, person=AYGUL, service="info_change", documents=documents, changes={"school": "海南师范大学"})
    application_id = api.create(body).json()["application_id"]
    to_card_ready(api, application_id)
    mail = {"recipient": "阿依古丽·买买提", "address": "海南省海口市美兰区示例路88号2栋1单元502室", "phone": "15012345678"}
    response = api.post(
        f"/v1/applications/{application_id}/pickup", {"method": "mail", "mail": mail}, key=str(uuid.uuid4())
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "method": "mail",
        "application_id": application_id,
        "chosen_at": "2026-06-10T10:00:00+08:00",
        "recipient": "阿依古丽·买买提",
        "address": "海南省海口市美兰区示例路88号2栋1单元502室",
        "phone_masked": "150****5678",
        "send_permit_to": {
            "station_name": "海口市公安局美兰分局海府派出所",
            "address": "海南省海口市美兰区海府示例路2号",
            "phone": "0898-66000002",
        },
        "postage": "cod",
    }
    assert "15012345678" not in response.text
    assert sim.applications()[0]["pickup"]["phone"] == "15012345678"


def test_mail_pickup_for_a_renewal_sends_the_permit_to_the_station(api: Api, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    to_card_ready(api, application_id)
    mail = {"recipient": "林海", "address": "海南省海口市美兰区和平大道56号", "phone": "13812345678"}
    response = api.post(
        f"/v1/applications/{application_id}/pickup", {"method": "mail", "mail": mail}, key=str(uuid.uuid4())
    )
    assert response.json()["send_permit_to"] == {
        "station_name": "海口市公安局龙华分局金贸派出所",
        "address": "海南省海口市龙华区金贸示例路1号",
        "phone": "0898-66000001",
    }
    assert response.json()["phone_masked"] == "138****5678"


def test_mail_pickup_for_a_reissue_sends_nothing_in(api: Api, clock: Clock) -> None:
    application_id = api.create(reissue(clock)).json()["application_id"]
    to_card_ready(api, application_id)
    mail = {"recipient": "陈静", "address": "海南省海口市琼山区示例街9号", "phone": "13700002222"}
    response = api.post(
        f"/v1/applications/{application_id}/pickup", {"method": "mail", "mail": mail}, key=str(uuid.uuid4())
    )
    assert response.json()["send_permit_to"] is None
    assert response.json()["postage"] == "cod"


def test_pickup_before_card_ready_is_409_invalid_state(api: Api, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    response = api.post(f"/v1/applications/{application_id}/pickup", {"method": "window"}, key=str(uuid.uuid4()))
    problem = assert_problem(response, 409, "invalid_state")
    assert problem["allowed_statuses"] == ["card_ready"]
    assert problem["current_status"] == "submitted"


def test_pickup_again_with_a_new_key_is_409_and_replay_keeps_the_answer(api: Api, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    to_card_ready(api, application_id)
    key = str(uuid.uuid4())
    first = api.post(f"/v1/applications/{application_id}/pickup", {"method": "window"}, key=key)
    replay = api.post(f"/v1/applications/{application_id}/pickup", {"method": "window"}, key=key)
    assert replay.status_code == 200 and replay.content == first.content
    assert replay.headers["Idempotent-Replayed"] == "true"
    again = api.post(f"/v1/applications/{application_id}/pickup", {"method": "window"}, key=str(uuid.uuid4()))
    assert assert_problem(again, 409, "invalid_state")["current_status"] == "pickup_chosen"


def test_mail_pickup_without_address_is_422_required(api: Api, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    response = api.post(f"/v1/applications/{application_id}/pickup", {"method": "mail"}, key=str(uuid.uuid4()))
    assert field_codes(response) == {"/mail": "required"}


def test_window_pickup_with_an_address_is_422_not_allowed(api: Api, clock: Clock) -> None:
    application_id = submitted_renewal(api, clock)
    mail = {"recipient": "林海", "address": "海南省海口市琼山区示例街9号", "phone": "13700002222"}
    response = api.post(
        f"/v1/applications/{application_id}/pickup", {"method": "window", "mail": mail}, key=str(uuid.uuid4())
    )
    assert field_codes(response) == {"/mail": "not_allowed"}


def test_pickup_for_an_unknown_application_is_404_and_stored(api: Api) -> None:
    key = str(uuid.uuid4())
    first = api.post("/v1/applications/JZ-20260610-555555/pickup", {"method": "window"}, key=key)
    assert_problem(first, 404, "not_found")
    again = api.post("/v1/applications/JZ-20260610-555555/pickup", {"method": "window"}, key=key)
    assert again.content == first.content and again.headers["Idempotent-Replayed"] == "true"


# ====================================================================== heartbeat and kiosk directives


HEARTBEAT = {
    "software_version": "1.4.2",
    "uptime_s": 86400,
    "devices": {"card_reader": "ok", "camera": "ok", "printer": "paper_low"},
    "outbox_depth": 2,
    "outbox_oldest_age_s": 340,
    "last_error": {"code": "network_timeout", "message": "POST /v1/applications timed out", "at": "2026-06-10T09:40:02+08:00"},
    "kiosk_time": "2026-06-10T10:00:01+08:00",
}


def test_heartbeat_returns_server_time_and_default_directives(api: Api) -> None:
    response = api.post(f"/v1/kiosks/{DEMO_KIOSK_ID}/heartbeat", HEARTBEAT)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "server_time": "2026-06-10T10:00:00+08:00",
        "config_version": "sim-1",
        "out_of_service": False,
        "message": None,
        "next_heartbeat_s": 60,
    }


def test_heartbeat_for_another_kiosk_path_is_403(api: Api) -> None:
    assert_problem(api.post(f"/v1/kiosks/{OTHER_KIOSK_ID}/heartbeat", HEARTBEAT), 403, "kiosk_mismatch")


def test_heartbeat_validation_is_422(api: Api) -> None:
    body = dict(HEARTBEAT, uptime_s=-1, devices={"card_reader": "ok", "camera": "broken"})
    assert field_codes(api.post(f"/v1/kiosks/{DEMO_KIOSK_ID}/heartbeat", body)) == {
        "/uptime_s": "out_of_range",
        "/devices/printer": "required",
        "/devices/camera": "invalid_value",
    }


def test_sim_kiosk_state_and_directives(api: Api, clock: Clock) -> None:
    assert_problem(api.get(f"/sim/kiosks/{DEMO_KIOSK_ID}"), 404, "not_found")
    api.post(f"/v1/kiosks/{DEMO_KIOSK_ID}/heartbeat", HEARTBEAT)
    state = api.get(f"/sim/kiosks/{DEMO_KIOSK_ID}").json()
    assert state["heartbeat_count"] == 1
    assert state["last_heartbeat_at"] == "2026-06-10T10:00:00+08:00"
    assert state["last_heartbeat"] == HEARTBEAT
    message = {"zh-CN": "系统维护中，暂停办理新业务。", "en": "Under maintenance, new applications are paused."}
    put = api.request(
        "PUT", f"/sim/kiosks/{DEMO_KIOSK_ID}", body={"out_of_service": True, "message": message, "next_heartbeat_s": 15}
    )
    assert put.status_code == 200
    assert put.json()["config_version"] == "sim-1"
    clock.advance(seconds=15)
    directives = api.post(f"/v1/kiosks/{DEMO_KIOSK_ID}/heartbeat", HEARTBEAT).json()
    assert directives == {
        "server_time": "2026-06-10T10:00:15+08:00",
        "config_version": "sim-1",
        "out_of_service": True,
        "message": message,
        "next_heartbeat_s": 15,
    }
    kept = api.request("PUT", f"/sim/kiosks/{DEMO_KIOSK_ID}", body={"out_of_service": False, "config_version": "2"})
    assert kept.json()["message"] == message and kept.json()["next_heartbeat_s"] == 15
    assert kept.json()["heartbeat_count"] == 2


def test_sim_kiosk_directive_validation_is_422(api: Api) -> None:
    response = api.request("PUT", "/sim/kiosks/HK-KIOSK-0009", body={"next_heartbeat_s": 5, "message": {"en": "x"}})
    assert field_codes(response) == {
        "/out_of_service": "required",
        "/next_heartbeat_s": "out_of_range",
        "/message/zh-CN": "required",
    }


def test_configured_kiosk_without_heartbeat_is_readable(api: Api) -> None:
    api.request("PUT", "/sim/kiosks/HK-KIOSK-0009", body={"out_of_service": True})
    state = api.get("/sim/kiosks/HK-KIOSK-0009").json()
    assert state["out_of_service"] is True
    assert state["heartbeat_count"] == 0 and state["last_heartbeat"] is None


# ====================================================================== simulator permits and reset


def test_sim_permits_creates_then_replaces(api: Api) -> None:
    seed = {
        "id_number": UNKNOWN_PERSON["id_number"],
        "name": "赵敏",
        "permit_number": "4601052018000789",
        "valid_until": "2026-07-01",
        "registered_address": "海南省海口市秀英区示例路66号",
        "label": "new",
    }
    created = api.post("/sim/permits", seed)
    assert created.status_code == 201
    assert created.json()["status"] == "active"
    assert created.json()["police_station"]["station_id"] == "HK-LH-JM"
    assert "label" not in created.json()
    replaced = api.post("/sim/permits", dict(seed, status="suspended"))
    assert replaced.status_code == 200
    assert replaced.json()["status"] == "suspended"


def test_sim_permits_needs_exactly_one_validity(api: Api) -> None:
    both = dict(demo_seed()[0], valid_until="2026-07-01")
    neither = dict(demo_seed()[0])
    del neither["valid_until_offset_days"]
    assert field_codes(api.post("/sim/permits", both)) == {"/valid_until_offset_days": "not_allowed"}
    assert field_codes(api.post("/sim/permits", neither)) == {"/valid_until": "required"}


def test_reset_restores_the_seed_and_forgets_everything(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    document_id = api.document()
    api.create(reissue(clock))
    api.post(f"/v1/kiosks/{DEMO_KIOSK_ID}/heartbeat", HEARTBEAT)
    api.post("/sim/permits", dict(demo_seed()[3], name="陈晶"))
    response = api.post("/sim/reset", {})
    assert response.status_code == 200
    assert response.json() == {"reset_at": "2026-06-10T10:00:00+08:00", "permits_loaded": 7}
    assert sim.applications() == []
    assert sim.document_bytes(document_id) is None
    assert_problem(api.get(f"/sim/kiosks/{DEMO_KIOSK_ID}"), 404, "not_found")
    assert api.post("/v1/permits/lookup", {"id_number": CHEN_JING["id_number"], "name": "陈静"}).status_code == 200
    assert api.create(reissue(clock)).status_code == 201


def test_reset_re_resolves_relative_dates(api: Api, clock: Clock) -> None:
    clock.advance(days=10)
    api.post("/sim/reset")
    record = api.post("/v1/permits/lookup", {"id_number": LIN_HAI["id_number"], "name": "林海"}).json()
    assert record["valid_until"] == "2026-07-10"


def test_reset_with_members_is_422(api: Api) -> None:
    assert field_codes(api.post("/sim/reset", {"keep": True})) == {"/keep": "unknown_field"}


def test_all_demo_residents_are_loaded(api: Api) -> None:
    for person in (LIN_HAI, ZHANG_WEI, WANG_FANG, CHEN_JING, LI_QIANG, AYGUL, FU_MINGDE):
        response = api.post("/v1/permits/lookup", {"id_number": person["id_number"], "name": person["name"]})
        assert response.status_code == 200, person["name"]


# ====================================================================== auto review, persistence, lifecycle


def test_auto_review_reaches_card_ready() -> None:
    with ReviewSimulator(auto_review_s=0.05) as sim:
        api = Api(sim.url)
        clock = Clock(dt.datetime.now(CST))
        application_id = api.create(reissue(clock)).json()["application_id"]
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            app = api.get(f"/v1/applications/{application_id}").json()
            if app["status"] == "card_ready":
                break
            time.sleep(0.02)
        assert [(h["status"], h["actor"]) for h in app["history"]] == [
            ("submitted", "kiosk"),
            ("under_review", "officer"),
            ("approved", "officer"),
            ("card_ready", "officer"),
        ]
        time.sleep(0.15)
        assert api.get(f"/v1/applications/{application_id}").json()["status"] == "card_ready"


def test_file_database_survives_a_restart(tmp_path: Any) -> None:
    clock = Clock(START)
    db = tmp_path / "sim.sqlite3"
    with ReviewSimulator(db_path=db, now=clock) as first:
        api = Api(first.url)
        api.post("/sim/permits", dict(demo_seed()[3], registered_address="海南省海口市美兰区新地址1号"))
        application_id = api.create(reissue(clock)).json()["application_id"]
    with ReviewSimulator(db_path=db, now=clock) as second:
        api = Api(second.url)
        assert api.get(f"/v1/applications/{application_id}").status_code == 200
        record = api.post("/v1/permits/lookup", {"id_number": CHEN_JING["id_number"], "name": "陈静"}).json()
        assert record["registered_address"] == "海南省海口市美兰区新地址1号"
        assert api.create(reissue(clock, person=FU_MINGDE)).json()["application_id"].endswith("-000002")


def test_temporary_database_is_deleted_on_stop() -> None:
    sim = ReviewSimulator()
    tmpdir = sim._tmpdir
    assert tmpdir is not None and tmpdir.exists()
    sim.start()
    sim.stop()
    assert not tmpdir.exists()
    sim.stop()  # idempotent


def test_stop_closes_idle_keep_alive_connections() -> None:
    sim = ReviewSimulator()
    api = Api(sim.start())
    assert api.post("/sim/reset").status_code == 200  # leaves a keep-alive connection open
    started = time.monotonic()
    sim.stop()
    assert time.monotonic() - started < 2


def test_invalid_seed_is_rejected() -> None:
    with pytest.raises(ValueError, match="invalid permit seed #0"):
        ReviewSimulator(seed=[dict(demo_seed()[0], id_number="460108198706120311")])


def test_cli_serves_until_sigterm(tmp_path: Any) -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk.simulator", "--port", "0", "--token", "cli-token:HK-KIOSK-0042"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=str(ROOT),
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        api = Api(url, token="cli-token", kiosk_id="HK-KIOSK-0042")
        assert api.post("/v1/permits/lookup", {"id_number": LIN_HAI["id_number"], "name": "林海"}).status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        if process.stderr is not None:
            process.stderr.close()
        if process.stdout is not None:
            process.stdout.close()


# ====================================================================== injected faults


def test_drop_after_commit_then_retry_gets_the_stored_answer(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    sim.inject_faults("/v1/applications", "drop_after_commit")
    body = reissue(clock)
    key = str(uuid.uuid4())
    with pytest.raises(requests.ConnectionError):
        api.create(body, key=key)
    assert len(sim.applications()) == 1
    retry = api.create(body, key=key)
    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.json()["application_id"] == sim.applications()[0]["application_id"]


def test_drop_before_processing_stores_nothing(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    sim.inject_faults("/v1/applications", "drop")
    body = reissue(clock)
    key = str(uuid.uuid4())
    with pytest.raises(requests.ConnectionError):
        api.create(body, key=key)
    assert sim.applications() == []
    retry = api.create(body, key=key)
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers


def test_503_carries_retry_after_and_is_not_stored(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    sim.inject_faults("/v1/applications", "service_unavailable", retry_after_s=7)
    body = reissue(clock)
    key = str(uuid.uuid4())
    unavailable = api.create(body, key=key)
    problem = assert_problem(unavailable, 503, "service_unavailable")
    assert unavailable.headers["Retry-After"] == "7" and problem["retry_after_s"] == 7
    retry = api.create(body, key=key)
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers


def test_maintenance_and_rate_limit_faults(api: Api, sim: ReviewSimulator) -> None:
    sim.inject_faults("/v1/permits/*", "maintenance", retry_after_s=120)
    sim.inject_faults("/v1/permits/*", "rate_limited", retry_after_s=5)
    query = {"id_number": LIN_HAI["id_number"], "name": "林海"}
    assert api.post("/v1/permits/lookup", query).headers["Retry-After"] == "120"
    limited = api.post("/v1/permits/lookup", query)
    assert_problem(limited, 429, "rate_limited")
    assert api.post("/v1/permits/lookup", query).status_code == 200


def test_fault_comes_after_authentication(api: Api, sim: ReviewSimulator) -> None:
    sim.inject_faults("/v1/*", "service_unavailable")
    api.token = "wrong"
    assert api.post("/v1/permits/lookup", {}).status_code == 401
    api.token = DEMO_TOKEN
    assert api.post("/v1/permits/lookup", {}).status_code == 503


def test_500_is_not_stored(api: Api, sim: ReviewSimulator, clock: Clock) -> None:
    sim.inject_faults("/v1/applications", "internal_error")
    body = reissue(clock)
    key = str(uuid.uuid4())
    assert_problem(api.create(body, key=key), 500, "internal_error")
    assert api.create(body, key=key).status_code == 201


def test_concurrent_request_with_the_same_key_is_409_in_progress(
    api: Api, sim: ReviewSimulator, clock: Clock
) -> None:
    sim.inject_faults("/v1/applications", "delay", delay_s=0.5)
    body = reissue(clock)
    key = str(uuid.uuid4())
    results: dict[str, requests.Response] = {}
    slow = threading.Thread(target=lambda: results.setdefault("first", Api(sim.url).create(body, key=key)))
    slow.start()
    time.sleep(0.2)
    second = api.create(body, key=key)
    slow.join()
    problem = assert_problem(second, 409, "idempotency_in_progress")
    assert second.headers["Retry-After"] == "1" and problem["retry_after_s"] == 1
    assert results["first"].status_code == 201
    again = api.create(body, key=key)
    assert again.headers["Idempotent-Replayed"] == "true" and again.content == results["first"].content


def test_sim_paths_are_not_subject_to_faults(api: Api, sim: ReviewSimulator) -> None:
    sim.inject_faults("*", "service_unavailable")
    assert api.post("/sim/reset").status_code == 200
    assert api.post("/v1/permits/lookup", {}).status_code == 503


def test_sim_kiosk_state_of_a_malformed_kiosk_id_is_not_found(api: Api) -> None:
    """A path id that cannot name a kiosk is answered like an unknown kiosk, not with a 500."""
    assert_problem(api.get("/sim/kiosks/!"), 404, "not_found")
