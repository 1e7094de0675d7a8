"""Card profile v1 (docs/contract/card-profile.md): decoding, validation, messages, test-card JSON."""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import io
import itertools
import json
import pathlib
import pickle

import pytest

from kiosk.domain import idcard, testcard
from kiosk.domain.idcard import CardRefusal, check_character, parse_identity
from kiosk.domain.idcard_codes import ETHNICITY_NAMES, FIELD_NAMES_ZH, MESSAGES_ZH
from kiosk.domain.testcard import encode_ef0101, load_test_card
from tests.support.paths import CARDS

TODAY = datetime.date(2026, 11, 30)

# §10, verbatim.
WORKED_EXAMPLE_HEX = """
0000  97 67 77 6D 20 00 20 00 20 00 20 00 20 00 20 00
0010  20 00 20 00 20 00 20 00 20 00 20 00 20 00 31 00
0020  30 00 31 00 31 00 39 00 38 00 37 00 30 00 36 00
0030  31 00 32 00 77 6D 57 53 01 77 77 6D E3 53 02 5E
0040  8E 7F 70 51 3A 53 8C 54 73 5E 27 59 53 90 35 00
0050  36 00 F7 53 20 00 20 00 20 00 20 00 20 00 20 00
0060  20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00
0070  20 00 20 00 20 00 20 00 20 00 34 00 36 00 30 00
0080  31 00 30 00 38 00 31 00 39 00 38 00 37 00 30 00
0090  36 00 31 00 32 00 30 00 33 00 31 00 30 00 77 6D
00A0  E3 53 02 5E 6C 51 89 5B 40 5C 8E 7F 70 51 06 52
00B0  40 5C 20 00 20 00 20 00 20 00 20 00 32 00 30 00
00C0  32 00 30 00 30 00 37 00 31 00 36 00 32 00 30 00
00D0  34 00 30 00 30 00 37 00 31 00 36 00 20 00 20 00
00E0  20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00
00F0  20 00 20 00 20 00 20 00 20 00 20 00 20 00 20 00
"""
WORKED_EXAMPLE = bytes.fromhex("".join(line[6:] for line in WORKED_EXAMPLE_HEX.strip().splitlines()))

WORKED_RECORD = {
    "name": "林海",
    "sex": "1",
    "sex_name": "男",
    "ethnicity": "01",
    "ethnicity_name": "汉族",
    "birth_date": "1987-06-12",
    "address": "海南省海口市美兰区和平大道56号",
    "id_number": "460108198706120310",
    "issuing_authority": "海口市公安局美兰分局",
    "valid_from": "2020-07-16",
    "valid_until": "2040-07-16",
    "appended_address": None,
    "photo_kind": "none",
    "photo_sha256": None,
}

BASE_FIELDS = {
    "name": "林海",
    "sex": "1",
    "ethnicity": "01",
    "birth_date": "19870612",
    "address": "海南省海口市美兰区和平大道56号",
    "id_number": "460108198706120310",
    "issuing_authority": "海口市公安局美兰分局",
    "valid_from": "20200716",
    "valid_until": "20400716",
    "reserved": "",
}
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(60))
WLT = bytes(range(1, 256)) * 4 + b"\x00\x00\x00\x00"  # 1024 bytes, not FF D8


def make_id(birth: str = "19870612", region: str = "460108", seq: str = "031") -> str:
    first17 = region + birth + seq
    return first17 + check_character(first17)


def fields(**changes: str) -> dict[str, str]:
    result = dict(BASE_FIELDS)
    result.update(changes)
    return result


def parse(
    today: datetime.date = TODAY, photo: bytes | None = None, ef0103: bytes | None = None, **changes: str
) -> idcard.IdentityRecord:
    return parse_identity(encode_ef0101(fields(**changes)), photo, ef0103, today)


def refusal(**kwargs) -> CardRefusal:
    with pytest.raises(CardRefusal) as info:
        parse(**kwargs)
    return info.value


def refuse_bytes(ef0101: bytes, photo: bytes | None = None, ef0103: bytes | None = None) -> CardRefusal:
    with pytest.raises(CardRefusal) as info:
        parse_identity(ef0101, photo, ef0103, TODAY)
    return info.value


def patched(data: bytes, offset: int, patch: bytes) -> bytes:
    return data[:offset] + patch + data[offset + len(patch) :]


def u16(*units: int) -> bytes:
    return b"".join(unit.to_bytes(2, "little") for unit in units)


# --------------------------------------------------------------------------------------
# §10 worked example
# --------------------------------------------------------------------------------------


def test_worked_example_dump_is_256_bytes() -> None:
    assert len(WORKED_EXAMPLE) == 256


def test_worked_example_parses_to_the_spec_record() -> None:
    record = parse_identity(WORKED_EXAMPLE, None, None, TODAY)
    assert record.to_json() == WORKED_RECORD
    assert record.photo is None


