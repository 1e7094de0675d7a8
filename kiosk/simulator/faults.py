"""Fault injection for ``/v1`` requests (``ReviewSimulator.inject_faults``), checked after
authentication and routing, so a faulty answer is still the right kiosk's."""

from __future__ import annotations

import fnmatch
import json
import threading
import time
from dataclasses import dataclass

from kiosk.simulator.http import Response
from kiosk.simulator.problems import ApiError, retryable_error

FAULT_MODES = (
    "internal_error",
    "service_unavailable",
    "maintenance",
    "rate_limited",
    "drop",
    "drop_after_commit",
    "delay",
    "malformed_json",
    "replace_members",
)


@dataclass
class Fault:
    path: str
    mode: str
    remaining: int
    method: str | None = None
    retry_after_s: int = 1
    delay_s: float = 0.0
    members: dict | None = None  # replace_members: set these members of the 2xx answer

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        return fnmatch.fnmatchcase(path, self.path)

    def delay(self) -> None:
        """A ``delay`` fault: wait ``delay_s`` before processing (no-op for other modes)."""
        if self.mode == "delay":
            time.sleep(self.delay_s)

    def before(self) -> Response | None:
        """What the fault does before the handler runs: a dropped connection, or a problem raised."""
        if self.mode == "drop":
            return Response(0, drop=True)
        if self.mode == "internal_error":
            raise ApiError("internal_error", "Injected fault.")
        if self.mode in ("service_unavailable", "maintenance", "rate_limited"):
            raise retryable_error(self.mode, self.retry_after_s, f"Retry after {self.retry_after_s} seconds.")
        return None

    def after(self, response: Response) -> Response:
        """What the fault does to the handler's answer (which is processed and stored)."""
        if self.mode == "drop_after_commit":
            response.drop = True
        if self.mode == "malformed_json" and 200 <= response.status < 300:
            # Processed and stored, then answered with a truncated body (a broken proxy, say).
            response.body = response.body[: max(1, len(response.body) // 2)]
        if self.mode == "replace_members" and 200 <= response.status < 300:
            # Processed and stored, then answered with some members that break the contract.
            answer = json.loads(response.body)
            answer.update(self.members or {})
            response.body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        return response


class Faults:
    """The pending faults; each matching request uses up one of a fault's ``remaining``."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def inject(self, fault: Fault) -> None:
        if fault.mode not in FAULT_MODES:
            raise ValueError(f"unknown fault mode {fault.mode!r}; expected one of {FAULT_MODES}")
        if fault.remaining < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._faults.remove(fault)
                    return fault
        return None
