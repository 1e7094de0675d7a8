"""Outbox throughput: applications per minute drained, 3 pages each, simulator on loopback.

    python bench/outbox_throughput.py [--apps 60] [--pages 3] [--runs 3]

Each run starts the review-service simulator in its own process (``python -m kiosk.simulator``,
a fresh database), registers ``--apps`` residents due for renewal, enqueues one renewal per
resident with ``--pages`` camera-sized JPEGs (A4 at 150 dpi, noisy, ~150 KB each), then starts
the sender and times the drain until the outbox is empty. The enqueue latency (the encrypted,
fsynced commit the resident waits for before the receipt) is reported too. Prints every run and
the median of the runs. Nothing personal is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.outbox import Outbox  # noqa: E402
from kiosk.outbox.cli import client_factory  # noqa: E402
from kiosk.simulator import DEMO_KIOSK_ID, DEMO_TOKEN  # noqa: E402
from tests.support.outbox_support import jpeg_page, renewal_item, residents  # noqa: E402

PAGE_SIZE = (1240, 1754)  # A4 at 150 dpi, what the document camera delivers after cropping


def unique(jpeg: bytes, salt: bytes) -> bytes:
    """The same picture with a distinct COM segment right after SOI: still a valid JPEG, other bytes."""
    com = b"\xff\xfe" + (len(salt) + 2).to_bytes(2, "big") + salt
    return jpeg[:2] + com + jpeg[2:]


def start_simulator(db: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.simulator", "--port", "0", "--db", str(db)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    url = proc.stdout.readline().strip()
    if not url.startswith("http"):
        proc.kill()
        raise SystemExit(f"simulator did not start: {url!r}")
    return proc, url


def one_run(n_apps: int, n_pages: int, pool: list[bytes], run: int) -> tuple[float, float, float]:
    """(applications per minute, drain seconds, median enqueue ms)."""
    with tempfile.TemporaryDirectory(prefix="outbox-bench-") as tmp:
        work = Path(tmp)
        sim, url = start_simulator(work / "sim.sqlite3")
        try:
            people = residents(n_apps, start=1 + run * n_apps)
            with requests.Session() as s:
                s.headers["Authorization"] = f"Bearer {DEMO_TOKEN}"
                for p in people:
                    s.post(f"{url}/sim/permits", json=p.seed(), timeout=10).raise_for_status()
            items = [
                renewal_item(
                    p,
                    DEMO_KIOSK_ID,
                    [unique(pool[(i * n_pages + k) % len(pool)], os.urandom(16)) for k in range(n_pages)],
                )
                for i, p in enumerate(people)
            ]
            data = work / "kiosk-data"
            outbox = Outbox(
                data / "outbox.sqlite3", data / "outbox.key", client_factory(url, DEMO_TOKEN, DEMO_KIOSK_ID)
            )
            try:
                enqueue_ms = []
                for item in items:
                    t = time.perf_counter()
                    outbox.enqueue(item)
                    enqueue_ms.append((time.perf_counter() - t) * 1000)
                t0 = time.perf_counter()
                outbox.start()
                if not outbox.flush(600):
                    raise SystemExit(f"run {run}: not drained: {outbox.status()}")
                elapsed = time.perf_counter() - t0
                status = outbox.status()
            finally:
                outbox.close()
            if status["dead"]:
                raise SystemExit(f"run {run}: {status['dead']} dead entries: {status['dead_entries']}")
        finally:
            sim.terminate()
            sim.wait(10)
    return n_apps / elapsed * 60, elapsed, statistics.median(enqueue_ms)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--apps", type=int, default=60)
    p.add_argument("--pages", type=int, default=3)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    pool = [jpeg_page(seed, PAGE_SIZE, quality=60, noise=16) for seed in range(6)]
    avg_kb = statistics.mean(len(j) for j in pool) / 1024
    print(
        f"outbox throughput: {args.apps} applications x {args.pages} pages (~{avg_kb:.0f} KB JPEG each), "
        f"simulator on loopback, {args.runs} runs"
    )
    rates = []
    for run in range(args.runs):
        rate, elapsed, enqueue_ms = one_run(args.apps, args.pages, pool, run)
        rates.append(rate)
        print(f"  run {run + 1}: {rate:8.0f} applications/min  (drained in {elapsed:.2f} s; enqueue median {enqueue_ms:.1f} ms)")
    print(f"median: {statistics.median(rates):.0f} applications/min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
