"""The resident's current residence-permit record, as the review service returns it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PoliceStation:
    station_id: str
    name: str
    address: str
    phone: str
    pickup_hours: str

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PoliceStation:
        return cls(
            station_id=str(d.get("station_id", "")),
            name=str(d.get("name", "")),
            address=str(d.get("address", "")),
            phone=str(d.get("phone", "")),
            pickup_hours=str(d.get("pickup_hours", "")),
        )


@dataclass(frozen=True)
class PermitRecord:
    permit_number: str
    holder_name: str
    id_number_masked: str
    status: str  # active | suspended | expired (server's view; unknown values kept)
    valid_until: dt.date
    endorsement_window_opens_on: dt.date
    last_endorsement_date: dt.date | None
    registered_address: str
    employer: str | None
    school: str | None
    police_station: PoliceStation
    #: (contract 1.1) The mobile number on file, masked (``139****0310``); None when none is on file,
    #: and when a 1.0 service does not send the member.
    phone_on_file_masked: str | None = None

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> PermitRecord:
        """Parse the contract's PermitRecord; unknown members are ignored (open response objects)."""

        def date(v: Any) -> dt.date | None:
            return dt.date.fromisoformat(v) if v else None

        valid_until = date(d["valid_until"])
        opens = date(d.get("endorsement_window_opens_on"))
        assert valid_until is not None
        return cls(
            permit_number=str(d["permit_number"]),
            holder_name=str(d["holder_name"]),
            id_number_masked=str(d["id_number_masked"]),
            status=str(d["status"]),
            valid_until=valid_until,
            endorsement_window_opens_on=opens or valid_until,
            last_endorsement_date=date(d.get("last_endorsement_date")),
            registered_address=str(d.get("registered_address") or ""),
            employer=d.get("employer"),
            school=d.get("school"),
            police_station=PoliceStation.from_json(d.get("police_station") or {}),
            phone_on_file_masked=str(masked) if (masked := d.get("phone_on_file_masked")) else None,
        )