def test_worked_example_with_jpeg_photo() -> None:
    photo = (CARDS / "photos" / "linhai.jpg").read_bytes()
    record = parse_identity(WORKED_EXAMPLE, photo, None, TODAY)
    assert record.photo_kind == "jpeg"
    assert record.photo_sha256 == hashlib.sha256(photo).hexdigest()
    assert len(record.photo_sha256) == 64 and record.photo_sha256 == record.photo_sha256.lower()
    assert record.photo == photo
    assert record.to_json() == {**WORKED_RECORD, "photo_kind": "jpeg", "photo_sha256": record.photo_sha256}


def test_worked_example_check_character_sum() -> None:
    first17 = "46010819870612031"
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    assert sum(int(d) * w for d, w in zip(first17, weights, strict=True)) == 287
    assert check_character(first17) == "0"


def test_encoder_reproduces_worked_example() -> None:
    assert encode_ef0101(BASE_FIELDS) == WORKED_EXAMPLE


def test_linhai_card_is_the_worked_example() -> None:
    card = load_test_card(CARDS / "linhai.json")
    assert card.ef0101 == WORKED_EXAMPLE
    assert card.ef0103 is None
    record = card.parse(TODAY)
    assert {k: v for k, v in record.to_json().items() if not k.startswith("photo")} == {
        k: v for k, v in WORKED_RECORD.items() if not k.startswith("photo")
    }
    assert record.photo_kind == "jpeg"


# --------------------------------------------------------------------------------------
# Each reason at its check
# --------------------------------------------------------------------------------------


def test_valid_base_card() -> None:
    assert parse().to_json() == WORKED_RECORD


@pytest.mark.parametrize("length", [0, 1, 200, 254, 255])
def test_data_truncated_ef0101(length: int) -> None:
    assert refuse_bytes(WORKED_EXAMPLE[:length]).reason == "data_truncated"


@pytest.mark.parametrize("length", [0, 1, 68, 69])
def test_data_truncated_ef0103(length: int) -> None:
    assert refuse_bytes(WORKED_EXAMPLE, None, (b"\x20\x00" * 35)[:length]).reason == "data_truncated"


def test_longer_files_use_only_their_profile_size() -> None:
    # A reader never reads past 256 / 70 bytes; extra bytes handed in are not looked at.
    record = parse_identity(
        WORKED_EXAMPLE + b"\x00\xd8" * 10, None, testcard.encode_ef0103("追加") + b"\x00\x00", TODAY
    )
    assert record.to_json()["name"] == "林海"
    assert record.appended_address == "追加"


@pytest.mark.parametrize(
    "unit", [0x0000, 0x0009, 0x001F, 0x007F, 0x0085, 0x009F, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xFFFE, 0xFFFF]
)
@pytest.mark.parametrize("offset", [0, 28, 30, 32, 36, 52, 120, 122, 156, 158, 188, 204, 218])
def test_bad_encoding_in_every_field(unit: int, offset: int) -> None:
    assert refuse_bytes(patched(WORKED_EXAMPLE, offset, u16(unit))).reason == "bad_encoding"


@pytest.mark.parametrize("unit", [0x0000, 0x001F, 0x0080, 0xD800, 0xDFFF, 0xFFFE, 0xFFFF])
def test_bad_encoding_in_ef0103(unit: int) -> None:
    ef0103 = patched(testcard.encode_ef0103("海南省海口市"), 40, u16(unit))
    assert refuse_bytes(WORKED_EXAMPLE, None, ef0103).reason == "bad_encoding"


@pytest.mark.parametrize("unit", [0x0020, 0x00A0, 0x00B7, 0x3000, 0xD7FF, 0xE000, 0xF8FF, 0xFFFD])
def test_boundary_code_units_are_allowed(unit: int) -> None:
    address = "海南省海口市美兰区和平大道56号"  # 16 characters; put the unit in the 17th
    record = parse_identity(patched(WORKED_EXAMPLE, 52 + 2 * len(address), u16(unit)), None, None, TODAY)
    assert record.address == (address + chr(unit)).rstrip(" ")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"address": ""}, "address"),
        ({"issuing_authority": " " * 15}, "issuing_authority"),
        ({"sex": "3"}, "sex"),
        ({"sex": "A"}, "sex"),
        ({"sex": " "}, "sex"),
        ({"sex": "１"}, "sex"),  # fullwidth digit
        ({"birth_date": "18991231"}, "birth_date"),
        ({"birth_date": "19870631"}, "birth_date"),
        ({"birth_date": "1987061"}, "birth_date"),  # short -> space padded
        ({"birth_date": "１９８７０６１２"}, "birth_date"),
        ({"birth_date": "19870612", "id_number": "46010819870612031"}, "id_number"),
        ({"id_number": "46010819870612031x"}, "id_number"),
        ({"id_number": "X60108198706120310"}, "id_number"),
        ({"id_number": "٤60108198706120310"}, "id_number"),  # Arabic-Indic digit
        ({"valid_from": "20201316"}, "valid_from"),
        ({"valid_from": "00000101"}, "valid_from"),
        ({"valid_from": "长期"}, "valid_from"),
        ({"valid_until": "20200716"}, "valid_until"),  # equal to valid from
        ({"valid_until": "20200715"}, "valid_until"),  # before valid from
        ({"valid_until": "20400231"}, "valid_until"),
        ({"valid_until": "长期长期"}, "valid_until"),
        ({"valid_until": "期长"}, "valid_until"),
        ({"valid_until": ""}, "valid_until"),
    ],
)
def test_invalid_field(changes: dict[str, str], field: str) -> None:
    error = refusal(**changes)
    assert (error.reason, error.field) == ("invalid_field", field)


