"""Asking the hall's staff for help (contract 1.1 ``POST /v1/kiosks/{kiosk_id}/help-requests``):
the request's reasons and the service's honest answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kiosk.domain.applications import ContractError

RESIDENT_ASKED = "resident_asked"
CARD_LEFT_IN_READER = "card_left_in_reader"
REASONS = (RESIDENT_ASKED, CARD_LEFT_IN_READER, "device_fault", "other")


def help_request_body(reason: str, screen: str | None, created_at: dt.datetime) -> dict[str, Any]:
    """The HelpRequest body: no personal data, only why and where."""
    if reason not in REASONS:
        raise ValueError(f"unknown help reason {reason!r}")
    return {"reason": reason, "screen": (screen or None) and screen[:40], "created_at": created_at.isoformat(timespec="seconds")}


@dataclass(frozen=True)
class HelpAnswer:
    help_request_id: str
    staff_on_duty: bool
    expected_wait_minutes: int | None
    message_zh: str
    message_en: str

    def message(self, lang: str) -> str:
        return self.message_zh if lang == "zh" else self.message_en

    @classmethod
    def from_contract(cls, body: dict[str, Any]) -> HelpAnswer:
        """Parse a HelpResponse; a malformed one raises ContractError (naming the member only)."""
        rid = body.get("help_request_id")
        on_duty = body.get("staff_on_duty")
        wait = body.get("expected_wait_minutes")
        msg = body.get("message")
        if not isinstance(rid, str) or not rid:
            raise ContractError("help_request_id")
        if not isinstance(on_duty, bool):
            raise ContractError("staff_on_duty")
        if wait is not None and (not isinstance(wait, int) or isinstance(wait, bool) or not 0 <= wait <= 240):
            raise ContractError("expected_wait_minutes")
        if not isinstance(msg, dict) or not isinstance(msg.get("zh-CN"), str) or not isinstance(msg.get("en"), str):
            raise ContractError("message")
        return cls(rid, on_duty, wait, msg["zh-CN"], msg["en"])
