"""Haikou's divisions for the address picker (assets/data/haikou_divisions.json) and the
application body with the number on file (contract 1.1)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from kiosk.domain.application import Application
from kiosk.domain.changes import HAIKOU_DISTRICTS
from kiosk.domain.divisions import DATA_FILE, DivisionsError, haikou, parse
from kiosk.domain.services import Basis, Service


def test_the_four_districts_in_the_order_of_the_picker():
    assert tuple(d.name for d in haikou().districts) == HAIKOU_DISTRICTS


def test_every_street_and_town_of_the_statistical_list():
    """43 township-level divisions: 21 streets (街道) and 22 towns (镇), each coded under its district."""
    streets = [s for d in haikou().districts for s in d.streets]
    assert len(streets) == 43
    assert sum(s.name.endswith("街道") for s in streets) == 21
    assert sum(s.name.endswith("镇") for s in streets) == 22
    for d in haikou().districts:
        for s in d.streets:
            assert s.code.startswith(d.code) and len(s.code) == 9
    assert len({s.name for s in streets}) == 43


def test_communities_are_communities_or_villages_and_the_file_says_it_is_unverified():
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert raw["verified"] is False and "统计用区划代码" in raw["source"]
    names = [c for d in haikou().districts for s in d.streets for c in s.communities]
    assert names and all(c.endswith(("社区", "村")) for c in names)
    assert all(any(s.communities for s in d.streets) for d in haikou().districts)


def test_lookups():
    h = haikou()
    assert h.streets("龙华区")[2] == "金贸街道"
    assert "施茶村" in h.communities("秀英区", "石山镇")
    assert h.streets("儋州市") == () and h.communities("龙华区", "no such street") == ()


@pytest.mark.parametrize("bad", [{}, {"source": "x", "districts": [{"name": "a", "code": "1", "streets": []}]},
                                 {"source": "x", "districts": [{"name": "a"}]}])
def test_a_malformed_file_is_one_clear_error(bad):
    with pytest.raises(DivisionsError):
        parse(bad)


def _body(app: Application) -> dict:
    return app.create_request(
        name="林海", id_number="460108198706120310", permit_number="4601082020000310", kiosk_id="HK-KIOSK-0001",
        client_reference="K0001-X-1", created_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    )


def test_the_number_on_file_is_sent_as_use_phone_on_file_and_no_phone():
    app = Application(Service.RENEWAL, basis=Basis.EMPLOYMENT, use_phone_on_file=True)
    assert _body(app)["applicant"] == {"name": "林海", "id_number": "460108198706120310", "use_phone_on_file": True}


def test_a_typed_number_is_sent_as_phone():
    app = Application(Service.RENEWAL, basis=Basis.EMPLOYMENT, phone="13812345678")
    assert _body(app)["applicant"] == {"name": "林海", "id_number": "460108198706120310", "phone": "13812345678"}


def test_neither_is_refused_before_sending():
    with pytest.raises(ValueError):
        _body(Application(Service.RENEWAL, basis=Basis.EMPLOYMENT))


def test_wipe_forgets_the_choice():
    app = Application(Service.RENEWAL, use_phone_on_file=True)
    app.wipe()
    assert not app.use_phone_on_file
