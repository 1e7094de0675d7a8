"""The checks every contract test runs on every answer (tests/test_contract_schemathesis.py).

schemathesis' response-conformance checks against the project's copy of the contract, narrowed only
where the contract's prose corrects the letter of its schema, plus the rules of sections 2 and 5 the
schemas cannot express. Why each check, and each narrowing, is there: the docstring of
tests/test_contract_schemathesis.py.
"""

from __future__ import annotations

import copy
import re
from typing import Any
from urllib.parse import urlsplit

import jsonschema_rs
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import AcceptedNegativeData, FailureGroup
from schemathesis.openapi.checks import JsonSchemaError
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

from kiosk.simulator import DEMO_KIOSK_ID, DEMO_TOKEN
from tests.support.paths import ROOT

#: The project's copy of the contract (tests/test_contract_copy.py keeps it equal to ../shared/spec).
SPEC = ROOT / "docs" / "contract" / "review-service.openapi.yaml"

schema = schemathesis.openapi.from_path(SPEC)
schema.config.update(
    # Every request carries the demo kiosk's token (section 2) ...
    headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
    # ... and the kiosk id it is bound to: a generated X-Kiosk-Id (or heartbeat path kiosk id) would
    # make nearly every /v1 request a 403 kiosk_mismatch that never reaches the operation.
    parameters={"header.X-Kiosk-Id": DEMO_KIOSK_ID, "path.kiosk_id": DEMO_KIOSK_ID},
)

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


# ---------------------------------------------------------------- where the prose corrects the schema's letter

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


def _contract_accepts(case: Any) -> bool:
    """Whether the contract itself says this schema-violating request is to be accepted.

    One rule of the contract's prose is more lenient than the letter of the schema - section 2:
    "Optional ``X-Request-Id`` (1-64 chars ``[A-Za-z0-9._:-]``) is echoed back; otherwise the server
    generates one." A malformed one is replaced, not refused (no error code for it exists in
    section 5). (Section 4 no longer is: since 1.1 ``null`` is "not given" only where the schema
    allows ``null``, and a 422 ``type`` elsewhere.)

    The request is normalised by exactly this rule (a malformed ``X-Request-Id`` is dropped); it is
    accepted only when the normalised request then satisfies every parameter and body schema of the
    operation.
    """
    operation = RAW["paths"][case.operation.path][case.method.lower()]
    headers = {name.lower(): value for name, value in (case.headers or {}).items()}
    request_id = headers.get("x-request-id")
    if request_id is None or re.fullmatch(r"[A-Za-z0-9._:-]{1,64}", str(request_id)):
        return False
    del headers["x-request-id"]
    body = case.body
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


def _listed_help_requests_conform(case: Any, response: Any) -> bool:
    """Whether a ``SimKioskState`` answer conforms once its ``help_requests`` items are read as the
    contract means them: ``HelpRequest``'s members plus ``help_request_id`` (a string), closed.

    The letter (``allOf`` of the closed ``HelpRequest`` and an object declaring ``help_request_id``)
    rejects every item that carries the declared ``help_request_id``; everything else of the answer is
    checked against the contract's schema unchanged.
    """
    if case.operation.path != "/sim/kiosks/{kiosk_id}" or response.status_code != 200:
        return False
    if "corrected" not in _VALIDATORS:
        components = copy.deepcopy(RAW["components"])
        listed = copy.deepcopy(components["schemas"]["HelpRequest"])
        listed["properties"]["help_request_id"] = {"type": "string"}
        components["schemas"]["SimKioskState"]["properties"]["help_requests"]["items"] = listed
        root = {"$ref": "#/components/schemas/SimKioskState", "components": components}
        _VALIDATORS["corrected"] = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
    try:
        body = response.json()
    except ValueError:
        return False
    return bool(_VALIDATORS["corrected"].is_valid(body))


def response_schema_conformance_per_contract(ctx: Any, response: Any, case: Any) -> bool | None:
    """``response_schema_conformance``, with ``SimKioskState.help_requests`` read as meant."""
    try:
        return response_schema_conformance(ctx, response, case)
    except (JsonSchemaError, FailureGroup):
        if _listed_help_requests_conform(case, response):
            return None
        raise


CHECKS[CHECKS.index(response_schema_conformance)] = response_schema_conformance_per_contract


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
