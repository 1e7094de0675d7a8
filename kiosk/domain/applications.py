"""The resident's applications as the review service describes them ('My applications').

Typed views of the contract's answers (``docs/contract/review-service.openapi.yaml``): an
``Application`` (``POST /v1/applications/query``, ``GET /v1/applications/{id}`` and the answer
to a supplement) and a ``Pickup`` (the answer to a pickup choice). Each is parsed once, at the
client's edge, by ``from_contract``; a malformed answer is a :class:`ContractError`. Only what
the kiosk shows, prints or acts on is kept; unknown members are ignored (open response objects).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from kiosk.domain.permit import PoliceStation
from kiosk.domain.services import Service

E = TypeVar("E", bound=enum.Enum)


class ContractError(ValueError):
    """An answer of the review service that does not follow the contract."""


class ApplicationStatus(enum.StrEnum):
    """The contract's ApplicationStatus (a closed set in v1)."""

    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    NEEDS_MORE_MATERIAL = "needs_more_material"
    REJECTED = "rejected"
    APPROVED = "approved"
    CARD_READY = "card_ready"
    PICKUP_CHOSEN = "pickup_chosen"
    COMPLETED = "completed"

    @property
    def is_open(self) -> bool:
        """Contract §1: every status but ``rejected`` and ``completed`` is open (non-terminal)."""
        return self not in (ApplicationStatus.REJECTED, ApplicationStatus.COMPLETED)


class PickupMethod(enum.StrEnum):
    WINDOW = "window"  # 窗口领证
    MAIL = "mail"  # 邮寄领证


class BringItem(enum.StrEnum):
    ID_CARD = "id_card"  # 居民身份证
    RESIDENCE_PERMIT = "residence_permit"  # 居住证


# --- parsing helpers ---------------------------------------------------------------------


def _object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ContractError(f"{what}: expected an object, got {type(value).__name__}")
    return value


def _text(d: dict[str, Any], key: str, what: str) -> str:
    """A required string member."""
    if key not in d:
        raise ContractError(f"{what}.{key} is missing")
    value = d[key]
    if not isinstance(value, str):
        raise ContractError(f"{what}.{key}: expected a string, got {type(value).__name__}")
    return value


def _optional_text(d: dict[str, Any], key: str, what: str) -> str | None:
    """A string member that may be null or absent."""
    value = d.get(key)
    if value is not None and not isinstance(value, str):
        raise ContractError(f"{what}.{key}: expected a string or null, got {type(value).__name__}")
    return value


def _moment(d: dict[str, Any], key: str, what: str) -> dt.datetime:
    text = _text(d, key, what)
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ContractError(f"{what}.{key}: not a date-time: {text!r}") from None


def _enum(kind: type[E], value: Any, where: str) -> E:
    try:
        return kind(value)
    except ValueError:
        raise ContractError(f"{where}: unknown value {value!r}") from None


def _member(d: dict[str, Any], key: str, what: str, parse: Callable[[Any, str], Any]) -> Any:
    if key not in d:
        raise ContractError(f"{what}.{key} is missing")
    return parse(d[key], f"{what}.{key}")


# --- pickup --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StationAddress:
    """A police station as the resident needs it on paper (contract StationMailAddress)."""

    name: str
    address: str
    phone: str = ""

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> StationAddress:
        """Lenient: missing members are empty (also reads a PoliceStation's ``name``)."""
        return cls(
            name=str(d.get("station_name") or d.get("name") or ""),
            address=str(d.get("address") or ""),
            phone=str(d.get("phone") or ""),
        )

    @classmethod
    def from_contract(cls, value: Any, what: str = "send_permit_to") -> StationAddress:
        d = _object(value, what)
        return cls(name=_text(d, "station_name", what), address=_text(d, "address", what), phone=_text(d, "phone", what))


