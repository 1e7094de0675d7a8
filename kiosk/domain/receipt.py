"""The receipt as a printer-independent layout model, and the submission receipt's content.

A :class:`Receipt` is a flat sequence of :class:`Block` elements. Renderers
(``kiosk.receipts.text`` for previews, ``kiosk.receipts.escpos_render`` for paper) decide
how wide a line is and where it wraps; this module only decides *what* is printed.

Privacy (docs/architecture.md, "Privacy"): a receipt only ever carries the masked name and the
masked ID number (first 6 + last 4). The full name, the full ID number and any phone number
never reach a Block, and the QR payload carries only the application number (or the kiosk's
client reference).

Pure Python: no Qt, no escpos, no device imports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kiosk.domain.applications import BringItem, PickupMethod, PickupResult, StationAddress
from kiosk.domain.idcard import mask_id_number  # the canonical rule: first 6 + 8 '*' + last 4

BLOCK_KINDS: frozenset[str] = frozenset(
    {"title", "heading", "text", "big", "kv", "rule", "qr", "barcode", "blank", "cut"}
)
ALIGNS: frozenset[str] = frozenset({"left", "center"})
LANGS: frozenset[str] = frozenset({"zh", "en"})

#: Prefix of the QR payload. The payload is ``HKRP:<number>``: nothing personal.
QR_PREFIX = "HKRP:"

#: China has had no daylight saving time since 1991: a fixed offset is exact and needs no tz database.
SHANGHAI = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


@dataclass(frozen=True)
class Block:
    """One printed element.

    kind:
      * ``title``   large bold header line (``text``)
      * ``heading`` bold line (``text``)
      * ``text``    ordinary paragraph, wrapped (``text``)
      * ``big``     the number to quote, as large as the paper allows (``text``)
      * ``kv``      ``text`` is the label, ``value`` the value
      * ``rule``    a horizontal line
      * ``qr``      QR code of ``value``
      * ``barcode`` CODE128 barcode of ``value``
      * ``blank``   an empty line
      * ``cut``     cut the paper
    """

    kind: str
    text: str = ""
    value: str = ""
    align: str = "left"

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")
        if self.align not in ALIGNS:
            raise ValueError(f"unknown alignment {self.align!r}")


@dataclass(frozen=True)
class Receipt:
    job_id: str  # unique per print job; a retry reuses it
    blocks: tuple[Block, ...]
    lang: str  # "zh" or "en" (resident's choice); Chinese is always printed

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise ValueError(f"unknown receipt language {self.lang!r}")
        if not self.job_id:
            raise ValueError("a receipt needs a job id")


# --- masking ------------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """Keep the first character and replace every other character with ``*``.

    The result has the same number of characters as the name. Separators such as the
    middle dot of transliterated names are masked too (``阿依古丽·买买提`` -> ``阿*******``):
    keeping the dot would show where the given name ends. A one-character name is masked
    completely (``*``) so that no full name is ever printed. Surrounding whitespace is
    ignored; an empty name gives an empty string.
    """
    name = name.strip()
    if len(name) <= 1:
        return "*" * len(name)
    return name[0] + "*" * (len(name) - 1)


# --- the submission receipt ---------------------------------------------------------------

SERVICE_NAMES: dict[str, tuple[str, str]] = {
    "renewal": ("续签（签注）", "Renewal (annual endorsement)"),
    "info_change": ("登记信息变更", "Change of registration details"),
    "reissue_lost": ("丢失补领", "Replacement of a lost permit"),
    "reissue_damaged": ("损坏换领", "Replacement of a damaged permit"),
}

DEFAULT_ISSUER = "海口市公安局"
DEFAULT_ISSUER_EN = "Haikou Public Security Bureau"


@dataclass(frozen=True)
class SubmissionInfo:
    service: str  # "renewal" | "info_change" | "reissue_lost" | "reissue_damaged"
    application_id: str | None  # None while queued (then the client_reference is the number to quote)
    client_reference: str
    applicant_name: str = field(repr=False)  # full name in; only the masked form is printed
    id_number: str = field(repr=False)  # full in; only the masked form is printed
    submitted_at: dt.datetime  # aware (a naive value is taken as Asia/Shanghai local time)
    expected_decision_by: dt.datetime | None
    kiosk_id: str
    kiosk_location: str  # e.g. "海口市政务服务中心一楼大厅" (printed as given, also on English receipts)
    issuer: str = DEFAULT_ISSUER  # header: the issuing service
    late_endorsement: bool = False  # renewal after the permit ran out: residence years restart
    issuer_en: str = DEFAULT_ISSUER_EN  # English name of ``issuer`` for English receipts


def format_local(moment: dt.datetime) -> str:
    """``YYYY-MM-DD HH:MM`` in Asia/Shanghai time."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(SHANGHAI)
    return moment.strftime("%Y-%m-%d %H:%M")