def test_long_term_with_other_padding_is_invalid() -> None:
    data = patched(WORKED_EXAMPLE, 204, "长期".encode("utf-16-le") + u16(*[0x3000] * 6))
    error = refuse_bytes(data)
    assert (error.reason, error.field) == ("invalid_field", "valid_until")


def test_birth_date_in_the_future_is_invalid() -> None:
    tomorrow = "20261201"
    error = refusal(birth_date=tomorrow, id_number=make_id(tomorrow))
    assert (error.reason, error.field) == ("invalid_field", "birth_date")


def test_birth_date_today_and_1900_are_valid() -> None:
    today = "20261130"
    assert parse(birth_date=today, id_number=make_id(today), valid_from=today).birth_date == "2026-11-30"
    assert parse(birth_date="19000101", id_number=make_id("19000101")).birth_date == "1900-01-01"


@pytest.mark.parametrize("birth", ["18990101", "18991231"])
def test_birth_date_1899_is_invalid(birth: str) -> None:
    error = refusal(birth_date=birth, id_number=make_id(birth))
    assert (error.reason, error.field) == ("invalid_field", "birth_date")


def test_invalid_field_order_within_the_step() -> None:
    # §8 step 3 lists name, address, issuing authority, sex, birth date, ID number,
    # valid from, valid until; the first one that fails is named.
    bad = {
        "name": "",
        "address": "",
        "issuing_authority": "",
        "sex": "5",
        "birth_date": "19870632",
        "id_number": "4601081987061203",
        "valid_from": "2020",
        "valid_until": "2040",
    }
    order = list(bad)
    for start in range(len(order)):
        changes = {key: bad[key] for key in order[start:]}
        assert refusal(**changes).field == order[start]


@pytest.mark.parametrize("code", ["00", "57", "60", "96", "99", "1", "0a", "１", "  "])
def test_bad_ethnicity(code: str) -> None:
    assert refusal(ethnicity=code).reason == "bad_ethnicity"


@pytest.mark.parametrize("code", sorted(ETHNICITY_NAMES))
def test_every_ethnicity_code_is_valid(code: str) -> None:
    record = parse(ethnicity=code)
    assert (record.ethnicity, record.ethnicity_name) == (code, ETHNICITY_NAMES[code])


def test_ethnicity_table_has_58_codes() -> None:
    assert len(ETHNICITY_NAMES) == 58
    assert ETHNICITY_NAMES["19"] == "黎族" and ETHNICITY_NAMES["98"] == "外国血统中国籍人士"


@pytest.mark.parametrize(
    "region", ["000000", "100000", "160000", "710000", "810000", "820000", "830000", "990000"]
)
def test_bad_region_code(region: str) -> None:
    assert refusal(id_number=make_id(region=region)).reason == "bad_region_code"


@pytest.mark.parametrize("region", ["110101", "460108", "469999", "460000", "650000", "469001"])
def test_region_positions_3_to_6_are_not_checked(region: str) -> None:
    assert parse(id_number=make_id(region=region)).id_number[:6] == region


@pytest.mark.parametrize("wrong", ["1", "2", "9", "X"])
def test_bad_check_digit(wrong: str) -> None:
    assert refusal(id_number="46010819870612031" + wrong).reason == "bad_check_digit"


def test_birth_date_mismatch() -> None:
    assert refusal(birth_date="19870613").reason == "birth_date_mismatch"


@pytest.mark.parametrize(
    ("sex", "seq"), [("2", "031"), ("1", "032"), ("0", "031"), ("9", "031"), ("0", "032"), ("9", "030")]
)
def test_sex_mismatch(sex: str, seq: str) -> None:
    assert refusal(sex=sex, id_number=make_id(seq=seq)).reason == "sex_mismatch"


def test_female_even_sequence_is_valid() -> None:
    record = parse(sex="2", id_number=make_id(seq="022"))
    assert (record.sex, record.sex_name) == ("2", "女")


def test_not_yet_valid() -> None:
    assert refusal(valid_from="20261201", valid_until="20461201").reason == "not_yet_valid"
    assert refusal(valid_from="20990101", valid_until="长期").reason == "not_yet_valid"


def test_valid_from_today_is_valid() -> None:
    assert parse(valid_from="20261130", valid_until="20461130").valid_from == "2026-11-30"


def test_expired() -> None:
    assert refusal(valid_from="20061129", valid_until="20261129").reason == "expired"


def test_valid_until_today_is_valid() -> None:
    assert parse(valid_from="20061130", valid_until="20261130").valid_until == "2026-11-30"


def test_long_term_never_expires() -> None:
    record = parse(valid_until="长期", today=datetime.date(9999, 12, 31))
    assert record.valid_until == "长期"
    assert record.to_json()["valid_until"] == "长期"


