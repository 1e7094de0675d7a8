"""Haikou's administrative divisions for the address picker: district -> street or town ->
community or village, read from ``assets/data/haikou_divisions.json`` (its header names the
source and says what was verified). Pure Python; loaded once.

The community level is incomplete on purpose (only names known to be right are listed), so a
street with no communities, or a resident whose community is not in the list, types it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parents[2] / "assets" / "data" / "haikou_divisions.json"


class DivisionsError(ValueError):
    """The divisions file is missing or malformed."""


@dataclass(frozen=True)
class Street:
    name: str  # 街道 or 镇
    code: str
    communities: tuple[str, ...]  # 社区 or 村 (may be empty: then typed)


@dataclass(frozen=True)
class District:
    name: str
    code: str
    streets: tuple[Street, ...]

    def street(self, name: str) -> Street | None:
        return next((s for s in self.streets if s.name == name), None)


@dataclass(frozen=True)
class Divisions:
    source: str
    districts: tuple[District, ...]

    def district(self, name: str) -> District | None:
        return next((d for d in self.districts if d.name == name), None)

    def streets(self, district: str) -> tuple[str, ...]:
        d = self.district(district)
        return tuple(s.name for s in d.streets) if d else ()

    def communities(self, district: str, street: str) -> tuple[str, ...]:
        d = self.district(district)
        s = d.street(street) if d else None
        return s.communities if s else ()


def parse(data: object) -> Divisions:
    """Check and convert the file's JSON (raises DivisionsError with what is wrong)."""
    try:
        districts = []
        for d in data["districts"]:  # type: ignore[index]
            streets = tuple(
                Street(str(s["name"]), str(s["code"]), tuple(str(c) for c in s["communities"])) for s in d["streets"]
            )
            if not streets:
                raise DivisionsError(f"district {d['name']} has no streets")
            districts.append(District(str(d["name"]), str(d["code"]), streets))
        return Divisions(str(data["source"]), tuple(districts))  # type: ignore[index]
    except (KeyError, TypeError) as e:
        raise DivisionsError(f"malformed divisions data: {e!r}") from None


@cache
def haikou() -> Divisions:
    """The divisions shipped with the kiosk."""
    try:
        return parse(json.loads(DATA_FILE.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError) as e:
        raise DivisionsError(f"{DATA_FILE}: {e}") from None
