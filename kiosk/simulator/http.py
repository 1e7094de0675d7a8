"""The simulator's small HTTP layer: request and response objects, JSON bodies, problem answers,
bearer-token and ``X-Kiosk-Id`` checks, and the digest headers of a document upload.

Nothing here knows the contract's resources; :mod:`kiosk.simulator.routes` maps paths to the rules.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.simulator.problems import ApiError, problem_body
from kiosk.simulator.validation import KIOSK_ID_RE

JSON_LIMIT = 1024 * 1024
DOCUMENT_LIMIT = 10 * 1024 * 1024
WWW_AUTHENTICATE = 'Bearer realm="review-service"'


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


def problem_response(req: Request, err: ApiError) -> Response:
    body = problem_body(err, instance=req.path, request_id=req.request_id)
    return Response(err.status, json_bytes(body), "application/problem+json", dict(err.headers))


def new_request_id() -> str:
    return str(uuid.uuid4())


# ---------------------------------------------------------------- bodies


def json_body(req: Request, *, optional: bool = False) -> dict[str, Any]:
    """The request's JSON object (415, 413, 400 ``malformed_body`` in that order); ``optional``: an
    empty body is ``{}``."""
    if optional and req.body_length == 0:
        return {}
    if not is_json_media_type(req.headers.get("Content-Type")):
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


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def media_type(header: str | None) -> str | None:
    if header is None:
        return None
    return header.split(";", 1)[0].strip().lower()


def is_json_media_type(header: str | None) -> bool:
    if media_type(header) != "application/json":
        return False
    assert header is not None
    for param in header.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() != "utf-8":
            return False
    return True


# ---------------------------------------------------------------- authentication


def _unauthorized(detail: str, *, challenge: str = WWW_AUTHENTICATE) -> ApiError:
    return ApiError("unauthorized", detail, headers={"WWW-Authenticate": challenge})


def authenticate(req: Request, tokens: Mapping[str, str], *, require_kiosk_header: bool) -> str:
    """The kiosk id the bearer token is bound to (401 / 403 ``kiosk_mismatch`` otherwise);
    ``require_kiosk_header``: ``X-Kiosk-Id`` must be given and name that kiosk."""
    auth = req.headers.get("Authorization")
    if not auth:
        raise _unauthorized("Missing bearer token.")
    scheme, _, token = auth.strip().partition(" ")
    if scheme.lower() != "bearer":
        raise _unauthorized("Authorization must use the Bearer scheme.")
    bound = tokens.get(token.strip())
    if bound is None:
        raise _unauthorized("Invalid bearer token.", challenge=WWW_AUTHENTICATE + ', error="invalid_token"')
    if not require_kiosk_header:
        return bound
    kiosk_id = req.headers.get("X-Kiosk-Id")
    if kiosk_id is None or KIOSK_ID_RE.fullmatch(kiosk_id) is None:
        raise _unauthorized("Missing or malformed X-Kiosk-Id.")
    if kiosk_id != bound:
        raise ApiError("kiosk_mismatch", "The token is bound to another kiosk than X-Kiosk-Id.")
    return kiosk_id


# ---------------------------------------------------------------- digests


def digest_headers(headers: Headers) -> list[tuple[str, str, bytes]]:
    """Expected digests ``(algorithm, header, digest)``; at least one sha-256 is required."""
    expected: list[tuple[str, str, bytes]] = []
    content_digest = headers.get("Content-Digest")
    if content_digest is not None:
        for member in content_digest.split(","):
            parsed = _content_digest_member(member)
            if parsed is not None:
                expected.append((parsed[0], "Content-Digest", parsed[1]))
    hex_digest = headers.get("X-Content-SHA256")
    if hex_digest is not None:
        hex_digest = hex_digest.strip()
        if re.fullmatch(r"[0-9a-fA-F]{64}", hex_digest) is None:
            raise ApiError("digest_required", "X-Content-SHA256 must be 64 hexadecimal characters.")
        expected.append(("sha256", "X-Content-SHA256", bytes.fromhex(hex_digest)))
    if not any(algorithm == "sha256" for algorithm, _, _ in expected):
        raise ApiError("digest_required", "Send Content-Digest (sha-256) or X-Content-SHA256.")
    return expected


def _content_digest_member(member: str) -> tuple[str, bytes] | None:
    """``(hashlib name, digest)`` of one Content-Digest member; ``None`` for an algorithm we ignore."""
    name, sep, value = member.strip().partition("=")
    algorithm = name.strip().lower()
    if algorithm not in ("sha-256", "sha-512"):
        return None
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
    return algorithm.replace("-", ""), digest
