"""Renderers: the plain-text preview, ESC/POS bytes (GB18030 Chinese mode), and the decoder."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from escpos.printer import Dummy

from kiosk.domain.receipt import Block, Receipt, SubmissionInfo, build_submission_receipt
from kiosk.receipts.decode import decode_code128, decode_escpos
from kiosk.receipts.escpos_render import render_escpos
from kiosk.receipts.text import (
    barcode_fits,
    code128_encode,
    layout,
    printable,
    render_text,
    text_width,
    wrap,
)

TZ = dt.timezone(dt.timedelta(hours=8))
FULL_NAME = "阿依古丽·买买提"
FULL_ID = "46010019900101123X"
PHONE = "13812345678"


def make_info(**changes: object) -> SubmissionInfo:
    info = SubmissionInfo(
        service="renewal",
        application_id="JZ-20250611-000123",
        client_reference="K0007-20250611-0042",
        applicant_name="张伟",
        id_number=FULL_ID,
        submitted_at=dt.datetime(2025, 6, 11, 10, 15, 20, tzinfo=TZ),
        expected_decision_by=dt.datetime(2025, 6, 18, 18, 0, tzinfo=TZ),
        kiosk_id="HK-KIOSK-0007",
        kiosk_location="海口市政务服务中心一楼大厅",
    )
    return dataclasses.replace(info, **changes)  # type: ignore[arg-type]


QUEUED = {"application_id": None, "expected_decision_by": None}

GOLDEN_ZH = """\
    **海口市公安局**
  **居住证自助服务**
            申请回执
--------------------------------
          续签（签注）
           申请已提交
            申请编号
       **JZ-20250611-000123**
--------------------------------
姓名：张*
身份证号：460100********123X
提交时间：2025-06-11 10:15
自助机：HK-KIOSK-0007
地点：海口市政务服务中心一楼大厅
回执编号：K0007-20250611-0042
--------------------------------
接下来
1. 由民警审核您的申请。
2. 预计2025-06-18前出审核结果。
3. 审核结果将以短信通知，也可在
任一自助机“我的事务”中查看。
4. 制证完成后，请在“我的事务”
中选择窗口领证或邮寄领证。
5. 依法自受理之日起15日内发放居
住证。
--------------------------------
  [QR HKRP:JZ-20250611-000123]

  [BARCODE JZ-20250611-000123]
        请妥善保管本回执
[CUT]
"""

GOLDEN_EN = """\
    **海口市公安局**
 Haikou Public Security Bureau
  **居住证自助服务**
 Residence Permit Self-Service
            申请回执
      Application receipt
--------------------------------
          续签（签注）
  Renewal (annual endorsement)
           申请已提交
     Application submitted
            申请编号
       Application number
       **JZ-20250611-000123**
--------------------------------
姓名 Name：张*
身份证号 ID number：
  460100********123X
提交时间 Submitted：
  2025-06-11 10:15
自助机 Kiosk：HK-KIOSK-0007
地点 Place：
  海口市政务服务中心一楼大厅
回执编号 Reference：
  K0007-20250611-0042
--------------------------------
接下来
What happens next
1. 由民警审核您的申请。
1. A police officer reviews your
application.
2. 预计2025-06-18前出审核结果。
2. Expected decision by
2025-06-18.
3. 审核结果将以短信通知，也可在
任一自助机“我的事务”中查看。
3. You will get the result by
SMS. You can also see it at any
kiosk under "My applications"
(我的事务).
4. 制证完成后，请在“我的事务”
中选择窗口领证或邮寄领证。
4. When the card is ready,
choose window pickup or mail
delivery under "My
applications".
5. 依法自受理之日起15日内发放居
住证。
5. By law, the permit is issued
within 15 days of acceptance.
--------------------------------
  [QR HKRP:JZ-20250611-000123]

  [BARCODE JZ-20250611-000123]
        请妥善保管本回执
   Please keep this receipt.
[CUT]
"""

GOLDEN_ZH_QUEUED = """\
    **海口市公安局**
  **居住证自助服务**
            申请回执
--------------------------------
          续签（签注）
     申请已保存，将自动提交
            回执编号
      **K0007-20250611-0042**
