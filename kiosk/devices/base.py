"""Device interfaces: one small interface per device.

Each device has a real implementation and a simulated one, chosen by configuration
(``kiosk.devices.factory``). Adapters never raise into the UI: they report state as
values and call listeners, possibly from a worker thread. The Qt layer
(``kiosk.screens.bridge``) turns those callbacks into signals on the UI thread.
"""

from __future__ import annotations

import enum
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

    from kiosk.domain.idcard import CardRefusal, IdentityRecord
    from kiosk.domain.receipt import Receipt


class DeviceStatus(enum.StrEnum):
    """Health as reported in heartbeats (contract enum DeviceStatus)."""

    OK = "ok"
    DEGRADED = "degraded"
    OFFLINE = "offline"


# --- card reader ----------------------------------------------------------------


class ReaderState(enum.StrEnum):
    NO_READER = "no_reader"
    WAITING = "waiting"  # reader present, no card
    READING = "reading"
    REFUSED = "refused"  # card present but refused; see CardEvent.refusal
    READ = "read"  # identity available; see CardEvent.identity


@dataclass(frozen=True)
class CardEvent:
    state: ReaderState
    identity: IdentityRecord | None = None
    refusal: CardRefusal | None = None


CardListener = Callable[[CardEvent], None]


class CardReader(ABC):
    """Watches one identity-card reader and reports every change as a CardEvent."""

    @abstractmethod
    def start(self, listener: CardListener) -> None:
        """Begin monitoring. ``listener`` may be called from any thread."""

    @abstractmethod
    def stop(self) -> None:
        """Stop monitoring; no listener calls after this returns."""

    @abstractmethod
    def state(self) -> ReaderState: ...

    def health(self) -> DeviceStatus:
        return DeviceStatus.OFFLINE if self.state() == ReaderState.NO_READER else DeviceStatus.OK


# --- camera -----------------------------------------------------------------------


class Camera(ABC):
    """A source of BGR frames (numpy uint8 HxWx3)."""

    @abstractmethod
    def open(self) -> bool: ...

    @abstractmethod
    def read(self) -> np.ndarray | None:
        """The next frame, or None when no frame is available right now (never raises)."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def health(self) -> DeviceStatus: ...


# --- receipt printer ----------------------------------------------------------------


class PrinterState(enum.StrEnum):
    """Matches the contract's PrinterStatus enum where the names overlap."""

    OK = "ok"
    PAPER_LOW = "paper_low"  # near end: still prints
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"

    @property
    def can_print(self) -> bool:
        return self in (PrinterState.OK, PrinterState.PAPER_LOW)


@dataclass(frozen=True)
class PrintResult:
    ok: bool
    job_id: str
    state: PrinterState
    duplicate: bool = False  # the job id was already printed; nothing printed again


class ReceiptPrinter(ABC):
    @abstractmethod
    def status(self) -> PrinterState:
        """Read the printer's state now (may do I/O; call off the UI thread)."""

    @abstractmethod
    def print_receipt(self, receipt: Receipt) -> PrintResult:
        """Print once per ``receipt.job_id``. Never raises: failures come back as a PrintResult."""
