"""The review service behind the HTTP layer: routing, check order, idempotency and business rules."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import fnmatch
import hashlib
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.simulator import timeutil
from kiosk.simulator.help_requests import STAFF_ON_DUTY_DEFAULT, create_help_request, kiosk_state_view
from kiosk.simulator.problems import (
    ApiError,
    field_error,
    localized,
    problem_body,
    retryable_error,
    validation_error,
)
from kiosk.simulator.seed import DEFAULT_STATION
from kiosk.simulator.store import Store
from kiosk.simulator.validation import (
    APPLICATION_ID_RE,
    DECISION_FROM,
    KIOSK_ID_RE,
    UUID_RE,
    mask_id_number,
    mask_phone,
    validate_application_create,
    validate_heartbeat,
    validate_person_query,
    validate_pickup,
    validate_supplement,
)
from kiosk.simulator.validation_sim import (
    validate_empty_object,
    validate_sim_decision,
    validate_sim_kiosk,
    validate_sim_permit,
)

logger = logging.getLogger("kiosk.simulator")

JSON_LIMIT = 1024 * 1024
DOCUMENT_LIMIT = 10 * 1024 * 1024
WWW_AUTHENTICATE = 'Bearer realm="review-service"'
DEFAULT_CONFIG_VERSION = "sim-1"
DEFAULT_HEARTBEAT_S = 60

#: auto review: status -> next status
AUTO_REVIEW_NEXT: dict[str, str] = {"submitted": "under_review", "under_review": "approved", "approved": "card_ready"}

FAULT_MODES = (
    "internal_error",
    "service_unavailable",
    "maintenance",
    "rate_limited",
    "drop",
    "drop_after_commit",
    "delay",
    "malformed_json",
)


# ---------------------------------------------------------------- request / response


class Headers:
    """Case-insensitive read-only header access."""

    def __init__(self, items: Mapping[str, str] | list[tuple[str, str]]) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._values: dict[str, str] = {}
        for name, value in pairs:
            self._values.setdefault(name.lower(), value)

    def get(self, name: str) -> str | None:
        return self._values.get(name.lower())


@dataclass
class Request:
    method: str
    path: str
    headers: Headers
    body: bytes | None
    """The body; ``None`` when it was too large to be read at all."""
    declared_length: int
    request_id: str

    @property
    def body_length(self) -> int:
        return len(self.body) if self.body is not None else self.declared_length


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    """Close the connection without sending anything (simulated network failure)."""


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_response(status: int, value: Any, headers: dict[str, str] | None = None) -> Response:
    return Response(status, json_bytes(value), "application/json", dict(headers or {}))


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


# ---------------------------------------------------------------- routing


@dataclass(frozen=True)
class Route:
    template: str
    methods: dict[str, str]
    regex: re.Pattern[str]

    @classmethod
    def of(cls, template: str, methods: dict[str, str]) -> Route:
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        return cls(template, methods, re.compile(pattern))

    def allow(self) -> str:
        methods = list(self.methods)
        if "GET" in methods:
            methods.append("HEAD")
        return ", ".join(methods)


ROUTES: tuple[Route, ...] = (
    Route.of("/v1/documents/{document_id}", {"PUT": "upload_document"}),
    Route.of("/v1/permits/lookup", {"POST": "lookup_permit"}),
    Route.of("/v1/applications", {"POST": "create_application"}),
    Route.of("/v1/applications/query", {"POST": "query_applications"}),
    Route.of("/v1/applications/{application_id}", {"GET": "get_application"}),
    Route.of("/v1/applications/{application_id}/pickup", {"POST": "choose_pickup"}),
    Route.of("/v1/applications/{application_id}/supplements", {"POST": "add_supplement"}),
    Route.of("/v1/kiosks/{kiosk_id}/heartbeat", {"POST": "heartbeat"}),
    Route.of("/v1/kiosks/{kiosk_id}/help-requests", {"POST": "help_request"}),
    Route.of("/sim/reset", {"POST": "sim_reset"}),
    Route.of("/sim/permits", {"POST": "sim_permits"}),
    Route.of("/sim/applications/{application_id}/decide", {"POST": "sim_decide"}),
    Route.of("/sim/kiosks/{kiosk_id}", {"GET": "sim_get_kiosk", "PUT": "sim_put_kiosk"}),
)


def match_route(path: str) -> tuple[Route | None, dict[str, str]]:
    for route in ROUTES:
        found = route.regex.fullmatch(path)
        if found is not None:
            return route, found.groupdict()
    return None, {}


# ---------------------------------------------------------------- faults


@dataclass
class Fault:
    path: str
    mode: str
    remaining: int
    method: str | None = None
    retry_after_s: int = 1
    delay_s: float = 0.0

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        return fnmatch.fnmatchcase(path, self.path)


@dataclass
class Context:
    req: Request
    kiosk_id: str
    params: dict[str, str]
    fault: Fault | None


# ---------------------------------------------------------------- the service


class ReviewService:
    def __init__(
        self,
        store: Store,
        *,
        tokens: dict[str, str],
        seed: list[dict[str, Any]],
        now: Callable[[], dt.datetime],
        auto_review_s: float | None,
    ) -> None:
        self.store = store
        self.tokens = dict(tokens)
        self.seed = [dict(item) for item in seed]
        self._clock = now
        self.auto_review_s = auto_review_s
        self._faults: list[Fault] = []
        self._faults_lock = threading.Lock()
        self._auto_due: dict[str, float] = {}
        self._auto_lock = threading.Lock()
        self._resolve_seed()  # fail fast on an invalid seed

    # ------------------------------------------------------------ time

    def now(self) -> dt.datetime:
        return timeutil.to_cst(self._clock()).replace(microsecond=0)

    def today(self) -> dt.date:
        return self.now().date()

    # ------------------------------------------------------------ seed / reset

    def _resolve_seed(self) -> list[dict[str, Any]]:
        today = self.today()
        records = []
        for index, item in enumerate(self.seed):
            errors, record = validate_sim_permit(item, today=today, default_station=DEFAULT_STATION)
            if errors:
                where = ", ".join(f"{e['pointer']} {e['code']}" for e in errors)
                raise ValueError(f"invalid permit seed #{index}: {where}")
            records.append(_permit_for_storage(record))
        return records

    def initialise(self) -> None:
        """Load the seed into a new database; keep the state of an existing one."""
        with self.store.transaction() as store:
            store.release_all_in_progress()
            if store.get_meta("seeded") is None:
                self._load_seed(store)
            pending = store.applications_in_status(tuple(AUTO_REVIEW_NEXT))
        for application_id in pending:
            self._schedule_auto_review(application_id)

    def _load_seed(self, store: Store) -> int:
        records = self._resolve_seed()
        for record in records:
            store.put_permit(record)
        store.set_meta("seeded", timeutil.format_datetime(self.now()))
        return len(records)

    def reset(self) -> int:
        with self.store.transaction() as store:
            store.clear_all()
            loaded = self._load_seed(store)
        with self._auto_lock:
            self._auto_due.clear()
        return loaded

    # ------------------------------------------------------------ faults

    def inject_fault(self, fault: Fault) -> None:
        if fault.mode not in FAULT_MODES:
            raise ValueError(f"unknown fault mode {fault.mode!r}; expected one of {FAULT_MODES}")
        if fault.remaining < 1:
            raise ValueError("count must be at least 1")
        with self._faults_lock:
            self._faults.append(fault)

    def clear_faults(self) -> None:
        with self._faults_lock:
            self._faults.clear()

    def _take_fault(self, method: str, path: str) -> Fault | None:
        with self._faults_lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None

    # ------------------------------------------------------------ auto review

    def _schedule_auto_review(self, application_id: str) -> None:
        if self.auto_review_s is None:
            return
        with self._auto_lock:
            self._auto_due[application_id] = time.monotonic() + self.auto_review_s

    def auto_review_tick(self) -> None:
        """Advance every application whose auto-review step is due by one status."""
        if self.auto_review_s is None:
            return
        moment = time.monotonic()
        with self._auto_lock:
            due = [app_id for app_id, at in self._auto_due.items() if at <= moment]
        for application_id in due:
            with self.store.transaction() as store:
                app = store.get_application(application_id)
                nxt = AUTO_REVIEW_NEXT.get(app["status"]) if app is not None else None
                if app is not None and nxt is not None:
                    self._apply_decision(store, app, nxt, None)
            with self._auto_lock:
                if nxt is not None and nxt in AUTO_REVIEW_NEXT:
                    self._auto_due[application_id] = moment + self.auto_review_s
                else:
                    self._auto_due.pop(application_id, None)

    # ------------------------------------------------------------ dispatch

    def handle(self, req: Request) -> Response:
        try:
            return self._dispatch(req)
        except ApiError as err:
            return self.problem(req, err)
        except Exception:
            logger.exception("internal error handling %s request", req.method)
            return self.problem(req, ApiError("internal_error", "Unexpected error."))

    def problem(self, req: Request, err: ApiError) -> Response:
        body = problem_body(err, instance=req.path, request_id=req.request_id)
        return Response(err.status, json_bytes(body), "application/problem+json", dict(err.headers))

    def _dispatch(self, req: Request) -> Response:
        route, params = match_route(req.path)
        is_sim = req.path == "/sim" or req.path.startswith("/sim/")
        kiosk_id = self._authenticate(req, require_kiosk_header=not is_sim)
        if route is None:
            raise ApiError("not_found", "No such path.")
        method = "GET" if req.method == "HEAD" else req.method
        handler_name = route.methods.get(method)
        if handler_name is None:
            raise ApiError(
                "method_not_allowed",
                f"{req.method} is not allowed on this path.",
                headers={"Allow": route.allow()},
            )
        if not is_sim and "kiosk_id" in params and params["kiosk_id"] != kiosk_id:
            raise ApiError("kiosk_mismatch", "Path kiosk_id does not match X-Kiosk-Id.")
        fault = None if is_sim else self._take_fault(req.method, req.path)
        if fault is not None:
            if fault.mode == "drop":
                return Response(0, drop=True)
            if fault.mode == "internal_error":
                raise ApiError("internal_error", "Injected fault.")
            if fault.mode in ("service_unavailable", "maintenance", "rate_limited"):
                raise retryable_error(fault.mode, fault.retry_after_s, f"Retry after {fault.retry_after_s} seconds.")
            if fault.mode == "delay" and handler_name not in _IDEMPOTENT_HANDLERS:
                time.sleep(fault.delay_s)
        ctx = Context(req, kiosk_id, params, fault)
        handler: Callable[[Context], Response] = getattr(self, handler_name)
        response = handler(ctx)
        if fault is not None and fault.mode == "drop_after_commit":
            response.drop = True
        if fault is not None and fault.mode == "malformed_json" and 200 <= response.status < 300:
            # Processed and stored, then answered with a truncated body (a broken proxy, say).
            response.body = response.body[: max(1, len(response.body) // 2)]
        return response

    def _authenticate(self, req: Request, *, require_kiosk_header: bool) -> str:
        auth = req.headers.get("Authorization")
        if not auth:
            raise ApiError(
                "unauthorized", "Missing bearer token.", headers={"WWW-Authenticate": WWW_AUTHENTICATE}
            )
        scheme, _, token = auth.strip().partition(" ")
        if scheme.lower() != "bearer":
            raise ApiError(
                "unauthorized", "Authorization must use the Bearer scheme.", headers={"WWW-Authenticate": WWW_AUTHENTICATE}
            )
        bound = self.tokens.get(token.strip())
        if bound is None:
            raise ApiError(
                "unauthorized",
                "Invalid bearer token.",
                headers={"WWW-Authenticate": WWW_AUTHENTICATE + ', error="invalid_token"'},
            )
        if not require_kiosk_header:
            return bound
        kiosk_id = req.headers.get("X-Kiosk-Id")
        if kiosk_id is None or KIOSK_ID_RE.fullmatch(kiosk_id) is None:
            raise ApiError(
                "unauthorized", "Missing or malformed X-Kiosk-Id.", headers={"WWW-Authenticate": WWW_AUTHENTICATE}
            )
        if kiosk_id != bound:
            raise ApiError("kiosk_mismatch", "The token is bound to another kiosk than X-Kiosk-Id.")
        return kiosk_id

    # ------------------------------------------------------------ bodies and idempotency

    def _json_body(self, req: Request, *, optional: bool = False) -> dict[str, Any]:
        if optional and req.body_length == 0:
            return {}
        if not _is_json_media_type(req.headers.get("Content-Type")):
            raise ApiError("unsupported_media_type", "Content-Type must be application/json.")
        if req.body_length > JSON_LIMIT or req.body is None:
            raise ApiError("payload_too_large", f"JSON bodies are limited to {JSON_LIMIT} bytes.")
        try:
            value = json.loads(req.body.decode("utf-8"), parse_constant=_reject_constant)
        except UnicodeDecodeError:
            raise ApiError("malformed_body", "Body is not valid UTF-8.") from None
        except (ValueError, RecursionError) as exc:
            reason = f" ({exc.msg} at line {exc.lineno} column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
            raise ApiError("malformed_body", f"Body is not a JSON object{reason}.") from None
        if not isinstance(value, dict):
            raise ApiError("malformed_body", "Body is not a JSON object.")
        return value

    def _idempotent(self, ctx: Context, operation: Callable[[Store, dict[str, Any]], Response]) -> Response:
        req = ctx.req
        key = req.headers.get("Idempotency-Key")
        if key is None:
            raise ApiError("idempotency_key_required", "This operation requires an Idempotency-Key header.")
        if UUID_RE.fullmatch(key) is None:
            raise ApiError("idempotency_key_invalid", "Idempotency-Key must be a lowercase canonical UUID.")
        body = self._json_body(req)
        fingerprint = hashlib.sha256(
            f"{req.method} {req.path}\n".encode() + canonical_json(body)
        ).hexdigest()
        with self.store.transaction() as store:
            record = store.get_idempotency(ctx.kiosk_id, key)
            if record is None:
                store.claim_idempotency(ctx.kiosk_id, key, fingerprint, timeutil.format_datetime(self.now()))
        if record is not None:
            if record["fingerprint"] != fingerprint:
                raise ApiError(
                    "idempotency_conflict", "The Idempotency-Key was first used with a different request."
                )
            if record["state"] != "done":
                raise ApiError(
                    "idempotency_in_progress",
                    "Retry with the same key after Retry-After seconds.",
                    extra={"retry_after_s": 1},
                    headers={"Retry-After": "1"},
                )
            headers = {"Idempotent-Replayed": "true"}
            if record["location"]:
                headers["Location"] = record["location"]
            return Response(int(record["status"]), record["body"] or b"", record["content_type"], headers)
        try:
            if ctx.fault is not None and ctx.fault.mode == "delay":
                time.sleep(ctx.fault.delay_s)
            with self.store.transaction() as store:
                try:
                    response = operation(store, body)
                except ApiError as err:
                    response = self.problem(req, err)
                if _storable(response.status):
                    store.finish_idempotency(
                        ctx.kiosk_id,
                        key,
                        response.status,
                        response.content_type or "application/json",
                        response.body,
                        response.headers.get("Location"),
                    )
                else:
                    store.release_idempotency(ctx.kiosk_id, key)
            return response
        except BaseException:
            with self.store.transaction() as store:
                store.release_idempotency(ctx.kiosk_id, key)
            raise

    # ------------------------------------------------------------ documents

    def upload_document(self, ctx: Context) -> Response:
        req = ctx.req
        document_id = ctx.params["document_id"]
        if UUID_RE.fullmatch(document_id) is None:
            raise validation_error(
                [
                    field_error(
                        "invalid_format",
                        parameter="document_id",
                        message=("材料编号格式不正确。", "document_id must be a lowercase canonical UUID."),
                    )
                ]
            )
        content_type = _media_type(req.headers.get("Content-Type"))
        if content_type not in ("image/jpeg", "application/pdf"):
            raise ApiError("unsupported_media_type", "Documents must be image/jpeg or application/pdf.")
        if req.body_length > DOCUMENT_LIMIT or req.body is None:
            raise ApiError("payload_too_large", f"Documents are limited to {DOCUMENT_LIMIT} bytes.")
        content = req.body
        if not content:
            raise validation_error(
                [field_error("too_short", pointer="", message=("文件内容为空。", "The document is empty."))]
            )
        expected = _digest_headers(req.headers)
        for algorithm, header, digest in expected:
            actual = hashlib.new(algorithm, content).digest()
            if actual != digest:
                raise ApiError(
                    "digest_mismatch",
                    f"{algorithm} of the received {len(content)} bytes does not match {header}.",
                )
        detected = _sniff(content)
        if detected != content_type:
            kind = "a JPEG image" if content_type == "image/jpeg" else "a PDF document"
            raise ApiError("unsupported_media_type", f"The bytes are not {kind}.")
        sha256 = hashlib.sha256(content).hexdigest()
        with self.store.transaction() as store:
            existing = store.get_document(document_id)
            if existing is not None:
                if existing["kiosk_id"] != ctx.kiosk_id or existing["sha256"] != sha256:
                    raise ApiError(
                        "document_conflict", f"Document {document_id} already holds different content."
                    )
                return json_response(200, _receipt(existing))
            meta = {
                "document_id": document_id,
                "kiosk_id": ctx.kiosk_id,
                "content_type": content_type,
                "size_bytes": len(content),
                "sha256": sha256,
                "received_at": timeutil.format_datetime(self.now()),
            }
            store.add_document(meta, content)
        return json_response(201, _receipt(meta), {"Location": f"/v1/documents/{document_id}"})

    def _document_known(self, store: Store, kiosk_id: str) -> Callable[[str], bool]:
        def known(document_id: str) -> bool:
            document = store.get_document(document_id)
            return document is not None and document["kiosk_id"] == kiosk_id

        return known

    # ------------------------------------------------------------ permits

    def lookup_permit(self, ctx: Context) -> Response:
        body = self._json_body(ctx.req)
        errors, query = validate_person_query(body)
        if errors:
            raise validation_error(errors)
        with self.store.transaction() as store:
            record = store.get_permit(query["id_number"])
        if record is None or record["name"] != query["name"]:
            raise ApiError("not_found", "No permit record matches the given id_number and name.")
        return json_response(200, self._permit_view(record))

    def _permit_view(self, record: dict[str, Any]) -> dict[str, Any]:
        valid_until = dt.date.fromisoformat(record["valid_until"])
        return {
            "permit_number": record["permit_number"],
            "holder_name": record["name"],
            "id_number_masked": mask_id_number(record["id_number"]),
            "status": timeutil.permit_status(valid_until, self.today(), record.get("status_override")),
            "valid_until": record["valid_until"],
            "endorsement_window_opens_on": timeutil.endorsement_window_opens_on(valid_until).isoformat(),
            "last_endorsement_date": record.get("last_endorsement_date"),
            "issued_on": record.get("issued_on"),
            "registered_address": record["registered_address"],
            "employer": record.get("employer"),
            "school": record.get("school"),
            "police_station": record["police_station"],
            "phone_on_file_masked": mask_phone(phone) if (phone := record.get("phone_on_file")) else None,
        }

    # ------------------------------------------------------------ applications

    def create_application(self, ctx: Context) -> Response:
        return self._idempotent(ctx, lambda store, body: self._create(ctx, store, body))

    def _create(self, ctx: Context, store: Store, body: dict[str, Any]) -> Response:
        now = self.now()
        errors, data = validate_application_create(
            body,
            header_kiosk_id=ctx.kiosk_id,
            now=now,
            document_known=self._document_known(store, ctx.kiosk_id),
            phone_on_file=lambda id_number, name: _phone_on_file(store, id_number, name),
        )
        if errors:
            raise validation_error(errors)
        reference = data["client_reference"]
        existing = store.application_id_by_client_reference(ctx.kiosk_id, reference)
        if existing is not None:
            raise ApiError(
                "client_reference_conflict",
                f"client_reference {reference} is already used by {existing}.",
                extra={"existing_application_id": existing},
            )
        applicant = data["applicant"]
        created_at: dt.datetime = data["created_at"]
        permit = store.get_permit(applicant["id_number"])
        if permit is None or permit["name"] != applicant["name"]:
            permit = None
        reasons = self._eligibility(store, data, permit, timeutil.to_cst(created_at).date())
        if reasons:
            detail = " ".join(reason["message"]["en"] for reason in reasons)
            raise ApiError("not_eligible", detail, extra={"reasons": reasons})
        assert permit is not None
        seq = store.next_sequence()
        application_id = f"JZ-{now:%Y%m%d}-{seq:06d}"
        received_at = timeutil.format_datetime(now)
        app: dict[str, Any] = {
            "application_id": application_id,
            "service": data["service"],
            "status": "submitted",
            "applicant": dict(applicant),
            "permit_number": permit["permit_number"],
            "basis": data["basis"],
            "changes": data["changes"],
            "documents": data["documents"],
            "kiosk_id": ctx.kiosk_id,
            "client_reference": reference,
            "created_at": timeutil.format_datetime(created_at),
            "received_at": received_at,
            "updated_at": received_at,
            "expected_decision_by": timeutil.format_datetime(timeutil.expected_decision_by(now)),
            "officer_note": None,
            "rejection_reason": None,
            "police_station": permit["police_station"],
            "pickup": None,
            "history": [{"status": "submitted", "at": received_at, "actor": "kiosk", "note": None}],
        }
        store.add_application(seq, app)
        self._schedule_auto_review(application_id)
        receipt = {
            "application_id": application_id,
            "status": "submitted",
            "client_reference": reference,
            "received_at": received_at,
            "expected_decision_by": app["expected_decision_by"],
        }
        return json_response(201, receipt, {"Location": f"/v1/applications/{application_id}"})

    def _eligibility(
        self, store: Store, data: dict[str, Any], permit: dict[str, Any] | None, on: dt.date
    ) -> list[dict[str, Any]]:
        """Section 9: reasons in the documented order; ``permit_not_found`` alone."""
        if permit is None:
            return [
                _reason(
                    "permit_not_found",
                    "未查询到您的居住证记录，请到派出所办理。",
                    "No residence permit record was found; please visit a police station.",
                )
            ]
        reasons: list[dict[str, Any]] = []
        if data["permit_number"] is not None and data["permit_number"] != permit["permit_number"]:
            reasons.append(
                _reason(
                    "permit_mismatch",
                    "居住证号码与登记记录不一致。",
                    "The permit number does not match the registered record.",
                )
            )
        valid_until = dt.date.fromisoformat(permit["valid_until"])
        status = timeutil.permit_status(valid_until, on, permit.get("status_override"))
        if status == "expired":
            reasons.append(
                _reason(
                    "permit_expired",
                    "您的居住证已失效，请到派出所办理。",
                    "The residence permit has expired; please visit a police station.",
                    permit_status="expired",
                )
            )
        opens = timeutil.endorsement_window_opens_on(valid_until)
        if data["service"] == "renewal" and status == "active" and on < opens:
            day = opens.isoformat()
            reasons.append(
                _reason(
                    "too_early_for_endorsement",
                    f"尚未到签注时间，请于{day}之后办理。",
                    f"Too early for endorsement; apply on or after {day}.",
                    earliest_date=day,
                )
            )
        open_id = store.open_application_id(permit["id_number"])
        if open_id is not None:
            reasons.append(
                _reason(
                    "duplicate_open_application",
                    "您有正在办理中的业务，请勿重复申请。",
                    "An application is already in progress.",
                    open_application_id=open_id,
                )
            )
        return reasons

    def query_applications(self, ctx: Context) -> Response:
        body = self._json_body(ctx.req)
        errors, query = validate_person_query(body, with_limit=True)
        if errors:
            raise validation_error(errors)
        with self.store.transaction() as store:
            apps = store.person_applications(query["id_number"], query["name"])
        limit: int = query["limit"]
        return json_response(
            200,
            {"applications": [application_view(app) for app in apps[:limit]], "truncated": len(apps) > limit},
        )

    def get_application(self, ctx: Context) -> Response:
        with self.store.transaction() as store:
            app = self._find_application(store, ctx.params["application_id"])
        return json_response(200, application_view(app))

    def _find_application(self, store: Store, application_id: str) -> dict[str, Any]:
        app = store.get_application(application_id) if APPLICATION_ID_RE.fullmatch(application_id) else None
        if app is None:
            raise ApiError("not_found", "No application with this id.")
        return app

    def choose_pickup(self, ctx: Context) -> Response:
        return self._idempotent(ctx, lambda store, body: self._pickup(ctx, store, body))

    def _pickup(self, ctx: Context, store: Store, body: dict[str, Any]) -> Response:
        errors, data = validate_pickup(body)
        if errors:
            raise validation_error(errors)
        app = self._find_application(store, ctx.params["application_id"])
        if app["status"] != "card_ready":
            raise _invalid_state(
                app["status"],
                ["card_ready"],
                f"Pickup can be chosen only when the card is ready; current status is {app['status']}.",
            )
        now = timeutil.format_datetime(self.now())
        station = app["police_station"]
        pickup: dict[str, Any]
        if data["method"] == "window":
            pickup = {
                "method": "window",
                "application_id": app["application_id"],
                "chosen_at": now,
                "station_name": station["name"],
                "station_address": station["address"],
                "station_phone": station["phone"],
                "pickup_hours": station["pickup_hours"],
                "bring": ["id_card"] if _is_reissue(app["service"]) else ["id_card", "residence_permit"],
            }
        else:
            mail = data["mail"]
            pickup = {
                "method": "mail",
                "application_id": app["application_id"],
                "chosen_at": now,
                "recipient": mail["recipient"],
                "address": mail["address"],
                "phone": mail["phone"],
                "send_permit_to": None
                if _is_reissue(app["service"])
                else {"station_name": station["name"], "address": station["address"], "phone": station["phone"]},
                "postage": "cod",
            }
        app["pickup"] = pickup
        _move(app, "pickup_chosen", now, "kiosk", None)
        store.save_application(app)
        return json_response(200, pickup_view(pickup))

    def add_supplement(self, ctx: Context) -> Response:
        return self._idempotent(ctx, lambda store, body: self._supplement(ctx, store, body))

    def _supplement(self, ctx: Context, store: Store, body: dict[str, Any]) -> Response:
        errors, data = validate_supplement(body, document_known=self._document_known(store, ctx.kiosk_id))
        if errors:
            raise validation_error(errors)
        app = self._find_application(store, ctx.params["application_id"])
        if app["status"] != "needs_more_material":
            raise _invalid_state(
                app["status"],
                ["needs_more_material"],
                f"Supplements are accepted only in needs_more_material; current status is {app['status']}.",
            )
        app["documents"].extend(data["documents"])
        _move(app, "under_review", timeutil.format_datetime(self.now()), "kiosk", data["note"])
        store.save_application(app)
        self._schedule_auto_review(app["application_id"])
        return json_response(200, application_view(app))

    # ------------------------------------------------------------ kiosks

    def heartbeat(self, ctx: Context) -> Response:
        body = self._json_body(ctx.req)
        errors = validate_heartbeat(body)
        if errors:
            raise validation_error(errors)
        now = timeutil.format_datetime(self.now())
        with self.store.transaction() as store:
            state = store.get_kiosk(ctx.kiosk_id) or _default_kiosk_state(ctx.kiosk_id)
            state["heartbeat_count"] += 1
            state["last_heartbeat_at"] = now
            state["last_heartbeat"] = body
            store.put_kiosk(state)
        return json_response(
            200,
            {
                "server_time": now,
                "config_version": state["config_version"],
                "out_of_service": state["out_of_service"],
                "message": state["message"],
                "next_heartbeat_s": state["next_heartbeat_s"],
            },
        )

    def help_request(self, ctx: Context) -> Response:
        """(1.1) Idempotent like every creating POST; the rules are in :mod:`kiosk.simulator.help_requests`."""
        return self._idempotent(
            ctx, lambda store, body: json_response(201, create_help_request(store, ctx.kiosk_id, body, now=self.now()))
        )

    # ------------------------------------------------------------ simulator-only

    def sim_reset(self, ctx: Context) -> Response:
        body = self._json_body(ctx.req, optional=True)
        errors = validate_empty_object(body)
        if errors:
            raise validation_error(errors)
        loaded = self.reset()
        return json_response(200, {"reset_at": timeutil.format_datetime(self.now()), "permits_loaded": loaded})

    def sim_permits(self, ctx: Context) -> Response:
        body = self._json_body(ctx.req)
        errors, record = validate_sim_permit(body, today=self.today(), default_station=DEFAULT_STATION)
        if errors:
            raise validation_error(errors)
        stored = _permit_for_storage(record)
        with self.store.transaction() as store:
            created = store.put_permit(stored)
        return json_response(201 if created else 200, self._permit_view(stored))

    def sim_decide(self, ctx: Context) -> Response:
        body = self._json_body(ctx.req)
        errors, data = validate_sim_decision(body)
        if errors:
            raise validation_error(errors)
        decision: str = data["decision"]
        with self.store.transaction() as store:
            app = self._find_application(store, ctx.params["application_id"])
            allowed = DECISION_FROM[decision]
            if app["status"] not in allowed:
                raise _invalid_state(
                    app["status"],
                    list(allowed),
                    f"Cannot move to {decision} from {app['status']}.",
                )
            self._apply_decision(store, app, decision, data["note"])
        if decision in AUTO_REVIEW_NEXT:
            self._schedule_auto_review(app["application_id"])
        return json_response(200, application_view(app))

    def _apply_decision(self, store: Store, app: dict[str, Any], decision: str, note: str | None) -> None:
        _move(app, decision, timeutil.format_datetime(self.now()), "officer", note)
        if note is not None:
            app["officer_note"] = note
        if decision == "rejected":
            app["rejection_reason"] = note
        if decision == "approved":
            self._apply_approval(store, app)
        store.save_application(app)

    def _apply_approval(self, store: Store, app: dict[str, Any]) -> None:
        """Section 9 reference behaviour: update the permit record on approval."""
        record = store.get_permit(app["applicant"]["id_number"])
        if record is None:
            return
        if app["service"] == "renewal":
            today = self.today()
            old = dt.date.fromisoformat(record["valid_until"])
            record["last_endorsement_date"] = today.isoformat()
            record["valid_until"] = timeutil.renewed_valid_until(old, today).isoformat()
            record["status_override"] = None
        elif app["service"] == "info_change":
            changes = app["changes"] or {}
            if "residence_address" in changes:
                record["registered_address"] = changes["residence_address"]
            for key in ("employer", "school"):
                if key in changes:
                    record[key] = changes[key]
        else:
            return
        store.put_permit(record)

    def sim_get_kiosk(self, ctx: Context) -> Response:
        kiosk_id = ctx.params["kiosk_id"]
        state = None
        if KIOSK_ID_RE.fullmatch(kiosk_id):
            with self.store.transaction() as store:
                state = store.get_kiosk(kiosk_id)
                view = None if state is None else kiosk_state_view(store, state)
        if view is None:
            raise ApiError("not_found", "This kiosk never sent a heartbeat and was never configured.")
        return json_response(200, view)

    def sim_put_kiosk(self, ctx: Context) -> Response:
        kiosk_id = ctx.params["kiosk_id"]
        body = self._json_body(ctx.req)
        errors: list[dict[str, Any]] = []
        if KIOSK_ID_RE.fullmatch(kiosk_id) is None:
            errors.append(field_error("invalid_format", parameter="kiosk_id"))
        body_errors, directive = validate_sim_kiosk(body)
        errors.extend(body_errors)
        if errors:
            raise validation_error(errors)
        with self.store.transaction() as store:
            state = store.get_kiosk(kiosk_id) or _default_kiosk_state(kiosk_id)
            state.update(directive)
            store.put_kiosk(state)
            view = kiosk_state_view(store, state)
        return json_response(200, view)

    # ------------------------------------------------------------ introspection (no HTTP)

    def applications_full(self) -> list[dict[str, Any]]:
        with self.store.transaction() as store:
            apps = store.all_applications()
        return [application_view(app, full=True) for app in apps]

    def document_bytes(self, document_id: str) -> bytes | None:
        with self.store.transaction() as store:
            return store.document_content(document_id)

    def permit_record(self, id_number: str) -> dict[str, Any] | None:
        with self.store.transaction() as store:
            return store.get_permit(id_number)


_IDEMPOTENT_HANDLERS = frozenset({"create_application", "choose_pickup", "add_supplement", "help_request"})


# ---------------------------------------------------------------- helpers


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _media_type(header: str | None) -> str | None:
    if header is None:
        return None
    return header.split(";", 1)[0].strip().lower()


def _is_json_media_type(header: str | None) -> bool:
    if _media_type(header) != "application/json":
        return False
    assert header is not None
    for param in header.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() != "utf-8":
            return False
    return True


def _storable(status: int) -> bool:
    """Section 6: definitive answers from the validation step on are stored for replay."""
    return 200 <= status < 300 or status in (404, 409, 422)


def _digest_headers(headers: Headers) -> list[tuple[str, str, bytes]]:
    """Expected digests ``(algorithm, header, digest)``; at least one sha-256 is required."""
    expected: list[tuple[str, str, bytes]] = []
    content_digest = headers.get("Content-Digest")
    if content_digest is not None:
        for member in content_digest.split(","):
            name, sep, value = member.strip().partition("=")
            algorithm = name.strip().lower()
            if algorithm not in ("sha-256", "sha-512"):
                continue
            value = value.split(";", 1)[0].strip()
            size = 32 if algorithm == "sha-256" else 64
            digest = None
            if sep and len(value) >= 2 and value[0] == ":" and value[-1] == ":":
                try:
                    digest = base64.b64decode(value[1:-1], validate=True)
                except (binascii.Error, ValueError):
                    digest = None
            if digest is None or len(digest) != size:
                raise ApiError("digest_required", f"Content-Digest member {algorithm} is malformed.")
            expected.append((algorithm.replace("-", ""), "Content-Digest", digest))
    hex_digest = headers.get("X-Content-SHA256")
    if hex_digest is not None:
        hex_digest = hex_digest.strip()
        if re.fullmatch(r"[0-9a-fA-F]{64}", hex_digest) is None:
            raise ApiError("digest_required", "X-Content-SHA256 must be 64 hexadecimal characters.")
        expected.append(("sha256", "X-Content-SHA256", bytes.fromhex(hex_digest)))
    if not any(algorithm == "sha256" for algorithm, _, _ in expected):
        raise ApiError("digest_required", "Send Content-Digest (sha-256) or X-Content-SHA256.")
    return expected


def _sniff(content: bytes) -> str | None:
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def _receipt(meta: dict[str, Any]) -> dict[str, Any]:
    return {
        "document_id": meta["document_id"],
        "content_type": meta["content_type"],
        "size_bytes": meta["size_bytes"],
        "sha256": meta["sha256"],
        "received_at": meta["received_at"],
    }


def _reason(code: str, zh: str, en: str, **extra: Any) -> dict[str, Any]:
    reason: dict[str, Any] = {"code": code, "message": localized(zh, en)}
    reason.update(extra)
    return reason


def _invalid_state(current: str, allowed: list[str], detail: str) -> ApiError:
    return ApiError("invalid_state", detail, extra={"current_status": current, "allowed_statuses": allowed})


def _is_reissue(service: str) -> bool:
    return service in ("reissue_lost", "reissue_damaged")


def _move(app: dict[str, Any], status: str, at: str, actor: str, note: str | None) -> None:
    app["status"] = status
    app["updated_at"] = at
    app["history"].append({"status": status, "at": at, "actor": actor, "note": note})


def _default_kiosk_state(kiosk_id: str) -> dict[str, Any]:
    return {
        "kiosk_id": kiosk_id,
        "out_of_service": False,
        "message": None,
        "config_version": DEFAULT_CONFIG_VERSION,
        "next_heartbeat_s": DEFAULT_HEARTBEAT_S,
        "staff_on_duty": STAFF_ON_DUTY_DEFAULT,
        "heartbeat_count": 0,
        "last_heartbeat_at": None,
        "last_heartbeat": None,
    }


def _phone_on_file(store: Store, id_number: str, name: str) -> str | None:
    """The mobile number on file for the record matching both ``id_number`` and ``name`` (section 3)."""
    record = store.get_permit(id_number)
    if record is None or record["name"] != name:
        return None
    phone = record.get("phone_on_file")
    return str(phone) if phone else None


def _permit_for_storage(record: dict[str, Any]) -> dict[str, Any]:
    """A validated SimPermitSeed record with dates as ISO strings."""
    stored = dict(record)
    for key in ("valid_until", "last_endorsement_date", "issued_on"):
        value = stored.get(key)
        stored[key] = value.isoformat() if isinstance(value, dt.date) else value
    return stored


def pickup_view(pickup: dict[str, Any], *, full: bool = False) -> dict[str, Any]:
    if pickup["method"] != "mail":
        return dict(pickup)
    view = {key: value for key, value in pickup.items() if key != "phone"}
    items = list(view.items())
    position = [key for key, _ in items].index("address") + 1
    items.insert(position, ("phone_masked", mask_phone(pickup["phone"])))
    if full:
        items.insert(position, ("phone", pickup["phone"]))
    return dict(items)


def application_view(app: dict[str, Any], *, full: bool = False) -> dict[str, Any]:
    """The contract's Application object (``full``: the applicant unmasked, for test introspection)."""
    view = dict(app)
    applicant = app["applicant"]
    if full:
        view["applicant"] = {"name": applicant["name"], "id_number": applicant["id_number"], "phone": applicant["phone"]}
    else:
        view["applicant"] = {
            "name": applicant["name"],
            "id_number_masked": mask_id_number(applicant["id_number"]),
            "phone_masked": mask_phone(applicant["phone"]),
        }
    view["pickup"] = None if app["pickup"] is None else pickup_view(app["pickup"], full=full)
    return view


def new_request_id() -> str:
    return str(uuid.uuid4())
