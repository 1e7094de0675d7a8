"""The routing table and the check order of every request: authentication, route, method, the
path's kiosk, fault injection, then the handler, which decodes the request, calls the rules
(:class:`kiosk.simulator.service.ReviewService`) and encodes the answer."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kiosk.simulator import timeutil
from kiosk.simulator.faults import Fault, Faults
from kiosk.simulator.http import (
    DOCUMENT_LIMIT,
    Request,
    Response,
    authenticate,
    digest_headers,
    json_body,
    json_response,
    media_type,
    problem_response,
)
from kiosk.simulator.idempotency import idempotent
from kiosk.simulator.problems import ApiError, field_error
from kiosk.simulator.rules import documents
from kiosk.simulator.rules.common import require_valid
from kiosk.simulator.service import ReviewService
from kiosk.simulator.validation import KIOSK_ID_RE

logger = logging.getLogger("kiosk.simulator")


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

#: Handlers behind an ``Idempotency-Key``; a ``delay`` fault waits after the key is claimed.
IDEMPOTENT_HANDLERS = frozenset({"create_application", "choose_pickup", "add_supplement", "help_request"})


def match_route(path: str) -> tuple[Route | None, dict[str, str]]:
    for route in ROUTES:
        found = route.regex.fullmatch(path)
        if found is not None:
            return route, found.groupdict()
    return None, {}


@dataclass
class Context:
    req: Request
    kiosk_id: str
    params: dict[str, str]
    fault: Fault | None


class HttpApi:
    """The review service over HTTP: ``handle(request) -> response``, never raising."""

    def __init__(self, service: ReviewService, tokens: Mapping[str, str], contract: str = "1.1") -> None:
        self.service = service
        self.tokens = dict(tokens)
        self.faults = Faults()
        #: "1.0": answer as a service that predates contract 1.1 does (no number on file in
        #: permit records, no ``use_phone_on_file``), so kiosks can be tested against one.
        self.contract = contract

    def handle(self, req: Request) -> Response:
        try:
            return self._dispatch(req)
        except ApiError as err:
            return problem_response(req, err)
        except Exception:
            logger.exception("internal error handling %s request", req.method)
            return problem_response(req, ApiError("internal_error", "Unexpected error."))

    def _dispatch(self, req: Request) -> Response:
        route, params = match_route(req.path)
        is_sim = req.path == "/sim" or req.path.startswith("/sim/")
        kiosk_id = authenticate(req, self.tokens, require_kiosk_header=not is_sim)
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
        fault = None if is_sim else self.faults.take(req.method, req.path)
        if fault is not None:
            dropped = fault.before()
            if dropped is not None:
                return dropped
            if handler_name not in IDEMPOTENT_HANDLERS:
                fault.delay()
        handler: Callable[[Context], Response] = getattr(self, handler_name)
        response = handler(Context(req, kiosk_id, params, fault))
        return response if fault is None else fault.after(response)

    def _idempotent(self, ctx: Context, operation: Callable[[dict[str, Any]], Response]) -> Response:
        return idempotent(
            self.service.store,
            ctx.req,
            ctx.kiosk_id,
            claimed_at=lambda: timeutil.format_datetime(self.service.now()),
            fault=ctx.fault,
            operation=operation,
        )

    # ------------------------------------------------------------ /v1

    def upload_document(self, ctx: Context) -> Response:
        req = ctx.req
        document_id = ctx.params["document_id"]
        documents.check_document_id(document_id)
        content_type = media_type(req.headers.get("Content-Type"))
        documents.check_content_type(content_type)
        assert content_type is not None
        if req.body_length > DOCUMENT_LIMIT or req.body is None:
            raise ApiError("payload_too_large", f"Documents are limited to {DOCUMENT_LIMIT} bytes.")
        content = req.body
        documents.check_not_empty(content)
        for algorithm, header, digest in digest_headers(req.headers):
            if hashlib.new(algorithm, content).digest() != digest:
                raise ApiError(
                    "digest_mismatch",
                    f"{algorithm} of the received {len(content)} bytes does not match {header}.",
                )
        receipt, created = self.service.upload_document(ctx.kiosk_id, document_id, content_type, content)
        if not created:
            return json_response(200, receipt)
        return json_response(201, receipt, {"Location": f"/v1/documents/{document_id}"})

    def lookup_permit(self, ctx: Context) -> Response:
        record = self.service.lookup_permit(json_body(ctx.req))
        if self.contract == "1.0":
            record.pop("phone_on_file_masked", None)
        return json_response(200, record)

    def create_application(self, ctx: Context) -> Response:
        def operation(body: dict[str, Any]) -> Response:
            applicant = body.get("applicant") if isinstance(body, dict) else None
            if self.contract == "1.0" and isinstance(applicant, dict) and "use_phone_on_file" in applicant:
                # 1.0 request objects are closed and know no such member.
                require_valid([field_error("unknown_field", pointer="/applicant/use_phone_on_file")])
            receipt = self.service.create_application(ctx.kiosk_id, body)
            return json_response(201, receipt, {"Location": f"/v1/applications/{receipt['application_id']}"})

        return self._idempotent(ctx, operation)

    def query_applications(self, ctx: Context) -> Response:
        return json_response(200, self.service.query_applications(json_body(ctx.req)))

    def get_application(self, ctx: Context) -> Response:
        return json_response(200, self.service.get_application(ctx.params["application_id"]))

    def choose_pickup(self, ctx: Context) -> Response:
        application_id = ctx.params["application_id"]
        return self._idempotent(
            ctx, lambda body: json_response(200, self.service.choose_pickup(application_id, body))
        )

    def add_supplement(self, ctx: Context) -> Response:
        application_id = ctx.params["application_id"]
        return self._idempotent(
            ctx, lambda body: json_response(200, self.service.add_supplement(ctx.kiosk_id, application_id, body))
        )

    def heartbeat(self, ctx: Context) -> Response:
        return json_response(200, self.service.heartbeat(ctx.kiosk_id, json_body(ctx.req)))

    def help_request(self, ctx: Context) -> Response:
        """(1.1) Idempotent like every creating POST."""
        return self._idempotent(ctx, lambda body: json_response(201, self.service.help_request(ctx.kiosk_id, body)))

    # ------------------------------------------------------------ /sim

    def sim_reset(self, ctx: Context) -> Response:
        return json_response(200, self.service.sim_reset(json_body(ctx.req, optional=True)))

    def sim_permits(self, ctx: Context) -> Response:
        view, created = self.service.put_permit(json_body(ctx.req))
        return json_response(201 if created else 200, view)

    def sim_decide(self, ctx: Context) -> Response:
        return json_response(200, self.service.decide(ctx.params["application_id"], json_body(ctx.req)))

    def sim_get_kiosk(self, ctx: Context) -> Response:
        kiosk_id = ctx.params["kiosk_id"]
        # A malformed id names no kiosk: 404 like an unknown one (the operation documents no 422).
        view = self.service.kiosk_view(kiosk_id) if KIOSK_ID_RE.fullmatch(kiosk_id) else None
        if view is None:
            raise ApiError("not_found", "This kiosk never sent a heartbeat and was never configured.")
        return json_response(200, view)

    def sim_put_kiosk(self, ctx: Context) -> Response:
        kiosk_id = ctx.params["kiosk_id"]
        return json_response(200, self.service.configure_kiosk(kiosk_id, json_body(ctx.req)))
