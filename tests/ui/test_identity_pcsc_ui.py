"""The read-card and identity screens with the real PC/SC reader (pcscd + virtual card)."""

from __future__ import annotations

import pytest

from kiosk.domain.testcard import load_test_card
from tests.support.journey_steps import visible_texts
from tests.support.kiosk import make_kiosk
from tests.support.paths import ROOT
from tests.support.pcsc_cards import R0, Cards, wait_presence


@pytest.fixture
def pcsc_kiosk(qtbot, kiosk_config, pcscd):
    cfg = kiosk_config.with_overrides(devices={"card_reader": "pcsc", "reader_name": R0})
    cards = Cards()
    k, d = make_kiosk(qtbot, cfg)
    yield k, d, cards
    k.close()
    cards.remove_all()
    wait_presence(R0, False)


def test_pcsc_card_reaches_the_identity_screen(pcsc_kiosk):
    k, d, cards = pcsc_kiosk
    d.tap(d.find("tile_renewal"))
    d.tap(d.find("primaryButton"))
    cards.insert(load_test_card(ROOT / "assets/cards/linhai.json"), reader=R0)
    d.wait(lambda: d.step() == "identity", timeout=10, what="identity")
    screen = d.win.current_screen()
    d.wait(lambda: not screen.loading, what="lookup")
    texts = "\n".join(visible_texts(screen))
    assert "林海" in texts and "460108********0310" in texts
    assert not screen.photo.pixmap().isNull()


def test_pcsc_refusal_is_shown_with_its_reason(pcsc_kiosk):
    k, d, cards = pcsc_kiosk
    d.tap(d.find("tile_renewal"))
    d.tap(d.find("primaryButton"))
    cards.insert(load_test_card(ROOT / "assets/cards/invalid/expired.json"), reader=R0)
    status = d.win.current_screen().status
    d.wait(lambda: "expired" in d.win.current_screen().code.text(), timeout=10, what="refusal")
    assert "本机无法办理" in status.body.text()  # what to do, in plain words
    assert d.step() == "read_card" and k.session.identity is None


def test_pcsc_card_left_on_the_reader_is_asked_for_until_lifted(qtbot, kiosk_config, pcscd, sim):
    """A virtual card left in vpcd after Cancel: the reminder stays, staff are called, and it
    goes when the card is lifted."""
    from dataclasses import replace

    from tests.support.simulator_api import help_requests, set_staff

    cfg = kiosk_config.with_overrides(devices={"card_reader": "pcsc", "reader_name": R0})
    cfg = replace(cfg, timeouts=replace(cfg.timeouts, card_left_help_s=1))
    cards = Cards()
    k, d = make_kiosk(qtbot, cfg)
    try:
        set_staff(sim, True)
        d.tap(d.find("tile_renewal"))
        d.tap(d.find("primaryButton"))
        cards.insert(load_test_card(ROOT / "assets/cards/linhai.json"), reader=R0)
        d.wait(lambda: d.step() == "identity", timeout=10, what="identity")
        d.tap(d.find("cancelButton"))
        d.tap(k.window.overlay.action_buttons()[1])
        assert k.window.overlay.kind == "takeaway"
        d.wait(lambda: any(r["reason"] == "card_left_in_reader" for r in help_requests(sim)), timeout=10, what="help request")
        assert k.window.overlay.isVisible()
        cards.remove_all()
        d.wait(lambda: not k.window.overlay.isVisible(), timeout=10, what="the card lifted")
    finally:
        k.close()
        cards.remove_all()
        wait_presence(R0, False)
