"""Honest help: Help asks the hall's staff through the review service (real HTTP against the
simulator) and shows what it answered; without a connection it says so."""

from __future__ import annotations

import pytest

from tests.support.journey_steps import to_read_card, visible_texts
from tests.support.simulator_api import help_requests, set_staff


def press_help(k, d) -> None:
    d.tap(d.find("helpButton"))
    assert k.window.overlay.kind == "help"


def test_staff_on_duty_are_called_and_the_wait_is_shown(kiosk, sim):
    k, d = kiosk
    set_staff(sim, True)  # the default, said explicitly (and the kiosk is known to /sim/)
    to_read_card(d)
    press_help(k, d)
    desk = k.window.help_desk
    d.wait(lambda: desk.answer is not None, what="the service's answer")
    texts = "\n".join(visible_texts(k.window.overlay))
    assert "约 5 分钟" in texts or "5 分钟" in texts, texts
    assert "已通知大厅工作人员" in texts  # the service's own words
    [sent] = help_requests(sim)
    assert sent["reason"] == "resident_asked" and sent["screen"] == "read_card"
    assert sent["help_request_id"] == desk.answer.help_request_id
    said = k.speaker.texts()[-1]
    assert "5 分钟" in said  # spoken, too


def test_nobody_on_duty_says_so_with_the_phone_and_hours(kiosk, sim):
    k, d = kiosk
    set_staff(sim, False)
    to_read_card(d)
    press_help(k, d)
    d.wait(lambda: k.window.help_desk.answer is not None, what="the service's answer")
    assert k.window.help_desk.answer.staff_on_duty is False
    texts = "\n".join(visible_texts(k.window.overlay))
    assert "现在没有工作人员值班" in texts and "0898-" in texts
    assert k.config.kiosk.help_hours in texts
    assert "马上" not in texts and "正在赶来" not in texts  # no promise of a person
    assert len(help_requests(sim)) == 1


@pytest.mark.allow_log(r"^kiosk\.backend_client: POST /v1/kiosks/\S+/help-requests failed: ConnectionError")
def test_without_a_connection_it_says_nobody_was_told(kiosk, sim):
    k, d = kiosk
    set_staff(sim, True)
    to_read_card(d)
    sim.inject_faults("/v1/kiosks/*/help-requests", "drop", count=5)
    press_help(k, d)
    d.wait(lambda: k.window.help_desk.failed, what="the failure")
    texts = "\n".join(visible_texts(k.window.overlay))
    assert k.config.kiosk.help_phone in texts
    assert "没有通知到任何人" in texts or "无法联系" in texts, texts
    assert help_requests(sim) == []


def test_english_answer_in_english(kiosk, sim):
    k, d = kiosk
    k.window.set_language("en")
    to_read_card(d)
    press_help(k, d)
    d.wait(lambda: k.window.help_desk.answer is not None, what="the service's answer")
    texts = "\n".join(visible_texts(k.window.overlay))
    assert "about 5 minutes" in texts and "The hall staff have been told" in texts
