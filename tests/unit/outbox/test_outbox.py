"""The durable outbox against the real review-service simulator over loopback HTTP, real SQLite.

Every fault of the issue gets its own case, each ending in the same check: the simulator holds
exactly one application per submitted journey, with every page, byte for byte. Then restarts,
the key file, definitive refusals, the technician commands, and a scan of the data directory
for anything personal in plaintext.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sqlite3
import stat
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.backend import no_retry
from kiosk.backend_client import ReviewClient
from kiosk.domain.clock import SHANGHAI
from kiosk.outbox import Outbox, OutboxItem, OutboxKeyError, OutboxRefused, load_or_create_key
from kiosk.outbox.cli import flush_main, status_main
from kiosk.simulator import DEMO_KIOSK_ID, DEMO_TOKEN, ReviewSimulator
from tests.support.outbox_support import Resident, assert_exactly_once, jpeg_page, renewal_item, residents

PEOPLE = residents(8)
STRANGER = residents(1, start=500)[0]  # no permit record upstream


# ---------------------------------------------------------------- fixtures and helpers


class RecordingClient(ReviewClient):
    """The real client, recording (time, method, path, outcome) of every request it makes."""

    def __init__(self, *args: Any, log: list[tuple[float, str, str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._log = log

    def _request(self, method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:  # type: ignore[override]
        try:
            status, body = super()._request(method, path, **kwargs)
        except Exception as e:
            self._log.append((time.monotonic(), method, path, getattr(e, "code", type(e).__name__)))
            raise
        self._log.append((time.monotonic(), method, path, str(status)))
        return status, body


@pytest.fixture
def sim() -> Iterator[ReviewSimulator]:
    s = ReviewSimulator(seed=[p.seed() for p in PEOPLE])
    s.start("127.0.0.1", 0)
    yield s
    s.stop()


@pytest.fixture
def data_dir(_data_dir: Path) -> Path:
    """The test's KIOSK_DATA_DIR (see conftest): outbox, key and logs all live here."""
    _data_dir.mkdir(parents=True, exist_ok=True)
    return _data_dir


@pytest.fixture
def requests_log() -> list[tuple[float, str, str, str]]:
    return []


@pytest.fixture
def make_outbox(sim, data_dir, requests_log) -> Iterator[Callable[..., Outbox]]:
    made: list[Outbox] = []

    def make(timeout_s: float = 2.0, token: str = DEMO_TOKEN, **kwargs: Any) -> Outbox:
        def factory() -> ReviewClient:
            return RecordingClient(sim.url, token, DEMO_KIOSK_ID, timeout=timeout_s, retry=no_retry(), log=requests_log)

        kwargs.setdefault("base_backoff_s", 0.1)
        kwargs.setdefault("max_backoff_s", 1.0)
        ob = Outbox(data_dir / "outbox.sqlite3", data_dir / "outbox.key", factory, **kwargs)
        made.append(ob)
        return ob

    yield make
    for ob in made:
        ob.close()


def item_for(person: Resident, pages: int = 3, seed: int = 0, **kwargs: Any) -> OutboxItem:
    return renewal_item(
        person, DEMO_KIOSK_ID, [jpeg_page(seed * 100 + person_index(person) * 10 + p, (240, 320)) for p in range(pages)], **kwargs
    )


def person_index(person: Resident) -> int:
    return int(person.phone[-4:])


def submit_all(ob: Outbox, items: list[OutboxItem], timeout_s: float = 15.0) -> list[dict[str, Any]]:
    ids = [ob.enqueue(it) for it in items]
    ob.start()
    answers = [ob.wait_accepted(i, timeout_s) for i in ids]
    assert all(a is not None for a in answers), ob.status()
    return answers  # type: ignore[return-value]


def wait_until(cond: Callable[[], bool], timeout_s: float = 5.0, what: Callable[[], Any] | None = None) -> None:
    """Wait for ``cond``; fail after ``timeout_s`` saying ``what()`` (the state waited on)."""
    deadline = time.monotonic() + timeout_s
    while not cond():
        assert time.monotonic() < deadline, f"timed out: {what() if what else ''}"
        time.sleep(0.01)


