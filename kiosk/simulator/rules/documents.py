"""Documents (``PUT /v1/documents/{document_id}``): each id holds one content, uploaded by one kiosk;
a repeated upload of the same bytes is answered with the first receipt."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from kiosk.simulator import timeutil
from kiosk.simulator.problems import ApiError, field_error, validation_error
from kiosk.simulator.rules.common import pick
from kiosk.simulator.store import Store
from kiosk.simulator.validation import UUID_RE

DOCUMENT_TYPES = ("image/jpeg", "application/pdf")


def check_document_id(document_id: str) -> None:
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


def check_content_type(content_type: str | None) -> None:
    if content_type not in DOCUMENT_TYPES:
        raise ApiError("unsupported_media_type", "Documents must be image/jpeg or application/pdf.")


def check_not_empty(content: bytes) -> None:
    if not content:
        raise validation_error([field_error("too_short", pointer="", message=("文件内容为空。", "The document is empty."))])


def sniff(content: bytes) -> str | None:
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def document_receipt(meta: dict[str, Any]) -> dict[str, Any]:
    return pick(meta, ("document_id", "content_type", "size_bytes", "sha256", "received_at"))


def store_document(
    store: Store, kiosk_id: str, document_id: str, content_type: str, content: bytes, now: dt.datetime
) -> tuple[dict[str, Any], bool]:
    """Store one document; returns its DocumentReceipt and whether it is new.

    The id, type and emptiness checks come first (the HTTP layer makes them before it checks the
    digests, in the contract's order); then the bytes must be what ``content_type`` says, and an id
    already used holds the same bytes from the same kiosk (else 409 ``document_conflict``)."""
    check_document_id(document_id)
    check_content_type(content_type)
    check_not_empty(content)
    if sniff(content) != content_type:
        kind = "a JPEG image" if content_type == "image/jpeg" else "a PDF document"
        raise ApiError("unsupported_media_type", f"The bytes are not {kind}.")
    sha256 = hashlib.sha256(content).hexdigest()
    existing = store.get_document(document_id)
    if existing is not None:
        if existing["kiosk_id"] != kiosk_id or existing["sha256"] != sha256:
            raise ApiError("document_conflict", f"Document {document_id} already holds different content.")
        return document_receipt(existing), False
    meta = {
        "document_id": document_id,
        "kiosk_id": kiosk_id,
        "content_type": content_type,
        "size_bytes": len(content),
        "sha256": sha256,
        "received_at": timeutil.format_datetime(now),
    }
    store.add_document(meta, content)
    return document_receipt(meta), True


def document_known(store: Store, kiosk_id: str) -> Callable[[str], bool]:
    """Whether a document id was uploaded by this kiosk (what DocumentRef may refer to)."""

    def known(document_id: str) -> bool:
        document = store.get_document(document_id)
        return document is not None and document["kiosk_id"] == kiosk_id

    return known
