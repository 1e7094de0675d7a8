"""Heartbeat: device health and outbox depth go up; out-of-service comes down and stops new journeys."""

from __future__ import annotations

import pytest

from kiosk.devices.base import PrinterState
from kiosk.simulator import DEMO_KIOSK_ID, DEMO_TOKEN
from tests.support.simulator_api import set_directive, sim_kiosk


def test_heartbeat_reports_devices(kiosk, sim):
    k, d = kiosk
    k.printer.set_state(PrinterState.PAPER_OUT)
    directive = k.heartbeat.beat()
    assert directive is not None and directive.out_of_service is False
    last = sim_kiosk(sim)["last_heartbeat"]
    assert last["devices"] == {"card_reader": "ok", "camera": "ok", "printer": "paper_out"}
    assert last["outbox_depth"] == 0
    assert last["software_version"]


def test_out_of_service_stops_new_journeys_but_not_the_current_one(kiosk, sim):
    k, d = kiosk
    set_directive(sim, {"out_of_service": True, "message": {"zh-CN": "系统维护中。", "en": "Under maintenance."}})
    k.heartbeat.beat()
    d.wait(lambda: k.journey.state.out_of_service is not None, what="directive")
    attract = k.window.current_screen()
    assert attract.oos.isVisible() and not attract.tiles["renewal"].isVisible()
    assert "系统维护中" in attract.oos.body.text()
    assert DEMO_KIOSK_ID in attract.oos_ref.text()

    set_directive(sim, {"out_of_service": False})
    k.heartbeat.beat()
    d.wait(lambda: k.journey.state.out_of_service is None, what="back in service")
    assert attract.tiles["renewal"].isVisible() and not attract.oos.isVisible()

    d.tap(d.find("tile_renewal"))
    set_directive(sim, {"out_of_service": True})
    k.heartbeat.beat()
    d.wait(lambda: k.journey.state.out_of_service is not None, what="directive")
    assert d.step() == "consent"  # the resident in the middle of a journey carries on


@pytest.mark.allow_log(r"^kiosk\.heartbeat: heartbeat failed: internal_error")
def test_heartbeat_failure_is_reported_not_raised(kiosk, sim):
    k, d = kiosk
    sim.inject_faults(f"/v1/kiosks/{DEMO_KIOSK_ID}/heartbeat", "internal_error", count=5)
    assert k.heartbeat.beat() is None


@pytest.mark.allow_log(r"^kiosk\.backend_client: malformed answer from the review service", r"^kiosk\.heartbeat: heartbeat failed: network_error")
def test_the_heartbeat_thread_survives_a_malformed_answer(sim):
    """Issue 17, case 4: a 200 with ``next_heartbeat_s: "soon"`` raised in Directive.from_json and
    ended the thread, and with it every later heartbeat and out-of-service directive."""
    import threading

    from kiosk.backend_client import ReviewClient, default_retry
    from kiosk.heartbeat import Heartbeat

    client = ReviewClient(sim.url, DEMO_TOKEN, DEMO_KIOSK_ID, timeout=5, retry=default_retry(total=0))
    got = []
    seen = threading.Event()

    def directive(d) -> None:
        got.append(d)
        seen.set()

    sim.inject_faults(f"/v1/kiosks/{DEMO_KIOSK_ID}/heartbeat", "replace_members", 2, members={"next_heartbeat_s": "soon"})
    set_directive(sim, {"out_of_service": True, "message": {"zh-CN": "系统维护中。", "en": "Under maintenance."}})
    hb = Heartbeat(client, lambda: {"card_reader": "ok", "camera": "ok", "printer": "ok"}, on_directive=directive, retry_s=0.05)
    hb.start()
    try:
        assert seen.wait(15), "no directive after two malformed answers"
        assert hb._thread is not None and hb._thread.is_alive()
        assert got[0].out_of_service and got[0].message == {"zh-CN": "系统维护中。", "en": "Under maintenance."}
    finally:
        hb.stop()
        client.close()


def test_directive_from_json_never_raises_on_members_of_the_wrong_type():
    import datetime as dt

    from kiosk.heartbeat import Directive

    d = Directive.from_json(
        {"next_heartbeat_s": "soon", "server_time": 5, "out_of_service": "yes", "message": {"zh-CN": 42, "en": "x"}},
        dt.datetime.now(dt.UTC),
    )
    assert d.next_heartbeat_s == 60 and d.server_time is None and d.out_of_service is False
    assert d.message == {"en": "x"}


def test_an_out_of_service_message_that_is_not_text_still_shows_the_notice(kiosk):
    k, d = kiosk
    k.journey.state.set_remote({"zh-CN": 42, "en": ["not", "text"]})
    attract = k.window.current_screen()
    assert attract.oos.isVisible()
    assert "42" not in attract.oos.body.text() and attract.oos.body.text()  # the standard words, never empty
    assert attract.oos.heading.text()
    assert not attract.tiles["renewal"].isVisible()
