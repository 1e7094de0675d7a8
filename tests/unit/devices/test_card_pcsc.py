"""The pcsc card reader through real pyscard, a real pcscd and the vpcd virtual card.

Needs pcscd + vsmartcard-vpcd (scripts/setup.sh); the session fixture ``pcscd``
(tests/pcsc_env.py) starts the daemon and fails loudly if it cannot. pcscd polls vpcd
every 0.4 s, so each insertion costs ~0.2-0.4 s; the tests use the card-less readers
and short timeouts to stay fast.
"""

from __future__ import annotations

import datetime
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.devices.base import DeviceStatus, ReaderState
from kiosk.devices.card.pcsc import PcscCardReader
from kiosk.domain.idcard import CardRefusal
from kiosk.domain.testcard import TestCard, load_test_card
from tests.support.events import Events
from tests.support.paths import CARDS
from tests.support.pcsc_cards import R0, R1, Cards, wait_presence  # noqa: F401
from tests.support.pcsc_env import PcscDaemon
from tests.support.vcard import VirtualCard

TODAY = datetime.date(2026, 11, 30)
VALID = sorted(CARDS.glob("*.json"))
INVALID = sorted((CARDS / "invalid").glob("*.json"))


def card(name: str) -> TestCard:
    return load_test_card(CARDS / f"{name}.json")




@pytest.fixture
def cards(pcscd: PcscDaemon) -> Iterator[Cards]:
    c = Cards()
    yield c
    c.remove_all()


def reader_for(vc: VirtualCard) -> PcscCardReader:
    """A reader pinned to the card's reader (the other one may still report a card just
    removed by an earlier test)."""
    return PcscCardReader(lambda: TODAY, reader_name=vc.reader)



@pytest.fixture
def monitor(pcscd: PcscDaemon, cards: Cards) -> Iterator[tuple[PcscCardReader, Events]]:
    """A monitoring reader on Virtual PCD 00 00 (insert with ``reader=R0``)."""
    cards.settle()
    reader = PcscCardReader(lambda: TODAY, reader_name=R0)
    events = Events()
    reader.start(events)
    yield reader, events
    reader.stop()


# ----------------------------------------------------------------------------- read_once


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_cards(path: Path, cards: Cards) -> None:
    test_card = load_test_card(path)
    vc = cards.insert(test_card)
    record = reader_for(vc).read_once(5.0)
    expected = test_card.parse(TODAY)
    assert record == expected
    assert record.photo == expected.photo
    assert record.to_json() == expected.to_json()


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_cards_are_refused(path: Path, cards: Cards) -> None:
    expect = json.loads(path.read_text(encoding="utf-8"))["expect"]
    vc = cards.insert(load_test_card(path))
    with pytest.raises(CardRefusal) as info:
        reader_for(vc).read_once(5.0)
    assert info.value.reason == expect


def test_profile_details_survive_pcsc(cards: Cards) -> None:
    """Middle dot, 15-character truncated name, X check character, appended address, 长期, WLT."""
    vc = cards.insert(card("aburehim"))
    record = reader_for(vc).read_once(5.0)
    assert record.name == "阿卜杜热依木·买买提明·艾合买" and len(record.name) == 15
    assert record.name_maybe_truncated and "·" in record.name
    assert record.id_number.endswith("X")
    cards.remove_all()

    vc = cards.insert(card("ayiguli"))
    record = reader_for(vc).read_once(5.0)
    assert record.name == "阿依古丽·买买提"
    assert record.appended_address == "海南省海口市秀英区海秀西路12号2栋"
    cards.remove_all()

    vc = cards.insert(card("fumingde"))
    record = reader_for(vc).read_once(5.0)
    assert record.valid_until == "长期"
    cards.remove_all()

    vc = cards.insert(card("chenjing"))
    record = reader_for(vc).read_once(5.0)
    assert record.photo_kind == "wlt" and record.photo is not None and len(record.photo) == 1024


def test_removal_mid_read_is_card_removed(cards: Cards) -> None:
    """The card leaves during the photo: card_removed, never partial data."""
    vc = cards.insert(card("linhai"), remove_after=8)
    with pytest.raises(CardRefusal) as info:
        reader_for(vc).read_once(5.0)
    assert info.value.reason == "card_removed"
    assert vc.applet.apdu_count == 8


def test_slow_card_at_the_profile_limit(cards: Cards) -> None:
    """500 ms per APDU (§2) must not be aborted."""
    test_card = card("liqiang")  # no photo: 6 APDUs
    vc = cards.insert(test_card, delay_s=0.5)
    started = time.monotonic()
    assert reader_for(vc).read_once(10.0) == test_card.parse(TODAY)
    assert time.monotonic() - started >= 3.0


