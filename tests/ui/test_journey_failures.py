"""What goes wrong on the renewal journey, and what the resident sees when it does.

Real widgets clicked with pytest-qt through the tour Driver, the simulated card reader,
camera and printer, and the real review-service simulator over loopback HTTP. Every test
checks both the screen and what the simulator holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.devices.base import PrinterState
from kiosk.domain.clock import today
from kiosk.domain.idcard import CardRefusal, check_character
from kiosk.domain.rules import Verdict
from kiosk.domain.services import Basis, categories_for_basis
from kiosk.domain.testcard import load_test_card
from kiosk.flow.steps import Step
from kiosk.screens.theme import PALETTE
from kiosk.screens.widgets import icon_pixmap
from tests.support.journey_steps import (
    CARDS,
    take_pages,
    to_capture,
    to_identity,
    to_read_card,
    to_review,
    visible_texts,
)
from tests.support.kiosk import make_kiosk

LINHAI_ID = "460108198706120310"
LINHAI_MASKED = "460108********0310"
PHONE = "13812345678"
INVALID = sorted((CARDS / "invalid").glob("*.json"))


# --- fixtures and helpers ------------------------------------------------------------------


@pytest.fixture
def en_kiosk(qtbot, kiosk_config):
    """The kiosk with its sessions starting in English (the texts asserted below are the source strings)."""
    k, d = make_kiosk(qtbot, kiosk_config.with_overrides(ui={"language": "en"}))
    yield k, d
    k.close()


def screen(k, step: Step):
    return k.window.screens[step]


def notice_text(notice) -> tuple[str, str]:
    return notice.heading.text(), notice.body.text()


def primary(d) -> str:
    b = d.find("primaryButton")
    return b.text() if b.isVisible() else ""


def all_text(k) -> str:
    return "\n".join(visible_texts(k.window))


def submit(d) -> object:
    """Tap Submit on the review screen and wait for the done screen or a failure."""
    assert d.step() == "review"
    d.tap(d.find("primaryButton"))
    sub = screen(d.kiosk, Step.SUBMIT)
    d.wait(lambda: d.step() == "done" or sub.phase in ("failed", "refused"), timeout=20, what="submission")
    return sub


def assert_ended(k, sim_apps: int | None = None, sim=None) -> None:
    assert k.journey.wizard.current == Step.ATTRACT
    assert not k.session.holds_personal_data()
    assert k.session.identity is None
    if sim is not None:
        assert len(sim.applications()) == sim_apps


def assert_one_application_with_pages(sim, pages: list[bytes]) -> dict:
    apps = sim.applications()
    assert len(apps) == 1, f"expected exactly one application upstream, found {len(apps)}"
    docs = apps[0]["documents"]
    assert [x["page"] for x in docs] == list(range(1, len(pages) + 1))
    assert [sim.document_bytes(x["document_id"]) for x in docs] == pages
    return apps[0]


def card_status(k) -> tuple[str, str]:
    return notice_text(screen(k, Step.READ_CARD).status)


def no_record_card() -> dict:
    """A valid card of a person the review service has no permit record for."""
    first17 = "46010819900101045"  # Meilan district, born 1990-01-01, sequence 045 (odd: male)
    id_number = first17 + check_character(first17)
    return {
        "ef0101": {
            "name": "赵明",
            "sex": "1",
            "ethnicity": "01",
            "birth_date": "19900101",
            "address": "海南省海口市美兰区示例路1号",
            "id_number": id_number,
            "issuing_authority": "海口市公安局美兰分局",
            "valid_from": "20200101",
            "valid_until": "20400101",
            "reserved": "",
        },
        "photo": {"kind": "none"},
        "ef0103": None,
    }


# --- the ID card ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_refused_card_shows_the_reason_then_a_valid_card_continues(en_kiosk, sim, path: Path):
    k, d = en_kiosk
    expect = json.loads(path.read_text(encoding="utf-8"))["expect"]
    with pytest.raises(CardRefusal) as refused:
        load_test_card(path).parse(today(k.clock))
    assert refused.value.reason == expect

    to_read_card(d)
    k.reader.insert(path)
    read_card = screen(k, Step.READ_CARD)
    advice = read_card.refusal_advice(expect)  # plain words and a way forward fitting the reason
    d.wait(lambda: card_status(k) == advice, timeout=5, what=f"refusal {expect}")
    assert read_card.code.text().startswith(f"For staff: reader code {expect}")  # the code only on the staff line
    assert "Reference" not in " ".join(advice) and ("_" not in expect or expect not in " ".join(advice))
    d.pump(200)  # nothing more happens: the refused card is not taken
    assert d.step() == "read_card"
    assert k.session.identity is None

    k.reader.remove()
    d.wait(lambda: card_status(k)[0] == "Waiting for your card…", timeout=5, what="waiting")
    k.reader.insert(CARDS / "linhai.json")
    d.wait(lambda: d.step() == "identity", timeout=5, what="identity")
    assert k.session.identity is not None and k.session.identity.id_number == LINHAI_ID
    d.wait(lambda: k.session.permit is not None, timeout=10, what="permit lookup")
    assert screen(k, Step.IDENTITY).name.text() == "林海"


def test_unplugged_reader_says_it_is_not_working_until_plugged_back(en_kiosk, sim):
    k, d = en_kiosk
    to_read_card(d)
    assert card_status(k)[0] == "Waiting for your card…"
    k.reader.unplug()
    d.wait(lambda: card_status(k)[0] == "The card reader is not working", timeout=5, what="reader notice")
    assert "press Help" in card_status(k)[1]
    assert screen(k, Step.READ_CARD).status.property("role") == "notice-error"
    assert d.find("helpButton").isVisible()
    assert d.step() == "read_card" and k.session.identity is None

    k.reader.plug()
    d.wait(lambda: card_status(k)[0] == "Waiting for your card…", timeout=5, what="waiting again")
    k.reader.insert(CARDS / "linhai.json")
    d.wait(lambda: d.step() == "identity", timeout=5, what="identity")


@pytest.mark.parametrize("when", ["read_before_consent", "reading_at_consent"])
def test_card_left_on_the_reader_must_be_put_down_again(en_kiosk, sim, when: str):
    k, d = en_kiosk
    d.tap(d.find("tile_renewal"))
    assert d.step() == "consent"
    k.reader.insert(CARDS / "linhai.json")  # before consent
    if when == "read_before_consent":
        d.wait(lambda: k.bridge.last_state.value == "read", timeout=5, what="card read before consent")
    else:
        assert k.bridge.last_state.value == "reading"  # the read finishes after consent
    assert k.session.identity is None

    d.tap(d.find("primaryButton"))  # I agree
    assert d.step() == "read_card"
    assert card_status(k)[0] == "Please lift your card off the reader and put it down again."
    # (Driver.wait polls, so the reader's thread gets to finish a read in progress)
    d.wait(lambda: k.bridge.last_state.value == "read", timeout=5, what="the read to finish")
    d.pump(50)
    assert d.step() == "read_card"
    assert k.session.identity is None
    assert card_status(k)[0] == "Please lift your card off the reader and put it down again."

    k.reader.remove()
    d.wait(lambda: card_status(k)[0] == "Waiting for your card…", timeout=5, what="waiting")
    assert k.session.identity is None
    k.reader.insert(CARDS / "linhai.json")
    d.wait(lambda: d.step() == "identity", timeout=5, what="identity after a fresh read")
    assert k.session.identity.id_number == LINHAI_ID


def test_no_permit_record_says_so_and_finish_ends_the_session(en_kiosk, sim):
    k, d = en_kiosk
    card = no_record_card()
    assert sim.permit_record(card["ef0101"]["id_number"]) is None
    to_read_card(d)
    k.reader.insert(card)
    d.wait(lambda: d.step() == "identity", timeout=5, what="identity")
    ident = screen(k, Step.IDENTITY)
    d.wait(lambda: not ident.loading, timeout=10, what="lookup")
    assert notice_text(ident.notice)[0] == "We could not find a residence permit for this ID card"
    assert "local police station" in notice_text(ident.notice)[1]
    assert k.session.permit is None
    assert primary(d) == "Finish"
    d.tap(d.find("primaryButton"))
    assert_ended(k, 0, sim)
    assert "赵明" not in all_text(k)


@pytest.mark.parametrize("mode", ["service_unavailable", "drop"])
@pytest.mark.allow_log(r"^kiosk\.backend_client: POST")
def test_lookup_fault_offers_try_again(en_kiosk, sim, mode: str):
    k, d = en_kiosk
    sim.inject_faults("/v1/permits/lookup", mode, count=1)
    to_identity(d)
    ident = screen(k, Step.IDENTITY)
    heading, body = notice_text(ident.notice)
    assert heading == "We could not reach the police service"
    assert "Press Try again" in body
    for code in ("503", "500", "HTTP", "Error", "Traceback"):
        assert code not in heading + body
    assert k.session.permit is None
    assert primary(d) == "Try again"

    d.tap(d.find("primaryButton"))
    d.wait(lambda: not ident.loading, timeout=10, what="second lookup")
    assert k.session.permit is not None and k.session.permit.permit_number == "4601082020000310"
    assert not ident.notice.isVisible()
    assert ident.heading.text() == "Is this you? You can renew your permit today."
    assert primary(d) == "Yes, this is me"
    d.tap(d.find("primaryButton"))
    assert d.step() == "category"  # eligible: "you can renew today" was on the identity screen


@pytest.mark.allow_log(r"^kiosk\.backend_client: POST", r"^kiosk\.heartbeat: heartbeat failed: network_error")
def test_lookup_with_the_service_down_then_back(qtbot, kiosk_config):
    """The review service is not running at all (connection refused), then comes back on its address."""
    from kiosk.simulator import ReviewSimulator

    probe = ReviewSimulator()
    url = probe.start("127.0.0.1", 0)
    port = int(url.rsplit(":", 1)[1])
    probe.stop()  # nothing listens there now
    k, d = make_kiosk(qtbot, kiosk_config.with_overrides(backend={"url": url}, ui={"language": "en"}))
    back = None
    try:
        to_identity(d)
        ident = screen(k, Step.IDENTITY)
        assert notice_text(ident.notice)[0] == "We could not reach the police service"
        assert primary(d) == "Try again"
        assert k.session.permit is None

        back = ReviewSimulator()
        back.start("127.0.0.1", port)
        d.tap(d.find("primaryButton"))
        d.wait(lambda: not ident.loading, timeout=10, what="lookup after the service came back")
        assert k.session.permit is not None
        assert primary(d) == "Yes, this is me"
    finally:
        k.close()
        if back is not None:
            back.stop()


# --- eligibility ---------------------------------------------------------------------------


def placeholder_image():
    return icon_pixmap("fa5s.user", 120, PALETTE.border).toImage()


@pytest.mark.parametrize(
    ("card", "photo_kind", "verdict", "heading", "body_has"),
    [
        ("zhangwei.json", "jpeg", Verdict.TOO_EARLY, "It is too early to renew", ["Please come back then."]),
        (
            "chenjing.json",
            "wlt",
            Verdict.ALREADY_ENDORSED,
            "Your permit is already renewed for this year",
            ["nothing to do now"],
        ),
        (
            "liqiang.json",
            "none",
            Verdict.EXPIRED,
            "This permit can no longer be renewed here",
            ["海口市公安局龙华分局金贸派出所", "海南省海口市龙华区金贸示例路1号", "with your ID card"],
        ),
    ],
    ids=["too_early", "already_endorsed", "expired"],
)
def test_refused_eligibility_explains_and_finish_ends(
    en_kiosk, sim, card, photo_kind, verdict, heading, body_has
):
    k, d = en_kiosk
    to_identity(d, card)
    ident = screen(k, Step.IDENTITY)
    assert k.session.identity.photo_kind == photo_kind
    shown = ident.photo.pixmap()
    assert shown is not None and not shown.isNull()
    if photo_kind == "jpeg":
        assert shown.toImage() != placeholder_image()
    else:  # the reader gave no displayable photo: a placeholder, no crash
        assert shown.toImage() == placeholder_image()
    assert primary(d) == "Yes, this is me"
    d.tap(d.find("primaryButton"))

    assert d.step() == "eligibility"
    assert k.session.eligibility.verdict == verdict
    elig = screen(k, Step.ELIGIBILITY)
    assert elig.heading.text() == heading
    for part in body_has:
        assert part in elig.body.text()
    assert not elig.notice.isVisible()
    assert primary(d) == "Finish"
    d.tap(d.find("primaryButton"))
    assert_ended(k, 0, sim)


def test_late_renewal_warns_then_submits_with_the_reminder_on_the_receipt(en_kiosk, sim):
    k, d = en_kiosk
    to_identity(d, "wangfang.json")
    d.tap(d.find("primaryButton"))
    assert d.step() == "eligibility"
    e = k.session.eligibility
    assert e.verdict == Verdict.ELIGIBLE_LATE and 9 <= e.days_overdue <= 11
    elig = screen(k, Step.ELIGIBILITY)
    assert elig.heading.text() == f"Your permit ran out {e.days_overdue} days ago"
    warning = k.window.findChild(type(elig.notice), "lateWarning")
    assert warning is elig.notice and warning.isVisible()
    heading, body = notice_text(warning)
    assert heading == "What a late renewal means"
    assert "has not worked" in body and "counted again from today" in body
    assert primary(d) == "I understand, continue"
    d.tap(d.find("primaryButton"))
    assert k.session.late_warning_acknowledged
    assert d.step() == "category"

    k.camera.show_document("employment_contract")
    d.tap(d.find("category_employment_contract"))
    d.wait(lambda: screen(k, Step.CAPTURE).feed.snapshot() is not None, what="camera frames")
    take_pages(d, 1)
    d.tap(d.find("primaryButton"))
    assert not screen(k, Step.PHONE).offering_on_file()  # 王芳 has no number on file: the keypad
    for digit in PHONE:
        d.tap(d.find(f"key_{digit}"))
    d.tap(d.find("primaryButton"))
    assert d.step() == "review"
    review = screen(k, Step.REVIEW)
    assert review.notice.isVisible()
    assert notice_text(review.notice)[0] == "Late renewal"

    submit(d)
    assert d.step() == "done"
    app = sim.applications()[0]
    assert app["applicant"]["id_number"] == "460105199002150023"
    receipt = k.printer.last_text()
    assert "重要提示" in receipt and "Important" in receipt
    assert app["application_id"] in receipt


def test_eligible_resident_gets_no_late_warning(en_kiosk, sim):
    """The control for the late case: an on-time renewal shows no warning anywhere."""
    k, d = en_kiosk
    to_review(d, pages=1)
    assert k.session.eligibility.verdict == Verdict.ELIGIBLE
    assert "eligibility" not in [s.value for s in k.journey.wizard.steps]  # no verdict screen at all
    assert not screen(k, Step.ELIGIBILITY).notice.isVisible()
    assert not screen(k, Step.REVIEW).notice.isVisible()
    submit(d)
    assert d.step() == "done"
    assert "重要提示" not in k.printer.last_text()


# --- submission ----------------------------------------------------------------------------


# Submissions go through the kiosk's durable outbox: a transient failure is retried by the
# outbox with the same idempotency key while the resident waits (up to [outbox]
# submit_wait_s); past that the application is saved and sent later, and the resident leaves
# with its reference number. So no transient failure reaches the resident as an error.


def done_number(k) -> str:
    done = screen(k, Step.DONE)
    number = k.window.findChild(type(done.number), "applicationNumber")
    assert number is done.number and number.isVisible()
    return number.text()


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_submit_unavailable_once_is_retried_and_sends_one_application(en_kiosk, sim):
    k, d = en_kiosk
    to_review(d, pages=2)
    pages = [bytes(p.jpeg) for p in k.session.application.pages]
    sim.inject_faults("/v1/applications", "service_unavailable", count=1, method="POST", retry_after_s=1)
    sub = submit(d)
    assert d.step() == "done", f"{sub.phase}: {sub.heading.text()}"
    app = assert_one_application_with_pages(sim, pages)
    assert notice_text(screen(k, Step.DONE).banner)[0] == "Application submitted"
    assert done_number(k) == app["application_id"]
    assert k.outbox.depth() == 0  # delivered: nothing left queued on this machine
    assert "503" not in all_text(k)


@pytest.mark.allow_log(r"^kiosk\.backend_client: POST", r"^kiosk\.outbox: outbox: entry")
def test_submit_response_lost_after_commit_is_not_duplicated(en_kiosk, sim):
    k, d = en_kiosk
    to_review(d, pages=2)
    pages = [bytes(p.jpeg) for p in k.session.application.pages]
    sim.inject_faults("/v1/applications", "drop_after_commit", count=1, method="POST")
    submit(d)
    assert d.step() == "done"
    app = assert_one_application_with_pages(sim, pages)  # committed once, answered on the retry
    assert done_number(k) == app["application_id"]
    assert k.session.submission.application_id == app["application_id"]
    assert k.session.submission.client_reference == app["client_reference"]
    assert app["application_id"] in k.printer.last_text()
    assert len(k.printer.jobs()) == 1
    assert k.outbox.depth() == 0


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_document_upload_failure_is_retried(en_kiosk, sim):
    k, d = en_kiosk
    to_review(d, pages=3)
    pages = [bytes(p.jpeg) for p in k.session.application.pages]
    sim.inject_faults("/v1/documents/*", "internal_error", count=1, method="PUT")
    submit(d)
    assert d.step() == "done"
    app = assert_one_application_with_pages(sim, pages)
    assert done_number(k) == app["application_id"]
    assert "500" not in all_text(k)
    assert k.outbox.depth() == 0


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_service_down_at_submit_saves_the_application_and_sends_it_later(qtbot, kiosk_config, sim):
    cfg = kiosk_config.with_overrides(ui={"language": "en"}, outbox={"submit_wait_s": 1.0})
    k, d = make_kiosk(qtbot, cfg)
    try:
        to_review(d, pages=2)
        pages = [bytes(p.jpeg) for p in k.session.application.pages]
        sim.inject_faults(
            "/v1/applications", "service_unavailable", count=10_000, method="POST", retry_after_s=1
        )
        submit(d)
        assert d.step() == "done"
        assert sim.applications() == []
        reference = k.session.submission.client_reference
        assert k.session.submission.application_id is None
        banner = notice_text(screen(k, Step.DONE).banner)
        assert banner[0] == "Application saved" and "send it automatically" in banner[1]
        assert screen(k, Step.DONE).number_label.text() == "Your reference number"
        assert done_number(k) == reference
        receipt = k.printer.last_text()
        assert reference in receipt and "申请已保存" in receipt
        assert k.outbox.depth() >= 1
        d.tap(d.find("primaryButton"))  # Finish: the resident walks away
        assert_ended(k, 0, sim)

        sim.clear_faults()  # the service is back
        assert k.outbox.flush(15), "the outbox did not deliver the saved application"
        app = assert_one_application_with_pages(sim, pages)
        assert app["client_reference"] == reference
        assert app["applicant"]["id_number"] == LINHAI_ID
    finally:
        k.close()


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_service_refusal_is_shown_and_finish_wipes(en_kiosk, sim):
    k, d = en_kiosk
    to_review(d, pages=1)
    submit(d)
    assert d.step() == "done"
    first = sim.applications()[0]["application_id"]
    d.tap(d.find("primaryButton"))  # Finish
    assert_ended(k, 1, sim)
    k.reader.remove()  # the resident takes the card, and comes back later

    to_review(d, pages=1)  # the same resident again, with an application still open
    sub = submit(d)
    assert sub.phase == "refused" and d.step() == "submit"
    assert sub.heading.text() == "The police service did not accept this application"
    assert sub.detail.text() == "An application is already in progress."
    assert primary(d) == "Finish"
    assert [a["application_id"] for a in sim.applications()] == [first]
    d.tap(d.find("primaryButton"))
    assert_ended(k, 1, sim)
    texts = all_text(k)
    assert LINHAI_MASKED not in texts and "林海" not in texts


@pytest.mark.parametrize(
    ("state", "prints"),
    [
        (PrinterState.PAPER_OUT, False),
        (PrinterState.COVER_OPEN, False),
        (PrinterState.OFFLINE, False),
        (PrinterState.PAPER_LOW, True),
    ],
    ids=lambda v: v.value if isinstance(v, PrinterState) else str(v),
)
@pytest.mark.allow_log(r"^kiosk\.devices\.printer\.sim: print job")
def test_printer_problem_still_submits_and_shows_the_number(en_kiosk, sim, state, prints):
    k, d = en_kiosk
    to_review(d, pages=1)
    k.printer.set_state(state)
    submit(d)
    assert d.step() == "done"
    apps = sim.applications()
    assert len(apps) == 1
    done = screen(k, Step.DONE)
    number = k.window.findChild(type(done.number), "applicationNumber")
    assert number.isVisible() and number.text() == apps[0]["application_id"]
    note = k.window.findChild(type(done.print_notice), "printNotice")
    assert note.isVisible()
    if prints:
        assert notice_text(note)[0] == "Take your receipt from the slot below the screen."
        assert len(k.printer.jobs()) == 1
        assert apps[0]["application_id"] in k.printer.last_text()
    else:
        heading, body = notice_text(note)
        assert heading == "The receipt printer is not working"
        assert "Your application is submitted" in body and "write it down" in body
        assert note.property("role") == "notice-warning"
        assert k.printer.jobs() == []


# --- moving around -------------------------------------------------------------------------


def test_back_from_phone_keeps_the_pages(en_kiosk, sim):
    k, d = en_kiosk
    to_capture(d)
    take_pages(d, 2)
    pages = [bytes(p.jpeg) for p in k.session.application.pages]
    d.tap(d.find("primaryButton"))
    assert d.step() == "phone"
    d.tap(d.find("backButton"))
    assert d.step() == "capture"
    assert [bytes(p.jpeg) for p in k.session.application.pages] == pages
    cap = screen(k, Step.CAPTURE)
    assert len(cap.pages()) == 2
    assert primary(d) == "Continue with 2 pages"
    assert d.find("retake_2").isVisible() and d.find("delete_2").isVisible()
    assert cap.shoot.text() == "Take photo of page 3"


def test_review_change_links_go_there_and_come_back(en_kiosk, sim):
    k, d = en_kiosk
    to_review(d, pages=2, phone=PHONE)
    review = screen(k, Step.REVIEW)
    old_pages = [bytes(p.jpeg) for p in k.session.application.pages]

    # phone: straight back to review after Continue
    d.tap(d.find("change_phone"))
    assert d.step() == "phone"
    assert screen(k, Step.PHONE).display.text() == "138 1234 5678"
    d.tap(d.find("key_clear"))
    for digit in "13912345678":
        d.tap(d.find(f"key_{digit}"))
    d.tap(d.find("primaryButton"))
    assert d.step() == "review"
    assert review.rows["phone"].value.text() == "139 1234 5678"
    assert [bytes(p.jpeg) for p in k.session.application.pages] == old_pages

    # documents: add a page, back to review
    d.tap(d.find("change_documents"))
    assert d.step() == "capture"
    d.wait(lambda: screen(k, Step.CAPTURE).feed.snapshot() is not None, what="camera frames")
    assert len(screen(k, Step.CAPTURE).pages()) == 2
    take_pages(d, 1)
    d.tap(d.find("primaryButton"))
    assert d.step() == "review"
    assert "3 page(s)" in review.rows["documents"].value.text()

    # basis: a new basis is a new document (one tap says both), so category -> capture -> review
    d.tap(d.find("change_basis"))
    assert d.step() == "category"
    code = categories_for_basis(Basis.RESIDENCE)[0].code
    k.camera.show_document(code)
    d.tap(d.find(f"category_{code}"))
    assert d.step() == "capture"
    assert k.session.application.basis == Basis.RESIDENCE
    assert k.session.application.pages == []  # the work pages are gone
    cap = screen(k, Step.CAPTURE)
    assert cap.pages() == []
    assert primary(d) == "Take a photo first" and not d.find("primaryButton").isEnabled()
    d.wait(lambda: cap.feed.snapshot() is not None, what="camera frames")
    take_pages(d, 1)
    new_page = bytes(k.session.application.pages[0].jpeg)
    d.tap(d.find("primaryButton"))
    assert d.step() == "review"
    assert review.rows["basis"].value.text() == "I have a home here"
    assert "1 page(s)" in review.rows["documents"].value.text()
    assert review.rows["phone"].value.text() == "139 1234 5678"

    submit(d)
    assert d.step() == "done"
    app = assert_one_application_with_pages(sim, [new_page])
    assert app["basis"] == "residence"
    assert [x["category"] for x in app["documents"]] == [code]
    assert app["applicant"]["phone"] == "13912345678"


def test_language_switch_mid_journey_keeps_the_session(kiosk, sim):
    k, d = kiosk  # sessions start in Chinese
    assert k.journey.lang == "zh"
    to_capture(d)
    take_pages(d, 1)
    cap = screen(k, Step.CAPTURE)
    zh_hint = cap.hint.text()
    lang = d.find("langButton")
    assert lang.text() == "English"
    d.tap(lang)
    assert k.journey.lang == "en" and lang.text() == "中文"
    assert cap.hint.text() != zh_hint and cap.hint.text().startswith("Put page 2 face up")
    assert primary(d) == "Continue with 1 page"
    assert len(k.session.application.pages) == 1 and len(cap.pages()) == 1
    d.tap(d.find("primaryButton"))
    d.phone(PHONE)
    assert d.step() == "review"
    review = screen(k, Step.REVIEW)
    assert review.heading.text() == "Check your answers"
    assert d.find("backButton").text() == "Back"
    before = (
        k.session.identity,
        [bytes(p.jpeg) for p in k.session.application.pages],
        k.session.application.phone,
    )

    d.tap(d.find("langButton"))
    assert k.journey.lang == "zh"
    assert review.heading.text() == "请核对您的信息"
    assert d.find("backButton").text() != "Back"
    assert review.rows["applicant"].value.text() == f"林海  {LINHAI_MASKED}"
    assert review.rows["phone"].value.text() == "138 1234 5678"
    assert d.step() == "review"
    after = (
        k.session.identity,
        [bytes(p.jpeg) for p in k.session.application.pages],
        k.session.application.phone,
    )
    assert after == before

    d.tap(d.find("langButton"))
    assert review.heading.text() == "Check your answers"
    submit(d)
    assert d.step() == "done"
    assert sim.applications()[0]["applicant"]["phone"] == PHONE
