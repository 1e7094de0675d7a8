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


def test_my_applications_fields_are_typed_and_wiped():
    from kiosk.domain.applications import ApplicationView, PickupMethod
    from kiosk.domain.changes import ReissueVerdict
    from kiosk.domain.session import Operation, PickupChoice
    from tests.unit.domain.test_applications import APPLICATION

    s = Session()
    assert s.operation is Operation.CREATE
    s.operation = Operation.PICKUP
    s.reissue_verdict = ReissueVerdict.RENEW_FIRST
    assert not s.holds_personal_data()  # where the resident is, not who
    s.selected = ApplicationView.from_contract(APPLICATION)
    s.pickup = PickupChoice(PickupMethod.WINDOW)
    assert s.holds_personal_data()
    assert s.pickup.request() == {"method": "window"}
    s.wipe()
    assert s.operation is Operation.CREATE and s.selected is None and s.pickup is None and s.reissue_verdict is None
    assert not s.holds_personal_data()
    mail = PickupChoice(PickupMethod.MAIL, recipient="林海", address="海南省海口市龙华区示例路1号", phone="13812345678")
    assert mail.request() == {"method": "mail", "mail": {"recipient": "林海", "address": "海南省海口市龙华区示例路1号", "phone": "13812345678"}}
    assert type(mail.request()["method"]) is str  # the same bytes on the wire