def qr_payload(number: str) -> str:
    """The QR payload for an application number or client reference: no personal data."""
    return QR_PREFIX + number


class _Builder:
    """Adds Chinese blocks, each followed by its English counterpart on English receipts."""

    def __init__(self, lang: str) -> None:
        self.en = lang == "en"
        self.blocks: list[Block] = []

    def add(self, block: Block) -> None:
        self.blocks.append(block)

    def line(self, kind: str, zh: str, en: str, align: str = "left", en_kind: str | None = None) -> None:
        self.blocks.append(Block(kind, zh, align=align))
        if self.en:
            self.blocks.append(Block(en_kind or kind, en, align=align))

    def kv(self, zh: str, en: str, value: str) -> None:
        # One value, one bilingual label ("姓名 Name"), so the value is never printed twice.
        self.blocks.append(Block("kv", f"{zh} {en}" if self.en else zh, value))

    def items(self, entries: list[tuple[str, str]]) -> None:
        for n, (zh, en) in enumerate(entries, start=1):
            self.line("text", f"{n}. {zh}", f"{n}. {en}")


def _submission_steps(info: SubmissionInfo, queued: bool) -> list[tuple[str, str]]:
    """What happens next, in order (zh, en)."""
    steps: list[tuple[str, str]] = []
    if queued:
        steps.append(
            (
                "网络恢复后，本机将自动提交您的申请，无需再次办理。查询时请出示回执编号。",
                "The kiosk will send your application automatically when the network is back. "
                "You do not need to apply again. Quote the reference number when you ask about it.",
            )
        )
    steps.append(("由民警审核您的申请。", "A police officer reviews your application."))
    if info.expected_decision_by is not None:
        when = format_local(info.expected_decision_by)[:10]  # the date: the hour adds nothing
        steps.append((f"预计{when}前出审核结果。", f"Expected decision by {when}."))
    steps.append(
        (
            "审核结果将以短信通知，也可在任一自助机“我的事务”中查看。",
            "You will get the result by SMS. You can also see it at any kiosk "
            'under "My applications" (我的事务).',
        )
    )
    steps.append(
        (
            "制证完成后，请在“我的事务”中选择窗口领证或邮寄领证。",
            'When the card is ready, choose window pickup or mail delivery under "My applications".',
        )
    )
    steps.append(
        (
            "依法自受理之日起15日内发放居住证。",
            "By law, the permit is issued within 15 days of acceptance.",
        )
    )
    if info.service == "reissue_damaged":
        steps.append(
            (
                "领取新证时请交回损坏的居住证。",
                "Hand in the damaged permit when you collect the new one.",
            )
        )
    return steps


def _late_endorsement_note(b: _Builder) -> None:
    """A late renewal: the permit works again, but the years of residence restart."""
    b.add(Block("rule"))
    b.line("heading", "重要提示", "Important")
    b.line(
        "text",
        "您的居住证逾期未签注，使用功能已中止。本次补办签注后功能恢复，"
        "但您在本市的居住年限自补办签注之日起重新连续计算。",
        "Your permit was not endorsed in time, so it stopped working. This late "
        "endorsement restores it, but your years of residence in Haikou are counted "
        "again from the date of this late endorsement.",
    )


