"""Pieces every resource's rules share: 422 from a validator's errors, the application's status
machine (``invalid_state``, history), localized reasons."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from kiosk.simulator.problems import ApiError, localized, validation_error
from kiosk.simulator.store import Store
from kiosk.simulator.validation import APPLICATION_ID_RE


def require_valid(errors: list[dict[str, Any]]) -> None:
    """422 ``validation_failed`` with every field error found, if any."""
    if errors:
        raise validation_error(errors)


def find_application(store: Store, application_id: str) -> dict[str, Any]:
    app = store.get_application(application_id) if APPLICATION_ID_RE.fullmatch(application_id) else None
    if app is None:
        raise ApiError("not_found", "No application with this id.")
    return app


def require_status(app: dict[str, Any], allowed: Sequence[str], detail: str) -> None:
    """409 ``invalid_state`` unless the application is in one of ``allowed``."""
    if app["status"] not in allowed:
        raise ApiError(
            "invalid_state", detail, extra={"current_status": app["status"], "allowed_statuses": list(allowed)}
        )


def move(app: dict[str, Any], status: str, at: str, actor: str, note: str | None) -> None:
    app["status"] = status
    app["updated_at"] = at
    app["history"].append({"status": status, "at": at, "actor": actor, "note": note})


def is_reissue(service: str) -> bool:
    return service in ("reissue_lost", "reissue_damaged")


def pick(record: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """The members ``keys`` of a stored record, in that order (a receipt or view of it)."""
    return {key: record[key] for key in keys}


def reason(code: str, zh: str, en: str, **extra: Any) -> dict[str, Any]:
    found: dict[str, Any] = {"code": code, "message": localized(zh, en)}
    found.update(extra)
    return found