--------------------------------
姓名：张*
身份证号：460100********123X
提交时间：2025-06-11 10:15
自助机：HK-KIOSK-0007
地点：海口市政务服务中心一楼大厅
--------------------------------
接下来
1. 网络恢复后，本机将自动提交您
的申请，无需再次办理。查询时请出
示回执编号。
2. 由民警审核您的申请。
3. 审核结果将以短信通知，也可在
任一自助机“我的事务”中查看。
4. 制证完成后，请在“我的事务”
中选择窗口领证或邮寄领证。
5. 依法自受理之日起15日内发放居
住证。
--------------------------------
 [QR HKRP:K0007-20250611-0042]

        请妥善保管本回执
[CUT]
"""

GOLDEN_EN_QUEUED = """\
    **海口市公安局**
 Haikou Public Security Bureau
  **居住证自助服务**
 Residence Permit Self-Service
            申请回执
      Application receipt
--------------------------------
          续签（签注）
  Renewal (annual endorsement)
     申请已保存，将自动提交
  Saved, sending automatically
            回执编号
        Reference number
      **K0007-20250611-0042**
--------------------------------
姓名 Name：张*
身份证号 ID number：
  460100********123X
提交时间 Submitted：
  2025-06-11 10:15
自助机 Kiosk：HK-KIOSK-0007
地点 Place：
  海口市政务服务中心一楼大厅
--------------------------------
接下来
What happens next
1. 网络恢复后，本机将自动提交您
的申请，无需再次办理。查询时请出
示回执编号。
1. The kiosk will send your
application automatically when
the network is back. You do not
need to apply again. Quote the
reference number when you ask
about it.
2. 由民警审核您的申请。
2. A police officer reviews your
application.
3. 审核结果将以短信通知，也可在
任一自助机“我的事务”中查看。
3. You will get the result by
SMS. You can also see it at any
kiosk under "My applications"
(我的事务).
4. 制证完成后，请在“我的事务”
中选择窗口领证或邮寄领证。
4. When the card is ready,
choose window pickup or mail
delivery under "My
applications".
5. 依法自受理之日起15日内发放居
住证。
5. By law, the permit is issued
within 15 days of acceptance.
--------------------------------
 [QR HKRP:K0007-20250611-0042]

        请妥善保管本回执
   Please keep this receipt.