def build_submission_receipt(info: SubmissionInfo, lang: str, job_id: str) -> Receipt:
    """The receipt the resident takes home after submitting: the large application number, a QR
    code, what happens next with dates, masked personal data; readable at 58 mm and 80 mm.

    Chinese is always printed; for ``lang == "en"`` every Chinese line is followed by its
    English line. The late-endorsement reminder is printed for renewals only (the flag is
    ignored for other services, where it has no meaning).
    """
    if info.service not in SERVICE_NAMES:
        raise ValueError(f"unknown service {info.service!r}")
    if lang not in LANGS:
        raise ValueError(f"unknown receipt language {lang!r}")
    service_zh, service_en = SERVICE_NAMES[info.service]
    queued = info.application_id is None
    number = info.client_reference if queued else str(info.application_id)
    b = _Builder(lang)

    # Header
    b.line("title", info.issuer, info.issuer_en, "center", en_kind="heading")
    b.line("title", "居住证自助服务", "Residence Permit Self-Service", "center", en_kind="heading")
    b.line("text", "申请回执", "Application receipt", "center")
    b.add(Block("rule"))

    # Service and the number to quote
    b.line("heading", service_zh, service_en, "center")
    if queued:
        b.line("text", "申请已保存，将自动提交", "Saved, sending automatically", "center")
        b.line("text", "回执编号", "Reference number", "center")
    else:
        b.line("text", "申请已提交", "Application submitted", "center")
        b.line("text", "申请编号", "Application number", "center")
    b.add(Block("big", number, align="center"))
    b.add(Block("rule"))

    # Who, when, where (masked)
    b.kv("姓名", "Name", mask_name(info.applicant_name))
    b.kv("身份证号", "ID number", mask_id_number(info.id_number))
    b.kv("提交时间", "Submitted", format_local(info.submitted_at))
    b.kv("自助机", "Kiosk", info.kiosk_id)
    b.kv("地点", "Place", info.kiosk_location)
    if not queued:
        b.kv("回执编号", "Reference", info.client_reference)
    b.add(Block("rule"))

    # What happens next
    b.line("heading", "接下来", "What happens next")
    b.items(_submission_steps(info, queued))

    if info.service == "renewal" and info.late_endorsement:
        _late_endorsement_note(b)

    # Machine-readable number (no personal data), then cut
    b.add(Block("rule"))
    b.add(Block("qr", value=qr_payload(number), align="center"))
    b.add(Block("blank"))
    b.add(Block("barcode", value=number, align="center"))  # left out where the paper is too narrow
    b.line("text", "请妥善保管本回执", "Please keep this receipt.", "center")
    b.add(Block("cut"))
    return Receipt(job_id=job_id, blocks=tuple(b.blocks), lang=lang)


# --- the pickup receipt -------------------------------------------------------------------

#: The contract's BringItem values and what the receipt calls them.
BRING_ITEMS: dict[str, tuple[str, str]] = {
    BringItem.ID_CARD: ("居民身份证", "Resident ID card"),
    BringItem.RESIDENCE_PERMIT: ("居住证", "Residence permit"),
}
PICKUP_METHODS: frozenset[str] = frozenset(PickupMethod)


def mask_phone(phone: str) -> str:
    """``138****5678``: first 3 + last 4 of an 11-digit mobile number, anything else fully masked.

    A value that already contains ``*`` (the contract's ``phone_masked``) is kept as it is,
    provided it shows at most 7 digits; otherwise it is masked again.
    """
    phone = phone.strip()
    if "*" in phone and sum(ch.isdigit() for ch in phone) <= 7:
        return phone
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) == 11:
        return digits[:3] + "****" + digits[-4:]
    return "*" * len(phone)


