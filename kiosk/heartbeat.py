"""The kiosk heartbeat (contract: POST /v1/kiosks/{kiosk_id}/heartbeat).

Sent every ``next_heartbeat_s`` seconds with device health and the outbox depth, on its own
thread. The answer's directives (out of service, message, config version) and the server
time go to a callback; the Qt layer turns them into a signal.
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
        server_time = None
        skew = None
        try:
            server_time = dt.datetime.fromisoformat(str(d.get("server_time")))
            skew = (server_time - sent_at).total_seconds()
        except ValueError:
            pass
        msg = d.get("message")
        return cls(
            out_of_service=bool(d.get("out_of_service")),
            message=msg if isinstance(msg, dict) else None,
            config_version=str(d.get("config_version", "")),
            next_heartbeat_s=int(d.get("next_heartbeat_s") or 60),
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
    ) -> None:
        self.client = client
        self.devices = devices
        self.outbox = outbox
        self.on_directive = on_directive
        self.retry_s = retry_s
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
        return {
            "software_version": __version__,
            "uptime_s": int(time.monotonic() - self.started),
            "devices": self.devices(),
            "outbox_depth": int(out.get("depth", 0)),
            "outbox_oldest_age_s": out.get("oldest_age_s"),
            "last_error": self.last_error,
            "kiosk_time": dt.datetime.now(SHANGHAI).isoformat(timespec="seconds"),
        }

    def beat(self) -> Directive | None:
        """Send one heartbeat now (blocking). Returns the directive, or None on failure."""
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
            d = self.beat()
            self._stop.wait(max(10, d.next_heartbeat_s) if d else self.retry_s)
