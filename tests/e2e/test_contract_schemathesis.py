"""Schemathesis against the review-service contract (docs/contract/review-service.openapi.yaml).

Every operation of the contract, including the simulator-only ``/sim`` paths, is fuzzed against the
project's simulator (one instance on 127.0.0.1, port 0, for the whole module) with the stateless
response-conformance checks. A second test walks one deterministic journey through the success paths
(which fuzzing cannot reach: they need uploaded documents, a seeded resident, officer decisions) and
runs the same checks on every answer.

Checks used (``CHECKS``, tests/contract_checks.py, with the narrowing code), and why the contract
guarantees them:

* ``not_a_server_error`` - no input may crash the service (500 ``internal_error`` is for faults only).
* ``status_code_conformance`` - every status the service sends is listed for the operation.
* ``content_type_conformance`` - ``application/json`` for successes, ``application/problem+json``
  for every error (section 4).
* ``response_headers_conformance`` - documented headers are present and well-formed (e.g.
  ``WWW-Authenticate`` on 401, ``Retry-After`` on 429/503, ``X-Request-Id``, ``Idempotent-Replayed``).
* ``response_schema_conformance`` - bodies match the response schemas (problems included), with
  the one correction of ``SimKioskState.help_requests`` listed below (``_listed_help_requests_conform``).
* ``negative_data_rejection`` - a request that violates the schema is refused (request objects are
  closed, section 4; ``null`` where the schema does not allow it is 422 ``type``), narrowed by exactly
  the one rule where the contract's prose accepts what the schema's letter does not; see
  ``_contract_accepts``.
* ``missing_required_header`` - e.g. no ``Idempotency-Key`` is ``400 idempotency_key_required``.
* ``unsupported_method`` - an undocumented method is ``405 method_not_allowed`` with ``Allow``.
* ``allow_header_conformance`` - an ``Allow`` header (on an ``OPTIONS`` answer, which the contract
  does not define and the simulator answers 405) lists exactly the documented methods.
* ``ignored_auth`` - every operation needs the Bearer token (section 2): schemathesis re-sends
  successful requests without / with an invalid token and expects them refused.
* ``request_id_and_problem_conformance`` (tests/contract_checks.py) - sections 2 and 5 rules the
  schemas cannot express: ``X-Request-Id`` echoed, problem ``status`` / ``type`` / ``instance`` /
  ``request_id`` consistent with the response.

Checks left out:

* ``positive_data_acceptance`` - it expects 2xx for every schema-valid request. The contract has rules
  the schema cannot express (ID-number checksum, ``unknown_document``, ``note`` required for some
  decisions, ``created_at`` window, exactly one of ``phone`` / ``use_phone_on_file: true``,
  ``no_phone_on_file``) and answers schema-valid requests 404 / 409 / 422 by design (unknown
  application, ``not_eligible``, ``invalid_state``, ``idempotency_conflict``).
* ``max_response_time`` - the contract states no latency bound; on 2 shared cores it would be flaky.
* ``use_after_free``, ``ensure_resource_availability``, ``object_level_authorization`` - stateful
  (they need links between operations, which the contract does not declare); the journey test covers
  the stateful success paths instead.

Contract ambiguities met (the simulator follows the prose; nothing is skipped beyond these):

* Section 4 is exact since 1.1: ``null`` means "not given" only where the property's schema allows
  ``null``. Where it does not (``ApplicationQuery.limit``, ``SimPermitSeed.valid_until`` /
  ``valid_until_offset_days``, ``SimKioskDirective.config_version``) the simulator answers 422 with
  field code ``type``, so such requests need no narrowing. ``type`` is the code section 4 names;
  ``FieldErrorCode`` lists ``invalid_type`` for wrong types but admits unlisted codes, so both
  conform. (``SimKioskDirective.next_heartbeat_s`` and ``staff_on_duty`` allow ``null``: not given,
  the current value is kept; ``message: null`` clears the message, as the only way to clear it.)
* Section 2: a malformed ``X-Request-Id`` is "otherwise" - the server generates one - rather than a
  422; the simulator ignores it. Its schema pattern makes schemathesis expect a rejection.
* ``SimKioskState.help_requests`` items are ``allOf`` [``HelpRequest``, an object declaring
  ``help_request_id``], but ``HelpRequest`` is closed (``additionalProperties: false``), so by the
  letter no listed item may carry the ``help_request_id`` the second branch declares (and section 4
  says response objects are open). The simulator lists each request with its ``help_request_id``;
  the schema check accepts exactly that: ``HelpRequest``'s members plus ``help_request_id``.
* ``POST /v1/kiosks/{kiosk_id}/help-requests`` declares ``Idempotency-Key`` required and "the same key
  returns the first answer", while section 6 does not list it among the operations that need a key
  and the operation lists no 409 (``idempotency_conflict`` / ``idempotency_in_progress``) or 413.
  The simulator treats it like every creating POST; fuzzing never reuses a key for another request
  (``_kiosk_like``), so no undocumented 409 comes up here; tests/test_simulator_1_1.py covers it.
* Section 6 vs section 2: a replayed problem keeps the original ``request_id`` in its body while the
  ``X-Request-Id`` header is the new request's; ``request_id_and_problem_conformance`` allows just
  that.
* The ``/sim`` paths name their own server (``http://127.0.0.1:8080``); every call here goes to the
  simulator's real base URL instead (port 0).

Budget: ``max_examples`` fuzzing examples per operation plus the schema's examples and schemathesis'
deterministic coverage cases, derandomized (the same cases on every run), no example database.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from kiosk.domain.application import Application
from kiosk.domain.services import Basis, Service
from kiosk.simulator import DEMO_KIOSK_ID, ReviewSimulator, demo_seed
from tests.support.contract_checks import AUTH, CHECKS, RAW, schema

#: Fuzzing examples per operation (the examples and coverage phases come on top).
MAX_EXAMPLES = 25

# ---------------------------------------------------------------- generation setup

# Document uploads: bytes that mostly really are JPEG / PDF (else every upload would end at the magic
# byte check, 415), sometimes not. The digest header is fixed up per case in ``_kiosk_like``.
_TAIL = st.binary(min_size=0, max_size=64)
schemathesis.openapi.media_type(
    "image/jpeg",
    st.one_of(_TAIL.map(lambda tail: b"\xff\xd8\xff\xe0" + tail), st.binary(min_size=0, max_size=16)),
)
schemathesis.openapi.media_type(
    "application/pdf",
    st.one_of(_TAIL.map(lambda tail: b"%PDF-1.7\n" + tail), st.binary(min_size=0, max_size=16)),
)
# ``schema`` (tests/contract_checks.py) sends the demo kiosk's token and id with every generated
# request. The /sim paths declare their own server (http://127.0.0.1:8080). No server URL is used at
# all: every call passes ``base_url`` = the simulator started below, so /v1 and /sim hit the same one.


# ---------------------------------------------------------------- the simulator


def _spec_permit_example() -> dict[str, Any]:
    """The resident of the contract's request examples (张伟 430102199003071234), as the contract's
    own ``simSeedPermit`` example seeds it: the examples of lookup / query then find a record."""
    op = RAW["paths"]["/sim/permits"]["post"]
    return dict(op["requestBody"]["content"]["application/json"]["examples"]["due_for_endorsement"]["value"])


@pytest.fixture(scope="module")
def sim_url() -> Iterator[str]:
    sim = ReviewSimulator(seed=[*demo_seed(), _spec_permit_example()])
    url = sim.start("127.0.0.1", 0)
    try:
        yield url
    finally:
        sim.stop()


_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_HEX64_RE = re.compile(r"[0-9a-fA-F]{64}")
_KEY_NAMESPACE = uuid.UUID("5d6c2f0e-8f0b-4b8e-9a57-2f4b8f0c1a11")


def _kiosk_like(case: Any) -> None:
    """Make schema-valid values behave like a real kiosk's, keeping them schema-valid.

    * A valid ``Idempotency-Key`` is replaced by one derived from (key, method, path, body): the
      generator reuses a handful of UUIDs for different bodies, which would make nearly every POST a
      ``409 idempotency_conflict``. Identical requests still share a key (replays stay covered).
      Missing or malformed keys are left alone: they must be ``400 idempotency_key_*``.
    * A well-formed digest header on a document upload is set to the real digest of the body, so
      uploads reach the magic-byte and conflict checks (201 / 200 / 409) instead of always ending
      with ``400 digest_mismatch``. A missing or malformed one is left alone.
    """
    headers = case.headers
    if not headers:
        return
    key = headers.get("Idempotency-Key")
    if isinstance(key, str) and _UUID_RE.fullmatch(key):
        headers["Idempotency-Key"] = str(
            uuid.uuid5(_KEY_NAMESPACE, f"{key} {case.method} {case.formatted_path} {case.body!r}")
        )
    body = case.body
    if case.operation.path == "/v1/documents/{document_id}" and isinstance(body, bytes):
        digest = hashlib.sha256(body)
        hex_digest = headers.get("X-Content-SHA256")
        if isinstance(hex_digest, str) and _HEX64_RE.fullmatch(hex_digest):
            headers["X-Content-SHA256"] = digest.hexdigest()
        if "Content-Digest" in headers:
            headers["Content-Digest"] = f"sha-256=:{base64.b64encode(digest.digest()).decode()}:"


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_contract(case: Any, sim_url: str) -> None:
    _kiosk_like(case)
    case.call_and_validate(base_url=sim_url, headers=AUTH, checks=CHECKS)


# ---------------------------------------------------------------- the success paths, one journey

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"contract-journey" * 8
PDF = b"%PDF-1.4\n%contract journey\n" + b"pdf" * 40
LIN_HAI = {"name": "林海", "id_number": "460108198706120310", "phone": "13812345678"}  # due for endorsement
CHEN_JING = {"name": "陈静", "id_number": "460102199208080041", "phone": "13600003333"}  # active
ZHANG_WEI = {"name": "张伟", "id_number": "460106198503121214", "phone": "13900001111"}  # not yet due
WANG_FANG = {"name": "王芳", "id_number": "460105199002150023", "phone": "13700002222"}  # late; no number on file
#: Numbers on file of the demo seed, masked (张伟 has none).
LIN_HAI_ON_FILE_MASKED = "139****0310"
CHEN_JING_ON_FILE_MASKED = "136****0041"


class _Journey:
    """Requests built as ``Case`` objects of the contract and validated with the same checks."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.kiosk = {"X-Kiosk-Id": DEMO_KIOSK_ID}
        self.checks = CHECKS
        self._references = iter(range(1, 10_000))

    def call(
        self,
        path: str,
        method: str,
        expected: int,
        *,
        body: Any = None,
        media_type: str | None = None,
        headers: dict[str, str] | None = None,
        **path_parameters: str,
    ) -> Any:
        operation = schema[path][method]
        kwargs: dict[str, Any] = {
            "headers": {**headers} if headers else {},
            "path_parameters": path_parameters,
        }
        if not path.startswith("/sim/"):
            kwargs["headers"].update(self.kiosk)
        if body is not None:
            kwargs["body"] = body
            kwargs["media_type"] = media_type or "application/json"
        response = operation.Case(**kwargs).call_and_validate(
            base_url=self.base_url, headers=AUTH, checks=self.checks
        )
        assert response.status_code == expected, f"{method} {path}: {response.status_code} {response.text}"
        return response

    def upload(
        self, content: bytes, media_type: str, expected: int = 201, document_id: str | None = None
    ) -> str:
        document_id = document_id or str(uuid.uuid4())
        digest = hashlib.sha256(content)
        headers = (
            {"X-Content-SHA256": digest.hexdigest()}
            if media_type == "image/jpeg"
            else {"Content-Digest": f"sha-256=:{base64.b64encode(digest.digest()).decode()}:"}
        )
        self.call(
            "/v1/documents/{document_id}",
            "PUT",
            expected,
            body=content,
            media_type=media_type,
            headers=headers,
            document_id=document_id,
        )
        return document_id

    def application(self, service: str, person: dict[str, str], **extra: Any) -> dict[str, Any]:
        return {
            "service": service,
            "applicant": person,
            "documents": [],
            "kiosk_id": DEMO_KIOSK_ID,
            "client_reference": f"K0001-CONTRACT-{next(self._references):04d}",
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **extra,
        }

    def create(self, body: dict[str, Any], expected: int = 201, key: str | None = None) -> Any:
        key = key or str(uuid.uuid4())
        return self.call("/v1/applications", "POST", expected, body=body, headers={"Idempotency-Key": key})

    def decide(
        self, application_id: str, decision: str, note: str | None = None, expected: int = 200
    ) -> None:
        body = {"decision": decision} if note is None else {"decision": decision, "note": note}
        self.call(
            "/sim/applications/{application_id}/decide",
            "POST",
            expected,
            body=body,
            application_id=application_id,
        )

    def help(
        self, body: dict[str, Any], expected: int = 201, key: str | None = None, kiosk_id: str = DEMO_KIOSK_ID
    ) -> Any:
        headers = {"Idempotency-Key": key or str(uuid.uuid4())}
        path = "/v1/kiosks/{kiosk_id}/help-requests"
        return self.call(path, "POST", expected, body=body, headers=headers, kiosk_id=kiosk_id)

    def pickup(self, application_id: str, body: dict[str, Any], expected: int = 200) -> Any:
        return self.call(
            "/v1/applications/{application_id}/pickup",
            "POST",
            expected,
            body=body,
            headers={"Idempotency-Key": str(uuid.uuid4())},
            application_id=application_id,
        )


