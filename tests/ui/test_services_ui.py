"""Every service end to end through the real widgets, against the simulator, asserting what
the simulator received: service, changes, documents, pickup."""

from __future__ import annotations

import requests

from kiosk import tour
from kiosk.simulator import DEMO_TOKEN
from tests.support.journey_steps import CARDS, visible_texts


def sim_post(sim, path: str, body: dict) -> dict:
    r = requests.post(sim.url + path, json=body, headers={"Authorization": f"Bearer {DEMO_TOKEN}"}, timeout=10)
    assert r.status_code in (200, 201), r.text
    return r.json()


def finish(d) -> None:
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "attract", what="attract")
    assert not d.kiosk.session.holds_personal_data()


def test_info_change_sends_changes_and_proof(kiosk, sim):
    k, d = kiosk
    tour.info_change(d, CARDS / "zhangwei.json")
    (app,) = sim.applications()
    assert app["service"] == "info_change"
    assert app["applicant"]["id_number"] == "460106198503121214"
    assert app["basis"] is None
    changes = {key: v for key, v in app["changes"].items() if v is not None}
    # District, street and community picked from the list; only road, number and room typed.
    assert changes == {"residence_address": "海南省海口市龙华区金贸街道玉沙社区玉沙路18号301室"}
    assert app["applicant"]["phone"] == "13707551214"  # the number on file, confirmed with one tap
    assert [(x["category"], x["page"]) for x in app["documents"]] == [("rental_contract", 1)]
    assert sim.document_bytes(app["documents"][0]["document_id"])[:3] == b"\xff\xd8\xff"
    assert app["application_id"] in k.printer.last_text()
    finish(d)


def test_info_change_typed_community_and_employer_in_pinyin(kiosk, sim):
    """A street with no communities in the list (or "Not listed") types the community; the
    employer keeps the Pinyin keyboard."""
    k, d = kiosk
    d.start("tile_info_change")
    d.read_card(CARDS / "zhangwei.json")
    d.confirm_identity()
    d.tap(d.find("change_residence_address"))
    d.tap(d.find("change_employer"))
    d.tap(d.find("primaryButton"))
    assert d.step() == "address"
    assert not d.field("address_community").isVisible()
    d.tap(d.find("address_district_3"))  # 美兰区
    streets = [d.find(f"address_street_{i}").text() for i in range(13)]
    assert streets[3] == "海甸街道" and "演丰镇" in streets
    d.tap(d.find("address_street_10"))  # 演丰镇: its villages are listed, with "Not listed"
    assert d.find("address_community_0").text() == "塔市村"
    assert not d.field("address_community").isVisible()
    d.tap(d.find("address_community_other"))
    assert d.field("address_community").isVisible()
    # The lists fold into one line with "Change", so the fields sit high above the keyboard.
    assert not d.find("address_street_0").isVisible() and d.find("address_reopen").isVisible()
    d.tap(d.find("address_reopen"))
    assert d.find("address_street_10").isVisible()
    d.tap(d.find("address_community_other"))
    d.type_text(d.field("address_community"), "示例村")
    d.type_text(d.field("address_detail"), "12号")
    d.tap(d.find("primaryButton"))
    assert d.step() == "employer"
    d.type_pinyin(d.field("employer_name"), "haikou", "海口")
    d.type_text(d.field("employer_name"), "椰林科技有限公司")
    d.tap(d.find("primaryButton"))
    d.tap(d.find("primaryButton"))  # the date: today
    d.capture("rental_contract", 1)
    d.phone("13912345678")  # another number than the one on file
    d.submit()
    (app,) = sim.applications()
    changes = {key: v for key, v in app["changes"].items() if v is not None}
    assert changes == {
        "residence_address": "海南省海口市美兰区演丰镇示例村12号",
        "employer": "海口椰林科技有限公司",
    }
    assert app["applicant"]["phone"] == "13912345678"
    finish(d)


def test_info_change_reported_late_shows_the_warning(kiosk, sim):
    k, d = kiosk
    d.start("tile_info_change")
    d.read_card(CARDS / "zhangwei.json")
    d.confirm_identity()
    d.tap(d.find("change_school"))
    d.tap(d.find("primaryButton"))
    d.type_text(d.field("school_name"), "海南大学")
    d.tap(d.find("primaryButton"))
    assert d.step() == "change_date"
    for _ in range(2):
        d.tap(d.find("month_minus"))
    warning = d.win.current_screen().notice
    assert warning.isVisible()
    d.tap(d.find("primaryButton"))
    assert k.session.change_late
    d.capture("enrollment_certificate", 1)
    d.phone()
    assert d.win.current_screen().notice.isVisible()  # the review repeats it
    d.submit()
    (app,) = sim.applications()
    assert {key: v for key, v in app["changes"].items() if v} == {"school": "海南大学"}


def test_reissue_lost_sends_no_materials(kiosk, sim):
    k, d = kiosk
    tour.reissue(d, CARDS / "fumingde.json", lost=True)
    (app,) = sim.applications()
    assert app["service"] == "reissue_lost"
    assert app["documents"] == [] and app["basis"] is None and app["changes"] is None
    assert app["applicant"]["phone"] == "18807550038"  # the number on file, confirmed with one tap
    finish(d)


