"""The session declares its fields once: wipe() and holds_personal_data() follow the
declaration, so a field added later is wiped and checked without anyone remembering to."""

from __future__ import annotations

import dataclasses

from kiosk.domain.application import Application
from kiosk.domain.services import Service
from kiosk.domain.session import NOT_PERSONAL, Session

SENTINEL = object()


def test_wipe_resets_every_declared_field():
    s = Session()
    for f in dataclasses.fields(s):
        setattr(s, f.name, SENTINEL)
    s.application = Application(Service.RENEWAL)
    s.wipe()
    assert all(getattr(s, f.name) == f.default for f in dataclasses.fields(s))


def test_a_field_added_later_is_wiped_and_counts_as_personal():
    @dataclasses.dataclass
    class Later(Session):
        new_detail: str | None = None

    s = Later()
    s.new_detail = "林海"
    assert s.holds_personal_data()
    s.wipe()
    assert s.new_detail is None and not s.holds_personal_data()


def test_every_personal_field_alone_holds_personal_data():
    for f in dataclasses.fields(Session):
        if f.name in NOT_PERSONAL or f.name == "application":
            continue
        s = Session()
        setattr(s, f.name, SENTINEL)
        assert s.holds_personal_data(), f.name


def test_journey_flags_alone_are_not_personal():
    s = Session()
    s.start(Service.RENEWAL)
    s.consented = True
    s.late_warning_acknowledged = True
    assert not s.holds_personal_data()
    s.application.phone = "13812345678"
    assert s.holds_personal_data()