@dataclass(frozen=True)
class PickupInfo:
    """The pickup choice (contract ``Pickup``: WindowPickup or MailPickup) plus where it was made.

    Window fields are used for :attr:`PickupMethod.WINDOW`, mail fields for :attr:`PickupMethod.MAIL`. The
    recipient's full name comes in (as the contract returns it) and only its masked form is
    printed; the phone is printed masked (``138****5678``) whatever comes in.
    """

    method: PickupMethod
    application_id: str
    chosen_at: dt.datetime
    kiosk_id: str
    kiosk_location: str
    service: str | None = None  # one of SERVICE_NAMES, when known (printed under the header)
    # window
    station_name: str = ""
    station_address: str = ""
    station_phone: str = ""
    pickup_hours: str = ""
    bring: tuple[BringItem, ...] = ()  # in the contract's order
    # mail
    recipient: str = field(default="", repr=False)  # full name in; only the masked form is printed
    address: str = field(default="", repr=False)
    phone_masked: str = field(default="", repr=False)
    send_permit_to: StationAddress | None = None  # renewal / info_change: mail the permit here first
    postage: str = "cod"  # the contract's only value: cash on delivery (邮费到付)
    issuer: str = DEFAULT_ISSUER
    issuer_en: str = DEFAULT_ISSUER_EN

    @classmethod
    def from_contract(cls, pickup: dict[str, Any], **context: Any) -> PickupInfo:
        """Build from the ``Pickup`` object of ``POST /v1/applications/{id}/pickup`` (a malformed
        one is a :class:`~kiosk.domain.applications.ContractError`, a ValueError); ``context``
        as for :meth:`from_result` (kiosk id and location, service, issuer)."""
        return cls.from_result(PickupResult.from_contract(pickup), **context)

    @classmethod
    def from_result(
        cls,
        pickup: PickupResult,
        *,
        kiosk_id: str,
        kiosk_location: str,
        service: str | None = None,
        issuer: str = DEFAULT_ISSUER,
        issuer_en: str = DEFAULT_ISSUER_EN,
    ) -> PickupInfo:
        """Build from the service's answer, already parsed (:class:`PickupResult`)."""
        return cls(
            method=pickup.method,
            application_id=pickup.application_id,
            chosen_at=pickup.chosen_at,
            kiosk_id=kiosk_id,
            kiosk_location=kiosk_location,
            service=service,
            station_name=pickup.station_name,
            station_address=pickup.station_address,
            station_phone=pickup.station_phone,
            pickup_hours=pickup.pickup_hours,
            bring=pickup.bring,
            recipient=pickup.recipient,
            address=pickup.address,
            phone_masked=pickup.phone_masked,
            send_permit_to=pickup.send_permit_to,
            postage=pickup.postage,
            issuer=issuer,
            issuer_en=issuer_en,
        )


def _header(b: _Builder, issuer: str, issuer_en: str, zh: str, en: str) -> None:
    b.line("title", issuer, issuer_en, "center", en_kind="heading")
    b.line("title", "居住证自助服务", "Residence Permit Self-Service", "center", en_kind="heading")
    b.line("text", zh, en, "center")
    b.add(Block("rule"))


def _codes_and_cut(b: _Builder, number: str) -> None:
    b.add(Block("rule"))
    b.add(Block("qr", value=qr_payload(number), align="center"))
    b.add(Block("blank"))
    b.add(Block("barcode", value=number, align="center"))
    b.line("text", "请妥善保管本回执", "Please keep this receipt.", "center")
    b.add(Block("cut"))


def _window_part(b: _Builder, info: PickupInfo) -> None:
    """Where and when to collect the permit, and what to bring."""
    b.line("heading", "领证地点", "Where to collect")
    b.kv("派出所", "Station", info.station_name)
    b.kv("地址", "Address", info.station_address)
    if info.station_phone:
        b.kv("电话", "Phone", info.station_phone)
    b.kv("领证时间", "Hours", info.pickup_hours)
    b.add(Block("rule"))
    b.line("heading", "请携带", "Please bring")
    b.items([BRING_ITEMS[item] for item in info.bring])
    if BringItem.RESIDENCE_PERMIT in info.bring:
        b.line(
            "text",
            "派出所将在您的居住证上写入新的签注信息。",
            "The station writes the new endorsement onto your residence permit.",
        )


def _mail_part(b: _Builder, info: PickupInfo) -> None:
    """Where the permit is mailed, and what the resident mails first (renewal / info_change)."""
    b.line("heading", "收件信息", "Delivery address")
    b.kv("收件人", "Recipient", mask_name(info.recipient))
    b.kv("地址", "Address", info.address)
    b.kv("电话", "Phone", mask_phone(info.phone_masked))
    b.kv("邮费", "Postage", "到付" if not b.en else "到付 cash on delivery")
    b.add(Block("rule"))
    if info.send_permit_to is not None:
        to = info.send_permit_to
        b.line("heading", "请先寄出您的居住证", "First mail your residence permit to")
        b.kv("收件单位", "To", to.name)
        b.kv("地址", "Address", to.address)
        if to.phone:
            b.kv("电话", "Phone", to.phone)
        b.items(
            [
                ("寄出居住证的邮费由您支付。", "You pay the postage for sending it."),
                (
                    "派出所写入签注后将居住证寄回给您，邮费到付。",
                    "The station endorses the permit and mails it back to you, "
                    "postage paid on delivery.",
                ),
            ]
        )
    else:
        b.line(
            "text",
            "新证将直接寄给您，邮费到付。无需寄送任何证件。",
            "The new permit is mailed straight to you, postage paid on delivery. "
            "You do not need to send anything.",
        )


