"""The outbox seen from the resident's side: a slow or broken network ends in a queued
receipt (the client reference), the application arrives exactly once later, and nothing
personal is left in plaintext in the kiosk's data directory."""

from __future__ import annotations

from dataclasses import replace

from tests.conftest import make_kiosk
from tests.journey_steps import to_review, visible_texts
from tests.outbox_support import personal_data_in


def test_network_down_gives_a_queued_receipt_then_exactly_one_application(qtbot, kiosk_config, sim, _data_dir):
    cfg = replace(kiosk_config, outbox=replace(kiosk_config.outbox, submit_wait_s=1.0))
    k, d = make_kiosk(qtbot, cfg)
    try:
        to_review(d, pages=2)
        sim.inject_faults("/v1/documents/*", "service_unavailable", count=1000, retry_after_s=1)
        d.tap(d.find("primaryButton"))
        d.wait(lambda: d.step() == "done", timeout=20, what="done")
        sub = k.session.submission
        assert sub.application_id is None
        shown = "\n".join(visible_texts(d.win.current_screen()))
        assert sub.client_reference in shown
        receipt = k.printer.last_text()
        assert sub.client_reference in receipt
        assert sim.applications() == []
        assert personal_data_in(_data_dir) == [], "plaintext personal data on disk while queued"
        d.tap(d.find("primaryButton"))  # the resident leaves
        assert not k.session.holds_personal_data()

        sim.clear_faults()
        assert k.outbox.flush(20)
        (app,) = sim.applications()
        assert app["client_reference"] == sub.client_reference
        assert len(app["documents"]) == 2
        assert all(sim.document_bytes(x["document_id"]) for x in app["documents"])
        assert k.outbox.status()["depth"] == 0
    finally:
        k.close()
    assert personal_data_in(_data_dir) == []


def test_lost_response_after_commit_still_one_application(kiosk, sim):
    k, d = kiosk
    to_review(d, pages=1)
    sim.inject_faults("/v1/applications", "drop_after_commit", count=1, method="POST")
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "done", timeout=30, what="done")
    assert k.outbox.flush(20)
    apps = sim.applications()
    assert len(apps) == 1
    if k.session.submission.application_id:
        assert k.session.submission.application_id == apps[0]["application_id"]


def test_data_directory_holds_nothing_personal_after_journeys(kiosk, sim, _data_dir):
    k, d = kiosk
    to_review(d, pages=1)
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "done", timeout=30, what="done")
    d.tap(d.find("primaryButton"))
    k.outbox.flush(10)
    assert len(sim.applications()) == 1
    assert personal_data_in(_data_dir) == []


def test_a_201_whose_decision_date_does_not_parse_is_shown_as_accepted(kiosk, sim):
    """Issue 17, case 5: the service accepted the application, but ``expected_decision_by`` did
    not parse; the resident saw "not sent yet" and Try again looped."""
    k, d = kiosk
    sim.inject_faults("/v1/applications", "replace_members", method="POST", members={"expected_decision_by": "soon-ish"})
    to_review(d, pages=1)
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "done", timeout=30, what="done")
    (app,) = sim.applications()
    assert k.session.submission.application_id == app["application_id"]
    assert k.session.submission.expected_decision_by is None
    texts = " ".join(visible_texts(d.win))
    assert app["application_id"] in texts


def test_after_the_commit_a_failure_still_says_accepted_and_cancel_never_says_nothing_is_sent(kiosk, sim, monkeypatch):
    """Issue 17, case 5: after acceptance, Cancel said "不会提交任何内容" (nothing will be submitted)."""
    k, d = kiosk
    to_review(d, pages=1)

    def broken(_entry):  # something unexpected, after the application is committed to the outbox
        raise RuntimeError("progress unavailable")

    monkeypatch.setattr(k.outbox, "progress", broken)
    k.journey.submit_wait_s = 0.0
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "done", timeout=30, what="done, not 'not sent yet'")
    assert k.journey.accepted
    d.win.ask_cancel()
    said = " ".join(visible_texts(d.win.overlay))
    assert "不会提交任何内容" not in said and "已经受理" in said
    k.outbox.flush(15)
    assert len(sim.applications()) == 1
