"""Help requests (contract 1.1): ``POST /v1/kiosks/{kiosk_id}/help-requests`` and their listing in
``GET /sim/kiosks/{kiosk_id}``.

The route, authentication, the path-kiosk check (403 ``kiosk_mismatch``) and ``Idempotency-Key``
handling are the HTTP layer's (:mod:`kiosk.simulator.routes`), as for every creating POST: a replay
returns the first answer byte for byte. This module holds the rules behind them:

* ``HelpRequest`` is a closed object: ``reason`` (enum), ``screen`` (string or null, at most 40
  characters), ``created_at`` (RFC 3339 with offset, in the same window as every ``created_at``:
  at most 10 minutes ahead of the server clock and at most 30 days old, else ``out_of_range``).
* The answer (201 ``HelpResponse``) says whether staff are on duty, as the kiosk's directive
  ``staff_on_duty`` (``PUT /sim/kiosks/{kiosk_id}``, default true) says: on duty with an expected
  wait of :data:`EXPECTED_WAIT_MINUTES`; off duty with no wait and the default station's phone.
* Each request is stored with its ``help_request_id`` (``HR-YYYYMMDD-NNNNNN``, the server's date
  and a running number) and listed per kiosk, oldest first, as received.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.simulator.problems import localized
from kiosk.simulator.rules.common import require_valid
from kiosk.simulator.seed import DEFAULT_STATION
from kiosk.simulator.store import Store
from kiosk.simulator.validation import Validator, given

HELP_REASONS = ("resident_asked", "card_left_in_reader", "device_fault", "other")
SCREEN_MAX_LENGTH = 40
#: What an on-duty answer promises (HelpResponse.expected_wait_minutes).
EXPECTED_WAIT_MINUTES = 5
#: Default of SimKioskDirective.staff_on_duty.
STAFF_ON_DUTY_DEFAULT = True


def validate_help_request(body: dict[str, Any], *, now: dt.datetime) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """HelpRequest; returns the request as it will be stored and listed."""
    v = Validator()
    v.obj(body, "", ("reason", "screen", "created_at"), ("reason", "created_at"))
    reason = v.string(body["reason"], "/reason", enum=HELP_REASONS) if given(body, "reason") else None
    screen = v.string(body["screen"], "/screen", max_len=SCREEN_MAX_LENGTH) if given(body, "screen") else None
    if given(body, "created_at"):
        v.created_at(body["created_at"], "/created_at", now)
    # String values are used exactly as sent (section 4): ``created_at`` is kept as the kiosk wrote it.
    return v.errors, {"reason": reason, "screen": screen, "created_at": body.get("created_at")}


def help_message(staff_on_duty: bool) -> dict[str, str]:
    if staff_on_duty:
        return localized(
            "已通知大厅工作人员，请在本机旁稍候。",
            "The hall staff have been told. Please wait by this machine.",
        )
    phone = DEFAULT_STATION["phone"]
    return localized(
        f"现在没有工作人员值班。请拨打 {phone} 咨询，或在工作时间到派出所窗口办理。",
        f"No staff are on duty now. Please call {phone}, or visit a police station counter during opening hours.",
    )


def create_help_request(store: Store, kiosk_id: str, body: dict[str, Any], *, now: dt.datetime) -> dict[str, Any]:
    """Validate (422), store and answer one help request: the HelpResponse body."""
    errors, request = validate_help_request(body, now=now)
    require_valid(errors)
    state = store.get_kiosk(kiosk_id) or {}
    on_duty = bool(state.get("staff_on_duty", STAFF_ON_DUTY_DEFAULT))
    seq = store.next_sequence("help_request_seq")
    help_request_id = f"HR-{now:%Y%m%d}-{seq:06d}"
    store.add_help_request(seq, kiosk_id, {"help_request_id": help_request_id, **request})
    return {
        "help_request_id": help_request_id,
        "staff_on_duty": on_duty,
        "expected_wait_minutes": EXPECTED_WAIT_MINUTES if on_duty else None,
        "message": help_message(on_duty),
    }


def kiosk_state_view(store: Store, state: dict[str, Any]) -> dict[str, Any]:
    """SimKioskState with the directive ``staff_on_duty`` (a state stored before 1.1 has none) and
    ``help_requests``: this kiosk's help requests, oldest first."""
    view = dict(state)
    view.setdefault("staff_on_duty", STAFF_ON_DUTY_DEFAULT)
    view["help_requests"] = store.kiosk_help_requests(state["kiosk_id"])
    return view
