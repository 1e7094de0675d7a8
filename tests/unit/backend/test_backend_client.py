"""The review-service client against the real simulator on loopback: every renewal call,
problem mapping, and bounded retries (urllib3 Retry, honouring Retry-After)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
import uuid

import pytest

from kiosk.backend_client import ProblemError, ReviewClient, TransportError, default_retry
from kiosk.domain.applications import (
    ApplicationStatus,
    ApplicationView,
    BringItem,
    PickupMethod,
    PickupResult,
)
from kiosk.domain.services import Service
from kiosk.simulator import DEMO_KIOSK_ID, DEMO_TOKEN

JPEG = b"\xff\xd8\xff\xe0" + b"kiosk test page" * 20
LINHAI = ("460108198706120310", "林海")


def client(sim, retries: int = 3, token: str = DEMO_TOKEN, kiosk_id: str = DEMO_KIOSK_ID) -> ReviewClient:
    return ReviewClient(sim.url, token, kiosk_id, timeout=5, retry=default_retry(total=retries, backoff=0.05))


def renewal_body(doc_id: str, ref: str = "K0001-20261130-000001") -> dict:
    return {
        "service": "renewal",
        "applicant": {"name": LINHAI[1], "id_number": LINHAI[0], "phone": "13812345678"},
        "permit_number": "4601082020000310",
        "basis": "employment",
        "documents": [{"document_id": doc_id, "category": "employment_contract", "page": 1}],
        "kiosk_id": DEMO_KIOSK_ID,
        "client_reference": ref,
        "created_at": dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).isoformat(timespec="seconds"),
    }


def test_lookup_found_and_not_found(sim):
    c = client(sim)
    p = c.lookup_permit(*LINHAI)
    assert p is not None and p.permit_number == "4601082020000310"
    assert p.id_number_masked == "460108********0310"
    assert p.phone_on_file_masked == "139****0310"  # contract 1.1: the number on file, masked
    assert c.lookup_permit(LINHAI[0], "林大海") is None  # a name mismatch is "no record"
    wang_fang = c.lookup_permit("460105199002150023", "王芳")  # the demo resident with no number on file
    assert wang_fang is not None and wang_fang.phone_on_file_masked is None


def test_upload_then_submit_is_idempotent(sim):
    c = client(sim)
    doc = str(uuid.uuid4())
    r = c.upload_document(doc, JPEG)
    assert r["sha256"] == hashlib.sha256(JPEG).hexdigest()
    assert c.upload_document(doc, JPEG)["document_id"] == doc  # a repeat is a no-op
    key = str(uuid.uuid4())
    body = renewal_body(doc)
    first = c.create_application(body, key)
    again = c.create_application(body, key)  # the same key and body: the stored answer
    assert first == again
    assert len(sim.applications()) == 1
    assert sim.document_bytes(doc) == JPEG


def test_send_stored_sends_the_stored_bytes_and_key_as_they_are(sim):
    """The outbox's call: the stored body bytes go out unchanged (here in an order and spacing the
    client itself would never produce), with the stored Idempotency-Key; a replay is the stored answer."""
    c = client(sim)
    doc = str(uuid.uuid4())
    c.upload_document(doc, JPEG)
    body = renewal_body(doc)
    stored = json.dumps(dict(reversed(list(body.items()))), ensure_ascii=False, indent=1).encode("utf-8")
    key = str(uuid.uuid4())
    sent: list[tuple[bytes, dict[str, str]]] = []
    c._s.hooks["response"].append(lambda r, **_: sent.append((r.request.body, dict(r.request.headers))))
    first = c.send_stored("POST", "/v1/applications", stored, key)
    again = c.send_stored("POST", "/v1/applications", stored, key)
    assert first == again and first["application_id"]
    assert len(sim.applications()) == 1
    assert [b for b, _ in sent] == [stored, stored]
    for _, headers in sent:
        assert headers["Idempotency-Key"] == key and headers["Content-Type"] == "application/json"


def test_problem_codes_and_messages(sim):
    c = client(sim)
    doc = str(uuid.uuid4())
    c.upload_document(doc, JPEG)
    c.create_application(renewal_body(doc), str(uuid.uuid4()))
    doc2 = str(uuid.uuid4())
    c.upload_document(doc2, JPEG)
    with pytest.raises(ProblemError) as e:
        c.create_application(renewal_body(doc2, ref="K0001-20261130-000002"), str(uuid.uuid4()))
    assert e.value.status == 409 and e.value.code == "not_eligible" and not e.value.retryable
    assert [r["code"] for r in e.value.reasons] == ["duplicate_open_application"]
    assert e.value.message("zh") and e.value.message("en") and e.value.message("zh") != e.value.message("en")


def test_bad_token_is_unauthorized_not_retried(sim):
    c = client(sim, token="wrong-token")
    with pytest.raises(ProblemError) as e:
        c.lookup_permit(*LINHAI)
    assert e.value.status == 401 and e.value.code == "unauthorized" and not e.value.retryable


def test_503_with_retry_after_is_retried_and_succeeds(sim):
    sim.inject_faults("/v1/permits/lookup", "service_unavailable", count=2, retry_after_s=1)
    t0 = time.monotonic()
    assert client(sim).lookup_permit(*LINHAI) is not None
    assert time.monotonic() - t0 >= 1.9  # Retry-After: 1 honoured twice


def test_500_on_submit_is_retried_with_the_same_key_without_duplicates(sim):
    c = client(sim)
    doc = str(uuid.uuid4())
    c.upload_document(doc, JPEG)
    sim.inject_faults("/v1/applications", "internal_error", count=2, method="POST")
    c.create_application(renewal_body(doc), str(uuid.uuid4()))
    assert len(sim.applications()) == 1


def test_retries_are_bounded(sim):
    sim.inject_faults("/v1/permits/lookup", "internal_error", count=10)
    with pytest.raises(ProblemError) as e:
        client(sim, retries=2).lookup_permit(*LINHAI)
    assert e.value.status == 500 and e.value.retryable


@pytest.mark.allow_log(r"^kiosk\.backend_client: POST")
def test_connection_refused_is_a_retryable_transport_error():
    c = ReviewClient("http://127.0.0.1:9", DEMO_TOKEN, DEMO_KIOSK_ID, timeout=2, retry=default_retry(total=1, backoff=0.01))
    with pytest.raises(TransportError) as e:
        c.lookup_permit(*LINHAI)
    assert e.value.retryable
    assert "审核系统" in e.value.message("zh")


# --- 'My applications': typed answers, parsed once at the edge ---------------------------------


def decide(c: ReviewClient, application_id: str, *decisions: str, note: str | None = None) -> None:
    for decision in decisions:
        body = {"decision": decision} if note is None else {"decision": decision, "note": note}
        r = c._s.post(f"{c.base_url}/sim/applications/{application_id}/decide", json=body, timeout=5)
        assert r.status_code == 200, r.text


def submitted(c: ReviewClient) -> str:
    doc = str(uuid.uuid4())
    c.upload_document(doc, JPEG)
    return str(c.create_application(renewal_body(doc), str(uuid.uuid4()))["application_id"])


def test_applications_supplements_and_pickups_come_back_typed(sim):
    c = client(sim)
    app_id = submitted(c)
    (listed,) = c.query_applications(*LINHAI)
    assert isinstance(listed, ApplicationView) and listed.application_id == app_id
    assert listed.status is ApplicationStatus.SUBMITTED and listed.service is Service.RENEWAL
    decide(c, app_id, "needs_more_material", note="请补充劳动合同第2页")
    viewed = c.get_application(app_id)
    assert viewed.status is ApplicationStatus.NEEDS_MORE_MATERIAL and viewed.officer_note == "请补充劳动合同第2页"
    doc = str(uuid.uuid4())
    c.upload_document(doc, JPEG)
    after = c.add_supplement(app_id, {"documents": [{"document_id": doc, "category": "employment_contract", "page": 2}]}, str(uuid.uuid4()))
    assert isinstance(after, ApplicationView) and after.status is ApplicationStatus.UNDER_REVIEW
    decide(c, app_id, "approved", "card_ready")
    pickup = c.choose_pickup(app_id, {"method": "window"}, str(uuid.uuid4()))
    assert isinstance(pickup, PickupResult) and pickup.method is PickupMethod.WINDOW and pickup.application_id == app_id
    assert pickup.bring == (BringItem.ID_CARD, BringItem.RESIDENCE_PERMIT)
    assert c.get_application(app_id).pickup == pickup


def answer_instead(c: ReviewClient, body: object) -> None:
    """Every answer of the service now carries ``body`` (status and headers unchanged)."""

    def replace(r, **_):
        r._content = json.dumps(body).encode("utf-8")
        return r

    c._s.hooks["response"].append(replace)


@pytest.mark.parametrize(
    "body",
    [
        {"truncated": False},  # no applications member
        {"applications": "none", "truncated": False},
        {"applications": [{"application_id": "JZ-20250611-000123"}], "truncated": False},
        {"applications": [{"application_id": "JZ-20250611-000123", "status": "lost"}], "truncated": False},
    ],
)
def test_a_malformed_applications_answer_is_a_transport_error(sim, body, caplog):
    c = client(sim)
    submitted(c)
    answer_instead(c, body)
    with pytest.raises(TransportError) as e:
        c.query_applications(*LINHAI)
    assert e.value.retryable and "审核系统" in e.value.message("zh")
    assert "malformed answer" in caplog.text and "lost" not in caplog.text  # members are named, values are not


@pytest.mark.allow_log(r"^kiosk\.backend_client: malformed answer from the review service")
def test_a_malformed_application_supplement_or_pickup_answer_is_a_transport_error(sim):
    c = client(sim)
    app_id = submitted(c)
    decide(c, app_id, "needs_more_material", note="请补充劳动合同第2页")
    doc = str(uuid.uuid4())
    c.upload_document(doc, JPEG)
    answer_instead(c, {"application_id": app_id, "status": "submitted"})  # no service, no dates...
    with pytest.raises(TransportError):
        c.get_application(app_id)
    with pytest.raises(TransportError):  # accepted by the service, but the answer is unusable
        c.add_supplement(app_id, {"documents": [{"document_id": doc, "category": "employment_contract", "page": 2}]}, str(uuid.uuid4()))
    c._s.hooks["response"].clear()
    decide(c, app_id, "approved", "card_ready")
    answer_instead(c, {"method": "window", "application_id": app_id})  # no chosen_at, no station
    with pytest.raises(TransportError):
        c.choose_pickup(app_id, {"method": "window"}, str(uuid.uuid4()))


# --- every answer checked against the contract's schemas (issue 17, cases 4 and 5) -------------
# Each answer below comes over real HTTP from the simulator on loopback, which processed the
# request and then broke its answer (fault ``replace_members``): the client must call it a
# TransportError (retryable), naming members in the log and never values.


def beat_body(c: ReviewClient) -> dict:
    from kiosk.heartbeat import Heartbeat

    return Heartbeat(c, lambda: {"card_reader": "ok", "camera": "ok", "printer": "ok"}).body()


def test_a_malformed_heartbeat_answer_is_a_transport_error(sim, caplog):
    c = client(sim, retries=0)
    sim.inject_faults(f"/v1/kiosks/{DEMO_KIOSK_ID}/heartbeat", "replace_members", members={"next_heartbeat_s": "soon"})
    with pytest.raises(TransportError) as e:
        c.heartbeat(beat_body(c))
    assert e.value.retryable
    assert "/next_heartbeat_s" in caplog.text and "soon" not in caplog.text
    sim.inject_faults(
        f"/v1/kiosks/{DEMO_KIOSK_ID}/heartbeat", "replace_members",
        members={"out_of_service": True, "message": {"zh-CN": 42, "en": ["not", "text"]}},
    )
    with pytest.raises(TransportError):
        c.heartbeat(beat_body(c))


def test_a_malformed_lookup_answer_is_a_transport_error(sim, caplog):
    c = client(sim, retries=0)
    sim.inject_faults("/v1/permits/lookup", "replace_members", members={"valid_until": "next spring", "holder_name": 7})
    with pytest.raises(TransportError):
        c.lookup_permit(*LINHAI)
    assert "/valid_until" in caplog.text and "next spring" not in caplog.text
    assert c.lookup_permit(*LINHAI) is not None  # the next, sound answer is used


@pytest.mark.allow_log(r"^kiosk\.backend_client: malformed answer from the review service")
def test_a_malformed_submit_answer_without_an_application_id_is_a_transport_error(sim):
    c = client(sim, retries=0)
    doc = str(uuid.uuid4())
    c.upload_document(doc, JPEG)
    key = str(uuid.uuid4())
    body = renewal_body(doc)
    sim.inject_faults("/v1/applications", "replace_members", method="POST", members={"application_id": None})
    with pytest.raises(TransportError):
        c.create_application(body, key)
    receipt = c.create_application(body, key)  # the retry is a replay: one application
    assert receipt["application_id"].startswith("JZ-") and len(sim.applications()) == 1


def test_a_201_whose_decision_date_does_not_parse_is_still_an_accepted_application(sim, caplog):
    """Issue 17, case 5: the receipt is usable as long as its application_id is."""
    c = client(sim, retries=0)
    doc = str(uuid.uuid4())
    c.upload_document(doc, JPEG)
    sim.inject_faults("/v1/applications", "replace_members", method="POST", members={"expected_decision_by": "soon-ish"})
    receipt = c.create_application(renewal_body(doc), str(uuid.uuid4()))
    assert receipt["application_id"].startswith("JZ-") and "expected_decision_by" not in receipt
    assert receipt["status"] == "submitted"
    assert "expected_decision_by" in caplog.text and "soon-ish" not in caplog.text


def test_a_malformed_status_answer_is_a_transport_error(sim, caplog):
    c = client(sim, retries=0)
    app_id = submitted(c)
    sim.inject_faults("/v1/applications/query", "replace_members", members={"truncated": "maybe"})
    with pytest.raises(TransportError):
        c.query_applications(*LINHAI)
    sim.inject_faults(f"/v1/applications/{app_id}", "replace_members", method="GET", members={"updated_at": "yesterday"})
    with pytest.raises(TransportError):
        c.get_application(app_id)
    assert "yesterday" not in caplog.text


@pytest.mark.allow_log(r"^kiosk\.backend_client: malformed answer from the review service")
def test_a_malformed_pickup_answer_is_a_transport_error(sim):
    c = client(sim, retries=0)
    app_id = submitted(c)
    decide(c, app_id, "approved", "card_ready")
    sim.inject_faults(f"/v1/applications/{app_id}/pickup", "replace_members", members={"method": "drone"})
    key = str(uuid.uuid4())
    with pytest.raises(TransportError):
        c.choose_pickup(app_id, {"method": "window"}, key)
    assert c.choose_pickup(app_id, {"method": "window"}, key).method is PickupMethod.WINDOW  # the replay is sound
