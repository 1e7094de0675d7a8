"""Schemathesis against the review-service contract (docs/contract/review-service.openapi.yaml).

Every operation of the contract, including the simulator-only ``/sim`` paths, is fuzzed against the
project's simulator (one instance on 127.0.0.1, port 0, for the whole module) with the stateless
response-conformance checks. A second test walks one deterministic journey through the success paths
(which fuzzing cannot reach: they need uploaded documents, a seeded resident, officer decisions) and
runs the same checks on every answer.

Checks used, and why the contract guarantees them:

* ``not_a_server_error`` - no input may crash the service (500 ``internal_error`` is for faults only).
* ``status_code_conformance`` - every status the service sends is listed for the operation.
* ``content_type_conformance`` - ``application/json`` for successes, ``application/problem+json``
  for every error (section 4).
* ``response_headers_conformance`` - documented headers are present and well-formed (e.g.
  ``WWW-Authenticate`` on 401, ``Retry-After`` on 429/503, ``X-Request-Id``, ``Idempotent-Replayed``).
* ``response_schema_conformance`` - bodies match the response schemas (problems included).
* ``negative_data_rejection`` - a request that violates the schema is refused (request objects are
  closed, section 4), narrowed by exactly the two rules where the contract's prose accepts what the
  schema's letter does not; see ``_contract_accepts``.
* ``missing_required_header`` - e.g. no ``Idempotency-Key`` is ``400 idempotency_key_required``.
* ``unsupported_method`` - an undocumented method is ``405 method_not_allowed`` with ``Allow``.
* ``allow_header_conformance`` - an ``Allow`` header (on an ``OPTIONS`` answer, which the contract
  does not define and the simulator answers 405) lists exactly the documented methods.
* ``ignored_auth`` - every operation needs the Bearer token (section 2): schemathesis re-sends
  successful requests without / with an invalid token and expects them refused.
* ``request_id_and_problem_conformance`` (below, this file) - sections 2 and 5 rules the schemas
  cannot express: ``X-Request-Id`` echoed, problem ``status`` / ``type`` / ``instance`` /
  ``request_id`` consistent with the response.

Checks left out:

* ``positive_data_acceptance`` - it expects 2xx for every schema-valid request. The contract has rules
  the schema cannot express (ID-number checksum, ``unknown_document``, ``note`` required for some
  decisions, ``created_at`` window) and answers schema-valid requests 404 / 409 / 422 by design
  (unknown application, ``not_eligible``, ``invalid_state``, ``idempotency_conflict``).
* ``max_response_time`` - the contract states no latency bound; on 2 shared cores it would be flaky.
* ``use_after_free``, ``ensure_resource_availability``, ``object_level_authorization`` - stateful
  (they need links between operations, which the contract does not declare); the journey test covers
  the stateful success paths instead.

Contract ambiguities met (the simulator follows the prose; nothing is skipped beyond these):

* Section 4 says ``null`` for an optional property means "not given", but several optional
  properties are typed without ``null`` (``ApplicationQuery.limit``, ``SimPermitSeed.valid_until`` /
  ``valid_until_offset_days``, ``SimKioskDirective.config_version`` / ``next_heartbeat_s``); with
  ``valid_until: null`` next to ``valid_until_offset_days`` the ``oneOf`` of ``SimPermitSeed`` fails
  too. Schemathesis calls such requests invalid; the simulator accepts them as section 4 says.
* Section 2: a malformed ``X-Request-Id`` is "otherwise" - the server generates one - rather than a
  422; the simulator ignores it. Its schema pattern makes schemathesis expect a rejection.
* Section 6 vs section 2: a replayed problem keeps the original ``request_id`` in its body while the
  ``X-Request-Id`` header is the new request's; the problem check below allows exactly that.
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
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import AcceptedNegativeData
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from kiosk.simulator import DEMO_KIOSK_ID, DEMO_TOKEN, ReviewSimulator, demo_seed

#: The project's copy of the contract (tests/test_contract_copy.py keeps it equal to ../shared/spec).
SPEC = Path(__file__).resolve().parents[1] / "docs" / "contract" / "review-service.openapi.yaml"
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

schema = schemathesis.openapi.from_path(SPEC)
schema.config.update(
    # Every request carries the demo kiosk's token (section 2) ...
    headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
    # ... and the kiosk id it is bound to: a generated X-Kiosk-Id (or heartbeat path kiosk id) would
    # make nearly every /v1 request a 403 kiosk_mismatch that never reaches the operation.
    parameters={"header.X-Kiosk-Id": DEMO_KIOSK_ID, "path.kiosk_id": DEMO_KIOSK_ID},
)
# The /sim paths declare their own server (http://127.0.0.1:8080). No server URL is used at all: every
# call passes ``base_url`` = the simulator started below, so /v1 and /sim hit the same simulator.

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
    ignored_auth,
]
RAW: dict[str, Any] = schema.raw_schema
AUTH = {"Authorization": f"Bearer {DEMO_TOKEN}"}


# ---------------------------------------------------------------- the contract's two lenient rules

_VALIDATORS: dict[str, Any] = {}


def _validator(subschema: dict[str, Any]) -> Any:
    """A JSON Schema 2020-12 validator (formats asserted) for a subschema of the contract."""
    key = repr(subschema)
    if key not in _VALIDATORS:
        root = {**subschema, "components": RAW["components"]}
        _VALIDATORS[key] = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
    return _VALIDATORS[key]


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node and len(node) == 1:
        target: Any = RAW
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _drop_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_nulls(item) for item in value]
    return value


def _contract_accepts(case: Any) -> bool:
    """Whether the contract itself says this schema-violating request is to be accepted.

    Two rules of the contract's prose are more lenient than the letter of the schema:

    * section 4: "An optional property may be omitted or sent as ``null``; both mean 'not given'".
      Several optional properties are typed without ``null`` (``SimPermitSeed.valid_until`` /
      ``valid_until_offset_days``, ``SimKioskDirective.next_heartbeat_s`` / ``config_version`` ...),
      so a ``null`` there violates the schema yet means "not given".
    * section 2: "Optional ``X-Request-Id`` (1-64 chars ``[A-Za-z0-9._:-]``) is echoed back; otherwise
      the server generates one." - a malformed one is replaced, not refused (no error code for it
      exists in section 5).

    The request is normalised by exactly these two rules (drop every ``null`` member - dropping a
    required one leaves the request invalid - and a malformed ``X-Request-Id``); it is accepted only
    when the normalised request then satisfies every parameter and body schema of the operation.
    """
    operation = RAW["paths"][case.operation.path][case.method.lower()]
    headers = {name.lower(): value for name, value in (case.headers or {}).items()}
    changed = False
    request_id = headers.get("x-request-id")
    if request_id is not None and not re.fullmatch(r"[A-Za-z0-9._:-]{1,64}", str(request_id)):
        del headers["x-request-id"]
        changed = True
    body = case.body
    if isinstance(body, dict | list):
        normalised = _drop_nulls(body)
        changed = changed or normalised != body
        body = normalised
    if not changed:
        return False
    for parameter in (_resolve(p) for p in operation.get("parameters", [])):
        name, location = parameter["name"], parameter["in"]
        if location == "header":
            value = headers.get(name.lower())
        elif location == "path":
            value = (case.path_parameters or {}).get(name)
        else:
            return False  # the contract has no query or cookie parameters
        if value is None:
            if parameter.get("required"):
                return False
            continue
        if not _validator(parameter["schema"]).is_valid(value):
            return False
    request_body = operation.get("requestBody")
    if request_body is not None:
        content = request_body["content"]
        if case.media_type not in content:
            return False
        # Raw document bytes: the schema (``type: string`` + ``contentMediaType``) asserts nothing more.
        if not isinstance(body, bytes) and not _validator(content[case.media_type]["schema"]).is_valid(body):
            return False
    return True


def negative_data_rejection_per_contract(ctx: Any, response: Any, case: Any) -> bool | None:
    """``negative_data_rejection``, except where the contract's prose accepts the request."""
    try:
        return negative_data_rejection(ctx, response, case)
    except AcceptedNegativeData:
        if _contract_accepts(case):
            return None
        raise


