"""An injectable clock. Every date rule uses the kiosk's local calendar date in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")  # UTC+8, no DST


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """An aware datetime in Asia/Shanghai."""
        ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(SHANGHAI).replace(microsecond=0)


class FixedClock:
    """A clock for tests and tours: fixed, or moved by hand."""

    def __init__(self, at: dt.datetime | dt.date) -> None:
        if not isinstance(at, dt.datetime):
            at = dt.datetime.combine(at, dt.time(10, 0), SHANGHAI)
        elif at.tzinfo is None:
            at = at.replace(tzinfo=SHANGHAI)
        self._at = at.astimezone(SHANGHAI)

    def now(self) -> dt.datetime:
        return self._at

    def advance(self, **kwargs: float) -> None:
        self._at += dt.timedelta(**kwargs)


def today(clock: Clock) -> dt.date:
    return clock.now().astimezone(SHANGHAI).date()
