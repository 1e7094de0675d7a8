"""The kiosk's life, without Qt: whether it serves, and how a session ended. The window
only shows it; screens ask the journey to end a session.

``KioskState`` holds the reasons a kiosk stops starting journeys (the review service's
out-of-service directive, a technician's switch in maintenance, a storage fault: a full or
read-only data directory) and tells listeners when one changes. ``SessionEnd`` names how a session ended, for the log and the listeners.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.events import EventLog


class SessionEnd(Enum):
    FINISHED = "finished"  # the resident finished (or the done screen timed out)
    CANCELLED = "cancelled"  # the resident cancelled
    TIMED_OUT = "timed_out"  # nobody answered the idle warning
    TURNED_AWAY = "turned_away"  # this service cannot be done here for this resident
    MAINTENANCE_LEFT = "maintenance_left"  # a technician left maintenance
    FAILSAFE = "failsafe"  # something unexpected went wrong
    CLOSED = "closed"  # the kiosk application is closing


class KioskState:
    """Whether the kiosk starts new journeys, and why not."""

    def __init__(self, events: EventLog | None = None) -> None:
        self.events = events
        self.remote_out_of_service: dict[str, Any] | None = None  # the service's message while out of service
        self.local_out_of_service = False  # set by a technician in maintenance mode
        self.failsafe = False  # the failsafe notice is showing
        #: Why the data directory cannot store applications (for the technician), else None.
        self.storage_fault: str | None = None
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    @property
    def out_of_service(self) -> dict[str, Any] | None:
        """The message to show while no new journeys start ({} when there is none), else None."""
        if self.storage_fault is not None:
            return {"cause": "storage"}  # the screen says it in its own words (zh, en)
        if self.remote_out_of_service is not None:
            return self.remote_out_of_service
        return {} if self.local_out_of_service else None

    def set_storage(self, reason: str | None) -> None:
        """A storage fault (the technician's reason) puts the kiosk out of service; None ends it."""
        if (reason is None) != (self.storage_fault is None) and self.events is not None:
            self.events.emit("out_of_service", source="storage", on=reason is not None)
        self.storage_fault = reason
        self._changed()

    def set_remote(self, message: dict[str, Any] | None) -> None:
        """The service's directive: a message dict while out of service, None to serve."""
        if (message is None) != (self.remote_out_of_service is None) and self.events is not None:
            self.events.emit("out_of_service", source="review_service", on=message is not None)
        self.remote_out_of_service = message
        self._changed()

    def set_local(self, flag: bool) -> None:
        if flag != self.local_out_of_service and self.events is not None:
            self.events.emit("out_of_service", source="technician", on=flag)
        self.local_out_of_service = flag
        self._changed()

    def set_failsafe(self, flag: bool) -> None:
        self.failsafe = flag
        self._changed()

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()
