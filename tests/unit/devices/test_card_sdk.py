"""The `sdk` card reader (vendor sdtapi library through ctypes) against a stand-in library.

tests/support/sdtapi_stub.c is compiled with gcc at test time (scripts/setup.sh installs
gcc; without it these tests fail, they are never skipped). The test drives the stub through
its STUB_* functions on the same loaded library the reader uses (tests/support/sdtapi.py).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime
import json
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.devices.base import CardEvent, DeviceStatus, ReaderState
from kiosk.devices.card.sdk import SdkCardReader
from kiosk.devices.card.sdtapi import SdkLoadError, SdtLibrary, is_valid_port
from kiosk.domain.idcard import CardRefusal
from kiosk.domain.testcard import TestCard, encode_ef0103, load_test_card
from tests.support.events import Events
from tests.support.paths import ROOT
from tests.support.sdtapi import APPMSG, CLOSE, FIND, OPEN, READ, SELECT, Stub, StubBuildError, build_stub

TODAY = datetime.date(2026, 11, 30)
CARDS = ROOT / "assets" / "cards"
VALID = sorted(CARDS.glob("*.json"))
INVALID = sorted((CARDS / "invalid").glob("*.json"))

FAST = {"poll_s": 0.02, "retry_s": 0.05}


@pytest.fixture(scope="module")
def stub_paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    try:
        return build_stub(tmp_path_factory.mktemp("sdtapi"))
    except StubBuildError as exc:
        pytest.fail(str(exc), pytrace=False)


_loaded: dict[str, Stub] = {}


def _stub(stub_paths: dict[str, Path], variant: str) -> Iterator[Stub]:
    path = stub_paths[variant]
    stub = _loaded.get(str(path)) or _loaded.setdefault(str(path), Stub(path))
    stub.reset()
    yield stub
    stub.reset()


@pytest.fixture
def stub(stub_paths: dict[str, Path]) -> Iterator[Stub]:
    yield from _stub(stub_paths, "full")


@pytest.fixture
def stub_no_appmsg(stub_paths: dict[str, Path]) -> Iterator[Stub]:
    yield from _stub(stub_paths, "no_appmsg")


def card(name: str) -> TestCard:
    return load_test_card(CARDS / f"{name}.json")


def make_reader(stub: Stub, **kwargs: object) -> SdkCardReader:
    options: dict = {**FAST, **kwargs}
    return SdkCardReader(lambda: TODAY, stub.path, **options)


@pytest.fixture
def monitor(stub: Stub) -> Iterator[tuple[SdkCardReader, Events]]:
    reader = make_reader(stub)
    events = Events(default_timeout_s=3.0)
    reader.start(events)
    events.wait_for(ReaderState.WAITING)
    yield reader, events
    reader.stop()


# ----------------------------------------------------------------------------- read_once


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_cards_read_like_parse_identity(stub: Stub, path: Path) -> None:
    test_card = load_test_card(path)
    stub.insert(test_card)
    record = make_reader(stub).read_once(2.0)
    expected = test_card.parse(TODAY)
    assert record == expected
    assert record.photo == expected.photo
    assert record.to_json() == expected.to_json()
    assert stub.current_port() == 0, "read_once closes the port it opened"
    assert stub.last_if_open() == 0, "the port is opened once; calls pass iIfOpen = 0"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_cards_refused_with_the_same_reason(stub: Stub, path: Path) -> None:
    expect = json.loads(path.read_text(encoding="utf-8"))["expect"]
    stub.insert(load_test_card(path))
    with pytest.raises(CardRefusal) as info:
        make_reader(stub).read_once(2.0)
    assert info.value.reason == expect


def test_wlt_photo_is_kept_as_read(stub: Stub) -> None:
    chenjing = card("chenjing")
    assert chenjing.ef0102 is not None and len(chenjing.ef0102) == 1024
    stub.insert(chenjing)
    record = make_reader(stub).read_once(2.0)
    assert record.photo_kind == "wlt"
    assert record.photo == chenjing.ef0102
    # Any 1024-byte blob not starting FF D8, as real SDKs return, is a WLT photo too.
    blob = bytes(range(256)) * 4
    stub.insert_bytes(card("linhai").ef0101, blob)
    record = make_reader(stub).read_once(2.0)
    assert (record.photo_kind, record.photo) == ("wlt", blob)


def test_no_photo(stub: Stub) -> None:
    stub.insert_bytes(card("linhai").ef0101, b"")
    record = make_reader(stub).read_once(2.0)
    assert record.photo_kind == "none" and record.photo_sha256 is None


def test_appended_address(stub: Stub, stub_no_appmsg: Stub) -> None:
    ayiguli = card("ayiguli")
    stub.insert(ayiguli)
    assert make_reader(stub).read_once(2.0).appended_address == "海南省海口市秀英区海秀西路12号2栋"

    # Several entries: the last non-blank one is current; zero-filled slots are ignored.
    older, newer = encode_ef0103("海南省海口市龙华区旧址1号"), encode_ef0103("海南省海口市美兰区新址2号")
    stub.insert_bytes(ayiguli.ef0101, ayiguli.ef0102 or b"", older + newer + bytes(140))
    assert make_reader(stub).read_once(2.0).appended_address == "海南省海口市美兰区新址2号"

    # 0x91 (no such content) and all-zero data: no appended address.
    stub.insert_bytes(ayiguli.ef0101, ayiguli.ef0102 or b"")
    assert make_reader(stub).read_once(2.0).appended_address is None
    stub.insert_bytes(ayiguli.ef0101, b"", bytes(70))
    assert make_reader(stub).read_once(2.0).appended_address is None

    # A partial entry is truncated data.
    stub.insert_bytes(ayiguli.ef0101, b"", newer[:40])
    with pytest.raises(CardRefusal) as info:
        make_reader(stub).read_once(2.0)
    assert info.value.reason == "data_truncated"

    # An SDK without SDT_ReadNewAppMsg: the same card reads with no appended address.
    lib = SdtLibrary(stub_no_appmsg.path)
    assert not lib.has_appended_address
    stub_no_appmsg.insert(ayiguli)
    record = make_reader(stub_no_appmsg).read_once(2.0)
    assert record.appended_address is None
    assert record.id_number == ayiguli.parse(TODAY).id_number


@pytest.mark.parametrize("length", [0, 200, 255])
def test_short_text_is_data_truncated(stub: Stub, length: int) -> None:
    stub.insert_bytes(card("linhai").ef0101[:length], card("linhai").ef0102 or b"")
    with pytest.raises(CardRefusal) as info:
        make_reader(stub).read_once(2.0)
    assert info.value.reason == "data_truncated"


@pytest.mark.parametrize("code", [0x41, 0x33, 0x3F, 0x31, 0x32, 0x24, 0x91])
def test_read_failure_codes_are_card_error(stub: Stub, code: int) -> None:
    stub.insert(card("linhai"))
    stub.fail(READ, code)
    with pytest.raises(CardRefusal) as info:
        make_reader(stub).read_once(2.0)
    assert info.value.reason == "card_error"
    assert stub.calls(READ) == 2, "card_error: the whole read is retried once"


def test_select_and_appended_failures_are_card_error(stub: Stub) -> None:
    stub.insert(card("ayiguli"))
    stub.fail(SELECT, 0x81)
    with pytest.raises(CardRefusal) as info:
        make_reader(stub).read_once(2.0)
    assert info.value.reason == "card_error"
    stub.fail(SELECT, 0, 0)
    stub.fail(APPMSG, 0x41)
    with pytest.raises(CardRefusal) as info:
        make_reader(stub).read_once(2.0)
    assert info.value.reason == "card_error"


def test_one_read_failure_is_retried(stub: Stub) -> None:
    stub.insert(card("linhai"))
    stub.fail(READ, 0x41, times=1)
    assert make_reader(stub).read_once(2.0) == card("linhai").parse(TODAY)


def test_unknown_card_type_is_not_identity_card(stub: Stub) -> None:
    stub.insert(card("linhai"))
    stub.fail(SELECT, 0x40)
    with pytest.raises(CardRefusal) as info:
        make_reader(stub).read_once(2.0)
    assert info.value.reason == "not_identity_card"


@pytest.mark.parametrize("step", [SELECT, READ, APPMSG])
def test_removal_during_read_is_card_removed(stub: Stub, step: int) -> None:
    stub.insert(card("linhai"))
    stub.remove_on(step)
    with pytest.raises(CardRefusal) as info:
        make_reader(stub).read_once(2.0)
    assert info.value.reason == "card_removed"


def test_port_lost_during_read_is_no_reader(stub: Stub) -> None:
    stub.insert(card("linhai"))
    stub.unplug_on(READ)  # ReadBaseMsg times out (0x02), then every call answers 0x01
    with pytest.raises(CardRefusal) as info:
        make_reader(stub).read_once(0.0)
    assert info.value.reason == "no_reader"


@pytest.mark.allow_log(r"^kiosk\.devices\.card\.sdk: sdk card reader unavailable: SDT_OpenPort on")
def test_port_lost_during_read_in_the_monitor(monitor: tuple[SdkCardReader, Events], stub: Stub) -> None:
    _reader, events = monitor
    stub.unplug_on(READ)
    stub.insert(card("linhai"))
    event = events.wait_for(ReaderState.REFUSED)
    assert event.refusal is not None and event.refusal.reason == "no_reader"
    events.wait_for(ReaderState.NO_READER)
    stub.port_ok(True)
    events.wait_for(ReaderState.READ)  # the card still there is read once the reader is back


@pytest.mark.allow_log(r"^kiosk\.devices\.card\.sdk: sdk card reader unavailable: SDT_OpenPort on")
def test_no_card_and_no_reader(stub: Stub) -> None:
    reader = make_reader(stub)
    started = time.monotonic()
    with pytest.raises(CardRefusal) as info:
        reader.read_once(0.2)
    assert info.value.reason == "no_card"
    assert 0.15 <= time.monotonic() - started < 1.5
    stub.port_ok(False)
    with pytest.raises(CardRefusal) as info:
        reader.read_once(0.1)
    assert info.value.reason == "no_reader"
    assert "0x01" in (reader.last_error or "")


def test_read_once_waits_for_a_card(stub: Stub) -> None:
    timer = threading.Timer(0.2, stub.insert, args=(card("zhangwei"),))
    timer.start()
    try:
        record = make_reader(stub).read_once(3.0)
    finally:
        timer.cancel()
    assert record == card("zhangwei").parse(TODAY)


@pytest.mark.allow_log(r"^kiosk\.devices\.card\.sdk: sdk card reader unavailable: SDT_OpenPort on")
def test_ports(stub: Stub) -> None:
    stub.insert(card("linhai"))
    stub.device_port(3)  # a serial reader on COM3
    with pytest.raises(CardRefusal) as info:
        make_reader(stub).read_once(0.0)
    assert info.value.reason == "no_reader"
    assert make_reader(stub, port=3).read_once(1.0).photo_kind == "jpeg"
    stub.device_port(1004)
    assert make_reader(stub, port=0).read_once(1.0).photo_kind == "jpeg"  # automatic
    assert [p for p in (0, 1, 16, 1001, 1016) if is_valid_port(p)] == [0, 1, 16, 1001, 1016]
    assert not any(is_valid_port(p) for p in (-1, 17, 1000, 1017))


# ----------------------------------------------------------------------------- library problems


def test_missing_library_is_no_reader_with_a_clear_log(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    missing = str(tmp_path / "libsdtapi.so")
    reader = SdkCardReader(lambda: TODAY, missing, **FAST)
    events = Events(default_timeout_s=3.0)
    with caplog.at_level(logging.INFO, logger="kiosk.devices.card"):
        reader.start(events)
        assert events.wait_for(ReaderState.NO_READER).state == ReaderState.NO_READER
        time.sleep(0.2)  # several retries: logged once
        reader.stop()
        with pytest.raises(CardRefusal) as info:
            reader.read_once(0.0)
    assert info.value.reason == "no_reader"
    assert reader.health() == DeviceStatus.OFFLINE
    assert reader.last_error is not None and missing in reader.last_error
    problems = [r for r in caplog.records if "cannot load sdtapi library" in r.getMessage()]
    assert len(problems) == 1 and problems[0].levelno == logging.ERROR
    assert missing in problems[0].getMessage()
    assert events.states() == [ReaderState.NO_READER]

    with pytest.raises(SdkLoadError, match="sdk_library is empty"):
        SdtLibrary("")
    with pytest.raises(CardRefusal):
        SdkCardReader(lambda: TODAY, "").read_once(0.0)


def test_library_without_required_symbols(stub_paths: dict[str, Path], caplog: pytest.LogCaptureFixture) -> None:
    path = str(stub_paths["no_readbase"])
    with pytest.raises(SdkLoadError, match="SDT_ReadBaseMsg"):
        SdtLibrary(path)
    with pytest.raises(SdkLoadError, match="SDT_OpenPort"):
        SdtLibrary(ctypes.util.find_library("c") or "libc.so.6")
    reader = SdkCardReader(lambda: TODAY, path, **FAST)
    events = Events(default_timeout_s=3.0)
    with caplog.at_level(logging.INFO, logger="kiosk.devices.card"):
        reader.start(events)
        events.wait_for(ReaderState.NO_READER)
        reader.stop()
    assert "SDT_ReadBaseMsg" in (reader.last_error or "")
    assert any("lacks required function" in r.getMessage() for r in caplog.records)


# ----------------------------------------------------------------------------- monitoring


def test_events_reading_read_waiting(monitor: tuple[SdkCardReader, Events], stub: Stub) -> None:
    reader, events = monitor
    assert reader.state() == ReaderState.WAITING
    assert reader.health() == DeviceStatus.OK
    events.drain()
    linhai = card("linhai")
    stub.insert(linhai)
    event = events.wait_for(ReaderState.READ)
    assert event.identity == linhai.parse(TODAY)
    assert events.drain() == []
    time.sleep(0.2)  # ten polls with the card still there: no second read
    assert events.drain() == []
    assert stub.calls(READ) == 1
    stub.remove()
    events.wait_for(ReaderState.WAITING)
    assert events.states()[-3:] == [ReaderState.READING, ReaderState.READ, ReaderState.WAITING]

    # The same card again: read again.
    stub.insert(linhai)
    assert events.wait_for(ReaderState.READ).identity == linhai.parse(TODAY)


def test_refused_card_then_another_card_without_a_gap(monitor: tuple[SdkCardReader, Events], stub: Stub) -> None:
    _reader, events = monitor
    stub.insert(load_test_card(CARDS / "invalid" / "expired.json"))
    event = events.wait_for(ReaderState.REFUSED)
    assert event.refusal is not None and event.refusal.reason == "expired"
    assert events.all[-2].state == ReaderState.READING
    # Swapped for a valid card faster than a poll: a new serial number, a new read.
    stub.insert(card("wangfang"))
    assert events.wait_for(ReaderState.READ).identity == card("wangfang").parse(TODAY)


def test_removal_during_read_in_the_monitor(monitor: tuple[SdkCardReader, Events], stub: Stub) -> None:
    _reader, events = monitor
    stub.remove_on(READ)
    stub.insert(card("linhai"))
    event = events.wait_for(ReaderState.REFUSED)
    assert event.refusal is not None and event.refusal.reason == "card_removed"
    events.wait_for(ReaderState.WAITING)
    # Put back quickly: read at once (a card_removed card is not "still present").
    stub.insert(card("linhai"))
    events.wait_for(ReaderState.READ)


def test_card_error_is_not_retried_while_the_card_stays(monitor: tuple[SdkCardReader, Events], stub: Stub) -> None:
    _reader, events = monitor
    stub.fail(READ, 0x41)
    stub.insert(card("linhai"))
    event = events.wait_for(ReaderState.REFUSED)
    assert event.refusal is not None and event.refusal.reason == "card_error"
    time.sleep(0.2)
    assert stub.calls(READ) == 2 and events.drain() == []
    stub.fail(READ, 0, 0)
    stub.remove()
    events.wait_for(ReaderState.WAITING)
    stub.insert(card("linhai"))
    events.wait_for(ReaderState.READ)


@pytest.mark.allow_log(r"^kiosk\.devices\.card\.sdk: sdk card reader unavailable: SDT_OpenPort on", r"^kiosk\.devices\.card\.sdk: sdk card reader unavailable: StartFindIDCard on")
def test_port_failure_then_recovery(monitor: tuple[SdkCardReader, Events], stub: Stub) -> None:
    reader, events = monitor
    stub.port_ok(False)  # unplugged
    events.wait_for(ReaderState.NO_READER)
    assert reader.health() == DeviceStatus.OFFLINE
    time.sleep(0.15)
    assert events.drain() == [], "NO_READER is reported once"
    stub.port_ok(True)
    events.wait_for(ReaderState.WAITING)
    stub.insert(card("zhangwei"))
    events.wait_for(ReaderState.READ)


def test_reader_fault_is_no_reader(
    monitor: tuple[SdkCardReader, Events], stub: Stub, caplog: pytest.LogCaptureFixture
) -> None:
    reader, events = monitor
    with caplog.at_level(logging.INFO, logger="kiosk.devices.card"):
        stub.fail(FIND, 0x60)  # SAM self-test failed
        events.wait_for(ReaderState.NO_READER)
        time.sleep(0.3)  # several retries (reopen, find 0x60): logged once
        assert "0x60" in (reader.last_error or "")
        stub.fail(FIND, 0, 0)
        events.wait_for(ReaderState.WAITING)
    assert len([r for r in caplog.records if "0x60" in r.getMessage()]) == 1
    assert reader.last_error is None


@pytest.mark.allow_log(r"^kiosk\.devices\.card\.monitor: sdk\-card\-monitor: monitoring failed; restarting it", r"^kiosk\.devices\.card\.sdk: sdk card reader: library call failed")
def test_a_raising_library_call_does_not_escape(stub: Stub, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: SdtLibrary, port: int) -> int:
        raise OSError("exception: access violation reading 0x00000000")

    monkeypatch.setattr(SdtLibrary, "find_card", boom)
    reader = make_reader(stub)
    with pytest.raises(CardRefusal) as info:
        reader.read_once(1.0)
    assert info.value.reason == "no_reader"
    events = Events(default_timeout_s=3.0)
    reader.start(events)
    try:
        events.wait_for(ReaderState.NO_READER)
        monkeypatch.undo()
        events.wait_for(ReaderState.WAITING)
    finally:
        reader.stop()


@pytest.mark.allow_log(r"^kiosk\.devices\.card\.sdk: sdk card reader unavailable: StartFindIDCard on")
def test_port_glitch_reopens_without_no_reader(monitor: tuple[SdkCardReader, Events], stub: Stub) -> None:
    _reader, events = monitor
    opens = stub.calls(OPEN)
    stub.fail(FIND, 0x03, times=1)  # one transmission error
    stub.insert(card("linhai"))
    events.wait_for(ReaderState.READ)
    assert ReaderState.NO_READER not in events.states()[1:]
    assert stub.calls(OPEN) == opens + 1


@pytest.mark.allow_log(r"^kiosk\.devices\.card\.sdk: sdk card reader unavailable: SDT_OpenPort on")
def test_start_without_device_then_plugged(stub: Stub) -> None:
    stub.port_ok(False)
    reader = make_reader(stub)
    events = Events(default_timeout_s=3.0)
    reader.start(events)
    try:
        events.wait_for(ReaderState.NO_READER)
        stub.port_ok(True)
        events.wait_for(ReaderState.WAITING)
    finally:
        reader.stop()


def test_stop_closes_the_port_and_silences_the_listener(stub: Stub) -> None:
    reader = make_reader(stub)
    events = Events(default_timeout_s=3.0)
    reader.start(events)
    events.wait_for(ReaderState.WAITING)
    assert stub.current_port() == 1001
    stub.read_delay(300)
    stub.insert(card("linhai"))
    events.wait_for(ReaderState.READING)
    started = time.monotonic()
    reader.stop()  # waits for the read in progress, then closes the port
    assert time.monotonic() - started < 2.0
    assert stub.current_port() == 0 and stub.calls(CLOSE) >= 1
    count = len(events.all)
    time.sleep(0.1)
    assert len(events.all) == count
    assert ReaderState.READ not in events.states()

    # Restartable.
    stub.read_delay(0)
    reader.start(events)
    events.wait_for(ReaderState.READ)
    reader.stop()


@pytest.mark.allow_log(r"^kiosk\.devices\.card\.sdk: sdk card reader unavailable: SDT_OpenPort on")
def test_health_without_monitoring(stub: Stub) -> None:
    reader = make_reader(stub)
    assert reader.health() == DeviceStatus.OK
    assert stub.current_port() == 0
    stub.port_ok(False)
    assert reader.health() == DeviceStatus.OFFLINE


@pytest.mark.allow_log(r"^kiosk\.devices\.card\.monitor: card listener failed")
def test_listener_errors_do_not_kill_the_monitor(stub: Stub) -> None:
    events = Events(default_timeout_s=3.0)

    def bad_listener(event: CardEvent) -> None:
        events(event)
        raise RuntimeError("listener bug")

    reader = make_reader(stub)
    reader.start(bad_listener)
    try:
        events.wait_for(ReaderState.WAITING)
        stub.insert(card("linhai"))
        events.wait_for(ReaderState.READ)
    finally:
        reader.stop()


def test_logs_carry_no_personal_data(stub: Stub, caplog: pytest.LogCaptureFixture) -> None:
    ayiguli = card("ayiguli")
    record = ayiguli.parse(TODAY)
    with caplog.at_level(logging.DEBUG, logger="kiosk.devices.card"):
        reader = make_reader(stub)
        events = Events(default_timeout_s=3.0)
        reader.start(events)
        stub.insert(ayiguli)
        events.wait_for(ReaderState.READ)
        stub.insert(load_test_card(CARDS / "invalid" / "bad_check_digit.json"))
        events.wait_for(ReaderState.REFUSED)
        reader.stop()
    text = caplog.text
    assert "card read" in text and "bad_check_digit" in text
    for secret in (record.name, record.id_number, record.id_number[-6:], record.address, record.appended_address or "x"):
        assert secret not in text


def test_card_read_command_with_the_sdk_backend(stub: Stub, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from kiosk.cli import main

    stub.insert(card("ayiguli"))
    code = main(["devices", "card-read", "--reader", "sdk", "--sdk-library", stub.path, "--wait", "5", "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    record = json.loads(out.out)
    assert record["name"] == "阿依古丽·买买提"
    assert record["id_number"] == "460105********0025"
    assert record["appended_address"]
    stub.remove()
    code = main(["devices", "card-read", "--reader", "sdk", "--sdk-library", stub.path, "--wait", "1"])
    assert code == 1 and "no_card" in capsys.readouterr().err
