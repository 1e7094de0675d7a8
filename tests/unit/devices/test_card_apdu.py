"""The §4/§5 read procedure (kiosk.devices.card.apdu) against the in-process virtual card.

The fake card is tests.support.vcard.CardApplet: the same card logic the vpcd virtual card
serves over PC/SC, minus the sockets. It records every request a profile-conforming reader
must never make (``violations``), so each test also checks the reader's side of §4.3.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from kiosk.devices.card.apdu import (
    AID,
    CardFiles,
    read_binary_apdu,
    read_card_files,
    select_aid_apdu,
    select_ef_apdu,
)
from kiosk.domain.idcard import CardRefusal, parse_identity
from kiosk.domain.testcard import TestCard, load_test_card
from tests.support.paths import CARDS
from tests.support.vcard import CardApplet, CardRemovedError, Faults

TODAY = datetime.date(2026, 11, 30)
VALID_CARDS = sorted(CARDS.glob("*.json"))
LINHAI = load_test_card(CARDS / "linhai.json")


def run(card: TestCard, faults: Faults | None = None) -> tuple[CardFiles, CardApplet]:
    applet = CardApplet(card, faults)
    files = read_card_files(applet.transmit)
    assert applet.violations == []
    return files, applet


def refused(card: TestCard, faults: Faults | None = None) -> tuple[str, CardApplet]:
    applet = CardApplet(card, faults)
    with pytest.raises(CardRefusal) as info:
        read_card_files(applet.transmit)
    assert applet.violations == []
    return info.value.reason, applet


def reads(applet: CardApplet) -> list[tuple[int, int]]:
    """(offset, Le) of every READ BINARY sent."""
    return [((a.command[2] << 8) | a.command[3], a.command[4]) for a in applet.log if a.command[1] == 0xB0]


def card_with(ef0101: bytes | None = None, photo: bytes | None = None, ef0103: bytes | None = None) -> TestCard:
    return TestCard(ef0101=LINHAI.ef0101 if ef0101 is None else ef0101, ef0102=photo, ef0103=ef0103)


def jpeg(size: int) -> bytes:
    body = bytes((i * 7 + 3) % 256 for i in range(max(0, size - 2)))
    return (b"\xff\xd8" + body)[:size]


# ----------------------------------------------------------------------------- commands


def test_command_apdus_are_short_and_exact() -> None:
    assert AID == (0xF0, 0x4B, 0x49, 0x4F, 0x53, 0x4B, 0x31)
    assert bytes(select_aid_apdu()).hex(" ") == "00 a4 04 0c 07 f0 4b 49 4f 53 4b 31"  # no Le
    assert bytes(select_ef_apdu(0x0102)).hex(" ") == "00 a4 02 0c 02 01 02"
    assert bytes(read_binary_apdu(0x7FFF, 0xE0)).hex(" ") == "00 b0 7f ff e0"
    for offset, le in ((32768, 1), (-1, 1), (0, 0), (0, 225)):
        with pytest.raises(ValueError):
            read_binary_apdu(offset, le)


def test_worked_example_sequence() -> None:
    """§10: the exact APDUs of a full read of the worked-example card."""
    files, applet = run(LINHAI)
    log = [(a.command.hex(" "), a.sw) for a in applet.log]
    assert log[:4] == [
        ("00 a4 04 0c 07 f0 4b 49 4f 53 4b 31", 0x9000),
        ("00 a4 02 0c 02 01 01", 0x9000),
        ("00 b0 00 00 e0", 0x9000),
        ("00 b0 00 e0 20", 0x9000),
    ]
    assert log[4] == ("00 a4 02 0c 02 01 02", 0x9000)
    assert log[-1] == ("00 a4 02 0c 02 01 03", 0x6A82)
    assert log[-2][1] == 0x6282  # the photo ends with a short read
    photo_size = len(LINHAI.ef0102 or b"")
    assert reads(applet)[2:] == [(o, min(224, 32768 - o)) for o in range(0, photo_size, 224)]
    assert files.apdu_count == len(applet.log)
    assert parse_identity(files.ef0101, files.photo, files.ef0103, TODAY) == LINHAI.parse(TODAY)


@pytest.mark.parametrize("path", VALID_CARDS, ids=lambda p: p.stem)
def test_valid_cards_read_byte_exact(path: Path) -> None:
    card = load_test_card(path)
    files, _ = run(card)
    assert files.ef0101 == card.ef0101
    assert files.photo == card.ef0102
    assert files.ef0103 == card.ef0103
    assert parse_identity(files.ef0101, files.photo, files.ef0103, TODAY) == card.parse(TODAY)


def test_files_repr_has_no_card_data() -> None:
    files, _ = run(load_test_card(CARDS / "ayiguli.json"))
    text = repr(files)
    assert "ef0101=256 bytes" in text and "ef0103=70 bytes" in text
    assert "阿依古丽" not in text and "4601" not in text


# ----------------------------------------------------------------------------- EF 0102 sizes


@pytest.mark.parametrize("size", [1, 2, 223, 224, 225, 448, 1024, 32767, 32768])
def test_photo_sizes(size: int) -> None:
    photo = jpeg(size)
    files, applet = run(card_with(photo=photo))
    assert files.photo == photo
    photo_reads = reads(applet)[2:]
    assert all(offset < 32768 and 1 <= le <= 224 for offset, le in photo_reads)
    assert photo_reads == [(o, min(224, 32768 - o)) for o in range(0, size + (size % 224 == 0 and size < 32768), 224)]


def test_32k_photo_never_reads_at_or_past_32768() -> None:
    photo = jpeg(32768)
    files, applet = run(card_with(photo=photo))
    assert files.photo == photo
    offsets = [o for o, _ in reads(applet)[2:]]
    assert max(offsets) == 32704 and reads(applet)[2:][-1] == (32704, 64)
    assert all(o < 32768 for o in offsets)
    # A bridge answering 9000 to short reads changes nothing for a full 32 KiB photo.
    files, _ = run(card_with(photo=photo), Faults(short_read_sw=0x9000))
    assert files.photo == photo


def test_oversized_photo_is_cut_at_32768_without_probing_further() -> None:
    photo = jpeg(40000)
    files, applet = run(card_with(photo=photo))
    assert files.photo == photo[:32768]
    assert max(o + le for o, le in reads(applet)[2:]) == 32768


def test_empty_photo_is_no_photo() -> None:
    """§9.3: 6B00 at offset 0 means no photo; not a refusal."""
    files, applet = run(card_with(photo=b""))
    assert files.photo is None
    assert [a.sw for a in applet.log if a.command[:4] == b"\x00\xb0\x00\x00" and a.command[4] == 0xE0][-1] == 0x6B00
    assert parse_identity(files.ef0101, files.photo, files.ef0103, TODAY).photo_kind == "none"


def test_absent_photo_is_not_read() -> None:
    files, applet = run(card_with(photo=None))
    assert files.photo is None
    after = [a for a in applet.log if a.command[1] == 0xB0][2:]
    assert after == []  # no READ BINARY after the failed SELECT 0102


def test_wlt_photo_is_passed_through() -> None:
    card = load_test_card(CARDS / "chenjing.json")
    files, _ = run(card)
    assert files.photo is not None and len(files.photo) == 1024
    assert parse_identity(files.ef0101, files.photo, files.ef0103, TODAY).photo_kind == "wlt"


# ----------------------------------------------------------------------------- EF 0101 / EF 0103 sizes


@pytest.mark.parametrize("length", [0, 1, 200, 224, 255])
def test_short_ef0101_is_data_truncated_and_stops(length: int) -> None:
    reason, applet = refused(card_with(ef0101=LINHAI.ef0101[:length], photo=jpeg(500)))
    assert reason == "data_truncated"
    # The read stops at once: no SELECT of EF 0102 / EF 0103 after the refusal.
    assert not any(a.command[:5] == b"\x00\xa4\x02\x0c\x02" and a.command[5:7] != b"\x01\x01" for a in applet.log)


@pytest.mark.parametrize("sw", [0x6282, 0x9000])
def test_short_ef0101_with_either_end_of_file_status(sw: int) -> None:
    reason, _ = refused(card_with(ef0101=LINHAI.ef0101[:230]), Faults(short_read_sw=sw))
    assert reason == "data_truncated"


def test_long_ef0101_is_never_read_past_256() -> None:
    files, applet = run(card_with(ef0101=LINHAI.ef0101 + b"\x20\x00" * 100))
    assert files.ef0101 == LINHAI.ef0101
    assert reads(applet)[:2] == [(0, 224), (224, 32)]


def test_appended_address_70_bytes() -> None:
    card = load_test_card(CARDS / "ayiguli.json")
    files, applet = run(card)
    assert files.ef0103 == card.ef0103 and len(files.ef0103 or b"") == 70
    assert reads(applet)[-1] == (0, 70)
    assert parse_identity(files.ef0101, files.photo, files.ef0103, TODAY).appended_address == "海南省海口市秀英区海秀西路12号2栋"


@pytest.mark.parametrize("length", [0, 1, 69])
def test_short_ef0103_is_data_truncated(length: int) -> None:
    reason, _ = refused(card_with(ef0103=("追" * 35).encode("utf-16-le")[:length]))
    assert reason == "data_truncated"


def test_long_ef0103_is_never_read_past_70() -> None:
    data = ("追" * 35).encode("utf-16-le")
    files, applet = run(card_with(ef0103=data + b"\x20\x00" * 10))
    assert files.ef0103 == data
    assert reads(applet)[-1] == (0, 70)


# ----------------------------------------------------------------------------- status words (§4.4)


@pytest.mark.parametrize("sw", [0x6A82, 0x6E00, 0x6D00])
def test_select_aid_not_found_or_unsupported_is_not_identity_card(sw: int) -> None:
    reason, applet = refused(LINHAI, Faults(status={"select_aid": sw}))
    assert reason == "not_identity_card"
    assert len(applet.log) == 1  # stops at once


@pytest.mark.parametrize("sw", [0x6700, 0x6F00, 0x6A86, 0x6986, 0x6282, 0x6B00, 0x6C10, 0x6400])
def test_select_aid_other_status_is_card_error(sw: int) -> None:
    reason, applet = refused(LINHAI, Faults(status={"select_aid": sw}))
    assert reason == "card_error"
    assert len(applet.log) == 1


@pytest.mark.parametrize("sw", [0x6A82, 0x6E00, 0x6D00, 0x6700, 0x6F00, 0x6986, 0x6A86])
def test_select_ef0101_failure_is_card_error(sw: int) -> None:
    reason, applet = refused(LINHAI, Faults(status={"select:0101": sw}))
    assert reason == "card_error"
    assert len(applet.log) == 2


def test_select_ef0102_not_found_is_no_photo() -> None:
    files, _ = run(LINHAI, Faults(status={"select:0102": 0x6A82}))
    assert files.photo is None and files.ef0101 == LINHAI.ef0101


def test_select_ef0103_not_found_is_no_appended_address() -> None:
    card = load_test_card(CARDS / "ayiguli.json")
    files, _ = run(card, Faults(status={"select:0103": 0x6A82}))
    assert files.ef0103 is None and files.photo == card.ef0102


@pytest.mark.parametrize("fid", ["0102", "0103"])
@pytest.mark.parametrize("sw", [0x6E00, 0x6D00, 0x6700, 0x6F00, 0x6986])
def test_select_optional_ef_other_failure_is_card_error(fid: str, sw: int) -> None:
    reason, _ = refused(load_test_card(CARDS / "ayiguli.json"), Faults(status={f"select:{fid}": sw}))
    assert reason == "card_error"


@pytest.mark.parametrize("fid", ["0101", "0102", "0103"])
@pytest.mark.parametrize("sw", [0x6700, 0x6E00, 0x6D00, 0x6F00, 0x6A82, 0x6986, 0x6A86, 0x6581, 0x6100])
def test_read_binary_error_status_is_card_error(fid: str, sw: int) -> None:
    reason, applet = refused(load_test_card(CARDS / "ayiguli.json"), Faults(status={f"read:{fid}": sw}))
    assert reason == "card_error"
    assert applet.log[-1].sw == sw  # stopped at the failing READ


def test_6b00_after_data_is_end_of_file() -> None:
    """A photo of exactly 448 bytes: the third READ (offset 448) gets 6B00: end of file."""
    files, applet = run(card_with(photo=jpeg(448)))
    assert files.photo == jpeg(448)
    assert applet.log[-2].sw == 0x6B00  # last photo read; then SELECT 0103


def test_more_data_than_le_is_card_error() -> None:
    reason, _ = refused(LINHAI, Faults(extra_data=2))
    assert reason == "card_error"


# ----------------------------------------------------------------------------- 6Cxx


def test_6cxx_once_resends_with_le_xx() -> None:
    files, applet = run(LINHAI, Faults(sixc=1))
    assert files.ef0101 == LINHAI.ef0101 and files.photo == LINHAI.ef0102
    first = applet.log[2:4]
    assert first[0].sw == 0x6CE0 and first[1].command == first[0].command  # same command, Le = xx = E0
    assert first[1].sw == 0x9000


def test_6cxx_with_smaller_xx_reads_in_smaller_pieces() -> None:
    files, applet = run(LINHAI, Faults(sixc=1, sixc_xx=0x10))
    assert files.ef0101 == LINHAI.ef0101 and files.photo == LINHAI.ef0102
    assert reads(applet)[:4] == [(0, 224), (0, 16), (16, 224), (16, 16)]


def test_6cxx_on_the_photo_only() -> None:
    files, _ = run(LINHAI, Faults(sixc=1, sixc_fid=0x0102, sixc_xx=0x80))
    assert files.photo == LINHAI.ef0102


def test_second_6cxx_is_card_error() -> None:
    reason, applet = refused(LINHAI, Faults(sixc=2))
    assert reason == "card_error"
    assert [a.sw for a in applet.log[2:]] == [0x6CE0, 0x6CE0]  # one resend only


def test_6c00_is_card_error() -> None:
    reason, applet = refused(LINHAI, Faults(sixc=1, sixc_xx=0))
    assert reason == "card_error"
    assert len(applet.log) == 3  # no resend


def test_6cxx_asking_past_256_is_card_error_without_reading_past() -> None:
    """xx = E0 at offset 224 of EF 0101 would read past 256 bytes: card_error, no such READ."""
    reason, applet = refused(LINHAI, Faults(sixc=1, sixc_xx=0xE0))
    assert reason == "card_error"
    assert max(o + le for o, le in reads(applet)) <= 256


def test_6cxx_above_224_is_card_error() -> None:
    reason, applet = refused(LINHAI, Faults(sixc=1, sixc_xx=0xF0))
    assert reason == "card_error"
    assert all(le <= 224 for _, le in reads(applet))


# ----------------------------------------------------------------------------- transport


def test_transport_failure_propagates() -> None:
    applet = CardApplet(LINHAI, Faults(remove_after=3))
    with pytest.raises(CardRemovedError):
        read_card_files(applet.transmit)


def test_each_read_is_fresh() -> None:
    """No data from an earlier card is reused (§5)."""
    first, _ = run(LINHAI)
    other = load_test_card(CARDS / "chenjing.json")
    second, _ = run(other)
    assert second.ef0101 == other.ef0101 != first.ef0101
    assert second.photo == other.ef0102


# ----------------------------------------------------------------------------- the fake card itself


def test_fake_card_answers_the_read_binary_table() -> None:
    """§4.3, card side: first matching row (offset ≥ size, Le > 224, full, short)."""
    applet = CardApplet(card_with(photo=jpeg(300)))
    send = applet.process
    assert send(bytes(select_ef_apdu(0x0101))) == b"\x6a\x82"  # application not selected
    assert send(bytes(read_binary_apdu(0, 1))) == b"\x69\x86"  # no current EF
    assert send(bytes(select_aid_apdu())) == b"\x90\x00"
    assert send(bytes(select_ef_apdu(0x0102))) == b"\x90\x00"
    assert send(bytes.fromhex("00b0012c01")) == b"\x6b\x00"  # offset 300 = size
    assert send(bytes.fromhex("00b0000000")) == b"\x6c\xe0"  # Le 00 = 256 > 224
    assert send(bytes.fromhex("00b000f0ff")) == b"\x6c\x3c"  # 300 - 240 = 60
    assert send(bytes.fromhex("00b0000002")) == b"\xff\xd8\x90\x00"
    assert send(bytes.fromhex("00b0012a04")) == jpeg(300)[298:] + b"\x62\x82"
    assert send(bytes.fromhex("00b00000000002")) == b"\x67\x00"  # extended length
    assert send(bytes.fromhex("80b0000001")) == b"\x6e\x00"
    assert send(bytes.fromhex("00ca000001")) == b"\x6d\x00"
    assert send(bytes(select_ef_apdu(0x0103))) == b"\x6a\x82"
    assert len(applet.violations) == 3  # Le 00, Le FF, extended length
