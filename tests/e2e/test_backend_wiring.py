"""One wiring of the review service: the app, the tour and ``kiosk outbox flush`` all reach the
same service, and with the embedded simulator the same database, which lives apart from the
kiosk's own state. Nothing personal is left in the kiosk's part of the data directory."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace

import pytest

from kiosk.backend import SIMULATOR_DIR, open_backend, simulator_db
from tests.support.journey_steps import to_review
from tests.support.kiosk import make_kiosk
from tests.support.outbox_support import personal_data_in
from tests.support.paths import ROOT


def test_every_caller_gets_the_same_embedded_service(_data_dir):
    from kiosk.config import load

    cfg = load(None)
    assert cfg.backend.url == "embedded"
    a = open_backend(cfg)
    try:
        assert a.simulator is not None and simulator_db(cfg).is_file()
        assert simulator_db(cfg).parent == _data_dir / SIMULATOR_DIR
        made = a.client_factory()()
        assert made.base_url == a.client.base_url == a.url
        made.close()
    finally:
        a.close()


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_queued_application_is_flushed_into_the_apps_own_simulator(qtbot, _data_dir):
    """A renewal queued while the service is down, then ``kiosk outbox flush`` in another
    process: the application lands in the database the app itself uses."""
    from kiosk.config import load
    from kiosk.simulator import ReviewSimulator

    cfg = load(None).with_overrides(ui={"fullscreen": False}, devices={"auto_capture": False})
    cfg = replace(cfg, outbox=replace(cfg.outbox, submit_wait_s=1.0))
    k, d = make_kiosk(qtbot, cfg)
    try:
        to_review(d, pages=1)
        k.simulator.inject_faults("/v1/documents/*", "service_unavailable", count=1000, retry_after_s=60)
        d.tap(d.find("primaryButton"))
        d.wait(lambda: d.step() == "done", timeout=20, what="done (queued)")
        reference = k.session.submission.client_reference
        assert k.session.submission.application_id is None
        d.tap(d.find("primaryButton"))  # the resident leaves
        assert k.simulator.applications() == []
    finally:
        k.close()

    env = dict(os.environ, KIOSK_DATA_DIR=str(_data_dir), QT_QPA_PLATFORM="offscreen")
    r = subprocess.run(
        [sys.executable, "-m", "kiosk", "outbox", "flush", "--timeout", "30"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=90,
    )
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr

    sim = ReviewSimulator(db_path=simulator_db(cfg))
    (app,) = sim.applications()
    assert app["client_reference"] == reference
    # Nothing beside the simulator's folder: no second, plaintext simulator database.
    assert sorted(p.name for p in _data_dir.glob("*.sqlite3")) == ["outbox.sqlite3"]
    assert personal_data_in(_data_dir) == []