def test_today_may_be_a_datetime() -> None:
    now = datetime.datetime(2026, 11, 30, 23, 59, tzinfo=idcard.SHANGHAI)
    assert parse(today=now, valid_from="20061130", valid_until="20261130").name == "林海"


def test_shanghai_today() -> None:
    utc = datetime.UTC
    assert idcard.shanghai_today(datetime.datetime(2026, 11, 30, 16, 0, tzinfo=utc)) == datetime.date(
        2026, 12, 1
    )
    assert idcard.shanghai_today(datetime.datetime(2026, 11, 30, 15, 59, tzinfo=utc)) == datetime.date(
        2026, 11, 30
    )
    assert isinstance(idcard.shanghai_today(), datetime.date)


# --------------------------------------------------------------------------------------
# Order of the checks (§8): a card failing several checks reports the earliest
# --------------------------------------------------------------------------------------

ORDERED_CHECKS = (
    "data_truncated",
    "bad_encoding",
    "invalid_field",
    "bad_ethnicity",
    "bad_region_code",
    "bad_check_digit",
    "birth_date_mismatch",
    "sex_mismatch",
    "not_yet_valid",
    "expired",
)


def build_failing_card(failures: set[str] | frozenset[str]) -> tuple[bytes, bytes | None]:
    """A card that fails exactly the given checks (each mutation leaves the others intact)."""
    region = "810108" if "bad_region_code" in failures else "460108"
    first17 = region + "19870612" + "031"
    check = check_character(first17)
    if "bad_check_digit" in failures:
        check = "2" if check != "2" else "3"
    card = fields(id_number=first17 + check)
    if "invalid_field" in failures:
        card["address"] = ""
    if "bad_ethnicity" in failures:
        card["ethnicity"] = "60"
    if "birth_date_mismatch" in failures:
        card["birth_date"] = "19870613"
    if "sex_mismatch" in failures:
        card["sex"] = "2"
    if "not_yet_valid" in failures:
        card["valid_from"], card["valid_until"] = "20261201", "20461201"
    if "expired" in failures:
        card["valid_from"], card["valid_until"] = "20061129", "20261129"
    data = encode_ef0101(card)
    if "bad_encoding" in failures:
        data = patched(data, 26, u16(0x0001))  # in the name's padding
    if "data_truncated" in failures:
        data = data[:255]
    return data, None


def test_each_failure_alone_is_reported() -> None:
    for reason in ORDERED_CHECKS:
        ef0101, ef0103 = build_failing_card({reason})
        error = refuse_bytes(ef0101, None, ef0103)
        assert error.reason == reason


PAIRS = [pair for pair in itertools.combinations(ORDERED_CHECKS, 2) if pair != ("not_yet_valid", "expired")]


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_check_order_pairs(first: str, second: str) -> None:
    ef0101, ef0103 = build_failing_card({first, second})
    assert refuse_bytes(ef0101, None, ef0103).reason == first


def test_check_order_all_failures() -> None:
    ef0101, _ = build_failing_card(set(ORDERED_CHECKS) - {"not_yet_valid"})
    assert refuse_bytes(ef0101).reason == "data_truncated"


def test_short_ef0103_before_bad_encoding_in_ef0101() -> None:
    bad = patched(WORKED_EXAMPLE, 0, u16(0xD800))
    assert refuse_bytes(bad, None, b"\x20\x00" * 10).reason == "data_truncated"


def test_bad_ef0103_encoding_before_invalid_field() -> None:
    ef0101 = encode_ef0101(fields(name=""))
    assert refuse_bytes(ef0101, None, u16(0) * 35).reason == "bad_encoding"


def test_order_matches_reason_table() -> None:
    assert idcard.REASONS[5:] == ORDERED_CHECKS


# --------------------------------------------------------------------------------------
# Edge cases (§6, §9.3)
# --------------------------------------------------------------------------------------


def test_x_check_character() -> None:
    record = parse(birth_date="19950620", id_number="46010519950620139X")
    assert record.id_number == "46010519950620139X"
    assert record.masked_id() == "460105********139X"


def test_minority_name_keeps_middle_dot() -> None:
    assert parse(name="买买提·艾力").name == "买买提·艾力"


def test_fifteen_character_name_is_returned_as_stored() -> None:
    long_name = "阿卜杜热依木·买买提明·艾合买提江"  # 17 characters
    assert len(long_name) == 17
    record = parse(name=long_name)
    assert record.name == long_name[:15]
    assert record.name_maybe_truncated
    assert not parse(name=long_name[:14]).name_maybe_truncated
    assert not parse().name_maybe_truncated


def test_leading_spaces_and_ideographic_spaces_are_kept() -> None:
    assert parse(name=" 林海").name == " 林海"
    assert parse(name="\u3000林海\u3000").name == "\u3000林海\u3000"
    assert parse(address="  海口市 ").address == "  海口市"
    assert parse(name="\u3000").name == "\u3000"


def test_private_use_characters_pass_through() -> None:
    assert parse(name="林\ue000海\uf8ff").name == "林\ue000海\uf8ff"


