"""The kiosk heartbeat (contract: POST /v1/kiosks/{kiosk_id}/heartbeat).

Sent every ``next_heartbeat_s`` seconds with device health and the outbox depth, on its own
thread. The answer's directives (out of service, message, config version) and the server
time go to a callback; the Qt layer turns them into a signal. The client checks the answer
against the contract (a malformed one is a :class:`~kiosk.backend_client.TransportError`), and
nothing an answer holds can end the thread: a failed beat is retried after ``retry_s``.

Before each beat the data directory's health is checked (``storage``): a full or read-only
disk is reported in ``last_error`` (code ``storage``) and to ``on_storage``, which puts the
kiosk out of service until the storage is usable again.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kiosk import __version__
from kiosk.backend_client import BackendError, ReviewClient
from kiosk.domain.clock import SHANGHAI

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Directive:
    out_of_service: bool
    message: dict[str, str] | None
    config_version: str
    next_heartbeat_s: int
    server_time: dt.datetime | None
    clock_skew_s: float | None  # server minus kiosk, seconds

    @classmethod
    def from_json(cls, d: dict[str, Any], sent_at: dt.datetime) -> Directive:
        """The directive in a HeartbeatResponse. The client has checked it against the contract;
        this still never raises: a member that is wrong anyway falls back to a safe value."""
        server_time = None
        skew = None
        try:
            server_time = dt.datetime.fromisoformat(str(d.get("server_time")))
            skew = (server_time - sent_at).total_seconds()
        except (TypeError, ValueError):  # no time, or a naive one
            server_time = None
        msg = d.get("message")
        text = {k: v for k, v in msg.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(msg, dict) else {}
        every = d.get("next_heartbeat_s")
        return cls(
            out_of_service=d.get("out_of_service") is True,
            message=text or None,
            config_version=str(d.get("config_version", "")),
            next_heartbeat_s=min(3600, max(10, every)) if isinstance(every, int) and not isinstance(every, bool) else 60,
            server_time=server_time,
            clock_skew_s=skew,
        )


class Heartbeat:
    def __init__(
        self,
        client: ReviewClient,
        devices: Callable[[], dict[str, str]],
        outbox: Callable[[], dict[str, Any]] | None = None,
        on_directive: Callable[[Directive], None] | None = None,
        *,
        retry_s: float = 30.0,
        storage: Callable[[], str | None] | None = None,
        on_storage: Callable[[str | None], None] | None = None,
    ) -> None:
        self.client = client
        self.devices = devices
        self.outbox = outbox
        self.on_directive = on_directive
        self.retry_s = retry_s
        self.storage = storage
        self.on_storage = on_storage
        self.storage_fault: str | None = None
        self.started = time.monotonic()
        self.last: Directive | None = None
        self.last_error: dict[str, str] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def report_error(self, code: str, message: str) -> None:
        """Remember the most recent problem for the next heartbeat (no personal data)."""
        self.last_error = {"code": code[:64], "message": message[:500], "at": dt.datetime.now(SHANGHAI).isoformat(timespec="seconds")}

    def body(self) -> dict[str, Any]:
        out = self.outbox() if self.outbox else {}
        if self.storage_fault is not None:  # what keeps the kiosk out of service comes first
            self.report_error("storage", self.storage_fault)
        return {
            "software_version": __version__,
            "uptime_s": int(time.monotonic() - self.started),
            "devices": self.devices(),
            "outbox_depth": int(out.get("depth", 0)),
            "outbox_oldest_age_s": out.get("oldest_age_s"),
            "last_error": self.last_error,
            "kiosk_time": dt.datetime.now(SHANGHAI).isoformat(timespec="seconds"),
        }

    def check_storage(self) -> str | None:
        """Look at the data directory now; report a fault (and its end) to ``on_storage``."""
        if self.storage is None:
            return None
        try:
            fault = self.storage()
        except Exception as e:  # noqa: BLE001 - a failing check is a fault, never the thread's end
            fault = f"the storage check failed ({type(e).__name__})"
        if fault is not None:
            self.report_error("storage", fault)
        if fault != self.storage_fault:
            log.log(logging.ERROR if fault else logging.INFO, "storage: %s", fault or "usable again")
            self.storage_fault = fault
            if self.on_storage is not None:
                self.on_storage(fault)
        return fault

    def beat(self) -> Directive | None:
        """Send one heartbeat now (blocking). Returns the directive, or None on failure."""
        self.check_storage()
        sent_at = dt.datetime.now(SHANGHAI)
        try:
            answer = self.client.heartbeat(self.body())
        except BackendError as e:
            log.warning("heartbeat failed: %s", e.code)
            return None
        d = Directive.from_json(answer, sent_at)
        self.last = d
        if d.clock_skew_s is not None and abs(d.clock_skew_s) > 120:
            log.warning("kiosk clock differs from the service by %.0f s", d.clock_skew_s)
        if self.on_directive:
            self.on_directive(d)
        return d

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                d = self.beat()
            except Exception as e:  # noqa: BLE001 - the heartbeat outlives anything one beat meets
                log.error("heartbeat: unexpected %s; next beat in %.0f s", type(e).__name__, self.retry_s)
                d = None
            self._stop.wait(max(10, d.next_heartbeat_s) if d else self.retry_s)
