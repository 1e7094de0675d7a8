"""Shared fixtures: the real review-service simulator on loopback, and the real kiosk
application (simulated devices) driven through its Qt widgets."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tests.support.kiosk import make_kiosk
from tests.support.paths import CARDS, ROOT  # noqa: F401 - for tests that import them from here

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt Virtual Keyboard is the input method, as on the kiosk (must be set before the QApplication).
os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")

pytest_plugins = ["tests.support.pcsc_env", "tests.support.disks"]
# tests/package tests the built .deb (make package-test sets KIOSK_PACKAGE_DEB); not in make test.
collect_ignore = [] if os.environ.get("KIOSK_PACKAGE_DEB") else ["package"]


@pytest.fixture(autouse=True)
def _data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data directory: tests never touch a real kiosk's data."""
    d = tmp_path / "kiosk-data"
    monkeypatch.setenv("KIOSK_DATA_DIR", str(d))
    return d


@pytest.fixture
def sim() -> Iterator:
    from kiosk.simulator import ReviewSimulator

    s = ReviewSimulator()
    s.start("127.0.0.1", 0)
    yield s
    s.stop()


@pytest.fixture
def kiosk_config(sim):
    from kiosk.config import load
    from kiosk.simulator import DEMO_KIOSK_ID, DEMO_TOKEN

    return load(None).with_overrides(
        backend={"url": sim.url, "token": DEMO_TOKEN, "timeout_s": 5.0},
        kiosk={"id": DEMO_KIOSK_ID},
        ui={"fullscreen": False},
        # The journey tests press the shutter themselves; auto-capture has tests of its own.
        devices={"auto_capture": False},
    )


@pytest.fixture
def kiosk(qtbot, kiosk_config):
    k, d = make_kiosk(qtbot, kiosk_config)
    yield k, d
    k.close()


@pytest.fixture
def fast_idle_config(kiosk_config):
    """Idle after 1 s, a 2 s warning (below the production minimums, for tests only)."""
    return replace(kiosk_config, timeouts=replace(kiosk_config.timeouts, idle_s=1, warning_s=2, done_s=2))


#: Lines any test may log: Qt's notes about its own platform plugin, QML and audio probing.
BENIGN = [
    re.compile(p)
    for p in (
        r"^qt: This plugin does not support ",
        # Qt Virtual Keyboard's own QML, the first time a process loads it
        r"^qt: Member \w+ of the object \w+ overrides a member of the base object",
        r"^qt: QQmlExpression: Expression qrc:/qt-project\.org/",
        r"^qt:\s+_KeyboardLineEdit::",
        # Qt Multimedia probing for an audio server that a headless machine does not have
        r"^qt: Couldn't (resolve|load) pipewire",
    )
]


class _LogFail(logging.Handler):
    """Collects every warning or error the kiosk (or Qt) logs during one test."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def logfail(request: pytest.FixtureRequest) -> Iterator[_LogFail]:
    """Fail any test that logs an unexpected warning or error (qutebrowser's ``logfail``).

    A test that expects some marks them: ``@pytest.mark.allow_log("regex", ...)`` (matched against
    the logger's name and the message), or ``@pytest.mark.allow_log`` with no pattern for any; a
    test that asks for ``caplog`` checks its log itself. The handler sits on the ``kiosk`` and
    ``qt`` loggers, so ``setup_logging`` (which replaces the root's handlers) does not drop it.
    """
    handler = _LogFail()
    loggers = [logging.getLogger("kiosk"), logging.getLogger("qt")]
    for lg in loggers:
        lg.addHandler(handler)
    yield handler
    for lg in loggers:
        lg.removeHandler(handler)
    if "caplog" in request.fixturenames:
        return
    markers = list(request.node.iter_markers("allow_log"))
    if any(not m.args for m in markers):
        return
    allowed = BENIGN + [re.compile(p) for m in markers for p in m.args]
    unexpected = [
        f"{r.levelname} {r.name}: {r.getMessage()}"
        for r in handler.records
        if not any(a.search(f"{r.name}: {r.getMessage()}") for a in allowed)
    ]
    if unexpected:
        pytest.fail("unexpected log lines (mark the test allow_log if they are expected):\n" + "\n".join(unexpected[:10]), pytrace=False)