def test_non_bmp_character_is_bad_encoding() -> None:
    # The encoder stores it as a surrogate pair; UCS-2 has no surrogates.
    assert refusal(name="林𠀀").reason == "bad_encoding"


def test_reserved_bytes_are_ignored() -> None:
    for garbage in (b"\x00" * 36, u16(0xD800) * 18, u16(0xFFFF) * 18, bytes(range(36)), b"\xff" * 36):
        record = parse_identity(WORKED_EXAMPLE[:220] + garbage, None, None, TODAY)
        assert record.to_json() == WORKED_RECORD


def test_reserved_text_from_json_is_ignored() -> None:
    assert parse(reserved="anything at all, even too long for 18").to_json() == WORKED_RECORD


@pytest.mark.parametrize(
    ("birth", "ok"),
    [("20000229", True), ("19960229", True), ("19000229", False), ("20230229", False), ("20000230", False)],
)
def test_february_29_birth_date(birth: str, ok: bool) -> None:
    changes = {"birth_date": birth, "id_number": make_id(birth)}
    if ok:
        assert parse(**changes).birth_date == f"{birth[:4]}-02-29"
    else:
        error = refusal(**changes)
        assert (error.reason, error.field) == ("invalid_field", "birth_date")


def test_february_29_validity_dates() -> None:
    assert parse(valid_from="20240229", valid_until="20440229").valid_until == "2044-02-29"
    assert refusal(valid_from="20250229").field == "valid_from"
    assert refusal(valid_until="20450229").field == "valid_until"
    leap_today = datetime.date(2028, 2, 29)
    assert parse(valid_from="20080229", valid_until="20280229", today=leap_today).valid_until == "2028-02-29"
    assert refusal(valid_from="20080229", valid_until="20280228", today=leap_today).reason == "expired"


def test_photo_kinds() -> None:
    assert parse(photo=None).photo_kind == "none"
    empty = parse(photo=b"")
    assert (empty.photo_kind, empty.photo_sha256, empty.photo) == ("none", None, None)
    jpeg = parse(photo=JPEG)
    assert (jpeg.photo_kind, jpeg.photo_sha256) == ("jpeg", hashlib.sha256(JPEG).hexdigest())
    wlt = parse(photo=WLT)
    assert (wlt.photo_kind, wlt.photo_sha256, wlt.photo) == ("wlt", hashlib.sha256(WLT).hexdigest(), WLT)
    # a "JPEG" that does not decode is still jpeg; one byte FF is not
    assert parse(photo=b"\xff\xd8").photo_kind == "jpeg"
    assert parse(photo=b"\xff").photo_kind == "wlt"


def test_photo_never_causes_refusal() -> None:
    assert parse(photo=b"\x00" * 32768).photo_kind == "wlt"


def test_appended_address() -> None:
    ef0103 = testcard.encode_ef0103("海南省海口市秀英区海秀西路12号2栋")
    assert len(ef0103) == 70
    assert parse(ef0103=ef0103).appended_address == "海南省海口市秀英区海秀西路12号2栋"
    assert parse(ef0103=None).appended_address is None
    assert parse(ef0103=b"\x20\x00" * 35).appended_address is None
    assert parse(ef0103=testcard.encode_ef0103(" 前导空格")).appended_address == " 前导空格"
    assert parse(ef0103=testcard.encode_ef0103("\u3000")).appended_address == "\u3000"


def test_appended_address_short_is_truncated() -> None:
    assert refuse_bytes(WORKED_EXAMPLE, None, b"\x20\x00" * 34).reason == "data_truncated"
    assert refuse_bytes(WORKED_EXAMPLE, None, b"").reason == "data_truncated"


def test_input_may_be_bytearray_or_memoryview() -> None:
    record = parse_identity(bytearray(WORKED_EXAMPLE), memoryview(JPEG), bytearray(b"\x20\x00" * 35), TODAY)
    assert record.to_json()["photo_kind"] == "jpeg"
    assert isinstance(record.photo, bytes)


# --------------------------------------------------------------------------------------
# Record, masking, check character
# --------------------------------------------------------------------------------------


def test_record_json_names_and_serialisation() -> None:
    record = parse(photo=JPEG)
    assert list(record.to_json()) == list(WORKED_RECORD)
    text = json.dumps(record.to_json(), ensure_ascii=False)
    assert "林海" in text and "photo_sha256" in text and "\\u" not in text


def test_record_repr_does_not_leak_personal_data() -> None:
    record = parse(photo=JPEG)
    text = repr(record)
    assert "林海" not in text and "460108198706120310" not in text and "和平" not in text
    assert "460108********0310" in text


def test_record_is_frozen_and_compares_without_photo() -> None:
    a, b = parse(photo=JPEG), parse(photo=JPEG)
    assert a == b and hash(a) == hash(b)
    with pytest.raises(AttributeError):
        a.name = "x"  # type: ignore[misc]


def test_mask_id_number() -> None:
    assert idcard.mask_id_number("46010019900101123X") == "460100********123X"
    assert idcard.mask_id_number("abcdefghijklmnopqr") == "abcdef********opqr"
    assert idcard.mask_id_number("123") == "***"
    assert parse().masked_id() == "460108********0310"


