"""``kill -9`` of the outbox sender in the middle of a flush, twice, then a restart to the end.

The sender runs as its own process (``python -m kiosk.outbox.cli sender``) against the simulator
in this test process, which answers every request slowly so the flush takes seconds and the
kills land between uploads, during an upload, or while the service holds an application in
progress (committing it after the client is gone). Afterwards the simulator must hold exactly
one application per journey with every page, and the outbox must be empty.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.outbox import Outbox
from kiosk.outbox.cli import client_factory
from kiosk.simulator import DEMO_KIOSK_ID, DEMO_TOKEN, ReviewSimulator
from tests.support.outbox_support import assert_exactly_once, jpeg_page, renewal_item, residents
from tests.support.paths import ROOT

PEOPLE = residents(3, start=20)
DELAY_S = 0.25  # per request: 3 applications x (3 PUTs + 1 POST) take about 3 s


def spawn(sim: ReviewSimulator, data: Path, log: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kiosk.outbox.cli",
            "sender",
            "--data-dir",
            str(data),
            "--backend",
            sim.url,
            "--token",
            DEMO_TOKEN,
            "--kiosk-id",
            DEMO_KIOSK_ID,
            "--timeout",
            "30",
            "--client-timeout",
            "5",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=log.open("a"),
        text=True,
    )


def wait_started(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert "started" in line, f"sender did not start: {line!r} (exit {proc.poll()})"


def depth(data: Path) -> int:
    with Outbox(data / "outbox.sqlite3", data / "outbox.key", lambda: None) as ob:  # type: ignore[arg-type,return-value]
        return ob.depth()


@pytest.mark.parametrize("kill_after_s", [0.2, 0.5, 1.0, 1.6])
def test_sigkill_mid_flush_then_restart(tmp_path, kill_after_s):
    data = tmp_path / "kiosk-data"
    log = tmp_path / "sender.log"  # outside the data directory
    sim = ReviewSimulator(seed=[p.seed() for p in PEOPLE])
    sim.start("127.0.0.1", 0)
    try:
        items = [
            renewal_item(p, DEMO_KIOSK_ID, [jpeg_page(1000 + 10 * i + n, (240, 320)) for n in range(3)])
            for i, p in enumerate(PEOPLE)
        ]
        with Outbox(
            data / "outbox.sqlite3", data / "outbox.key", client_factory(sim.url, DEMO_TOKEN, DEMO_KIOSK_ID)
        ) as ob:
            for item in items:
                ob.enqueue(item)  # the kiosk queued three journeys, then its sender is killed repeatedly
        sim.inject_faults("/v1/*", "delay", 10_000, delay_s=DELAY_S)

        for round_ in range(2):
            proc = spawn(sim, data, log)
            wait_started(proc)
            time.sleep(kill_after_s)
            if round_ > 0 and proc.poll() == 0:
                break  # the restarted sender finished what was left before this second kill
            proc.send_signal(signal.SIGKILL)
            assert proc.wait(10) == -signal.SIGKILL
            if round_ == 0:
                assert depth(data) > 0, "the kill came after the flush: not mid-flush"

        proc = spawn(sim, data, log)
        wait_started(proc)
        assert proc.wait(40) == 0, log.read_text()
        assert depth(data) == 0
        time.sleep(DELAY_S + 0.1)  # requests of the killed processes still running server-side finish
        assert_exactly_once(sim, items)
    finally:
        sim.stop()
