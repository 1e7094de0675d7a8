"""The typed event catalogue: what a renewal and a refused card write to events.jsonl, one
JSON line per event, with nothing personal in it."""

from __future__ import annotations

import json

import pytest

from kiosk.events import CATALOGUE, EventLog
from tests.support.journey_steps import to_read_card, to_review
from tests.support.paths import CARDS

SECRETS = ("460108198706120310", "林海", "13812345678", "138****5678", "460108********0310")


def events_file(data_dir):
    lines = (data_dir / "logs" / "events.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_every_event_has_fields_and_a_meaning():
    assert len(CATALOGUE) >= 15
    for name, kind in CATALOGUE.items():
        assert kind.name == name and kind.meaning.strip()
        assert all(f.isidentifier() for f in kind.fields)


@pytest.mark.parametrize(
    ("name", "fields", "message"),
    [
        ("card_eaten", {}, "unknown event"),
        ("card_refused", {}, "takes fields"),
        ("card_refused", {"reason": "expired", "name": "x"}, "takes fields"),
        ("card_refused", {"reason": ["expired"]}, "plain values"),
    ],
    ids=["unknown-event", "missing-field", "extra-field", "not-a-plain-value"],
)
def test_the_catalogue_is_the_contract_of_the_log(name, fields, message):
    with pytest.raises(ValueError, match=message):
        EventLog().emit(name, **fields)


def test_events_of_a_renewal(kiosk, _data_dir):
    k, d = kiosk
    to_review(d, pages=1)
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "done", timeout=30, what="done")
    d.wait(lambda: "receipt_printed" in k.journey.events.names(), timeout=10, what="the receipt")
    d.tap(d.find("primaryButton"))  # finish
    names = [e["event"] for e in events_file(_data_dir)]
    assert names == [
        "device_state_changed",  # the reader came up when the kiosk started
        "session_started", "card_read", "permit_looked_up", "application_queued", "application_accepted",
        "receipt_printed", "session_ended",
    ]
    by_name = {e["event"]: e for e in events_file(_data_dir)}
    assert by_name["session_started"]["service"] == "renewal"
    assert by_name["permit_looked_up"]["outcome"] == "found"
    assert by_name["application_accepted"]["application_id"] == k.journey.events.recorded[-3]["application_id"]
    assert by_name["session_ended"] == {**by_name["session_ended"], "how": "finished", "step": "done"}
    raw = (_data_dir / "logs" / "events.jsonl").read_text(encoding="utf-8")
    assert not [s for s in SECRETS if s in raw]


def test_events_of_a_refused_card(kiosk, _data_dir):
    k, d = kiosk
    to_read_card(d)
    k.reader.insert(CARDS / "invalid" / "bad_check_digit.json")
    d.wait(lambda: "card_refused" in k.journey.events.names(), timeout=10, what="the refusal")
    d.tap(d.find("cancelButton"))
    d.tap(k.window.overlay.action_buttons()[1])  # yes, stop
    events = events_file(_data_dir)
    assert [e["event"] for e in events] == ["device_state_changed", "session_started", "card_refused", "session_ended"]
    assert events[2]["reason"] == "bad_check_digit"
    assert (events[3]["how"], events[3]["step"]) == ("cancelled", "read_card")