@pytest.mark.parametrize(
    "number",
    [
        "460108198706120310",
        "460106198503121214",
        "460105199002150023",
        "460102199208080041",
        "460106197801012513",
        "460105200103010025",
        "460107196809180038",
        "46010519950620139X",
        "11010519491231002X",
    ],
)
def test_check_character_known_numbers(number: str) -> None:
    assert check_character(number[:17]) == number[17]


@pytest.mark.parametrize(
    "bad", ["", "1234567890123456", "123456789012345678", "1234567890123456X", "１2345678901234567"]
)
def test_check_character_rejects_non_digits(bad: str) -> None:
    with pytest.raises(ValueError):
        check_character(bad)


# --------------------------------------------------------------------------------------
# Refusal object and messages (§9.1)
# --------------------------------------------------------------------------------------


def test_reasons_are_the_15_codes_in_table_order() -> None:
    assert idcard.REASONS == tuple(MESSAGES_ZH)
    assert len(idcard.REASONS) == 15
    assert idcard.REASONS[0] == "no_reader" and idcard.REASONS[-1] == "expired"


@pytest.mark.parametrize("reason", idcard.REASONS)
def test_every_reason_has_messages(reason: str) -> None:
    error = CardRefusal(reason)
    zh, en = error.message("zh"), error.message("en")
    assert zh and en and zh != en
    assert zh == MESSAGES_ZH[reason]
    assert en.isascii()
    assert error.message() == zh


def test_zh_messages_match_spec_examples() -> None:
    assert CardRefusal("expired").message("zh") == "身份证已过有效期，请使用有效证件"
    assert CardRefusal("no_card").message("zh") == "未检测到身份证，请将身份证放在读卡区"
    assert CardRefusal("bad_encoding").message("zh") == "身份证信息无法识别（字符编码错误）"


@pytest.mark.parametrize(
    "field",
    ["name", "sex", "birth_date", "address", "id_number", "issuing_authority", "valid_from", "valid_until"],
)
def test_invalid_field_message_names_the_field(field: str) -> None:
    error = CardRefusal("invalid_field", field)
    assert error.message("zh") == f"身份证信息格式错误：{FIELD_NAMES_ZH[field]}"
    assert error.message("en").isascii()
    other_en = {CardRefusal("invalid_field", f).message("en") for f in FIELD_NAMES_ZH if f != field}
    assert error.message("en") not in other_en


def test_invalid_field_message_examples() -> None:
    assert CardRefusal("invalid_field", "birth_date").message("zh") == "身份证信息格式错误：出生日期"
    assert "date of birth" in CardRefusal("invalid_field", "birth_date").message("en")
    assert CardRefusal("invalid_field", "name").message("en-GB").endswith(": name.")


def test_refusal_basics() -> None:
    error = CardRefusal("invalid_field", "sex")
    assert str(error) == "invalid_field (sex)"
    assert str(CardRefusal("expired")) == "expired"
    assert isinstance(error, Exception)
    assert error == CardRefusal("invalid_field", "sex") and hash(error) == hash(
        CardRefusal("invalid_field", "sex")
    )
    assert pickle.loads(pickle.dumps(error)) == error
    with pytest.raises(AttributeError):
        error.reason = "expired"  # type: ignore[misc]
    with pytest.raises(ValueError):
        CardRefusal("no_such_reason")


def test_refusal_survives_exception_machinery() -> None:
    @contextlib.contextmanager
    def context():
        yield

    with pytest.raises(CardRefusal) as info:
        with context():
            raise CardRefusal("expired")
    info.value.add_note("a note")
    assert info.value.__notes__ == ["a note"]
    try:
        raise CardRefusal("card_error") from OSError("x")
    except CardRefusal as error:
        assert isinstance(error.__cause__, OSError)


# --------------------------------------------------------------------------------------
# Encoder and test-card JSON (§11)
# --------------------------------------------------------------------------------------


def test_encode_ef0101_layout() -> None:
    data = encode_ef0101({"name": "AB"})
    assert len(data) == 256
    assert data[:4] == "AB".encode("utf-16-le")
    assert data[4:] == b"\x20\x00" * 126
    assert encode_ef0101({}) == b"\x20\x00" * 128


def test_encode_cuts_values_to_width() -> None:
    data = encode_ef0101(fields(name="一二三四五六七八九十甲乙丙丁戊己庚"))
    assert data[:30].decode("utf-16-le") == "一二三四五六七八九十甲乙丙丁戊"
    assert data[30:32] == b"1\x00"


def test_encode_long_term() -> None:
    data = encode_ef0101(fields(valid_until="长期"))
    assert data[204:220].decode("utf-16-le") == "长期      "


def test_encode_rejects_unknown_fields_and_non_strings() -> None:
    with pytest.raises(testcard.CardFileError):
        encode_ef0101({"birthdate": "19870612"})
    with pytest.raises(testcard.CardFileError):
        encode_ef0101({"sex": 1})  # type: ignore[dict-item]