def _code(response: Any) -> str:
    return str(response.json()["code"])


def _field_errors(response: Any) -> list[tuple[str, str]]:
    assert _code(response) == "validation_failed"
    return [(error.get("pointer", error.get("parameter")), error["code"]) for error in response.json()["errors"]]


def _identity(person: dict[str, str]) -> dict[str, str]:
    return {"name": person["name"], "id_number": person["id_number"]}


def test_success_paths_conform() -> None:
    """Success answers of every operation, and answers fuzzing cannot reach (business-rule problems,
    idempotent replay, injected 429 / 503 / 500), through the same checks."""
    sim = ReviewSimulator()
    journey = _Journey(sim.start("127.0.0.1", 0))
    try:
        # documents: created, repeated (original receipt), other bytes (document_conflict)
        jpeg = journey.upload(JPEG, "image/jpeg")
        journey.upload(JPEG, "image/jpeg", expected=200, document_id=jpeg)
        journey.upload(JPEG + b"!", "image/jpeg", expected=409, document_id=jpeg)
        pdf = journey.upload(PDF, "application/pdf")
        person = {"id_number": LIN_HAI["id_number"], "name": LIN_HAI["name"]}
        record = journey.call("/v1/permits/lookup", "POST", 200, body=person).json()
        assert record["phone_on_file_masked"] == LIN_HAI_ON_FILE_MASKED
        no_number = journey.call("/v1/permits/lookup", "POST", 200, body=_identity(WANG_FANG)).json()
        assert no_number["phone_on_file_masked"] is None

        # renewal: submitted -> needs_more_material -> (supplement) under_review -> approved -> card_ready
        documents = [{"document_id": jpeg, "category": "employment_contract", "page": 1}]
        renewal = journey.application("renewal", LIN_HAI, basis="employment", documents=documents)
        key = str(uuid.uuid4())
        created = journey.create(renewal, key=key)
        replayed = journey.create(renewal, key=key)
        assert replayed.headers["idempotent-replayed"] == ["true"] and replayed.content == created.content
        assert _code(journey.create(renewal, expected=409)) == "client_reference_conflict"
        changed = {**renewal, "client_reference": "K0001-CONTRACT-OTHER"}
        assert _code(journey.create(changed, key=key, expected=409)) == "idempotency_conflict"
        duplicate = journey.application("renewal", LIN_HAI, basis="employment", documents=documents)
        assert _code(journey.create(duplicate, expected=409)) == "not_eligible"
        application_id = created.json()["application_id"]
        journey.call("/v1/applications/{application_id}", "GET", 200, application_id=application_id)
        journey.decide(application_id, "needs_more_material", note="请补充社保缴纳证明。")
        supplement = {
            "documents": [{"document_id": pdf, "category": "social_insurance_record", "page": 1}],
            "note": "补充材料",
        }
        journey.call(
            "/v1/applications/{application_id}/supplements",
            "POST",
            200,
            body=supplement,
            headers={"Idempotency-Key": str(uuid.uuid4())},
            application_id=application_id,
        )
        assert _code(journey.pickup(application_id, {"method": "window"}, expected=409)) == "invalid_state"
        for decision in ("approved", "card_ready"):
            journey.decide(application_id, decision)
        mail = {
            "recipient": LIN_HAI["name"],
            "address": "海南省海口市美兰区和平大道56号",
            "phone": LIN_HAI["phone"],
        }
        journey.pickup(application_id, {"method": "mail", "mail": mail})
        journey.decide(application_id, "completed")
        journey.decide(application_id, "approved", expected=409)
        journey.call("/v1/applications/query", "POST", 200, body=person)
        # section 4 (1.1): ``limit`` does not allow null
        limit_null = journey.call("/v1/applications/query", "POST", 422, body={**person, "limit": None})
        assert _field_errors(limit_null) == [("/limit", "type")]

        # reissue confirming the number on file (1.1), with window pickup
        on_file = {**_identity(CHEN_JING), "use_phone_on_file": True}
        reissue = journey.create(journey.application("reissue_lost", on_file)).json()["application_id"]
        viewed = journey.call("/v1/applications/{application_id}", "GET", 200, application_id=reissue).json()
        assert viewed["applicant"]["phone_masked"] == CHEN_JING_ON_FILE_MASKED
        # exactly one of phone / use_phone_on_file: true; and a number must be on file
        neither = journey.application("reissue_damaged", _identity(CHEN_JING))
        assert _field_errors(journey.create(neither, expected=422)) == [("/applicant", "phone_required")]
        both = journey.application("reissue_damaged", {**CHEN_JING, "use_phone_on_file": True})
        assert _field_errors(journey.create(both, expected=422)) == [("/applicant", "phone_required")]
        nothing_on_file = journey.application("reissue_lost", {**_identity(WANG_FANG), "use_phone_on_file": True})
        assert _field_errors(journey.create(nothing_on_file, expected=422)) == [
            ("/applicant/use_phone_on_file", "no_phone_on_file")
        ]
        for decision in ("approved", "card_ready"):
            journey.decide(reissue, decision)
        journey.pickup(reissue, {"method": "window"})
        too_early = journey.application("renewal", ZHANG_WEI, basis="employment", documents=documents)
        assert _code(journey.create(too_early, expected=409)) == "not_eligible"

        # the kiosk's own 1.1 body (issue 13): a renewal that confirms the number on file
        kiosk_app = Application(Service.RENEWAL, basis=Basis.RESIDENCE, use_phone_on_file=True)
        page = kiosk_app.add_page("rental_contract", JPEG)
        journey.upload(JPEG, "image/jpeg", document_id=page.document_id)
        body = kiosk_app.create_request(
            name="符明德", id_number="460107196809180038", permit_number="4601072017000918",
            kiosk_id=DEMO_KIOSK_ID, client_reference="K0001-CONTRACT-KIOSK",
            created_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        )
        assert body["applicant"] == {"name": "符明德", "id_number": "460107196809180038", "use_phone_on_file": True}
        on_file_renewal = journey.create(body).json()["application_id"]
        viewed = journey.call("/v1/applications/{application_id}", "GET", 200, application_id=on_file_renewal).json()
        assert viewed["applicant"]["phone_masked"] == "188****0038"

        # kiosks and the other simulator-only paths
        heartbeat = {
            "software_version": "1.4.2",
            "uptime_s": 60,
            "devices": {"card_reader": "ok", "camera": "ok", "printer": "paper_low"},
            "outbox_depth": 0,
        }
        heartbeat_path = "/v1/kiosks/{kiosk_id}/heartbeat"
        journey.call(heartbeat_path, "POST", 200, body=heartbeat, kiosk_id=DEMO_KIOSK_ID)
        journey.call("/sim/kiosks/{kiosk_id}", "GET", 200, kiosk_id=DEMO_KIOSK_ID)
        directive = {"out_of_service": True, "message": {"zh-CN": "维护中。", "en": "Maintenance."}}
        journey.call("/sim/kiosks/{kiosk_id}", "PUT", 200, body=directive, kiosk_id=DEMO_KIOSK_ID)
        journey.call(heartbeat_path, "POST", 200, body=heartbeat, kiosk_id=DEMO_KIOSK_ID)
        journey.call("/sim/permits", "POST", 201, body=_spec_permit_example())
        null_version = {"out_of_service": False, "config_version": None}
        rejected = journey.call("/sim/kiosks/{kiosk_id}", "PUT", 422, body=null_version, kiosk_id=DEMO_KIOSK_ID)
        assert _field_errors(rejected) == [("/config_version", "type")]
        null_validity = {**_spec_permit_example(), "valid_until_offset_days": None}
        assert _field_errors(journey.call("/sim/permits", "POST", 422, body=null_validity)) == [
            ("/valid_until_offset_days", "type")
        ]

        # help requests (1.1): on duty, its replay, another kiosk's path, off duty, the listing
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        asked = {"reason": "resident_asked", "screen": "capture", "created_at": now}
        help_key = str(uuid.uuid4())
        on_duty = journey.help(asked, key=help_key)
        assert on_duty.json()["staff_on_duty"] is True and on_duty.json()["expected_wait_minutes"] == 5
        again = journey.help(asked, key=help_key)
        assert again.headers["idempotent-replayed"] == ["true"] and again.content == on_duty.content
        assert _code(journey.help(asked, expected=403, kiosk_id="HK-KIOSK-0002")) == "kiosk_mismatch"
        first = {"help_request_id": on_duty.json()["help_request_id"], **asked}
        off = {"out_of_service": False, "staff_on_duty": False}
        state = journey.call("/sim/kiosks/{kiosk_id}", "PUT", 200, body=off, kiosk_id=DEMO_KIOSK_ID).json()
        assert state["help_requests"] == [first]
        card_left = {"reason": "card_left_in_reader", "screen": None, "created_at": now}
        off_duty = journey.help(card_left).json()
        assert off_duty["staff_on_duty"] is False and off_duty["expected_wait_minutes"] is None
        assert "0898-66000001" in off_duty["message"]["zh-CN"] and "0898-66000001" in off_duty["message"]["en"]
        state = journey.call("/sim/kiosks/{kiosk_id}", "GET", 200, kiosk_id=DEMO_KIOSK_ID).json()
        assert state["help_requests"] == [first, {"help_request_id": off_duty["help_request_id"], **card_left}]

        # injected faults: 429 / 503 carry Retry-After and retry_after_s; 503 and 500 are server errors
        # on purpose, so not_a_server_error is left out for those two
        sim.inject_faults("/v1/permits/lookup", "rate_limited", retry_after_s=5)
        assert _code(journey.call("/v1/permits/lookup", "POST", 429, body=person)) == "rate_limited"
        journey.checks = [check for check in CHECKS if check is not not_a_server_error]
        sim.inject_faults("/v1/applications", "maintenance", retry_after_s=120)
        assert _code(journey.create(duplicate, expected=503)) == "maintenance"
        sim.inject_faults("/v1/applications/*", "internal_error", method="GET")
        journey.call("/v1/applications/{application_id}", "GET", 500, application_id=application_id)
        journey.checks = CHECKS

        journey.call("/sim/reset", "POST", 200)
    finally:
        sim.stop()
