"""Client of the central review service (``docs/contract/review-service.openapi.yaml``).

* Every request carries ``Authorization: Bearer <token>``, ``X-Kiosk-Id`` and an ``X-Request-Id``.
* Transient failures (connection errors, 429/500/502/503/504) are retried a bounded number of
  times with exponential backoff and jitter by urllib3's ``Retry``, which honours
  ``Retry-After``. POSTs are retried too: every creating POST carries an ``Idempotency-Key``
  and a byte-identical body, so a retry cannot create a second application.
* Errors are RFC 9457 problems, raised as :class:`ProblemError` with the stable ``code``
  (clients branch on ``code``, never on text) and the service's zh/en message.
* No request or response body is ever logged (they carry personal data).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from kiosk import contract
from kiosk.domain.applications import ApplicationView, ContractError, PickupResult, applications_from_contract
from kiosk.domain.help import HelpAnswer
from kiosk.domain.permit import PermitRecord

log = logging.getLogger(__name__)

RETRYABLE_STATUS = (429, 500, 502, 503, 504)


class BackendError(Exception):
    """Any failure talking to the review service."""

    retryable: bool = False
    code: str = "backend_error"

    def message(self, lang: str) -> str:
        return (
            "暂时无法连接审核系统，请稍后再试。"
            if lang == "zh"
            else "The review service can't be reached right now. Please try again shortly."
        )


class TransportError(BackendError):
    """No usable answer: network error, timeout, a 2xx body that is not JSON, or an answer that
    does not follow the contract's schema (:mod:`kiosk.contract`) or its typed parsing
    (:class:`~kiosk.domain.applications.ContractError`). Retryable."""

    retryable = True
    code = "network_error"


class ProblemError(BackendError):
    """A problem+json answer from the service."""

    def __init__(self, status: int, problem: dict[str, Any], retry_after: float | None = None) -> None:
        self.status = status
        self.problem = problem
        self.code = str(problem.get("code") or f"http_{status}")
        self.retry_after = retry_after
        self.retryable = status in RETRYABLE_STATUS or self.code == "idempotency_in_progress"
        super().__init__(f"{status} {self.code}")

    def message(self, lang: str) -> str:
        key = "zh-CN" if lang == "zh" else "en"
        # A refusal's reasons say why (e.g. "An application is already in progress."); the
        # problem's own message only says that it was refused.
        why = [
            r["message"][key]
            for r in self.reasons
            if isinstance(r, dict) and isinstance(r.get("message"), dict) and isinstance(r["message"].get(key), str) and r["message"][key]
        ]
        if why:
            return "\n".join(why)
        msg = self.problem.get("message")
        if isinstance(msg, dict):
            text = msg.get(key)
            if isinstance(text, str) and text:
                return text
        return super().message(lang)

    @property
    def reasons(self) -> list[dict[str, Any]]:
        r = self.problem.get("reasons")
        return r if isinstance(r, list) else []


def default_retry(total: int = 3, backoff: float = 0.5) -> Retry:
    return Retry(
        total=total,
        connect=total,
        read=total,
        status=total,
        backoff_factor=backoff,
        backoff_jitter=0.25,
        backoff_max=10,
        status_forcelist=RETRYABLE_STATUS,
        allowed_methods=frozenset({"GET", "PUT", "POST"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )


class ReviewClient:
    def __init__(
        self,
        base_url: str,
        token: str,
        kiosk_id: str,
        *,
        timeout: float = 10.0,
        ca_bundle: str | None = None,
        client_cert: str | tuple[str, str] | None = None,
        retry: Retry | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self.timeout = timeout
        s = requests.Session()
        adapter = HTTPAdapter(max_retries=retry if retry is not None else default_retry())
        s.mount("http://", adapter)
        s.mount("https://", adapter)
        s.headers.update({"Authorization": f"Bearer {token}", "X-Kiosk-Id": kiosk_id, "Accept": "application/json"})
        s.verify = ca_bundle or True
        if client_cert:
            s.cert = client_cert
        self._s = s

    def close(self) -> None:
        self._s.close()

    # --- plumbing ---
    def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: dict[str, Any] | None = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        ok: tuple[int, ...] = (200, 201),
        schema: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """One request; a 2xx answer is checked against the contract's ``schema`` (when given)."""
        hdrs = {"X-Request-Id": uuid.uuid4().hex[:16]}
        if headers:
            hdrs.update(headers)
        if json_body is not None:
            # Serialise once: a retry sends the same bytes (the fingerprint is canonical anyway).
            data = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        try:
            # verify per request: requests lets $REQUESTS_CA_BUNDLE / $CURL_CA_BUNDLE override a
            # session's verify (psf/requests#3829), which would silently drop [backend] ca_bundle.
            r = self._s.request(
                method, self.base_url + path, data=data, headers=hdrs, timeout=self.timeout, verify=self._s.verify
            )
        except requests.RequestException as e:
            log.warning("%s %s failed: %s", method, _log_path(path), type(e).__name__)
            raise TransportError(type(e).__name__) from None
        log.info("%s %s -> %s (request %s)", method, _log_path(path), r.status_code, r.headers.get("X-Request-Id"))
        if r.status_code in ok:
            try:
                body = r.json()
            except ValueError:
                raise TransportError("unparseable 2xx body") from None
            if not isinstance(body, dict):
                raise TransportError("2xx body is not an object")
            if schema is not None:
                _checked(schema, body, method, path)
            return r.status_code, body
        try:
            problem = r.json()
            if not isinstance(problem, dict):
                problem = {}
        except ValueError:
            problem = {}
        retry_after = r.headers.get("Retry-After")
        raise ProblemError(r.status_code, problem, float(retry_after) if retry_after and retry_after.isdigit() else None)

    # --- operations ---
    def lookup_permit(self, id_number: str, name: str) -> PermitRecord | None:
        """The resident's permit record, or None when no record matches (404)."""
        try:
            _, body = self._request(
                "POST", "/v1/permits/lookup", json_body={"id_number": id_number, "name": name}, schema="PermitRecord"
            )
        except ProblemError as e:
            if e.status == 404:
                return None
            raise
        return PermitRecord.from_json(body)

    def upload_document(self, document_id: str, data: bytes, content_type: str = "image/jpeg") -> dict[str, Any]:
        digest = hashlib.sha256(data).digest()
        headers = {
            "Content-Type": content_type,
            "Content-Digest": f"sha-256=:{base64.b64encode(digest).decode()}:",
            "X-Content-SHA256": digest.hex(),
        }
        _, body = self._request("PUT", f"/v1/documents/{document_id}", data=data, headers=headers, schema="DocumentReceipt")
        return body

    def create_application(self, body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        _, receipt = self._request(
            "POST", "/v1/applications", json_body=body, headers={"Idempotency-Key": idempotency_key}, ok=(201,)
        )
        return accepted_receipt(receipt)

    def send_stored(
        self, method: str, path: str, body: bytes, idempotency_key: str, *, ok: tuple[int, ...] = (200, 201)
    ) -> dict[str, Any]:
        """Send a creating request exactly as it was stored: ``body`` (JSON, already serialised)
        goes out byte for byte, never re-serialised, with ``Content-Type: application/json`` and
        the stored ``Idempotency-Key``; returns the answer object.

        For the outbox (``kiosk/outbox/``), which keeps each request's body bytes and key from the
        moment the resident submitted: a replay after a lost answer must match the service's
        fingerprint of the first attempt (contract §6). The usual plumbing applies (auth headers,
        a fresh ``X-Request-Id``, :class:`ProblemError` / :class:`TransportError`, no body logging).
        """
        _, answer = self._request(
            method,
            path,
            data=body,
            headers={"Content-Type": "application/json", "Idempotency-Key": idempotency_key},
            ok=ok,
        )
        return accepted_receipt(answer)

    def query_applications(self, id_number: str, name: str, limit: int = 50) -> list[ApplicationView]:
        """The resident's applications (contract ApplicationList), in the service's order."""
        _, body = self._request(
            "POST",
            "/v1/applications/query",
            json_body={"id_number": id_number, "name": name, "limit": limit},
            schema="ApplicationList",
        )
        return _parsed(applications_from_contract, body)

    def get_application(self, application_id: str) -> ApplicationView:
        _, body = self._request("GET", f"/v1/applications/{application_id}", schema="Application")
        return _parsed(ApplicationView.from_contract, body)

    def choose_pickup(self, application_id: str, body: dict[str, Any], idempotency_key: str) -> PickupResult:
        out = self._post_idempotent(f"/v1/applications/{application_id}/pickup", body, idempotency_key, schema="Pickup")
        return _parsed(PickupResult.from_contract, out)

    def add_supplement(self, application_id: str, body: dict[str, Any], idempotency_key: str) -> ApplicationView:
        """Add documents; the answer is the updated application."""
        out = self._post_idempotent(
            f"/v1/applications/{application_id}/supplements", body, idempotency_key, schema="Application"
        )
        return _parsed(ApplicationView.from_contract, out)

    def help_request(self, body: dict[str, Any], idempotency_key: str) -> HelpAnswer:
        """Ask the hall's staff to come (contract 1.1 HelpRequest); the answer says whether anyone is on duty."""
        out = self._post_idempotent(f"/v1/kiosks/{self.kiosk_id}/help-requests", body, idempotency_key, ok=(201,))
        return _parsed(HelpAnswer.from_contract, out)

    def _post_idempotent(
        self, path: str, body: dict[str, Any], idempotency_key: str, *, ok: tuple[int, ...] = (200,), schema: str | None = None
    ) -> Any:
        """A POST with an Idempotency-Key (the resident may retry): its answer, checked against ``schema``."""
        _, out = self._request(
            "POST", path, json_body=body, headers={"Idempotency-Key": idempotency_key}, ok=ok, schema=schema
        )
        return out

    def heartbeat(self, body: dict[str, Any]) -> dict[str, Any]:
        _, out = self._request(
            "POST", f"/v1/kiosks/{self.kiosk_id}/heartbeat", json_body=body, ok=(200,), schema="HeartbeatResponse"
        )
        return out


T = TypeVar("T")

#: The member of an application's receipt without which it is no receipt (what the resident is told).
RECEIPT_ESSENTIAL = ("application_id",)


def _checked(schema: str, body: dict[str, Any], method: str, path: str) -> None:
    """A 2xx answer that does not follow the contract is no usable answer (names members only)."""
    try:
        contract.check(schema, body)
    except contract.AnswerInvalid as e:
        log.warning("malformed answer from the review service to %s %s: %s", method, _log_path(path), e)
        raise TransportError("malformed answer") from None


def accepted_receipt(answer: dict[str, Any]) -> dict[str, Any]:
    """The answer to a created application (201), as far as it follows the contract.

    The service has committed the application, so the resident must hear that it was accepted:
    the receipt is usable as long as its ``application_id`` is; members that are wrong (say an
    ``expected_decision_by`` that is no date) are dropped and logged by name. Without a valid
    ``application_id`` it is no usable answer (:class:`TransportError`; a retry replays it).
    """
    try:
        kept, dropped = contract.salvage("ApplicationReceipt", answer, RECEIPT_ESSENTIAL)
    except contract.AnswerInvalid as e:
        log.warning("malformed answer from the review service to a created application: %s", e)
        raise TransportError("malformed answer") from None
    if dropped:
        log.warning("application receipt: dropped members that do not follow the contract: %s", ", ".join(dropped))
    return kept


def _parsed(parse: Callable[[dict[str, Any]], T], body: dict[str, Any]) -> T:
    """Parse an answer once, at the edge: a malformed one is a :class:`TransportError` (no usable
    answer); the reason names members, never values (they may be personal)."""
    try:
        return parse(body)
    except ContractError as e:
        log.warning("malformed answer from the review service: %s", _members_only(str(e)))
        raise TransportError("malformed answer") from e


def _members_only(reason: str) -> str:
    """The first part of a ContractError (the member's path), without any value after a colon."""
    return reason.split(":", 1)[0]


def _log_path(path: str) -> str:
    """Paths carry no personal data by contract (§3); keep them short in logs anyway."""
    return path if len(path) < 80 else path[:77] + "..."