def card_dict(**changes) -> dict:
    card = {"ef0101": dict(BASE_FIELDS), "photo": {"kind": "none"}, "ef0103": None}
    card.update(changes)
    return card


def test_load_dict_wrapped_and_unwrapped() -> None:
    plain = load_test_card(card_dict())
    wrapped = load_test_card({"card": card_dict(), "expect": "anything", "other": 1})
    assert plain == wrapped
    assert plain.ef0101 == WORKED_EXAMPLE and plain.ef0102 is None and plain.ef0103 is None
    assert plain.files() == {0x0101: WORKED_EXAMPLE}


def test_load_photo_base64_and_files() -> None:
    card = load_test_card(
        card_dict(photo={"kind": "wlt", "data_base64": base64.b64encode(WLT).decode()}, ef0103="追加住址")
    )
    assert card.ef0102 == WLT
    assert card.ef0103 == testcard.encode_ef0103("追加住址") and len(card.ef0103) == 70
    assert card.files() == {0x0101: WORKED_EXAMPLE, 0x0102: WLT, 0x0103: card.ef0103}
    record = card.parse(TODAY)
    assert (record.photo_kind, record.appended_address) == ("wlt", "追加住址")


def test_load_photo_relative_to_base_dir(tmp_path: pathlib.Path) -> None:
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "x.jpg").write_bytes(JPEG)
    description = card_dict(photo={"kind": "jpeg", "file": "p/x.jpg"})
    assert load_test_card(description, base_dir=tmp_path).ef0102 == JPEG
    (tmp_path / "card.json").write_text(json.dumps({"card": description}), encoding="utf-8")
    assert load_test_card(tmp_path / "card.json").ef0102 == JPEG
    assert load_test_card(str(tmp_path / "card.json")).ef0102 == JPEG


def test_load_patches_then_length() -> None:
    card = load_test_card(
        card_dict(
            ef0101_patches=[{"offset": 0, "hex": "00 D8"}, {"offset": 254, "hex": "FFFF"}], ef0101_length=255
        )
    )
    assert card.ef0101 == b"\x00\xd8" + WORKED_EXAMPLE[2:254] + b"\xff"
    assert refuse_bytes(card.ef0101).reason == "data_truncated"
    assert refuse_bytes(
        load_test_card(card_dict(ef0101_patches=[{"offset": 0, "hex": "00D8"}])).ef0101
    ).reason == ("bad_encoding")


@pytest.mark.parametrize(
    "description",
    [
        {"card": {"photo": None}},
        card_dict(ef0101={"name": "x", "nme": "y"}),
        card_dict(photo={"kind": "png", "data_base64": ""}),
        card_dict(photo={"kind": "jpeg"}),
        card_dict(photo={"kind": "jpeg", "file": "a.jpg", "data_base64": "AA=="}),
        card_dict(photo={"kind": "jpeg", "data_base64": "not base64!"}),
        card_dict(photo={"kind": "jpeg", "data_base64": base64.b64encode(WLT).decode()}),
        card_dict(photo={"kind": "wlt", "data_base64": base64.b64encode(JPEG).decode()}),
        card_dict(photo="photos/x.jpg"),
        card_dict(ef0103=12),
        card_dict(ef0101_length=257),
        card_dict(ef0101_length=-1),
        card_dict(ef0101_length="200"),
        card_dict(ef0101_patches=[{"offset": 255, "hex": "0000"}]),
        card_dict(ef0101_patches=[{"offset": -1, "hex": "00"}]),
        card_dict(ef0101_patches=[{"offset": 0, "hex": "zz"}]),
        card_dict(ef0101_patches={"offset": 0, "hex": "00"}),
    ],
)
def test_load_rejects_malformed_descriptions(description) -> None:
    with pytest.raises(testcard.CardFileError):
        load_test_card(description)