[CUT]
"""


@pytest.mark.parametrize(
    ("lang", "changes", "golden"),
    [
        ("zh", {}, GOLDEN_ZH),
        ("en", {}, GOLDEN_EN),
        ("zh", QUEUED, GOLDEN_ZH_QUEUED),
        ("en", QUEUED, GOLDEN_EN_QUEUED),
    ],
    ids=["zh", "en", "zh-queued", "en-queued"],
)
def test_golden_renewal_receipt(lang: str, changes: dict[str, object], golden: str) -> None:
    receipt = build_submission_receipt(make_info(**changes), lang, "job-1")
    assert render_text(receipt) == golden
    assert decode_escpos(render_escpos(receipt)) == golden


def test_late_endorsement_lines() -> None:
    r = build_submission_receipt(make_info(late_endorsement=True), "en", "job-1")
    decoded = decode_escpos(render_escpos(r))
    assert (
        "重要提示\n"
        "Important\n"
        "您的居住证逾期未签注，使用功能已\n"
        "中止。本次补办签注后功能恢复，但\n"
        "您在本市的居住年限自补办签注之日\n"
        "起重新连续计算。\n"
        "Your permit was not endorsed in\n"
    ) in decoded


def test_reissue_receipt() -> None:
    r = build_submission_receipt(make_info(service="reissue_lost", applicant_name=FULL_NAME), "zh", "job-1")
    lines = decode_escpos(render_escpos(r, 48), 48).splitlines()
    assert "                    丢失补领" in lines
    assert "姓名：阿*******" in lines
    assert "6. 领取新证时请交回损坏的居住证。" not in lines
    r = build_submission_receipt(make_info(service="reissue_damaged"), "zh", "job-1")
    lines = decode_escpos(render_escpos(r, 48), 48).splitlines()
    assert "                    损坏换领" in lines
    assert "6. 领取新证时请交回损坏的居住证。" in lines


def all_receipts() -> list[Receipt]:
    out = []
    for service in ("renewal", "info_change", "reissue_lost", "reissue_damaged"):
        for changes in ({}, QUEUED, {"late_endorsement": True, "applicant_name": FULL_NAME}):
            for lang in ("zh", "en"):
                out.append(build_submission_receipt(make_info(service=service, **changes), lang, "j"))
    return out


ALL = all_receipts()


@pytest.mark.parametrize("width", [32, 48])
def test_decode_of_render_is_the_text_rendering(width: int) -> None:
    for receipt in ALL:
        text = render_text(receipt, width)
        assert decode_escpos(render_escpos(receipt, width), width) == text
        for line in text.splitlines():
            printed = line.replace("**", "")
            assert text_width(printed) <= width or line.startswith(("[", " ["))


@pytest.mark.parametrize("width", [32, 48])
def test_no_personal_data_in_any_rendering(width: int) -> None:
    for receipt in ALL:
        text = render_text(receipt, width)
        data = render_escpos(receipt, width)
        for secret in (FULL_ID, FULL_NAME, "依古丽", PHONE):
            assert secret not in text
            assert secret.encode("gb18030") not in data and secret.encode() not in data
        assert "460100********123X" in text
        assert ("张*\n" in text) or ("阿*******\n" in text)
        payload = [line for line in text.splitlines() if "[QR " in line][0].strip()
        assert payload in ("[QR HKRP:JZ-20250611-000123]", "[QR HKRP:K0007-20250611-0042]")


def test_escpos_bytes_use_chinese_mode_and_gb18030() -> None:
    data = render_escpos(build_submission_receipt(make_info(), "zh", "j"))
    assert data.startswith(b"\x1b@\x1c&")  # ESC @, FS &
    assert "续签（签注）".encode("gb18030") in data
    assert b"?" not in data.replace(b"\x1d(k", b"")  # no '???' substitutes
    assert b"\x1d(k\x04\x001A2\x00" in data  # QR model 2
    assert b"\x1d(k\x1a\x001P0HKRP:JZ-20250611-000123" in data  # QR payload, visible
    assert b"\x1dkI" in data  # GS k 73: CODE128
    assert data.endswith(b"\x1dVB\x00")  # feed and cut
    assert b"\x1d!\x01" in data  # the long number: double height, normal width on 58 mm
    wide = render_escpos(build_submission_receipt(make_info(), "zh", "j"), 48)
    assert b"\x1d!\x11JZ-20250611-000123" in wide  # double width and height on 80 mm


def test_fullwidth_punctuation_and_yuan_survive() -> None:
    r = Receipt(
        "j",
        (
            Block("text", "，：（）"),  # only punctuation: escpos' own text() would print '???'
            Block("kv", "工本费", "¥20"),
            Block("text", "“我的事务”。", align="center"),
            Block("big", "￥20.00", align="center"),
        ),
        "zh",
    )
    for width in (32, 48):
        text = render_text(r, width)
        decoded = decode_escpos(render_escpos(r, width), width)
        assert decoded == text
        assert "?" not in decoded
        assert "，：（）" in decoded and "工本费：￥20" in decoded and "“我的事务”。" in decoded
        assert "**￥20.00**" in decoded


def test_escpos_text_method_would_have_broken_punctuation() -> None:
    """The trap the renderer avoids: python-escpos 3.1's text() turns full-width punctuation into ???."""
    p = Dummy()
    p.text("，：（）\n")
    assert b"?" in p.output


def test_text_rendering_rules() -> None:
    r = Receipt(
        "j",
        (
            Block("title", "标题", align="center"),
            Block("rule"),
            Block("blank"),
            Block("kv", "地点", "海口市美兰区示例路88号2栋1单元502室海口市政务服务中心"),
            Block("qr", value="HKRP:X1", align="left"),
            Block("barcode", value="AB12", align="center"),
            Block("cut"),
        ),
        "zh",
    )
    assert render_text(r, 32) == (
        "            **标题**\n"
        + "-" * 32
        + "\n\n"
        + "地点：\n"
        + "  海口市美兰区示例路88号2栋1单元\n"
        + "  502室海口市政务服务中心\n"
        + "[QR HKRP:X1]\n"
        + "         [BARCODE AB12]\n"
        + "[CUT]\n"
    )