def happens_within(cond: Callable[[], bool], timeout_s: float) -> bool:
    """Whether ``cond`` comes true within ``timeout_s``: for checks that something does *not* happen."""
    deadline = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.01)
    return True


def rows(ob: Outbox, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(ob.db_path) as db:
        return db.execute(sql).fetchall()


# ---------------------------------------------------------------- the happy path


def test_enqueue_commits_before_returning_then_the_sender_delivers(make_outbox, sim):
    ob = make_outbox()
    item = item_for(PEOPLE[0])
    entry = ob.enqueue(item)
    # Committed: another connection sees the entry and its pages, all encrypted, before any sending.
    assert rows(ob, "SELECT state, kind, client_reference FROM entries") == [
        ("pending", "application", item.client_reference)
    ]
    assert rows(ob, "SELECT COUNT(*) FROM entry_documents") == [(3,)]
    assert ob.progress(entry) == (0, 3)
    assert ob.wait_accepted(entry, 0.2) is None  # no sender yet
    assert sim.applications() == []

    ob.start()
    receipt = ob.wait_accepted(entry, 10)
    assert receipt is not None and receipt["application_id"].startswith("JZ-")
    assert receipt["client_reference"] == item.client_reference
    assert set(receipt) <= {"application_id", "status", "client_reference", "received_at", "expected_decision_by"}
    assert_exactly_once(sim, [item])
    # Deleted once accepted; only the non-personal result remains.
    assert rows(ob, "SELECT COUNT(*) FROM entries") == [(0,)]
    assert rows(ob, "SELECT COUNT(*) FROM entry_documents") == [(0,)]
    assert ob.result_by_reference(item.client_reference)["application_id"] == receipt["application_id"]
    st = ob.status()
    assert st["depth"] == 0 and st["dead"] == 0 and st["accepted_recent"] == 1 and st["sender"] == "active"


def test_the_same_key_enqueued_twice_is_one_entry(make_outbox, sim):
    ob = make_outbox()
    item = item_for(PEOPLE[0])
    assert ob.enqueue(item) == ob.enqueue(item)
    assert ob.depth() == 1
    submit_all(ob, [item])
    assert_exactly_once(sim, [item])


@pytest.mark.allow_log(r"^kiosk\.backend_client: POST", r"^kiosk\.outbox: outbox: entry")
def test_the_body_is_sent_byte_identical(make_outbox, sim, requests_log):
    """The stored bytes, not a re-serialisation: a replay after a lost answer matches the fingerprint."""
    ob = make_outbox()
    item = item_for(PEOPLE[0])
    sim.inject_faults("/v1/applications", "drop_after_commit", 1, method="POST")
    submit_all(ob, [item])
    posts = [r for r in requests_log if r[1] == "POST"]
    assert [r[3] for r in posts] == ["network_error", "201"]
    assert_exactly_once(sim, [item])


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_wait_gives_up_after_the_timeout_and_the_entry_is_sent_later(make_outbox, sim):
    """The receipt then carries the client reference: the application goes out automatically."""
    ob = make_outbox()
    sim.inject_faults("/v1/*", "service_unavailable", 3, retry_after_s=1)
    item = item_for(PEOPLE[0])
    entry = ob.enqueue(item)
    ob.start()
    t0 = time.monotonic()
    assert ob.wait_accepted(entry, 0.5) is None
    assert time.monotonic() - t0 < 1.5
    assert ob.status()["last_error_code"] == "service_unavailable"
    assert ob.wait_accepted(entry, 15) is not None
    assert_exactly_once(sim, [item])


# ---------------------------------------------------------------- faults, one case each


@pytest.mark.parametrize(
    ("mode", "puts", "posts", "seen_as"),
    [
        pytest.param("internal_error", 3, 3, "internal_error", id="500-on-documents-and-application"),
        pytest.param("drop", 2, 2, "network_error", id="connection-reset"),
        pytest.param("drop_after_commit", 2, 2, "network_error", id="response-lost-after-the-server-committed"),
        # TransportError: unparseable 2xx
        pytest.param("malformed_json", 1, 2, "network_error", id="malformed-json-in-a-2xx-answer"),
    ],
)
@pytest.mark.allow_log(r"^kiosk\.backend_client: POST", r"^kiosk\.backend_client: PUT", r"^kiosk\.outbox: outbox: entry")
def test_a_transient_fault_on_documents_and_application(make_outbox, sim, requests_log, mode, puts, posts, seen_as):
    """``puts`` document uploads and ``posts`` applications fail with ``mode``; the client sees
    each failure as ``seen_as``, and every journey still ends upstream exactly once."""
    ob = make_outbox()
    items = [item_for(PEOPLE[0]), item_for(PEOPLE[1])]
    sim.inject_faults("/v1/documents/*", mode, puts, method="PUT")
    sim.inject_faults("/v1/applications", mode, posts, method="POST")
    submit_all(ob, items)
    assert [r[3] for r in requests_log].count(seen_as) == puts + posts
    assert_exactly_once(sim, items)


@pytest.mark.parametrize(
    ("mode", "retry_after"),
    [
        pytest.param("service_unavailable", 2, id="503-service-unavailable"),
        pytest.param("maintenance", 1, id="503-maintenance"),
        pytest.param("rate_limited", 1, id="429-rate-limited"),
    ],
)
@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_503_and_429_honour_retry_after(make_outbox, sim, requests_log, mode, retry_after):
    ob = make_outbox(base_backoff_s=0.05)
    item = item_for(PEOPLE[0])
    sim.inject_faults("/v1/applications", mode, 1, method="POST", retry_after_s=retry_after)
    submit_all(ob, [item])
    posts = [r for r in requests_log if r[1] == "POST"]
    assert [r[3] for r in posts] == [mode, "201"]
    waited = posts[1][0] - posts[0][0]
    assert waited >= retry_after - 0.05, f"retried after {waited:.2f} s, Retry-After was {retry_after} s"
    assert waited < retry_after + 1.5
    assert_exactly_once(sim, [item])


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_503_pauses_every_entry_not_just_the_one_refused(make_outbox, sim, requests_log):
    ob = make_outbox(base_backoff_s=0.05)
    items = [item_for(PEOPLE[0]), item_for(PEOPLE[1])]
    sim.inject_faults("/v1/documents/*", "maintenance", 1, method="PUT", retry_after_s=1)
    t0 = time.monotonic()
    submit_all(ob, items)
    first_fail = next(r[0] for r in requests_log if r[3] == "maintenance")
    after = [r for r in requests_log if r[0] > first_fail]
    assert after and min(r[0] for r in after) - first_fail >= 0.95  # nobody hammered the service meanwhile
    assert time.monotonic() - t0 >= 1.0
    assert_exactly_once(sim, items)


@pytest.mark.allow_log(r"^kiosk\.backend_client: POST", r"^kiosk\.backend_client: PUT", r"^kiosk\.outbox: outbox: entry")
def test_slow_responses_longer_than_the_client_timeout(make_outbox, sim, requests_log):
    """Timeout -> retry -> 409 idempotency_in_progress (retryable, Retry-After 1) -> the replay."""
    ob = make_outbox(timeout_s=0.4)
    item = item_for(PEOPLE[0])
    sim.inject_faults("/v1/documents/*", "delay", 1, method="PUT", delay_s=0.8)
    sim.inject_faults("/v1/applications", "delay", 1, method="POST", delay_s=1.5)
    submit_all(ob, [item])
    codes = [r[3] for r in requests_log if r[1] == "POST"]
    assert codes[0] == "network_error"
    assert "idempotency_in_progress" in codes
    assert codes[-1] == "201"
    time.sleep(0.5)  # let the slow first PUT finish too: it must not add or change anything
    assert_exactly_once(sim, [item])


@pytest.mark.allow_log(r"^kiosk\.backend_client: POST", r"^kiosk\.backend_client: PUT", r"^kiosk\.outbox: outbox: entry")
def test_every_fault_at_once_still_one_application_per_journey(make_outbox, sim):
    ob = make_outbox(timeout_s=0.5)
    items = [item_for(p) for p in PEOPLE[:5]]
    for mode in ("internal_error", "drop", "drop_after_commit", "malformed_json"):
        sim.inject_faults("/v1/applications", mode, 1, method="POST")
        sim.inject_faults("/v1/documents/*", mode, 1, method="PUT")
    sim.inject_faults("/v1/applications", "service_unavailable", 1, method="POST", retry_after_s=1)
    sim.inject_faults("/v1/applications", "delay", 1, method="POST", delay_s=0.9)
    submit_all(ob, items, timeout_s=30)
    assert_exactly_once(sim, items)


# ---------------------------------------------------------------- definitive answers


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_a_definitive_refusal_goes_dead_and_is_not_retried(make_outbox, sim, requests_log):
    ob = make_outbox()
    refused = item_for(STRANGER)  # no permit record: 409 not_eligible (permit_not_found)
    fine = item_for(PEOPLE[0])
    bad_id = ob.enqueue(refused)
    ob.enqueue(fine)
    ob.start()
    with pytest.raises(OutboxRefused) as e:
        ob.wait_accepted(bad_id, 10)
    assert e.value.status == 409 and e.value.code == "not_eligible"
    assert [r["code"] for r in e.value.reasons] == ["permit_not_found"]  # the journey's refusal screen
    assert ob.flush(10)
    posts = len([r for r in requests_log if r[1] == "POST"])
    # max backoff is 1 s: a retry would have happened within 1.2 s
    assert not happens_within(lambda: len([r for r in requests_log if r[1] == "POST"]) > posts, 1.2)
    st = ob.status()
    assert st["depth"] == 0 and st["dead"] == 1
    assert st["dead_entries"][0]["error_code"] == "not_eligible"
    assert st["dead_entries"][0]["client_reference"] == refused.client_reference
    assert_exactly_once(sim, [fine])
    # Kept encrypted for a technician, until discarded.
    assert rows(ob, "SELECT state FROM entries") == [("dead",)]
    assert rows(ob, "SELECT COUNT(*) FROM entry_documents") == [(3,)]
    assert ob.discard(bad_id)
    assert rows(ob, "SELECT COUNT(*) FROM entries") == [(0,)]
    assert rows(ob, "SELECT COUNT(*) FROM entry_documents") == [(0,)]
    assert ob.status()["dead"] == 0


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_422_goes_dead(make_outbox, sim):
    ob = make_outbox()
    old = dt.datetime.now(SHANGHAI).replace(microsecond=0) - dt.timedelta(days=31)  # §8: at most 30 days old
    entry = ob.enqueue(item_for(PEOPLE[0], now=old))
    ob.start()
    with pytest.raises(OutboxRefused) as e:
        ob.wait_accepted(entry, 10)
    assert e.value.status == 422 and e.value.code == "validation_failed"
    assert sim.applications() == []


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_a_document_conflict_goes_dead(make_outbox, sim):
    ob = make_outbox()
    item = item_for(PEOPLE[0])
    other = ReviewClient(sim.url, DEMO_TOKEN, DEMO_KIOSK_ID, retry=no_retry())
    other.upload_document(item.documents[1][0], jpeg_page(999, (64, 64)))  # the id already holds other bytes
    other.close()
    entry = ob.enqueue(item)
    ob.start()
    with pytest.raises(OutboxRefused) as e:
        ob.wait_accepted(entry, 10)
    assert e.value.code == "document_conflict"
    assert sim.applications() == []


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_a_wrong_token_holds_the_entry_instead_of_killing_it(make_outbox, sim):
    """401/403 are about the kiosk, not the entry: kept pending until a technician fixes the token."""
    ob = make_outbox(token="wrong-token")
    item = item_for(PEOPLE[0])
    entry = ob.enqueue(item)
    ob.start()
    assert ob.wait_accepted(entry, 1.0) is None
    st = ob.status()
    assert st["depth"] == 1 and st["dead"] == 0 and st["last_error_code"] == "unauthorized"
    ob.close()
    fixed = make_outbox()
    submit_all(fixed, [item])
    assert_exactly_once(sim, [item])


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_a_journey_already_upstream_under_another_key_counts_as_accepted(make_outbox, sim):
    """409 client_reference_conflict (the §6 safety net) carries the existing application: accepted."""
    item = item_for(PEOPLE[0])
    direct = ReviewClient(sim.url, DEMO_TOKEN, DEMO_KIOSK_ID, retry=no_retry())
    for doc_id, data in item.documents:
        direct.upload_document(doc_id, bytes(data))
    first = direct.create_application(item.body, str(uuid.uuid4()))  # e.g. sent before an upgrade
    direct.close()
    ob = make_outbox()
    receipt = submit_all(ob, [item])[0]
    assert receipt["application_id"] == first["application_id"]
    assert ob.status()["dead"] == 0
    assert_exactly_once(sim, [item])


# ---------------------------------------------------------------- restarts


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_a_restarted_outbox_resumes_and_skips_confirmed_documents(make_outbox, sim, requests_log):
    items = [item_for(PEOPLE[0]), item_for(PEOPLE[1])]
    first = make_outbox()
    ids = [first.enqueue(it) for it in items]
    sim.inject_faults("/v1/applications", "internal_error", 1000, method="POST")
    first.start()
    wait_until(
        lambda: all(first.progress(i) == (3, 3) for i in ids), 10, what=lambda: [first.progress(i) for i in ids]
    )
    first.close()  # the kiosk restarts; nothing accepted yet
    assert sim.applications() == []
    sim.clear_faults()

    sim.inject_faults("/v1/documents/*", "internal_error", 1000, method="PUT")  # a re-upload would fail
    second = make_outbox()
    assert second.depth() == 2
    assert [second.wait_accepted(i, 0) for i in ids] == [None, None]
    second.start()
    assert all(second.wait_accepted(i, 10) is not None for i in ids)
    sim.clear_faults()
    assert_exactly_once(sim, items)


def test_a_second_sender_stands_by_while_the_first_holds_the_lock(make_outbox, sim, data_dir):
    a = make_outbox()
    b = make_outbox()
    sender_a = a.start()
    wait_until(lambda: sender_a.state == "active")
    sender_b = b.start()
    wait_until(lambda: sender_b.state == "standby")
    item = item_for(PEOPLE[0])
    entry = b.enqueue(item)  # enqueued through b, sent by a
    assert a.wait_accepted(entry, 10) is not None
    assert b.wait_accepted(entry, 1) is not None  # b sees the result through the database
    assert sender_b.state == "standby"
    a.stop()
    item2 = item_for(PEOPLE[1])
    entry2 = b.enqueue(item2)
    assert b.wait_accepted(entry2, 10) is not None  # b took over once a let go
    assert sender_b.state == "active"
    assert_exactly_once(sim, [item, item2])


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_flush(make_outbox, sim):
    ob = make_outbox(max_backoff_s=30.0, base_backoff_s=20.0)
    item = item_for(PEOPLE[0])
    sim.inject_faults("/v1/applications", "internal_error", 1, method="POST")
    ob.enqueue(item)
    ob.start()
    wait_until(lambda: ob.status()["max_attempts"] == 1)  # failed once; the next attempt is 10-20 s away
    assert ob.status()["depth"] == 1
    t0 = time.monotonic()
    assert ob.flush(5)  # a technician's flush does not wait out the backoff
    assert time.monotonic() - t0 < 3
    assert_exactly_once(sim, [item])


@pytest.mark.allow_log(r"^kiosk\.backend_client: PUT", r"^kiosk\.outbox: outbox: entry")
def test_flush_times_out_when_the_service_stays_away(make_outbox, sim):
    ob = make_outbox()
    sim.inject_faults("/v1/*", "drop", 1000)
    ob.enqueue(item_for(PEOPLE[0]))
    ob.start()
    assert not ob.flush(0.6)
    assert ob.status()["depth"] == 1
    sim.clear_faults()


# ---------------------------------------------------------------- the key and the files


def test_key_file_is_created_0600_and_loose_keys_are_refused(tmp_path):
    key_path = tmp_path / "keys" / "outbox.key"
    key = load_or_create_key(key_path)
    assert len(key) == 32
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert load_or_create_key(key_path) == key  # loaded, not replaced
    assert [p.name for p in key_path.parent.iterdir()] == ["outbox.key"]  # no temporary left behind
    os.chmod(key_path, 0o640)
    with pytest.raises(OutboxKeyError, match="chmod 600"):
        load_or_create_key(key_path)
    os.chmod(key_path, 0o600)
    key_path.write_bytes(b"short")
    with pytest.raises(OutboxKeyError, match="32 bytes"):
        load_or_create_key(key_path)


def test_key_created_concurrently_is_one_key(tmp_path):
    key_path = tmp_path / "outbox.key"
    keys: list[bytes] = []
    threads = [threading.Thread(target=lambda: keys.append(load_or_create_key(key_path))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(keys)) == 1


def test_the_outbox_refuses_to_start_with_a_loose_key(make_outbox, data_dir):
    key_path = data_dir / "outbox.key"
    load_or_create_key(key_path)
    os.chmod(key_path, 0o644)
    with pytest.raises(OutboxKeyError):
        make_outbox().start()


def test_database_files_are_private(make_outbox, sim, data_dir):
    ob = make_outbox()
    ob.enqueue(item_for(PEOPLE[0]))
    files = [data_dir / n for n in ("outbox.sqlite3", "outbox.sqlite3-wal", "outbox.sqlite3-shm", "outbox.key")]
    for f in files:
        assert f.exists(), f.name
        assert stat.S_IMODE(f.stat().st_mode) == 0o600, f.name
    assert rows(ob, "PRAGMA journal_mode") == [("wal",)]


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_a_key_that_does_not_match_kills_the_entry_instead_of_looping(make_outbox, sim, data_dir):
    ob = make_outbox()
    entry = ob.enqueue(item_for(PEOPLE[0]))
    ob.close()
    (data_dir / "outbox.key").unlink()  # key lost: a new one is made, the old ciphertext is unreadable
    again = make_outbox()
    again.start()
    with pytest.raises(OutboxRefused) as e:
        again.wait_accepted(entry, 5)
    assert e.value.code == "undecryptable"
    assert sim.applications() == []


def _needles(people: list[Resident], items: list[OutboxItem]) -> dict[str, bytes]:
    needles: dict[str, bytes] = {}
    for p in people:
        for label, text in (("id", p.id_number), ("name", p.name), ("phone", p.phone)):
            for enc in ("utf-8", "utf-16-le", "utf-16-be"):
                needles[f"{label} {text} {enc}"] = text.encode(enc)
    for item in items:
        for doc_id, data in item.documents:
            for off in range(len(data) // 4, len(data) - 64, max(64, len(data) // 8)):
                needles[f"jpeg {doc_id}@{off}"] = bytes(data[off : off + 48])
    needles['json "applicant"'] = b'"applicant"'
    return needles


def _scan(data_dir: Path, needles: dict[str, bytes]) -> list[str]:
    found = []
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert files
    for f in files:
        raw = f.read_bytes()
        found += [f"{label} in {f.name}" for label, needle in needles.items() if needle in raw]
    return found


@pytest.mark.allow_log(r"^kiosk\.backend_client: POST", r"^kiosk\.outbox: outbox: entry")
def test_nothing_personal_is_left_in_plaintext_in_the_data_directory(make_outbox, sim, data_dir):
    logdir = data_dir / "logs"
    logdir.mkdir()
    handler = logging.FileHandler(logdir / "kiosk.log", encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        ob = make_outbox()
        people = PEOPLE[:2]
        items = [item_for(p) for p in people]
        refused = item_for(STRANGER)
        ids = [ob.enqueue(it) for it in [*items, refused]]
        needles = _needles([*people, STRANGER], [*items, refused])
        assert (data_dir / "outbox.sqlite3-wal").stat().st_size > 0
        assert _scan(data_dir, needles) == []  # queued: only ciphertext, in the db and in the WAL
        sim.inject_faults("/v1/applications", "drop_after_commit", 1, method="POST")
        sim.inject_faults("/v1/documents/*", "internal_error", 1, method="PUT")
        ob.start()
        assert all(ob.wait_accepted(i, 10) is not None for i in ids[:2])
        with pytest.raises(OutboxRefused):
            ob.wait_accepted(ids[2], 10)
        assert _scan(data_dir, needles) == []  # sent, one kept dead: still nothing in the clear
        ob.close()
        assert _scan(data_dir, needles) == []
        assert_exactly_once(sim, items)
        assert (logdir / "kiosk.log").stat().st_size > 0  # the logs were written, and scanned
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()


def test_deleted_payloads_leave_the_files(make_outbox, sim, data_dir):
    """Accepted entries are deleted and zeroed (secure_delete), and the WAL is truncated when idle."""
    ob = make_outbox()
    item = item_for(PEOPLE[0])
    sealed = []
    entry = ob.enqueue(item)
    sealed = [bytes(r[0][20:68]) for r in rows(ob, "SELECT blob FROM entry_documents")]
    sealed.append(bytes(rows(ob, "SELECT request FROM entries")[0][0][20:68]))
    ob.start()
    assert ob.wait_accepted(entry, 10) is not None
    assert (data_dir / "outbox.sqlite3-wal").stat().st_size == 0
    raw = (data_dir / "outbox.sqlite3").read_bytes()
    assert not [s for s in sealed if s in raw]


# ---------------------------------------------------------------- the technician commands


def _config(sim, data_dir: Path):
    from kiosk.config import load

    cfg = load(None).with_overrides(
        backend={"url": sim.url, "token": DEMO_TOKEN, "timeout_s": 2.0}, kiosk={"id": DEMO_KIOSK_ID}
    )
    assert cfg.data_dir == data_dir.resolve()
    return cfg


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_outbox_status_and_flush_commands(make_outbox, sim, data_dir, capsys):
    cfg = _config(sim, data_dir)
    assert status_main(cfg) == 0  # no outbox yet
    capsys.readouterr()
    ob = make_outbox()
    item = item_for(PEOPLE[0])
    ob.enqueue(item)
    ob.enqueue(item_for(STRANGER))
    ob.close()
    assert status_main(cfg) == 0  # a queue is normal; only dead entries make it non-zero
    out = json.loads(capsys.readouterr().out)
    assert out["depth"] == 2 and out["dead"] == 0
    assert flush_main(cfg, 10) == 1  # drained; one dead entry needs a technician
    out = json.loads(capsys.readouterr().out)
    assert out["flushed"] is True and out["depth"] == 0 and out["dead"] == 1
    assert out["dead_entries"][0]["error_code"] == "not_eligible"
    text = json.dumps(out, ensure_ascii=False)
    for p in (PEOPLE[0], STRANGER):
        assert p.id_number not in text and p.name not in text and p.phone not in text
    assert_exactly_once(sim, [item])


@pytest.mark.allow_log(r"^kiosk\.backend_client: PUT", r"^kiosk\.outbox: outbox: entry")
def test_outbox_flush_command_times_out(make_outbox, sim, data_dir, capsys):
    cfg = _config(sim, data_dir)
    ob = make_outbox()
    ob.enqueue(item_for(PEOPLE[0]))
    ob.close()
    sim.inject_faults("/v1/*", "drop", 1000)
    assert flush_main(cfg, 0.5) == 3
    assert json.loads(capsys.readouterr().out)["flushed"] is False
    sim.clear_faults()



def test_status_counts_requests_and_ages_with_the_injected_clock(make_outbox, sim):
    now = [1_800_000_000.0]
    ob = make_outbox(clock=lambda: now[0])
    ob.enqueue(item_for(PEOPLE[0]))
    now[0] += 42.7
    ob.enqueue(item_for(PEOPLE[1], pages=2))
    st = ob.status()
    assert st["depth"] == 2
    assert st["requests_pending"] == 2 + 3 + 2  # POSTs + documents still to upload (heartbeat outbox_depth)
    assert st["oldest_age_s"] == 42 and isinstance(st["oldest_age_s"], int)
    assert st["sender"] == "stopped" and st["last_error_code"] is None


@pytest.mark.allow_log(r"^kiosk\.outbox: outbox: entry")
def test_dead_entries_are_purged_after_the_retention(make_outbox, sim):
    now = [1_800_000_000.0]
    ob = make_outbox(clock=lambda: now[0])
    entry = ob.enqueue(item_for(STRANGER))
    ob.start()
    with pytest.raises(OutboxRefused):
        ob.wait_accepted(entry, 10)
    assert ob.purge_dead() == 0
    now[0] += 31 * 24 * 3600
    assert ob.purge_dead() == 1
    assert ob.status()["dead"] == 0
    assert rows(ob, "SELECT COUNT(*) FROM entry_documents") == [(0,)]
