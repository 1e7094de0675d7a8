"""Shared fixtures: the real review-service simulator on loopback, and the real kiosk
application (simulated devices) driven through its Qt widgets."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt Virtual Keyboard is the input method, as on the kiosk (must be set before the QApplication).
os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")

pytest_plugins = ["tests.pcsc_env"]
# tests/package tests the built .deb (make package-test sets KIOSK_PACKAGE_DEB); not in make test.
collect_ignore = [] if os.environ.get("KIOSK_PACKAGE_DEB") else ["package"]

ROOT = Path(__file__).resolve().parent.parent
CARDS = ROOT / "assets" / "cards"


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


def make_kiosk(qtbot, cfg, size=(1080, 1920)):
    from kiosk.app import build
    from kiosk.tour import Driver

    # Tests never wait long: no automatic retries with backoff inside one request.
    k = build(cfg)
    from urllib3.util.retry import Retry

    from kiosk.backend_client import ReviewClient

    for adapter in k.client._s.adapters.values():
        adapter.max_retries = Retry(total=0, raise_on_status=False)
    assert isinstance(k.client, ReviewClient)
    qtbot.addWidget(k.window)
    k.window.resize(*size)
    k.window.show()
    qtbot.waitExposed(k.window)
    return k, Driver(k, None)


@pytest.fixture
def kiosk(qtbot, kiosk_config):
    k, d = make_kiosk(qtbot, kiosk_config)
    yield k, d
    k.close()


@pytest.fixture
def fast_idle_config(kiosk_config):
    """Idle after 1 s, a 2 s warning (below the production minimums, for tests only)."""
    return replace(kiosk_config, timeouts=replace(kiosk_config.timeouts, idle_s=1, warning_s=2, done_s=2))