def test_load_rejects_bad_json(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "bad.json"
    for text in ("{not json", "[]", '"card"'):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(testcard.CardFileError):
            load_test_card(path)


def test_test_card_repr_shows_sizes_only() -> None:
    assert repr(load_test_card(card_dict())) == "TestCard(ef0101=256 bytes, ef0102=absent, ef0103=absent)"


# --------------------------------------------------------------------------------------
# The test cards in assets/cards
# --------------------------------------------------------------------------------------

ALL_CARD_FILES = sorted(CARDS.rglob("*.json"))
VALID_CARD_FILES = [path for path in ALL_CARD_FILES if "expect" not in json.loads(path.read_text("utf-8"))]
INVALID_CARD_FILES = [path for path in ALL_CARD_FILES if path not in VALID_CARD_FILES]


def test_card_files_exist() -> None:
    names = {path.stem for path in VALID_CARD_FILES}
    assert {"linhai", "zhangwei", "wangfang", "chenjing", "liqiang", "ayiguli", "fumingde"} <= names
    expected = {json.loads(path.read_text("utf-8"))["expect"] for path in INVALID_CARD_FILES}
    assert expected == set(ORDERED_CHECKS)
    assert all(path.parent.name == "invalid" for path in INVALID_CARD_FILES)


@pytest.mark.parametrize("path", VALID_CARD_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("today", [TODAY, datetime.date(2028, 11, 30)], ids=str)
def test_valid_card_files_parse(path: pathlib.Path, today: datetime.date) -> None:
    card = load_test_card(path)
    record = card.parse(today)
    description = json.loads(path.read_text("utf-8"))
    stored = description["ef0101"]
    assert record.name == stored["name"][:15]
    assert record.id_number == stored["id_number"]
    assert record.photo_kind == description["photo"]["kind"]
    assert len(card.ef0101) == 256


@pytest.mark.parametrize("path", INVALID_CARD_FILES, ids=lambda p: p.stem)
def test_invalid_card_files_are_refused_with_their_reason(path: pathlib.Path) -> None:
    expect = json.loads(path.read_text("utf-8"))["expect"]
    card = load_test_card(path)
    with pytest.raises(CardRefusal) as info:
        card.parse(TODAY)
    assert info.value.reason == expect
    assert info.value.reason in idcard.REASONS


def test_specific_card_files() -> None:
    today = TODAY
    zhangwei = load_test_card(CARDS / "zhangwei.json").parse(today)
    assert zhangwei.to_json() | {"photo_sha256": None} == {
        "name": "张伟",
        "sex": "1",
        "sex_name": "男",
        "ethnicity": "01",
        "ethnicity_name": "汉族",
        "birth_date": "1985-03-12",
        "address": "海南省海口市龙华区滨海大道105号",
        "id_number": "460106198503121214",
        "issuing_authority": "海口市公安局龙华分局",
        "valid_from": "2021-04-15",
        "valid_until": "2041-04-15",
        "appended_address": None,
        "photo_kind": "jpeg",
        "photo_sha256": None,
    }
    chenjing = load_test_card(CARDS / "chenjing.json")
    assert chenjing.ef0102 is not None and len(chenjing.ef0102) == 1024
    assert chenjing.parse(today).photo_kind == "wlt"
    liqiang = load_test_card(CARDS / "liqiang.json")
    assert liqiang.ef0102 is None and 0x0102 not in liqiang.files()
    record = liqiang.parse(today)
    assert (record.photo_kind, record.valid_until) == ("none", "长期")
    ayiguli = load_test_card(CARDS / "ayiguli.json").parse(today)
    assert ayiguli.name == "阿依古丽·买买提" and ayiguli.ethnicity_name == "维吾尔族"
    assert ayiguli.appended_address == "海南省海口市秀英区海秀西路12号2栋"
    fumingde = load_test_card(CARDS / "fumingde.json").parse(today)
    assert (fumingde.ethnicity_name, fumingde.valid_until) == ("黎族", "长期")
    wangfang = load_test_card(CARDS / "wangfang.json").parse(today)
    assert (wangfang.sex_name, wangfang.valid_until) == ("女", "2035-03-01")
    edge = load_test_card(CARDS / "aburehim.json").parse(today)
    assert len(edge.name) == 15 and edge.name_maybe_truncated and "·" in edge.name
    assert edge.id_number.endswith("X")


def test_card_photos_are_small_jpegs() -> None:
    from PIL import Image  # Pillow is a project dependency; only this test needs it

    photos = sorted((CARDS / "photos").glob("*.jpg"))
    assert photos
    for path in photos:
        data = path.read_bytes()
        assert data.startswith(b"\xff\xd8") and 2_000 < len(data) < 9_000
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    wlt = (CARDS / "photos" / "chenjing.wlt").read_bytes()
    assert len(wlt) == 1024 and not wlt.startswith(b"\xff\xd8")


def test_load_errors_name_the_card_file_and_the_photo(tmp_path: pathlib.Path) -> None:
    """Every problem of a card file is a CardFileError whose message names the file."""
    (tmp_path / "dir").mkdir()
    cases = {
        "absent.json": (None, "card file {card} not found"),
        "dir": (None, "card file {card} is a directory"),
        "latin1.json": (b"{\"ef0101\": {\"name\": \"\xe9\"}}", "card file {card} is not UTF-8 text"),
        "bad.json": (b"{not json", "card file {card} is not valid JSON"),
        "array.json": (b"[]", "card file {card}: a test card must be a JSON object, got an array"),
        "field.json": (json.dumps(card_dict(ef0101={"sex": 1})).encode(), "card file {card}: EF 0101 field 'sex' must be a string"),
        "photo.json": (json.dumps(card_dict(photo={"kind": "jpeg", "file": "p.jpg"})).encode(),
                       "card file {card}: photo file {tmp}/p.jpg not found"),
        "photo-dir.json": (json.dumps(card_dict(photo={"kind": "jpeg", "file": "dir"})).encode(),
                           "card file {card}: photo file {tmp}/dir is a directory"),
    }
    for name, (content, message) in cases.items():
        card = tmp_path / name
        if content is not None:
            card.write_bytes(content)
        with pytest.raises(testcard.CardFileError) as info:
            load_test_card(card)
        assert str(info.value).startswith(message.format(card=card, tmp=tmp_path)), str(info.value)
