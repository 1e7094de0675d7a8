"""The catalogue of events a technician or an auditor cares about, and the log that writes them.

Every event has a name, a fixed set of fields and a one-line meaning, all declared here, so
"how many cards were refused today, and why" is a count over one JSON line per event
(``<data_dir>/logs/events.jsonl``), not a parse of prose. Fields never carry personal data:
no name, ID number, phone, address or page; a resident is never identifiable from this log.
Values are codes, counts and the kiosk's own references (a client reference is printed on
the resident's receipt and identifies the application, not the person).

Pure Python: the journey, the screens and the app emit through :class:`EventLog`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from dataclasses import dataclass
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from kiosk.logfile import QuietFileHandler

log = logging.getLogger("kiosk.events")

Value = str | int | float | bool | None


@dataclass(frozen=True)
class EventType:
    name: str
    fields: tuple[str, ...]
    meaning: str


CATALOGUE: dict[str, EventType] = {
    e.name: e
    for e in (
        EventType("session_started", ("service",), "A resident chose a service (or 'my applications'); a session began."),
        EventType("session_ended", ("how", "step"), "A session ended (finished, cancelled, timed_out, turned_away, "
                  "maintenance_left, failsafe, closed) at this step; everything personal was wiped."),
        EventType("card_read", (), "An ID card was read and accepted into the session."),
        EventType("card_refused", ("reason",), "The reader refused a card; reason is the card profile's refusal code."),
        EventType("permit_looked_up", ("outcome",), "The review service answered the permit lookup: found, "
                  "not_found or failed."),
        EventType("application_queued", ("service", "client_reference"), "An application was committed to the "
                  "encrypted outbox; the receipt carries its client reference."),
        EventType("application_accepted", ("service", "client_reference", "application_id"), "The review service "
                  "accepted an application."),
        EventType("application_refused", ("service", "code"), "The review service refused an application; code is "
                  "the problem code."),
        EventType("receipt_printed", ("kind",), "A receipt came out of the printer."),
        EventType("receipt_failed", ("kind", "printer_state"), "A receipt could not be printed; the printer's state."),
        EventType("device_state_changed", ("device", "state"), "A device's state changed (card reader, camera, "
                  "printer)."),
        EventType("maintenance_entered", (), "A technician entered maintenance mode with the right PIN."),
        EventType("pin_wrong", ("tries_left",), "A wrong maintenance PIN was entered."),
        EventType("lockout", ("seconds",), "Too many wrong PINs: maintenance is locked for this long."),
        EventType("out_of_service", ("source", "on"), "The kiosk stopped (on) or resumed (off) starting journeys; "
                  "source is the review service, a technician or storage (a full or read-only data directory)."),
        EventType("help_requested", ("reason", "staff_on_duty"), "The kiosk asked the hall's staff to come "
                  "(resident_asked, card_left_in_reader, ...); whether the service said anyone is on duty."),
        EventType("card_left", ("seconds",), "An ID card was still on the reader this long after a session ended "
                  "(the kiosk kept asking the resident to take it)."),
        EventType("failsafe", ("exception", "where"), "An unexpected error ended the session; the exception's type "
                  "and the code location, never its message."),
    )
}


class EventLog:
    """Writes catalogue events as JSON lines (rotated by size) and to ``logging``.

    ``path`` None: events go to ``logging`` only (tests, tools). ``recorded`` keeps the last
    events in memory for tests and the maintenance screen.
    """

    def __init__(self, path: Path | None = None, *, max_bytes: int = 2_000_000, backups: int = 5) -> None:
        self._lock = threading.Lock()
        self.recorded: list[dict[str, Any]] = []
        self._file: RotatingFileHandler | None = None
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:  # a full or read-only data directory: the kiosk says so elsewhere
                log.error("events go to the log only: cannot create %s (%s)", path.parent, e.strerror)
            else:
                # Opened on the first event; a failing write is said once, in one line (kiosk.logfile).
                self._file = QuietFileHandler(path, max_bytes=max_bytes, backups=backups)
                self._file.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, name: str, /, **fields: Value) -> dict[str, Any]:
        """Record one event. An unknown event or fields other than the catalogue's are a
        programming error (ValueError): the catalogue is the contract of this log."""
        kind = CATALOGUE.get(name)
        if kind is None:
            raise ValueError(f"unknown event {name!r}: add it to kiosk.events.CATALOGUE")
        if set(fields) != set(kind.fields):
            raise ValueError(f"event {name!r} takes fields {kind.fields}, got {tuple(sorted(fields))}")
        bad = [k for k, v in fields.items() if not isinstance(v, Value)]
        if bad:
            raise ValueError(f"event {name!r}: fields {bad} must be plain values")
        record = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"), "event": name, **fields}
        line = json.dumps(record, ensure_ascii=False, sort_keys=False)
        with self._lock:
            self.recorded.append(record)
            del self.recorded[:-200]
            if self._file is not None:
                self._file.emit(logging.makeLogRecord({"msg": line, "levelno": logging.INFO, "levelname": "INFO"}))
        log.info("%s", line)
        return record

    def names(self) -> list[str]:
        with self._lock:
            return [r["event"] for r in self.recorded]

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
