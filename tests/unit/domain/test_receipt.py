"""The receipt layout model: masking, the submission receipt's content, privacy."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kiosk.domain.receipt import (
    QR_PREFIX,
    SERVICE_NAMES,
    Block,
    Receipt,
    SubmissionInfo,
    build_submission_receipt,
    format_local,
    mask_id_number,
    mask_name,
)

TZ = dt.timezone(dt.timedelta(hours=8))
FULL_NAME = "阿依古丽·买买提"
FULL_ID = "46010019900101123X"


def make_info(**changes: object) -> SubmissionInfo:
    info = SubmissionInfo(
        service="renewal",
        application_id="JZ-20250611-000123",
        client_reference="K0007-20250611-0042",
        applicant_name=FULL_NAME,
        id_number=FULL_ID,
        submitted_at=dt.datetime(2025, 6, 11, 10, 15, 20, tzinfo=TZ),
        expected_decision_by=dt.datetime(2025, 6, 18, 18, 0, tzinfo=TZ),
        kiosk_id="HK-KIOSK-0007",
        kiosk_location="海口市政务服务中心一楼大厅",
    )
    return dataclasses.replace(info, **changes)  # type: ignore[arg-type]


def texts(receipt: Receipt) -> list[str]:
    return [b.text for b in receipt.blocks]


def all_text(receipt: Receipt) -> str:
    return "\n".join(f"{b.text}\t{b.value}" for b in receipt.blocks)


# --- masking ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张伟", "张*"),
        ("欧阳娜娜", "欧***"),
        ("阿依古丽·买买提", "阿*******"),
        (" 张伟 ", "张*"),
        ("王", "*"),
        ("", ""),
        ("John Smith", "J*********"),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_mask_name_never_reveals_the_given_name() -> None:
    masked = mask_name(FULL_NAME)
    assert len(masked) == len(FULL_NAME)
    assert not any(ch in masked for ch in "依古丽·买提")


def test_mask_id_number() -> None:
    assert mask_id_number(FULL_ID) == "460100********123X"


# --- the model --------------------------------------------------------------------------------


def test_block_and_receipt_validate() -> None:
    with pytest.raises(ValueError):
        Block("poster")
    with pytest.raises(ValueError):
        Block("text", "x", align="right")
    with pytest.raises(ValueError):
        Receipt("job", (), "fr")
    with pytest.raises(ValueError):
        Receipt("", (), "zh")


def test_submission_info_repr_hides_personal_data() -> None:
    shown = repr(make_info())
    assert FULL_NAME not in shown and FULL_ID not in shown


def test_format_local_converts_to_shanghai() -> None:
    assert format_local(dt.datetime(2025, 6, 11, 2, 15, tzinfo=dt.UTC)) == "2025-06-11 10:15"
    assert format_local(dt.datetime(2025, 6, 11, 10, 15)) == "2025-06-11 10:15"  # naive = local


# --- the submission receipt -------------------------------------------------------------------


def test_receipt_keeps_job_id_and_language() -> None:
    r = build_submission_receipt(make_info(), "en", "job-42")
    assert (r.job_id, r.lang) == ("job-42", "en")
    assert r.blocks[-1].kind == "cut"


def test_zh_receipt_content() -> None:
    r = build_submission_receipt(make_info(), "zh", "job-1")
    t = texts(r)
    assert t[0] == "海口市公安局" and t[1] == "居住证自助服务"
    assert "续签（签注）" in t
    big = [b for b in r.blocks if b.kind == "big"]
    assert [b.text for b in big] == ["JZ-20250611-000123"]
    kv = {b.text: b.value for b in r.blocks if b.kind == "kv"}
    assert kv == {
        "姓名": "阿*******",
        "身份证号": "460100********123X",
        "提交时间": "2025-06-11 10:15",
        "自助机": "HK-KIOSK-0007",
        "地点": "海口市政务服务中心一楼大厅",
        "回执编号": "K0007-20250611-0042",
    }
    joined = all_text(r)
    for phrase in ("民警审核", "短信", "我的事务", "15日内", "2025-06-18"):
        assert phrase in joined
    assert not any(ch.isascii() and ch.isalpha() for ch in "".join(t[:3]))  # no English on zh


def test_queued_receipt_quotes_the_client_reference() -> None:
    r = build_submission_receipt(make_info(application_id=None, expected_decision_by=None), "en", "j")
    big = [b.text for b in r.blocks if b.kind == "big"]
    assert big == ["K0007-20250611-0042"]
    t = texts(r)
    assert "申请已保存，将自动提交" in t
    assert "Saved, sending automatically" in t
    assert [b.value for b in r.blocks if b.kind == "qr"] == [QR_PREFIX + "K0007-20250611-0042"]
    assert "Expected decision" not in all_text(r)


def test_english_line_follows_each_chinese_line() -> None:
    zh = build_submission_receipt(make_info(), "zh", "j")
    en = build_submission_receipt(make_info(), "en", "j")
    t = texts(en)
    for a, b in [
        ("居住证自助服务", "Residence Permit Self-Service"),
        ("续签（签注）", "Renewal (annual endorsement)"),
        ("申请编号", "Application number"),
        ("接下来", "What happens next"),
        ("请妥善保管本回执", "Please keep this receipt."),
    ]:
        assert t.index(b) == t.index(a) + 1
    # every Chinese block (but the bilingual kv labels) of the zh receipt is still there, in order
    zh_texts = [b.text for b in zh.blocks if b.text and b.kind != "kv"]
    it = iter(t)
    assert all(any(x == y for y in it) for x in zh_texts)
    kv_labels = [b.text for b in en.blocks if b.kind == "kv"]
    assert kv_labels[0] == "姓名 Name"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_late_endorsement_reminder(lang: str) -> None:
    r = build_submission_receipt(make_info(late_endorsement=True), lang, "j")
    joined = all_text(r)
    assert "居住年限自补办签注之日起重新连续计算" in joined
    assert ("counted again from the date of this late endorsement" in joined) == (lang == "en")
    plain = all_text(build_submission_receipt(make_info(), lang, "j"))
    assert "重新连续计算" not in plain


def test_late_endorsement_only_for_renewal() -> None:
    r = build_submission_receipt(make_info(service="reissue_lost", late_endorsement=True), "zh", "j")
    assert "重新连续计算" not in all_text(r)


@pytest.mark.parametrize("service", sorted(SERVICE_NAMES))
def test_every_service_has_its_name(service: str) -> None:
    r = build_submission_receipt(make_info(service=service), "en", "j")
    zh, en = SERVICE_NAMES[service]
    assert zh in texts(r) and en in texts(r)


def test_damaged_reissue_asks_for_the_old_card() -> None:
    r = build_submission_receipt(make_info(service="reissue_damaged"), "zh", "j")
    assert "领取新证时请交回损坏的居住证。" in all_text(r)
    r = build_submission_receipt(make_info(service="reissue_lost"), "zh", "j")
    assert "交回损坏" not in all_text(r)


def test_unknown_service_or_language_is_refused() -> None:
    with pytest.raises(ValueError):
        build_submission_receipt(make_info(service="adoption"), "zh", "j")
    with pytest.raises(ValueError):
        build_submission_receipt(make_info(), "fr", "j")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("queued", [False, True])
def test_no_personal_data_in_blocks(lang: str, queued: bool) -> None:
    info = make_info(application_id=None) if queued else make_info()
    r = build_submission_receipt(info, lang, "j")
    joined = all_text(r)
    assert FULL_ID not in joined and FULL_NAME not in joined
    assert "依古丽" not in joined and "19900101" not in joined
    assert "阿*******" in joined and "460100********123X" in joined
    qr = [b.value for b in r.blocks if b.kind == "qr"]
    assert qr == [QR_PREFIX + (info.client_reference if queued else "JZ-20250611-000123")]
    barcode = [b.value for b in r.blocks if b.kind == "barcode"]
    assert barcode == [qr[0].removeprefix(QR_PREFIX)]


# --- the pickup receipt and the test page ---------------------------------------------------------

from kiosk.domain.receipt import (  # noqa: E402
    BRING_ITEMS,
    PickupInfo,
    StationAddress,
    build_pickup_receipt,
    build_test_page,
    mask_phone,
)
from tests.support.receipt_samples import (  # noqa: E402
    PICKUP_MAIL_REISSUE,
    PICKUP_MAIL_RENEWAL,
    PICKUP_WINDOW,
    RECEIPTS,
    leaks,
    pickup,
)


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138****5678", "138****5678"),
        (" 138 1234 5678 ", "138****5678"),
        ("12345", "*****"),
        ("1381234567*", "***********"),  # shows too many digits: masked again
        ("", ""),
    ],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_pickup_info_from_the_contract() -> None:
    info = pickup(PICKUP_MAIL_RENEWAL, "renewal")
    assert info.method == "mail" and info.application_id == "JZ-20250611-000123"
    assert info.chosen_at == dt.datetime(2025, 6, 13, 17, 0, tzinfo=TZ)
    assert info.send_permit_to == StationAddress("海口市公安局龙华分局金贸派出所", "海南省海口市龙华区金贸示例路1号", "0898-66000001")
    assert pickup(PICKUP_MAIL_REISSUE, None).send_permit_to is None
    assert pickup(PICKUP_WINDOW, None).bring == ("id_card", "residence_permit")
    assert FULL_NAME not in repr(info) and "示例路88号" not in repr(info)


def test_window_pickup_receipt() -> None:
    r = build_pickup_receipt(pickup(PICKUP_WINDOW, "renewal"), "zh", "p1")
    kv = {b.text: b.value for b in r.blocks if b.kind == "kv"}
    assert kv["派出所"] == "海口市公安局龙华分局金贸派出所"
    assert kv["地址"] == "海南省海口市龙华区金贸示例路1号"
    assert kv["电话"] == "0898-66000001"
    assert kv["领证时间"].startswith("周一至周五")
    t = texts(r)
    assert "窗口领证" in t and "续签（签注）" in t and "请携带" in t
    assert "1. 居民身份证" in t and "2. 居住证" in t
    assert [b.text for b in r.blocks if b.kind == "big"] == ["JZ-20250611-000123"]
    assert [b.value for b in r.blocks if b.kind == "qr"] == [QR_PREFIX + "JZ-20250611-000123"]
    assert r.blocks[-1].kind == "cut"


def test_window_pickup_for_reissue_asks_for_the_id_card_only() -> None:
    data = dict(PICKUP_WINDOW, bring=["id_card"])
    r = build_pickup_receipt(pickup(data, "reissue_lost"), "zh", "p")
    t = texts(r)
    assert "1. 居民身份证" in t and not any("居住证" == x.removeprefix("2. ") for x in t)
    assert "写入新的签注" not in all_text(r)


def test_mail_pickup_renewal_sends_the_permit_to_the_station() -> None:
    r = build_pickup_receipt(pickup(PICKUP_MAIL_RENEWAL, "renewal"), "en", "p")
    kv: dict[str, str] = {}
    for block in r.blocks:  # the first of each label: the resident's part comes before the station's
        if block.kind == "kv":
            kv.setdefault(block.text, block.value)
    assert kv["收件人 Recipient"] == "阿*******"
    assert kv["电话 Phone"] == "138****5678"
    assert kv["收件单位 To"] == "海口市公安局龙华分局金贸派出所"
    assert "到付" in kv["邮费 Postage"]
    joined = all_text(r)
    assert "请先寄出您的居住证" in joined and "First mail your residence permit to" in joined
    assert "邮费由您支付" in joined


def test_mail_pickup_reissue_has_nothing_to_send() -> None:
    r = build_pickup_receipt(pickup(PICKUP_MAIL_REISSUE, "reissue_lost"), "zh", "p")
    joined = all_text(r)
    assert "请先寄出" not in joined and "无需寄送任何证件" in joined
    kv = {b.text: b.value for b in r.blocks if b.kind == "kv"}
    assert kv["收件人"] == "陈*" and kv["电话"] == "138****5678" and kv["邮费"] == "到付"


def test_pickup_receipt_refuses_bad_input() -> None:
    with pytest.raises(ValueError):
        build_pickup_receipt(pickup(dict(PICKUP_WINDOW, method="drone"), None), "zh", "p")
    with pytest.raises(ValueError):
        build_pickup_receipt(pickup(dict(PICKUP_WINDOW, bring=["passport"]), None), "zh", "p")
    with pytest.raises(ValueError):
        build_pickup_receipt(pickup(PICKUP_WINDOW, "adoption"), "zh", "p")
    with pytest.raises(ValueError):
        build_pickup_receipt(pickup(PICKUP_WINDOW, None), "fr", "p")
    with pytest.raises(ValueError):
        PickupInfo.from_contract({"method": "window"}, kiosk_id="k", kiosk_location="l")
    assert set(BRING_ITEMS) == {"id_card", "residence_permit"}  # the contract's BringItem enum


def test_test_page_content() -> None:
    now = dt.datetime(2025, 6, 11, 9, 30, tzinfo=TZ)
    r = build_test_page("HK-KIOSK-0007", "usb://0416:5011, raster, 80 mm", now, "en", "t1")
    joined = all_text(r)
    for piece in ("，", "：", "（）", "￥", "打印机测试页", "Printer test page", "2025-06-11 09:30"):
        assert piece in joined
    kinds = [b.kind for b in r.blocks]
    assert "qr" in kinds and "barcode" in kinds and kinds[-1] == "cut"
    assert not any(ch.isascii() and ch.isalpha() for ch in build_test_page("k", "p", now, "zh", "t").blocks[0].text)


@pytest.mark.parametrize("name", sorted(RECEIPTS))
def test_no_personal_data_in_any_receipt_model(name: str) -> None:
    r = RECEIPTS[name]("job")
    assert leaks(all_text(r)) == []
    for b in r.blocks:
        if b.kind in ("qr", "barcode"):
            assert b.value.removeprefix(QR_PREFIX).replace("-", "").isalnum()