def test_wrap() -> None:
    assert wrap("hello world", 5) == ["hello", "world"]
    assert wrap("中文字符测试", 8) == ["中文字符", "测试"]
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert wrap("一\n\n二", 10) == ["一", "", "二"]
    # no line starts with closing punctuation, none ends with opening punctuation
    assert wrap("一二三，四", 6) == ["一二", "三，四"]
    assert wrap("一二（三四", 6) == ["一二", "（三四"]
    assert wrap('under "My" (我的)', 12) == ['under "My"', "(我的)"]


def test_printable() -> None:
    assert printable("¥5") == "￥5"
    assert printable("a\tb\x07c") == "a bc"
    assert printable("𠈌王") == "□王"  # outside GBK: a Chinese-mode printer cannot print it


def test_code128_encoding_round_trip() -> None:
    for data in ("JZ-20250611-000123", "K0007-20250611-0042", "12345", "1234", "A{B", "X", "99"):
        encoded = code128_encode(data)
        assert encoded is not None
        assert decode_code128(encoded[0].encode()) == data
    assert code128_encode("JZ-20250611-000123") == ("{BJZ-{C\x14\x19\x06\x0b{B-{C\x00\x01\x17", 16)
    assert code128_encode("") is None and code128_encode("张") is None


def test_barcode_left_out_when_too_wide() -> None:
    assert barcode_fits("JZ-20250611-000123", 32)
    assert not barcode_fits("K0007-20250611-0042", 32)
    assert barcode_fits("K0007-20250611-0042", 48)
    r = Receipt("j", (Block("barcode", value="K0007-20250611-0042"),), "zh")
    assert [line.kind for line in layout(r, 32)] == []
    assert "[BARCODE" not in decode_escpos(render_escpos(r, 32))


# --- the decoder on input the renderer does not produce ----------------------------------------


def test_decoder_styles_and_code_pages() -> None:
    data = (
        b"\x1b@"
        b"\x1b!\x30BIG\n"  # ESC ! double width + height
        b"\x1b!\x00\x1ba\x02right\n"  # ESC a 2
        b"\x1ba\x00\x9c5\n"  # CP437 outside Chinese mode: 0x9C is the pound sign
        b"\x1c&\xd6\xd0\x1c.\xd6\n"  # FS & ... FS .
        b"a\tb\r\n"
        b"\x1bd\x02"  # ESC d 2
        b"tail"
    )
    assert decode_escpos(data, 16).splitlines() == [
        "**BIG**",
        "           right",
        "£5",
        "中╓",
        "a       b",
        "",
        "",
        "tail",
    ]


def test_decoder_skips_unknown_and_ignored_commands() -> None:
    data = (
        b"\x10\x04\x01"  # DLE EOT 1: status query
        b"\x1b\x2d\x01under\x1b\x2d\x00line\n"  # ESC - n: underline
        b"\x1bZ"  # unknown ESC: two bytes skipped
        b"\x1d\x28\x4c\x02\x00\x30\x32"  # GS ( L: graphics, length-prefixed
        b"\x1dv0\x00\x02\x00\x03\x00" + b"\xff" * 6 + b"ok\n"  # GS v 0: 16 x 3 raster image
        b"\x1dk\x04ABC\x00"  # GS k, function A (CODE39)
        b"\x1dV\x01"  # partial cut
    )
    assert decode_escpos(data).splitlines() == [
        "underline",
        "[IMAGE 16x3]",
        "ok",
        "[BARCODE ABC]",
        "[CUT]",
    ]


def test_decoder_never_raises_on_garbage() -> None:
    import random

    rng = random.Random(1)
    samples = [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))) for _ in range(300)]
    samples += [b"\x1b", b"\x1d", b"\x1d(k", b"\x1dk", b"\x1dv0\x00\xff\xff\xff\xff", b"\x1c&\xd6"]
    for data in samples:
        assert isinstance(decode_escpos(data), str)


def test_decoder_wraps_over_long_lines_like_a_printer() -> None:
    assert decode_escpos(b"x" * 40 + b"\n", 32).splitlines() == ["x" * 32, "x" * 8]