def test_large_photo_is_fast(cards: Cards) -> None:
    """A 32 KiB photo is ~150 APDUs: TCP_QUICKACK keeps each well under a millisecond or so."""
    photo = b"\xff\xd8" + bytes(i % 251 for i in range(32766))
    test_card = TestCard(ef0101=card("linhai").ef0101, ef0102=photo, ef0103=None)
    vc = cards.insert(test_card, wait=True)
    reader = reader_for(vc)
    record = reader.read_once(5.0)
    assert record.photo == photo
    assert vc.applet.violations == []
    assert max((a.command[2] << 8) | a.command[3] for a in vc.applet.log if a.command[1] == 0xB0) == 32704
    assert reader.last_read_s is not None and reader.last_read_s < 1.0, reader.last_read_s


@pytest.mark.parametrize(
    ("status", "reason"),
    [
        ({"select_aid": 0x6A82}, "not_identity_card"),
        ({"select_aid": 0x6E00}, "not_identity_card"),
        ({"select_aid": 0x6D00}, "not_identity_card"),
        ({"select_aid": 0x6F00}, "card_error"),
        ({"select:0101": 0x6A82}, "card_error"),
        ({"read:0101": 0x6F00}, "card_error"),
        ({"read:0102": 0x6700}, "card_error"),
        ({"select:0103": 0x6986}, "card_error"),
    ],
    ids=lambda v: json.dumps(v) if isinstance(v, dict) else v,
)
def test_wrong_status_words(status: dict[str, int], reason: str, cards: Cards) -> None:
    vc = cards.insert(card("ayiguli"), status=status)
    with pytest.raises(CardRefusal) as info:
        reader_for(vc).read_once(5.0)
    assert info.value.reason == reason
    assert vc.applet.violations == []


def test_bridge_behaviour_9000_short_reads_and_6cxx(cards: Cards) -> None:
    test_card = card("ayiguli")
    vc = cards.insert(test_card, short_read_sw=0x9000, sixc=1)
    assert reader_for(vc).read_once(5.0) == test_card.parse(TODAY)
    assert any(a.sw >> 8 == 0x6C for a in vc.applet.log)


def test_second_6cxx_is_card_error(cards: Cards) -> None:
    vc = cards.insert(card("linhai"), sixc=2)
    with pytest.raises(CardRefusal) as info:
        reader_for(vc).read_once(5.0)
    assert info.value.reason == "card_error"


def test_no_card(cards: Cards) -> None:
    cards.settle()
    started = time.monotonic()
    with pytest.raises(CardRefusal) as info:
        PcscCardReader(lambda: TODAY).read_once(0.8)
    assert info.value.reason == "no_card"
    assert 0.7 <= time.monotonic() - started < 2.0


def test_no_matching_reader(pcscd: PcscDaemon) -> None:
    reader = PcscCardReader(lambda: TODAY, reader_name="No Such Reader")
    with pytest.raises(CardRefusal) as info:
        reader.read_once(0.5)
    assert info.value.reason == "no_reader"
    assert reader.health() == DeviceStatus.OFFLINE
    assert PcscCardReader(lambda: TODAY).health() == DeviceStatus.OK


def test_reader_name_selects_the_reader(cards: Cards) -> None:
    cards.settle()
    test_card = card("wangfang")
    cards.insert(test_card, reader=R1)
    with pytest.raises(CardRefusal) as info:
        PcscCardReader(lambda: TODAY, reader_name="PCD 00 00").read_once(0.8)
    assert info.value.reason == "no_card"
    assert PcscCardReader(lambda: TODAY, reader_name="00 01").read_once(3.0) == test_card.parse(TODAY)
    assert PcscCardReader(lambda: TODAY).read_once(3.0) == test_card.parse(TODAY)  # first with a card


def test_logs_carry_no_personal_data(cards: Cards, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="kiosk")
    test_card = card("zhangwei")
    vc = cards.insert(test_card)
    record = reader_for(vc).read_once(5.0)
    cards.remove_all()
    vc = cards.insert(load_test_card(CARDS / "invalid" / "expired.json"))
    with pytest.raises(CardRefusal):
        reader_for(vc).read_once(5.0)
    text = caplog.text
    assert "card read on 'Virtual PCD 00 0" in text and "expired" in text
    for secret in (record.name, record.id_number, record.id_number[-4:], record.address, "林海", "460108"):
        assert secret not in text


# ----------------------------------------------------------------------------- monitoring


