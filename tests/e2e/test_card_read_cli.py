"""`kiosk devices card-read` through real pcscd and a virtual card: every example card is read
correctly, every invalid one is refused with its reason and a non-zero exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from kiosk.cli import main
from kiosk.domain.idcard import parse_identity, shanghai_today
from kiosk.domain.testcard import load_test_card
from tests.support.paths import ROOT
from tests.support.pcsc_cards import R0, Cards, wait_presence

VALID = sorted((ROOT / "assets" / "cards").glob("*.json"))
INVALID = sorted((ROOT / "assets" / "cards" / "invalid").glob("*.json"))


@pytest.fixture
def cards(pcscd):
    c = Cards()
    yield c
    c.remove_all()
    wait_presence(R0, False)


def read(capsys, *extra: str) -> tuple[int, str, str]:
    code = main(["devices", "card-read", "--reader", "pcsc", "--reader-name", R0, "--wait", "5", *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_example_cards_are_read_exactly(path, cards, capsys):
    card = load_test_card(path)
    cards.insert(card, reader=R0, wait=True)
    code, out, err = read(capsys, "--json", "--reveal")
    assert code == 0, err
    f = card.files()
    expected = parse_identity(f[0x0101], f.get(0x0102), f.get(0x0103), shanghai_today()).to_json()
    assert json.loads(out) == expected


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_cards_are_refused_with_their_reason(path, cards, capsys):
    expect = json.loads(path.read_text(encoding="utf-8"))["expect"]
    cards.insert(load_test_card(path), reader=R0, wait=True)
    code, out, err = read(capsys, "--json", "--reveal")
    assert code != 0
    assert f"refused: {expect}" in err
    assert out == ""


def test_id_number_is_masked_unless_revealed(cards, capsys):
    cards.insert(load_test_card(ROOT / "assets/cards/linhai.json"), reader=R0, wait=True)
    code, out, _ = read(capsys, "--json")
    assert code == 0
    assert json.loads(out)["id_number"] == "460108********0310"


def test_no_card_exits_non_zero(pcscd, capsys):
    code, _, err = read(capsys)
    assert code != 0 and "no_card" in err


def test_as_a_real_command(cards):
    cards.insert(load_test_card(ROOT / "assets/cards/invalid/sex_mismatch.json"), reader=R0, wait=True)
    env = dict(os.environ)
    r = subprocess.run(
        [sys.executable, "-m", "kiosk", "devices", "card-read", "--reader", "pcsc", "--reader-name", R0, "--wait", "5"],
        capture_output=True, text=True, timeout=60, env=env, cwd=ROOT,
    )
    assert r.returncode == 1
    assert "sex_mismatch" in r.stderr
