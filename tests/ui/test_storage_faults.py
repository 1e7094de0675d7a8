"""A full or read-only data directory, seen by the resident and the technician (issue 17, cases 2 and 3).

The data directory is a real 2 MiB tmpfs (root only; skipped otherwise), the service the real
simulator on loopback, the kiosk the real application with its Qt widgets.
"""

from __future__ import annotations

import pytest

from kiosk.app import setup_logging
from tests.support.disks import fill
from tests.support.journey_steps import to_review, visible_texts
from tests.support.kiosk import make_kiosk
from tests.support.simulator_api import sim_kiosk

STORAGE_WORDS = "cannot save"


@pytest.fixture
def tiny_kiosk(qtbot, kiosk_config, tiny_disk, monkeypatch):  # noqa: F811 - the fixture above
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tiny_disk))
    cfg = kiosk_config.with_overrides(ui={"language": "en"}, outbox={"min_free_mb": 1})
    k, d = make_kiosk(qtbot, cfg)
    yield k, d, tiny_disk
    k.close()


@pytest.mark.allow_log(r"^kiosk\.heartbeat: storage: the data directory", r"^kiosk\.outbox: outbox: nothing queued, storage fault: the")
def test_a_full_disk_before_the_commit_tells_the_truth_and_takes_the_kiosk_out_of_service(tiny_kiosk, sim):
    k, d, disk = tiny_kiosk
    to_review(d, pages=1)
    filler = fill(disk)
    d.tap(d.find("primaryButton"))  # submit
    screen = d.win.current_screen()
    d.wait(lambda: screen.phase == "storage", timeout=15, what="the storage fault on screen")
    texts = " ".join(visible_texts(d.win))
    assert "cannot save your application" in texts and "has not been submitted" in texts
    assert "could not reach" not in texts  # not the network's fault
    assert d.win.primary_button.text() == "Finish"  # no Try again that cannot work
    assert sim.applications() == [] and k.outbox.depth() == 0  # nothing accepted that is not stored
    d.tap(d.find("primaryButton"))
    assert d.step() == "attract" and not k.session.holds_personal_data()
    attract = d.win.current_screen()
    assert attract.oos.isVisible() and STORAGE_WORDS in attract.oos.body.text()
    assert not attract.tiles["renewal"].isVisible()
    # The technician's reason goes up with the next heartbeat, and shows in maintenance.
    k.heartbeat.beat()
    last = sim_kiosk(sim)["last_heartbeat"]["last_error"]
    assert last["code"] == "storage" and "full" in last["message"]
    assert k.probe()["storage"].startswith("fault:")
    # Space again: the next heartbeat puts the kiosk back in service.
    filler.unlink()
    k.heartbeat.beat()
    d.wait(lambda: k.journey.state.out_of_service is None, what="back in service")
    assert attract.tiles["renewal"].isVisible() and k.probe()["storage"] == "ok"


@pytest.mark.allow_log(r"^kiosk\.app: logging to stderr only: cannot create", r"^kiosk\.app: outbox not opened:", r"^kiosk\.events: events go to the log only:")
def test_a_read_only_data_dir_at_start_up_gives_the_out_of_service_screen(qtbot, kiosk_config, sim, tiny_disk, read_only_view, monkeypatch):  # noqa: F811
    monkeypatch.setenv("KIOSK_DATA_DIR", str(read_only_view))
    cfg = kiosk_config.with_overrides(ui={"language": "en"})
    assert setup_logging(cfg) is not None  # stderr only, no OSError
    k, d = make_kiosk(qtbot, cfg)
    try:
        attract = d.win.current_screen()
        assert d.step() == "attract" and attract.oos.isVisible() and STORAGE_WORDS in attract.oos.body.text()
        assert k.outbox is None and "read-only" in k.journey.state.storage_fault
        k.heartbeat.beat()
        last = sim_kiosk(sim)["last_heartbeat"]["last_error"]
        assert last["code"] == "storage" and "restart" in last["message"]
    finally:
        k.close()


@pytest.mark.allow_log(r"^kiosk\.app: outbox not opened: cannot write to")
def test_zero_bytes_free_at_start_up_gives_the_out_of_service_screen(qtbot, kiosk_config, sim, tiny_disk, monkeypatch):  # noqa: F811
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tiny_disk))
    fill(tiny_disk)
    k, d = make_kiosk(qtbot, kiosk_config.with_overrides(ui={"language": "en"}))
    try:
        attract = d.win.current_screen()
        assert attract.oos.isVisible() and STORAGE_WORDS in attract.oos.body.text()
        assert k.journey.state.storage_fault is not None
        assert "林海" not in " ".join(visible_texts(d.win))
    finally:
        k.close()