CHECKS.append(negative_data_rejection_per_contract)


# ---------------------------------------------------------------- rules the schema cannot express

_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._:-]{1,64}")


def request_id_and_problem_conformance(ctx: Any, response: Any, case: Any) -> bool | None:
    """Sections 2 and 5, which the response schemas cannot express.

    * Every response carries one ``X-Request-Id``; a well-formed one sent by the client is echoed.
    * A problem's ``status`` is the HTTP status, ``type`` is ``urn:problem:hk-rp-review:<code>``,
      ``instance`` is the request path and ``request_id`` repeats the header - except on an idempotent
      replay, whose body is the original answer byte for byte (section 6).
    """
    values = response.headers.get("x-request-id") or []
    assert len(values) == 1, f"expected exactly one X-Request-Id header, got {values!r}"
    request_id = values[0]
    assert _REQUEST_ID_RE.fullmatch(request_id), f"malformed X-Request-Id {request_id!r}"
    sent = response.request.headers.get("X-Request-Id")
    if sent is not None and _REQUEST_ID_RE.fullmatch(sent):
        assert request_id == sent, f"X-Request-Id {sent!r} was not echoed (got {request_id!r})"
    content_type = (response.headers.get("content-type") or [""])[0]
    if content_type.split(";")[0].strip() != "application/problem+json":
        return None
    body = response.json()
    assert body["status"] == response.status_code, (
        f"problem status {body['status']} != HTTP {response.status_code}"
    )
    assert body["type"] == f"urn:problem:hk-rp-review:{body['code']}", (
        f"problem type {body['type']!r} for {body['code']!r}"
    )
    assert body["instance"] == urlsplit(response.request.url).path, f"problem instance {body['instance']!r}"
    if (response.headers.get("idempotent-replayed") or [""])[0] != "true":
        assert body["request_id"] == request_id, (
            f"request_id {body['request_id']!r} != X-Request-Id {request_id!r}"
        )
    return None


CHECKS.append(request_id_and_problem_conformance)


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
        journey.call("/v1/permits/lookup", "POST", 200, body=person)

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

        # reissue with window pickup; a renewal before the endorsement window is not_eligible
        reissue = journey.create(journey.application("reissue_lost", CHEN_JING)).json()["application_id"]
        for decision in ("approved", "card_ready"):
            journey.decide(reissue, decision)
        journey.pickup(reissue, {"method": "window"})
        too_early = journey.application("renewal", ZHANG_WEI, basis="employment", documents=documents)
        assert _code(journey.create(too_early, expected=409)) == "not_eligible"

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