def test_monitor_insert_read_remove(monitor: tuple[PcscCardReader, Events], cards: Cards) -> None:
    reader, events = monitor
    events.wait_for(ReaderState.WAITING)
    assert reader.health() == DeviceStatus.OK
    test_card = card("linhai")
    vc = cards.insert(test_card, reader=R0)
    read = events.wait_for(ReaderState.READ)
    assert read.identity == test_card.parse(TODAY)
    assert reader.state() == ReaderState.READ
    time.sleep(0.6)  # the card stays: no second read, no other event
    assert events.states() == [ReaderState.WAITING, ReaderState.READING, ReaderState.READ]
    vc.remove()
    events.wait_for(ReaderState.WAITING)
    assert events.states() == [ReaderState.WAITING, ReaderState.READING, ReaderState.READ, ReaderState.WAITING]
    assert events.threads == {"pcsc-card-monitor"}

    # A refused card: READING then REFUSED, then WAITING again.
    cards.insert(load_test_card(CARDS / "invalid" / "bad_check_digit.json"), reader=R0)
    refused = events.wait_for(ReaderState.REFUSED)
    assert refused.refusal is not None and refused.refusal.reason == "bad_check_digit"
    assert refused.identity is None
    cards.remove_all()
    events.wait_for(ReaderState.WAITING)
    assert events.states()[-4:] == [ReaderState.WAITING, ReaderState.READING, ReaderState.REFUSED, ReaderState.WAITING]


def test_monitor_removal_mid_read(monitor: tuple[PcscCardReader, Events], cards: Cards) -> None:
    _, events = monitor
    events.wait_for(ReaderState.WAITING)
    cards.insert(card("linhai"), reader=R0, remove_after=10)
    refused = events.wait_for(ReaderState.REFUSED)
    assert refused.refusal is not None and refused.refusal.reason == "card_removed"
    events.wait_for(ReaderState.WAITING)
    assert ReaderState.READ not in events.states()


def test_monitor_reads_a_card_already_present(cards: Cards) -> None:
    cards.settle()
    test_card = card("fumingde")
    cards.insert(test_card, wait=True)
    reader = PcscCardReader(lambda: TODAY)
    events = Events()
    reader.start(events)
    try:
        read = events.wait_for(ReaderState.READ, timeout_s=3.0)
        assert read.identity == test_card.parse(TODAY)
        assert events.states()[:2] == [ReaderState.READING, ReaderState.READ]
    finally:
        reader.stop()


def test_stop_is_prompt_and_final(cards: Cards) -> None:
    cards.settle()
    reader = PcscCardReader(lambda: TODAY, reader_name=R0)
    events = Events()
    reader.start(events)
    events.wait_for(ReaderState.WAITING)
    started = time.monotonic()
    reader.stop()
    assert time.monotonic() - started < 0.5
    count = len(events.all)
    cards.insert(card("linhai"), reader=R0, wait=True)
    time.sleep(0.3)
    assert len(events.all) == count  # no listener call after stop()
    # Stopping in the middle of a slow read also ends promptly (after the current APDU).
    cards.remove_all()
    slow = cards.insert(card("linhai"), reader=R0, delay_s=0.3)
    reader.start(events)
    events.wait_for(ReaderState.READING)
    started = time.monotonic()
    reader.stop()
    assert time.monotonic() - started < 1.0
    assert slow.applet.apdu_count < 10


def test_pcscd_restart_while_waiting(monitor: tuple[PcscCardReader, Events], cards: Cards, pcscd: PcscDaemon) -> None:
    """pcscd goes away and comes back: NO_READER meanwhile, then reads without a new reader."""
    reader, events = monitor
    events.wait_for(ReaderState.WAITING)
    pcscd.restart()
    events.wait_for(ReaderState.NO_READER, timeout_s=3.0)
    events.wait_for(ReaderState.WAITING, timeout_s=5.0)
    test_card = card("wangfang")
    cards.insert(test_card, reader=R0)
    read = events.wait_for(ReaderState.READ)
    assert read.identity == test_card.parse(TODAY)
    assert reader.state() == ReaderState.READ


def test_no_reader_while_pcscd_is_down(pcscd: PcscDaemon) -> None:
    reader = PcscCardReader(lambda: TODAY)
    events = Events()
    pcscd._terminate()  # noqa: SLF001 - the test needs the daemon down for a while
    try:
        reader.start(events)
        events.wait_for(ReaderState.NO_READER, timeout_s=2.0)
        assert reader.health() == DeviceStatus.OFFLINE
        with pytest.raises(CardRefusal) as info:
            PcscCardReader(lambda: TODAY).read_once(0.3)
        assert info.value.reason == "no_reader"
    finally:
        pcscd.restart()
    events.wait_for(ReaderState.WAITING, timeout_s=5.0)
    assert reader.health() == DeviceStatus.OK
    reader.stop()
