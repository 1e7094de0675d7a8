"""The failsafe: an unexpected exception in a screen's slot, a worker or a device thread wipes
the session, shows a calm notice, returns to attract, and the next resident is served."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path

import pytest

from tests.support.journey_steps import to_capture, to_identity, to_review
from tests.support.kiosk import make_kiosk

# pytest-qt would fail these tests on the very exceptions they provoke on purpose; the
# failsafe passes unexpected ones on to it everywhere else.
pytestmark = [
    pytest.mark.qt_no_exception_capture,
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
]

PERSONAL = ("460108198706120310", "林海")


class Boom(RuntimeError):
    pass


def assert_failsafe_then_serves_again(k, d, caplog) -> None:
    d.wait(lambda: k.failsafe.trips >= 1, timeout=10, what="the failsafe")
    d.wait(lambda: d.step() == "attract", timeout=10, what="attract")
    # Wiped: nothing of the resident in the session or on any label.
    assert not k.session.holds_personal_data()
    texts = "\n".join(w.text() for w in d.win.findChildren(type(d.win.step_label)) if w.text())
    assert not any(p in texts for p in PERSONAL)
    # The calm notice, in the resident's language, over the attract screen.
    assert k.window.overlay.isVisible() and k.window.overlay.kind == "failsafe"
    assert "本机暂时无法继续办理" in k.window.overlay.heading.text()
    # Logged as a type and a place, nothing personal; the heartbeat tells the technician.
    records = [r for r in caplog.records if r.name == "kiosk.screens.failsafe"]
    assert records and all("Boom" in r.getMessage() for r in records)
    assert not any(p in r.getMessage() for r in caplog.records for p in PERSONAL)
    assert k.heartbeat.last_error["code"] == "failsafe"
    # The next resident: the notice goes, and a whole renewal goes through.
    d.tap(k.window.overlay.action_buttons()[0])
    assert not k.window.overlay.isVisible()
    k.reader.remove()  # the first resident took their card, as the notice asked
    d.pump(50)
    to_review(d, pages=1)
    d.tap(d.find("primaryButton"))
    d.wait(lambda: d.step() == "done", timeout=30, what="the next resident's renewal")
    assert k.session.submission.application_id


@pytest.fixture
def kiosk_zh(qtbot, kiosk_config, caplog):
    caplog.set_level(logging.INFO)
    k, d = make_kiosk(qtbot, kiosk_config.with_overrides(ui={"language": "zh"}))
    yield k, d
    k.close()


def test_exception_in_a_screen_slot(kiosk_zh, caplog):
    k, d = kiosk_zh
    to_identity(d)
    assert k.session.holds_personal_data()

    def broken_slot() -> None:
        raise Boom("460108198706120310")  # a message with personal data must not be logged

    d.find("primaryButton").clicked.connect(broken_slot)
    d.tap(d.find("primaryButton"))
    d.find("primaryButton").clicked.disconnect(broken_slot)
    assert_failsafe_then_serves_again(k, d, caplog)


def test_exception_in_a_worker_thread(kiosk_zh, caplog):
    k, d = kiosk_zh
    to_identity(d)

    def work() -> None:
        raise Boom("林海")

    t = threading.Thread(target=work, name="worker")
    t.start()
    t.join()
    assert_failsafe_then_serves_again(k, d, caplog)


def test_exception_in_a_background_tasks_callback(kiosk_zh, caplog):
    from kiosk.screens import tasks

    k, d = kiosk_zh
    to_identity(d)

    def on_done(_result) -> None:
        raise Boom("林海")

    tasks.run(lambda: 1, on_done=on_done)
    assert_failsafe_then_serves_again(k, d, caplog)


def test_exception_in_a_device_adapter(kiosk_zh, caplog, monkeypatch):
    """The camera's read raises on the grabber thread, with the resident's pages on screen."""
    k, d = kiosk_zh
    to_capture(d)

    def broken_read():
        raise Boom("camera firmware")

    monkeypatch.setattr(k.camera, "read", broken_read)
    d.wait(lambda: k.failsafe.trips >= 1, timeout=10, what="the failsafe")
    monkeypatch.undo()
    assert_failsafe_then_serves_again(k, d, caplog)


def test_failsafe_logs_no_values_and_restores_the_hooks(qtbot):
    from kiosk.screens.failsafe import Failsafe

    trips: list[str] = []
    before = (sys.excepthook, threading.excepthook)
    fs = Failsafe(trips.append)
    fs.install()
    assert sys.excepthook != before[0] and threading.excepthook != before[1]
    try:
        raise Boom("secret 460108198706120310")
    except Boom:
        exc_type, exc, tb = sys.exc_info()
    from kiosk.screens.failsafe import where

    assert where(tb).startswith(f"{Path(__file__).name}:")
    assert "460108" not in where(tb)
    fs.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
