"""Take your things: cancel, timeout and done say and show 请取回身份证和全部材料原件; an ID card
left on the (simulated) reader keeps the reminder up, repeats it, and calls staff after
``card_left_help_s``."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.screens import takeaway
from tests.conftest import make_kiosk
from tests.journey_steps import to_identity, to_read_card, to_review, visible_texts
from tests.test_help_ui import help_requests, set_staff

TAKE = "请取回身份证和全部材料原件"


@pytest.fixture
def card_left_config(kiosk_config):
    return replace(kiosk_config, timeouts=replace(kiosk_config.timeouts, card_left_help_s=1))


def cancel(k, d) -> None:
    d.tap(d.find("cancelButton"))
    d.tap(k.window.overlay.action_buttons()[1])  # yes, stop and delete
    assert d.step() == "attract"


def test_card_left_after_cancel_keeps_asking_then_calls_staff(qtbot, card_left_config, sim, monkeypatch):
    monkeypatch.setattr(takeaway, "REMIND_EVERY_MS", 200)
    k, d = make_kiosk(qtbot, card_left_config)
    try:
        set_staff(sim, True)
        played: list[str] = []
        k.window.voice.played.connect(played.append)
        to_identity(d)
        cancel(k, d)
        overlay = k.window.overlay
        assert overlay.kind == "takeaway" and overlay.action_buttons() == []  # only lifting the card ends it
        assert TAKE in visible_texts(overlay)
        assert TAKE in k.speaker.texts()[-1]
        d.wait(lambda: played.count("reminder") >= 2, what="the reminder repeated")
        d.wait(lambda: any(r["reason"] == "card_left_in_reader" for r in help_requests(sim)), what="the help request")
        assert "card_left" in k.journey.events.names()
        d.wait(lambda: "已请工作人员过来。" in "\n".join(visible_texts(overlay)), what="staff told, on screen")
        k.reader.remove()
        d.wait(lambda: not overlay.isVisible(), what="the reminder to go")
        n = played.count("reminder")
        d.pump(600)
        assert played.count("reminder") == n  # quiet once the card is taken
    finally:
        k.close()


def test_card_taken_before_the_time_calls_nobody(qtbot, kiosk_config, sim):
    k, d = make_kiosk(qtbot, kiosk_config)  # card_left_help_s = 60
    try:
        set_staff(sim, True)
        to_identity(d)
        cancel(k, d)
        assert k.window.overlay.kind == "takeaway"
        k.reader.remove()
        d.wait(lambda: not k.window.overlay.isVisible(), what="the reminder to go")
        assert help_requests(sim) == []
    finally:
        k.close()


def test_cancel_without_a_card_shows_the_reminder_with_ok(kiosk):
    k, d = kiosk
    to_read_card(d)
    cancel(k, d)
    overlay = k.window.overlay
    assert overlay.kind == "takeaway" and TAKE in visible_texts(overlay)
    d.tap(overlay.action_buttons()[0])  # OK
    assert not overlay.isVisible()


def test_done_screen_says_and_shows_take_your_things(kiosk):
    k, d = kiosk
    to_review(d, pages=1)
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "done", timeout=30, what="done")
    screen = k.window.current_screen()
    assert screen.take_things.isVisible() and screen.take_things.text.text() == TAKE
    assert not screen.take_things.pic.pixmap().isNull()
    assert TAKE in k.speaker.texts()[-1]
    d.tap(d.find("primaryButton"))  # Finish with the card still on the reader
    assert k.window.overlay.kind == "takeaway"