@dataclass(frozen=True)
class PickupResult:
    """The contract's ``Pickup`` (WindowPickup or MailPickup): how the resident collects the permit.

    Window fields are set for :attr:`PickupMethod.WINDOW`, mail fields for :attr:`PickupMethod.MAIL`.
    The recipient's name, address and phone are kept out of ``repr`` (personal data)."""

    method: PickupMethod
    application_id: str
    chosen_at: dt.datetime
    # window
    station_name: str = ""
    station_address: str = ""
    station_phone: str = ""
    pickup_hours: str = ""
    bring: tuple[BringItem, ...] = ()  # in the contract's order
    # mail
    recipient: str = field(default="", repr=False)
    address: str = field(default="", repr=False)
    phone_masked: str = field(default="", repr=False)
    send_permit_to: StationAddress | None = None  # renewal / info_change: mail the permit here first
    postage: str = "cod"  # the contract's only value: cash on delivery (邮费到付)

    @classmethod
    def from_contract(cls, value: Any, what: str = "pickup") -> PickupResult:
        """Parse a ``Pickup`` object; raises :class:`ContractError` when it is malformed."""
        d = _object(value, what)
        method = _member(d, "method", what, lambda v, w: _enum(PickupMethod, v, w))
        application_id = _text(d, "application_id", what)
        chosen_at = _moment(d, "chosen_at", what)
        if method == PickupMethod.WINDOW:
            bring = d.get("bring")
            if not isinstance(bring, list) or not bring:
                raise ContractError(f"{what}.bring: expected a non-empty list")
            return cls(
                method=method,
                application_id=application_id,
                chosen_at=chosen_at,
                station_name=_text(d, "station_name", what),
                station_address=_text(d, "station_address", what),
                station_phone=_text(d, "station_phone", what),
                pickup_hours=_text(d, "pickup_hours", what),
                bring=tuple(_enum(BringItem, x, f"{what}.bring") for x in bring),
            )
        send = d.get("send_permit_to")
        return cls(
            method=method,
            application_id=application_id,
            chosen_at=chosen_at,
            recipient=_text(d, "recipient", what),
            address=_text(d, "address", what),
            phone_masked=_text(d, "phone_masked", what),
            send_permit_to=None if send is None else StationAddress.from_contract(send, f"{what}.send_permit_to"),
            postage=_optional_text(d, "postage", what) or "cod",
        )


# --- the application -----------------------------------------------------------------------


def _station(value: Any, what: str) -> PoliceStation:
    d = _object(value, what)
    for key in ("name", "address", "pickup_hours"):
        _text(d, key, what)
    return PoliceStation.from_json(d)


@dataclass(frozen=True)
class ApplicationView:
    """The contract's ``Application``, as 'My applications' shows, reprints and acts on it."""

    application_id: str
    service: Service
    status: ApplicationStatus
    client_reference: str
    created_at: dt.datetime  # as the kiosk sent it
    received_at: dt.datetime
    expected_decision_by: dt.datetime
    police_station: PoliceStation
    officer_note: str | None = None
    rejection_reason: str | None = None
    pickup: PickupResult | None = None  # once chosen

    @classmethod
    def from_contract(cls, value: Any, what: str = "application") -> ApplicationView:
        """Parse an ``Application`` object; raises :class:`ContractError` when it is malformed."""
        d = _object(value, what)
        pickup = d.get("pickup")
        return cls(
            application_id=_text(d, "application_id", what),
            service=_member(d, "service", what, lambda v, w: _enum(Service, v, w)),
            status=_member(d, "status", what, lambda v, w: _enum(ApplicationStatus, v, w)),
            client_reference=_text(d, "client_reference", what),
            created_at=_moment(d, "created_at", what),
            received_at=_moment(d, "received_at", what),
            expected_decision_by=_moment(d, "expected_decision_by", what),
            police_station=_member(d, "police_station", what, _station),
            officer_note=_optional_text(d, "officer_note", what),
            rejection_reason=_optional_text(d, "rejection_reason", what),
            pickup=None if pickup is None else PickupResult.from_contract(pickup, f"{what}.pickup"),
        )

    @property
    def is_reissue(self) -> bool:
        return self.service in (Service.REISSUE_LOST, Service.REISSUE_DAMAGED)


def applications_from_contract(value: Any) -> list[ApplicationView]:
    """Parse an ``ApplicationList`` (``POST /v1/applications/query``) into its applications."""
    d = _object(value, "application list")
    apps = d.get("applications")
    if not isinstance(apps, list):
        raise ContractError("application list.applications: expected a list")
    return [ApplicationView.from_contract(a, f"applications[{i}]") for i, a in enumerate(apps)]