def build_pickup_receipt(info: PickupInfo, lang: str, job_id: str) -> Receipt:
    """The receipt printed after the resident chose window or mail pickup (contract §10)."""
    if info.method not in PICKUP_METHODS:
        raise ValueError(f"unknown pickup method {info.method!r}")
    if lang not in LANGS:
        raise ValueError(f"unknown receipt language {lang!r}")
    if info.service is not None and info.service not in SERVICE_NAMES:
        raise ValueError(f"unknown service {info.service!r}")
    unknown = [item for item in info.bring if item not in BRING_ITEMS]
    if unknown:
        raise ValueError(f"unknown items to bring {unknown!r}")
    window = info.method == PickupMethod.WINDOW
    b = _Builder(lang)
    _header(b, info.issuer, info.issuer_en, "领证回执", "Permit pickup receipt")

    if info.service is not None:
        b.line("heading", *SERVICE_NAMES[info.service], "center")
    if window:
        b.line("heading", "窗口领证", "Collect at the police station", "center")
    else:
        b.line("heading", "邮寄领证", "Delivery by mail", "center")
    b.line("text", "申请编号", "Application number", "center")
    b.add(Block("big", info.application_id, align="center"))
    b.add(Block("rule"))
    b.kv("选择时间", "Chosen", format_local(info.chosen_at))
    b.kv("自助机", "Kiosk", info.kiosk_id)
    b.kv("地点", "Place", info.kiosk_location)
    b.add(Block("rule"))

    if window:
        _window_part(b, info)
    else:
        _mail_part(b, info)
    b.add(Block("rule"))
    b.line(
        "text",
        "办理进度可在任一自助机“我的事务”中查看。",
        'You can check the progress at any kiosk under "My applications" (我的事务).',
    )
    _codes_and_cut(b, info.application_id)
    return Receipt(job_id=job_id, blocks=tuple(b.blocks), lang=lang)


# --- the technician's test page ---------------------------------------------------------------

TEST_QR_PAYLOAD = QR_PREFIX + "TEST"
TEST_BARCODE = "0123456789"


def build_test_page(
    kiosk_id: str, printer_uri_summary: str, now: dt.datetime, lang: str, job_id: str
) -> Receipt:
    """A page for the technician: identity of kiosk and printer, a character test line with
    full-width punctuation and ``￥``, and a QR and barcode sample (no personal data)."""
    if lang not in LANGS:
        raise ValueError(f"unknown receipt language {lang!r}")
    b = _Builder(lang)
    b.line("title", "打印机测试页", "Printer test page", "center", en_kind="heading")
    b.add(Block("rule"))
    b.kv("自助机", "Kiosk", kiosk_id)
    b.kv("打印机", "Printer", printer_uri_summary)
    b.kv("时间", "Time", format_local(now))
    b.add(Block("rule"))
    b.line("heading", "字符测试", "Character test")
    b.add(Block("text", "中文：海口市居住证自助服务"))
    b.add(Block("text", "标点：，。、；：！？（）《》“”"))
    b.add(Block("text", "金额：￥128.00"))
    b.add(Block("text", "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    b.add(Block("text", "abcdefghijklmnopqrstuvwxyz"))
    b.add(Block("text", "0123456789 +-*/=%#@&()[]<>"))
    b.add(Block("heading", "粗体 Bold"))
    b.add(Block("big", "大字 BIG", align="center"))
    b.add(Block("rule"))
    b.line("heading", "二维码与条码", "QR code and barcode")
    b.add(Block("qr", value=TEST_QR_PAYLOAD, align="center"))
    b.add(Block("blank"))
    b.add(Block("barcode", value=TEST_BARCODE, align="center"))
    b.line(
        "text",
        "以上内容应清晰完整，二维码和条码可以扫描。",
        "All of the above should be sharp and complete; the codes should scan.",
    )
    b.add(Block("cut"))
    return Receipt(job_id=job_id, blocks=tuple(b.blocks), lang=lang)


__all__ = [
    "Block",
    "Receipt",
    "SubmissionInfo",
    "PickupInfo",
    "StationAddress",
    "build_pickup_receipt",
    "build_test_page",
    "build_submission_receipt",
    "mask_phone",
    "BRING_ITEMS",
    "TEST_QR_PAYLOAD",
    "TEST_BARCODE",
    "format_local",
    "mask_id_number",
    "mask_name",
    "qr_payload",
    "SERVICE_NAMES",
    "QR_PREFIX",
]
