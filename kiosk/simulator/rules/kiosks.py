"""Kiosks: the heartbeat and its directive, and the simulator's view and configuration of a kiosk
(``GET`` / ``PUT /sim/kiosks/{kiosk_id}``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kiosk.simulator import timeutil
from kiosk.simulator.problems import field_error
from kiosk.simulator.rules.common import pick, require_valid
from kiosk.simulator.rules.help_requests import STAFF_ON_DUTY_DEFAULT, kiosk_state_view
from kiosk.simulator.store import Store
from kiosk.simulator.validation import KIOSK_ID_RE, validate_heartbeat
from kiosk.simulator.validation_sim import validate_sim_kiosk

DEFAULT_CONFIG_VERSION = "sim-1"
DEFAULT_HEARTBEAT_S = 60


def kiosk_state(store: Store, kiosk_id: str) -> dict[str, Any]:
    """The stored state, or the defaults of a kiosk never seen."""
    return store.get_kiosk(kiosk_id) or {
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


def heartbeat(store: Store, kiosk_id: str, body: dict[str, Any], now: dt.datetime) -> dict[str, Any]:
    """Heartbeat -> HeartbeatResponse: the server time and the kiosk's directive."""
    require_valid(validate_heartbeat(body))
    at = timeutil.format_datetime(now)
    state = kiosk_state(store, kiosk_id)
    state["heartbeat_count"] += 1
    state["last_heartbeat_at"] = at
    state["last_heartbeat"] = body
    store.put_kiosk(state)
    return {"server_time": at, **pick(state, ("config_version", "out_of_service", "message", "next_heartbeat_s"))}


def kiosk_view(store: Store, kiosk_id: str) -> dict[str, Any] | None:
    """SimKioskState of a kiosk that sent a heartbeat or was configured; ``None`` otherwise."""
    state = store.get_kiosk(kiosk_id)
    return None if state is None else kiosk_state_view(store, state)


def configure_kiosk(store: Store, kiosk_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """SimKioskDirective: the members given replace the kiosk's; returns its SimKioskState."""
    errors: list[dict[str, Any]] = []
    if KIOSK_ID_RE.fullmatch(kiosk_id) is None:
        errors.append(field_error("invalid_format", parameter="kiosk_id"))
    body_errors, directive = validate_sim_kiosk(body)
    errors.extend(body_errors)
    require_valid(errors)
    state = kiosk_state(store, kiosk_id)
    state.update(directive)
    store.put_kiosk(state)
    return kiosk_state_view(store, state)
