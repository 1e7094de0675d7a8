"""What goes into the outbox: one creating request of the review-service contract and the
document images it references, checked against the contract before it is committed."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
CLIENT_REFERENCE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{5,39}$")
MAX_DOCUMENTS = 20
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class KindSpec:
    """How the outbox treats one kind of request."""

    path: re.Pattern[str]
    ok: tuple[int, ...]
    #: The only members of the service's answer that are kept (none of them personal).
    result_fields: tuple[str, ...]
    #: A member that every acceptable answer must carry (else the answer is treated as garbled).
    required: str | None = None


KINDS: dict[str, KindSpec] = {
    "application": KindSpec(
        re.compile(r"^/v1/applications$"),
        (200, 201),  # the contract says 201; any 2xx carrying an application_id is an acceptance
        ("application_id", "status", "client_reference", "received_at", "expected_decision_by"),
        "application_id",
    ),
}


def json_bytes(body: dict[str, Any]) -> bytes:
    # Exactly how ReviewClient serialises a JSON body.
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_type(data: bytes | bytearray) -> str:
    return "application/pdf" if bytes(data[:5]) == b"%PDF-" else "image/jpeg"


@dataclass
class OutboxItem:
    """One creating request and the documents it references, as the service must receive them."""

    kind: str
    method: str
    path: str
    body: dict[str, Any]
    idempotency_key: str
    client_reference: str
    created_at: dt.datetime
    documents: Sequence[tuple[str, bytes | bytearray]] = field(default_factory=list)

    @classmethod
    def application(
        cls, body: dict[str, Any], idempotency_key: str, documents: Sequence[tuple[str, bytes | bytearray]]
    ) -> OutboxItem:
        """``POST /v1/applications`` with ``body`` (ApplicationCreate) and its pages."""
        return cls(
            kind="application",
            method="POST",
            path="/v1/applications",
            body=body,
            idempotency_key=idempotency_key,
            client_reference=str(body["client_reference"]),
            created_at=dt.datetime.fromisoformat(str(body["created_at"])),
            documents=list(documents),
        )

    def validate(self) -> None:
        spec = KINDS.get(self.kind)
        if spec is None:
            raise ValueError(f"unknown outbox kind {self.kind!r}; known: {', '.join(KINDS)}")
        if self.method != "POST" or not spec.path.match(self.path):
            raise ValueError(f"{self.kind}: unexpected request {self.method} {self.path}")
        if not UUID_RE.match(self.idempotency_key):
            raise ValueError("idempotency_key must be a lowercase canonical UUID")
        if not CLIENT_REFERENCE_RE.match(self.client_reference):
            raise ValueError("client_reference does not match the contract pattern")
        if self.created_at.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")
        self._validate_documents()

    def _validate_documents(self) -> None:
        if len(self.documents) > MAX_DOCUMENTS:
            raise ValueError(f"at most {MAX_DOCUMENTS} documents")
        ids = [d for d, _ in self.documents]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate document id")
        for document_id, data in self.documents:
            if not UUID_RE.match(document_id):
                raise ValueError("document ids must be lowercase canonical UUIDs")
            if not 0 < len(data) <= MAX_DOCUMENT_BYTES:
                raise ValueError("a document must hold 1 byte .. 10 MiB")
        referenced = self.body.get("documents")
        if isinstance(referenced, list):
            wanted = {str(r.get("document_id")) for r in referenced if isinstance(r, dict)}
            if wanted != set(ids):
                # Every page referenced must travel with the request, and nothing else.
                raise ValueError("the documents do not match the body's document references")

    def stored_request(self) -> bytes:
        """The request as it is sealed into the queue: method, path, key and the body's exact bytes.

        The body is serialised here, once; every attempt sends these bytes (contract §6).
        """
        return json.dumps(
            {
                "v": 1,
                "method": self.method,
                "path": self.path,
                "idempotency_key": self.idempotency_key,
                "body": json_bytes(self.body).decode("utf-8"),
            },
            ensure_ascii=False,
        ).encode("utf-8")


def request_reference(request: dict[str, Any]) -> str | None:
    """The ``client_reference`` in a stored request's body, if it has one."""
    try:
        ref = json.loads(request["body"]).get("client_reference")
    except (ValueError, AttributeError, KeyError):
        return None
    return ref if isinstance(ref, str) else None
