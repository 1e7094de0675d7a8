"""systemd supervision: the real kiosk (``kiosk run`` on an Xvfb display) talks to a notify
socket this test provides, as systemd's would be: READY=1 once the attract screen is painted,
WATCHDOG=1 pings at half of WATCHDOG_USEC, and no ping once the event loop hangs (the
``KIOSK_TEST_HANG_AFTER_S`` test hook), so systemd's ``WatchdogSec=`` would restart it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.sdnotify import Notifier, watchdog_interval_s

ROOT = Path(__file__).resolve().parent.parent
WATCHDOG_USEC = 1_000_000  # as systemd sets it for WatchdogSec=1s: a ping every 0.5 s


class NotifySocket:
    """The receiving end of the notify protocol: an AF_UNIX datagram socket."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.received: list[tuple[float, str]] = []  # (time.monotonic(), message)

    def next(self, timeout_s: float) -> str | None:
        """The next message, or None if none came within ``timeout_s``."""
        self.sock.settimeout(timeout_s)
        try:
            message = self.sock.recv(4096).decode()
        except TimeoutError:
            return None
        self.received.append((time.monotonic(), message))
        return message

    def wait_for(self, message: str, timeout_s: float) -> list[str]:
        """Messages up to and including ``message``; fails if it does not come in time."""
        seen: list[str] = []
        while True:
            m = self.next(timeout_s)
            assert m is not None, f"no {message!r} within {timeout_s} s; got {seen}"
            seen.append(m)
            if m == message:
                return seen

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[NotifySocket]:
    s = NotifySocket(tmp_path / "notify.sock")
    yield s
    s.close()


@pytest.fixture
def xvfb() -> Iterator[str]:
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is missing: scripts/setup.sh installs it")
    r, w = os.pipe()
    proc = subprocess.Popen(["Xvfb", "-displayfd", str(w), "-screen", "0", "1080x1920x24", "-nolisten", "tcp"],
                            pass_fds=(w,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(w)
    with os.fdopen(r) as f:
        display = f.readline().strip()
    assert display, "Xvfb did not report a display"
    yield f":{display}"
    proc.terminate()
    proc.wait(10)


def start_kiosk(display: str, notify: Path, data_dir: Path, **extra: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=display, QT_QPA_PLATFORM="xcb", NOTIFY_SOCKET=str(notify), KIOSK_DATA_DIR=str(data_dir),
               WATCHDOG_USEC=str(WATCHDOG_USEC), **extra)
    return subprocess.Popen([sys.executable, "-m", "kiosk", "run"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def stop(proc: subprocess.Popen) -> str:
    proc.kill()
    _, err = proc.communicate(timeout=30)
    return err


@pytest.mark.slow
def test_ready_then_pings_from_the_event_loop(xvfb, notify_socket, tmp_path):
    proc = start_kiosk(xvfb, notify_socket.path, tmp_path / "data")
    try:
        before = notify_socket.wait_for("READY=1", 60)
        assert "WATCHDOG=1" not in before, "pinged before the attract screen was shown"
        pings = [notify_socket.next(5 * WATCHDOG_USEC / 1e6) for _ in range(4)]
        assert pings == ["WATCHDOG=1"] * 4
        assert proc.poll() is None
    finally:
        stop(proc)


@pytest.mark.slow
def test_a_hung_event_loop_stops_the_pings(xvfb, notify_socket, tmp_path):
    proc = start_kiosk(xvfb, notify_socket.path, tmp_path / "data", KIOSK_TEST_HANG_AFTER_S="1.5")
    try:
        notify_socket.wait_for("READY=1", 60)
        seen = notify_socket.wait_for("STATUS=test hang: event loop blocked", 10)
        assert seen.count("WATCHDOG=1") >= 2, seen  # it was pinging until the hang
        # systemd restarts a unit that stays silent for WatchdogSec (= WATCHDOG_USEC): twice that
        # passes without a ping, while the process is alive (hung, not exited).
        assert notify_socket.next(2 * WATCHDOG_USEC / 1e6) is None
        assert proc.poll() is None
    finally:
        err = stop(proc)
    assert "KIOSK_TEST_HANG_AFTER_S is set" in err


def test_no_notify_socket_sends_nothing():
    n = Notifier.from_environment({})
    assert not n.enabled
    assert n.ready() is False and n.ping() is False


def test_a_vanished_notify_socket_is_reported_not_raised(tmp_path, caplog):
    n = Notifier(str(tmp_path / "gone.sock"))
    assert n.ready() is False
    assert n.ping() is False
    assert sum("systemd notify socket" in r.message for r in caplog.records) == 1  # logged once, not per ping


def test_abstract_socket():
    name = f"kiosk-test-{os.getpid()}"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(b"\0" + name.encode())
    try:
        s.settimeout(5)
        assert Notifier("@" + name).ready()
        assert s.recv(100) == b"READY=1"
    finally:
        s.close()


@pytest.mark.parametrize(
    ("env", "interval"),
    [
        ({}, None),
        ({"WATCHDOG_USEC": "30000000"}, 15.0),
        ({"WATCHDOG_USEC": "0"}, None),
        ({"WATCHDOG_USEC": "soon"}, None),
        ({"WATCHDOG_USEC": "-5"}, None),
        ({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": str(os.getpid())}, 1.0),
        ({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": str(os.getppid())}, 1.0),  # cage, our parent
        ({"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"}, None),  # meant for another process
    ],
)
def test_watchdog_interval(env, interval):
    assert watchdog_interval_s(env) == interval
