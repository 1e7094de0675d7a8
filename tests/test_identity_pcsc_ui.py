"""The read-card and identity screens with the real PC/SC reader (pcscd + virtual card)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.domain.testcard import load_test_card
from tests.conftest import make_kiosk
from tests.journey_steps import visible_texts
from tests.test_card_pcsc import R0, Cards, wait_presence

ROOT = Path(__file__).resolve().parent.parent


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
    d.wait(lambda: "expired" in status.body.text(), timeout=10, what="refusal")
    assert d.step() == "read_card" and k.session.identity is None