def test_reissue_damaged_says_to_bring_the_damaged_permit(kiosk, sim):
    k, d = kiosk
    d.start("tile_reissue")
    d.read_card(CARDS / "ayiguli.json")
    d.confirm_identity()
    d.tap(d.find("reissue_damaged"))
    text = "\n".join(visible_texts(d.win.current_screen()))
    assert "20" in text  # the fee from configuration
    d.tap(d.find("primaryButton"))
    d.phone()
    d.submit()
    (app,) = sim.applications()
    assert app["service"] == "reissue_damaged"


def test_lost_permit_that_ran_out_is_renewed_first(kiosk, sim):
    k, d = kiosk
    sim_post(sim, "/sim/permits", {
        "id_number": "460107196809180038", "name": "符明德", "permit_number": "4601072017000918",
        "valid_until_offset_days": -40, "registered_address": "海南省海口市琼山区府城忠介路3号",
    })
    d.start("tile_reissue")
    d.read_card(CARDS / "fumingde.json")
    d.confirm_identity()
    d.tap(d.find("reissue_lost"))
    assert k.session.reissue_verdict == "renew_first"
    d.tap(d.find("primaryButton"))  # renew my permit now
    assert d.step() == "eligibility"
    assert k.journey.wizard.service.value == "renewal"
    d.tap(d.find("primaryButton"))  # I understand (late renewal)
    d.capture("property_certificate", 1)  # the document says the basis too
    d.phone()
    d.submit()
    (app,) = sim.applications()
    assert app["service"] == "renewal" and app["basis"] == "residence"


def test_my_applications_mail_pickup(kiosk, sim):
    k, d = kiosk
    tour.status(d, CARDS / "linhai.json")
    (app,) = sim.applications()
    assert app["status"] == "pickup_chosen"
    pickup = app["pickup"]
    assert pickup["method"] == "mail"
    assert pickup["address"] == "海南省海口市美兰区和平大道56号"
    assert pickup["recipient"] == "林海"
    texts = "\n".join(visible_texts(d.win.current_screen()))
    assert "金贸派出所" in texts or "Jinmao" in texts  # where to send the old permit first
    finish(d)


def test_my_applications_window_pickup(kiosk, sim):
    k, d = kiosk
    tour.renewal(d, CARDS / "linhai.json")
    app_id = k.session.submission.application_id
    finish(d)
    tour.wait_card_ready(d, app_id)
    d.start("tile_status")
    d.read_card(CARDS / "linhai.json")
    d.wait(lambda: not d.win.current_screen().loading, what="applications")
    d.tap(d.find(f"application_{app_id}"))
    d.tap(d.find("primaryButton"))
    d.tap(d.find("pickup_window"))
    assert d.step() == "pickup_review"
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "done", what="done")
    (app,) = sim.applications()
    assert app["pickup"]["method"] == "window"
    assert app["pickup"]["bring"] == ["id_card", "residence_permit"]


def test_needs_more_material_adds_pages_to_the_application(kiosk, sim):
    k, d = kiosk
    tour.renewal(d, CARDS / "linhai.json")
    app_id = k.session.submission.application_id
    finish(d)
    sim_post(sim, f"/sim/applications/{app_id}/decide", {"decision": "needs_more_material", "note": "请补充近6个月社保缴纳证明。"})
    d.start("tile_status")
    d.read_card(CARDS / "linhai.json")
    d.wait(lambda: not d.win.current_screen().loading, what="applications")
    d.tap(d.find(f"application_{app_id}"))
    assert "请补充近6个月社保缴纳证明" in "\n".join(visible_texts(d.win.current_screen()))
    d.tap(d.find("primaryButton"))  # add documents
    assert d.step() == "category"
    d.capture("social_insurance_record", 2)
    assert d.step() == "review"
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "done", what="done")
    (app,) = sim.applications()
    assert app["status"] == "under_review"
    cats = [x["category"] for x in app["documents"]]
    assert cats.count("social_insurance_record") == 2 and cats.count("employment_contract") == 2
    finish(d)


def test_no_applications_says_so(kiosk, sim):
    k, d = kiosk
    d.start("tile_status")
    d.read_card(CARDS / "zhangwei.json")
    d.wait(lambda: not d.win.current_screen().loading, what="applications")
    assert d.step() == "applications"
    assert d.win.current_screen().notice.isVisible()
    finish(d)


def test_mail_pickup_to_another_address(kiosk, sim):
    k, d = kiosk
    tour.renewal(d, CARDS / "linhai.json")
    app_id = k.session.submission.application_id
    finish(d)
    tour.wait_card_ready(d, app_id)
    d.start("tile_status")
    d.read_card(CARDS / "linhai.json")
    d.wait(lambda: not d.win.current_screen().loading, what="applications")
    d.tap(d.find(f"application_{app_id}"))
    d.tap(d.find("primaryButton"))
    d.tap(d.find("pickup_mail"))
    assert not d.win.primary_button.isVisible()  # choose first: registered or another
    d.tap(d.find("mail_other"))
    d.tap(d.find("mail_district_3"))
    d.tap(d.find("mail_street_3"))  # 海甸街道 (no communities listed: none typed)
    d.type_text(d.field("mail_detail"), "人民大道58号5栋402室")
    d.tap(d.find("primaryButton"))
    assert d.step() == "phone"
    assert not d.win.current_screen().offering_on_file()  # the courier's number is always typed
    d.phone("13912345678")
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "done", what="done")
    (app,) = sim.applications()
    assert app["pickup"]["address"] == "海南省海口市美兰区海甸街道人民大道58号5栋402室"
    assert app["pickup"]["phone"] == "13912345678"
