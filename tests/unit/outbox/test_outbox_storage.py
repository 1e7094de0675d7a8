"""The outbox on a disk that fills up: a real 2 MiB tmpfs, the real simulator over loopback HTTP.

Issue 17, case 1: the service accepted the application but the kiosk could not record it (the disk
was full), nor record the retry; the sender then re-POSTed thousands of times in seconds and
stderr filled with "Logging error" tracebacks. Case 2: a full disk before the commit was reported
as "the service cannot be reached". Now the sender pauses after every failed try, even when the
pause cannot be recorded, and a commit that cannot be stored is a StorageError, before anything is
accepted.

The backoff here is short (0.1 s doubling up to 1 s) so the test is quick; the kiosk's defaults are
0.5 s up to 60 s, i.e. at most about two tries a minute once the pause has grown.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.backend import no_retry
from kiosk.logfile import QuietFileHandler
from kiosk.outbox import Outbox
from kiosk.simulator import DEMO_KIOSK_ID, DEMO_TOKEN, ReviewSimulator
from kiosk.storage import StorageError, is_storage_error, storage_problem
from tests.support.disks import fill
from tests.support.outbox_support import assert_exactly_once, jpeg_page, renewal_item, residents
from tests.unit.outbox.test_outbox import RecordingClient, wait_until

PEOPLE = residents(2)
WATCH_S = 5.0
#: Tries while the disk is full, over WATCH_S with the test's backoff (0.1 s doubling, capped at 1 s,
#: at least half of it): about 4 while the pause grows, then one per 0.5-1 s. A hot loop made 4,321 in 10 s.
MAX_TRIES = 15


@pytest.fixture
def sim() -> Iterator[ReviewSimulator]:
    s = ReviewSimulator(seed=[p.seed() for p in PEOPLE])
    s.start("127.0.0.1", 0)
    yield s
    s.stop()


def make_outbox(sim: ReviewSimulator, disk: Path, log: list[tuple[float, str, str, str]], **kw: Any) -> Outbox:
    def factory() -> RecordingClient:
        return RecordingClient(sim.url, DEMO_TOKEN, DEMO_KIOSK_ID, timeout=5, retry=no_retry(), log=log)

    kw.setdefault("min_free_bytes", 64 * 1024)
    return Outbox(disk / "outbox.sqlite3", disk / "outbox.key", factory, base_backoff_s=0.1, max_backoff_s=1.0, **kw)


def posts(log: list[tuple[float, str, str, str]]) -> list[tuple[float, str, str, str]]:
    return [r for r in log if r[1] == "POST" and r[2] == "/v1/applications"]


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: cannot record entry")
def test_a_full_disk_after_the_post_backs_off_and_sends_exactly_once_when_space_returns(sim, tiny_disk, capfd):
    requests: list[tuple[float, str, str, str]] = []
    ob = make_outbox(sim, tiny_disk, requests)
    (tiny_disk / "logs").mkdir()
    handler = QuietFileHandler(tiny_disk / "logs" / "kiosk.log")
    handler.setLevel(logging.DEBUG)
    logger = logging.getLogger("kiosk.outbox")
    logger.addHandler(handler)
    try:
        item = renewal_item(PEOPLE[0], DEMO_KIOSK_ID, [jpeg_page(i, (200, 260)) for i in range(2)])
        entry = ob.enqueue(item)
        # The POST is slow: the disk fills up while the service is taking the application.
        sim.inject_faults("/v1/applications", "delay", 1, method="POST", delay_s=1.0)
        ob.start()
        wait_until(lambda: ob.progress(entry) == (2, 2), what=ob.status)
        filler = fill(tiny_disk)
        wait_until(lambda: len(posts(requests)) >= 1 and ob.storage_fault is not None, timeout_s=10, what=lambda: requests)
        assert len(sim.applications()) == 1  # the service has it; the kiosk could not record that
        first = posts(requests)[0][0]
        time.sleep(WATCH_S)  # counting what happens in a stretch of time: nothing to wait on
        tries = [r for r in posts(requests) if r[0] <= first + WATCH_S]
        assert len(tries) <= MAX_TRIES, f"{len(tries)} POSTs in {WATCH_S} s while the disk was full"
        assert "storage" in ob.storage_fault or "full" in ob.storage_fault
        assert ob.result(entry) is None  # still pending: nothing was recorded

        filler.unlink()
        wait_until(lambda: ob.result(entry) is not None, timeout_s=10, what=ob.status)
        wait_until(lambda: ob.storage_fault is None, timeout_s=10, what=ob.status)  # cleared once a write succeeds
        assert_exactly_once(sim, [item])
        err = capfd.readouterr().err
        assert "Logging error" not in err and "Traceback" not in err
        assert err.count("cannot write") <= 2  # said once (again only after writing worked in between)
    finally:
        logger.removeHandler(handler)
        handler.close()
        ob.close()


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: nothing queued, storage fault: the")
def test_a_full_disk_before_the_commit_is_a_storage_error_and_nothing_is_queued(sim, tiny_disk):
    ob = make_outbox(sim, tiny_disk, [], min_free_bytes=1024 * 1024)
    try:
        ob.status()  # the database exists
        filler = tiny_disk / "filler"
        filler.write_bytes(b"\0" * (1024 * 1024 + 512 * 1024))  # leaves less than the 1 MiB margin
        item = renewal_item(PEOPLE[1], DEMO_KIOSK_ID, [jpeg_page(7, (200, 260))])
        with pytest.raises(StorageError) as e:
            ob.enqueue(item)
        assert "full" in e.value.reason and "KiB free" in e.value.reason
        assert ob.depth() == 0
        filler.unlink()
        ob.enqueue(item)
        assert ob.depth() == 1
    finally:
        ob.close()


def test_a_read_only_data_dir_is_reported_as_such_and_its_errors_are_storage_errors(sim, tiny_disk, read_only_view):
    make_outbox(sim, tiny_disk, []).close()  # an outbox exists on the disk
    assert storage_problem(tiny_disk, 0) is None
    reason = storage_problem(read_only_view, 0)
    assert reason is not None and "read-only" in reason
    with pytest.raises(Exception) as e:  # the queue cannot be opened for writing there
        make_outbox(sim, read_only_view, [])
    assert is_storage_error(e.value), repr(e.value)
