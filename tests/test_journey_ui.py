"""The renewal journey end to end: real widgets clicked with pytest-qt, simulated devices,
the real review-service simulator over loopback HTTP."""

from __future__ import annotations

from tests.conftest import make_kiosk
from tests.journey_steps import take_pages, to_capture, to_review, visible_texts

NAME = "林海"
ID_NUMBER = "460108198706120310"
MASKED = "460108********0310"
PHONE = "13812345678"


def assert_wiped(k) -> None:
    assert not k.session.holds_personal_data()
    texts = "\n".join(visible_texts(k.window))
    for secret in (NAME, ID_NUMBER, MASKED, PHONE, "138 1234 5678"):
        assert secret not in texts, f"{secret!r} still shown after the session ended"
    identity = k.window.screens[k.journey.wizard.current.__class__("identity")]
    assert identity.photo.pixmap().isNull()
    assert k.journey.wizard.current.value == "attract"


def test_complete_renewal_reaches_simulator_and_prints_receipt(kiosk, sim):
    k, d = kiosk
    to_review(d, pages=2, phone=PHONE)
    review_text = "\n".join(visible_texts(k.window.current_screen()))
    assert MASKED in review_text and ID_NUMBER not in review_text
    pages = [bytes(p.jpeg) for p in k.session.application.pages]
    d.tap(d.find("primaryButton"))  # submit
    d.wait(lambda: d.step() == "done", timeout=30, what="done")

    apps = sim.applications()
    assert len(apps) == 1
    app = apps[0]
    assert app["service"] == "renewal"
    assert app["applicant"]["name"] == NAME
    assert app["applicant"]["id_number"] == ID_NUMBER
    assert app["applicant"]["phone"] == PHONE
    assert app["basis"] == "employment"
    assert app["permit_number"] == "4601082020000310"
    docs = app["documents"]
    assert [(x["category"], x["page"]) for x in docs] == [("employment_contract", 1), ("employment_contract", 2)]
    assert [sim.document_bytes(x["document_id"]) for x in docs] == pages
    assert all(p[:3] == b"\xff\xd8\xff" for p in pages)

    number = d.win.findChild(type(d.win.current_screen().number), "applicationNumber").text()
    assert number == app["application_id"]
    receipt = k.printer.last_text()
    assert app["application_id"] in receipt
    assert MASKED in receipt
    assert ID_NUMBER not in receipt and NAME not in receipt and PHONE not in receipt

    d.tap(d.find("primaryButton"))  # finish
    assert_wiped(k)


def test_cancel_asks_once_then_wipes(kiosk, sim):
    k, d = kiosk
    to_capture(d)
    take_pages(d, 1)
    assert k.session.holds_personal_data()
    d.tap(d.find("cancelButton"))
    assert k.window.overlay.isVisible() and k.window.overlay.kind == "cancel"
    carry_on, stop = k.window.overlay.action_buttons()
    d.tap(carry_on)  # "No, carry on" keeps everything
    assert d.step() == "capture" and len(k.session.application.pages) == 1
    d.tap(d.find("cancelButton"))
    d.tap(k.window.overlay.action_buttons()[1])  # "Yes, stop and delete"
    assert_wiped(k)
    assert sim.applications() == []


def test_idle_timeout_warns_then_wipes(qtbot, fast_idle_config, sim):
    k, d = make_kiosk(qtbot, fast_idle_config)
    try:
        to_review(d)
        assert k.session.holds_personal_data()
        d.wait(lambda: k.window.overlay.kind == "timeout", timeout=5, what="timeout warning")
        assert k.window.overlay.ring.isVisible() and k.window.overlay.ring.left >= 1
        d.wait(lambda: d.step() == "attract", timeout=6, what="timeout")
        # The card is still on the reader: the timeout warning gave way to "take your things".
        assert k.window.overlay.kind == "takeaway"
        assert_wiped(k)
        assert sim.applications() == []
    finally:
        k.close()


def test_idle_warning_continue_keeps_the_session(qtbot, fast_idle_config):
    k, d = make_kiosk(qtbot, fast_idle_config)
    try:
        to_capture(d)
        take_pages(d, 1)
        for _ in range(3):  # several extensions in a row
            d.wait(lambda: k.window.overlay.kind == "timeout", timeout=5, what="timeout warning")
            d.tap(k.window.overlay.action_buttons()[0])
            assert not k.window.overlay.isVisible()
        assert d.step() == "capture" and len(k.session.application.pages) == 1
        assert k.window.idle.extensions == 3
    finally:
        k.close()


def test_done_screen_returns_to_attract_by_itself_and_wipes(qtbot, fast_idle_config, sim):
    k, d = make_kiosk(qtbot, fast_idle_config)
    try:
        to_review(d, pages=1)
        d.tap(d.find("primaryButton"))
        d.wait(lambda: d.step() == "done", timeout=30, what="done")
        d.wait(lambda: d.step() == "attract", timeout=6, what="auto return")
        assert_wiped(k)
        assert len(sim.applications()) == 1
    finally:
        k.close()
