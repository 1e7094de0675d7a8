"""The application a resident builds at the kiosk, and its contract payload."""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.services import Basis, Service, category


@dataclass
class Page:
    """One captured page of a material: JPEG bytes held in a wipeable buffer."""

    category: str
    number: int  # 1-based within its category
    jpeg: bytearray
    document_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def wipe(self) -> None:
        self.jpeg[:] = b"\0" * len(self.jpeg)
        self.jpeg.clear()


@dataclass
class Application:
    service: Service
    basis: Basis | None = None
    category: str | None = None
    pages: list[Page] = field(default_factory=list)
    phone: str | None = None
    #: (contract 1.1) notify the number the police hold on file instead of ``phone``
    use_phone_on_file: bool = False
    changes: dict[str, str] | None = None

    # --- pages ---
    def pages_of(self, category_code: str) -> list[Page]:
        return [p for p in self.pages if p.category == category_code]

    def add_page(self, category_code: str, jpeg: bytes) -> Page:
        category(category_code)  # validates the code
        page = Page(category_code, len(self.pages_of(category_code)) + 1, bytearray(jpeg))
        self.pages.append(page)
        return page

    def replace_page(self, page: Page, jpeg: bytes) -> Page:
        """Retake: new bytes get a new document id (documents are immutable upstream)."""
        idx = self.pages.index(page)
        new = Page(page.category, page.number, bytearray(jpeg))
        page.wipe()
        self.pages[idx] = new
        return new

    def remove_page(self, page: Page) -> None:
        self.pages.remove(page)
        page.wipe()
        for i, p in enumerate(self.pages_of(page.category), start=1):
            p.number = i

    def document_refs(self) -> list[dict[str, Any]]:
        return [{"document_id": p.document_id, "category": p.category, "page": p.number} for p in self.pages]

    # --- contract payload ---
    def create_request(
        self,
        *,
        name: str,
        id_number: str,
        permit_number: str | None,
        kiosk_id: str,
        client_reference: str,
        created_at: dt.datetime,
    ) -> dict[str, Any]:
        """The body of ``POST /v1/applications`` (contract schema ApplicationCreate)."""
        if self.phone is None and not self.use_phone_on_file:
            raise ValueError("phone missing")
        applicant: dict[str, Any] = {"name": name, "id_number": id_number}
        if self.use_phone_on_file:
            applicant["use_phone_on_file"] = True
        else:
            applicant["phone"] = self.phone
        body: dict[str, Any] = {
            "service": self.service.value,
            "applicant": applicant,
            "permit_number": permit_number,
            "documents": self.document_refs(),
            "kiosk_id": kiosk_id,
            "client_reference": client_reference,
            "created_at": created_at.isoformat(timespec="seconds"),
        }
        if self.service == Service.RENEWAL:
            if self.basis is None:
                raise ValueError("basis missing")
            body["basis"] = self.basis.value
        if self.service == Service.INFO_CHANGE:
            body["changes"] = dict(self.changes or {})
        return body

    def wipe(self) -> None:
        for p in self.pages:
            p.wipe()
        self.pages.clear()
        self.phone = None
        self.use_phone_on_file = False
        self.changes = None


def new_client_reference(kiosk_id: str, at: dt.datetime) -> str:
    """Kiosk-made reference printed on the receipt; unique per kiosk (time + random suffix).

    Matches the contract pattern ``^[A-Za-z0-9][A-Za-z0-9-]{5,39}$``.
    """
    short = "".join(ch for ch in kiosk_id if ch.isalnum())[-6:] or "KIOSK"
    suffix = "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(3))
    return f"{short}-{at:%Y%m%d-%H%M%S}-{suffix}"


PHONE_PATTERN = r"^1[3-9][0-9]{9}$"


def valid_mobile(phone: str) -> bool:
    import re

    return re.fullmatch(PHONE_PATTERN, phone) is not None


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) == 11 else "*" * len(phone)
