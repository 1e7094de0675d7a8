"""Benchmark: card insertion -> parsed identity through the monitoring PC/SC reader.

    .venv/bin/python bench/card_read.py [--n 30] [--card assets/cards/linhai.json]

Starts its own pcscd (tests/support/pcsc_env.py helpers; a running pcscd is replaced, as in the
tests), starts a :class:`~kiosk.devices.card.pcsc.PcscCardReader` on ``Virtual PCD 00 00``
and inserts the virtual card N times. Latency = from the virtual card's TCP connect to
vpcd (the "insertion") to the READ event with the parsed identity in the listener.
pcscd polls vpcd every 0.4 s, so each insertion happens at a random phase of that poll
(a uniform 0-0.4 s pause after the previous removal was reported). pcscd is stopped at
the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import queue
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kiosk.devices.base import CardEvent, ReaderState  # noqa: E402
from kiosk.devices.card.pcsc import PcscCardReader  # noqa: E402
from kiosk.domain.testcard import load_test_card  # noqa: E402
from tests.support.pcsc_env import PcscDaemon, PcscdError  # noqa: E402
from tests.support.vcard import VirtualCard  # noqa: E402

READER = "Virtual PCD 00 00"
TODAY = dt.date(2026, 11, 30)
POLL_S = 0.4


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def wait_state(
    events: queue.Queue[tuple[float, CardEvent]], state: ReaderState, timeout_s: float
) -> tuple[float, CardEvent]:
    deadline = time.monotonic() + timeout_s
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"no {state} event within {timeout_s} s")
        try:
            at, event = events.get(timeout=remaining)
        except queue.Empty:
            continue
        if event.state == state:
            return at, event
        if event.state == ReaderState.REFUSED and state == ReaderState.READ:
            raise RuntimeError(f"card refused: {event.refusal}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=30, help="number of insertions (default 30)")
    parser.add_argument("--card", type=Path, default=ROOT / "assets" / "cards" / "linhai.json")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("--n must be at least 1")

    test_card = load_test_card(args.card)
    expected = test_card.parse(TODAY)
    rng = random.Random(args.seed)
    events: queue.Queue[tuple[float, CardEvent]] = queue.Queue()
    daemon = PcscDaemon()
    try:
        daemon.start()
    except PcscdError as exc:
        print(f"card_read: cannot start pcscd: {exc}", file=sys.stderr)
        return 2
    reader = PcscCardReader(lambda: TODAY, reader_name=READER)
    latencies: list[float] = []
    read_times: list[float] = []
    apdus = 0
    try:
        reader.start(lambda event: events.put((time.monotonic(), event)))
        wait_state(events, ReaderState.WAITING, 5.0)
        card = VirtualCard(test_card, reader=READER)
        for _ in range(args.n):
            time.sleep(rng.uniform(0.0, POLL_S))  # random phase against pcscd's poll
            card.insert()
            inserted = card.inserted_at
            assert inserted is not None
            read_at, event = wait_state(events, ReaderState.READ, 5.0)
            if event.identity != expected:
                raise RuntimeError("the identity read differs from the card's")
            latencies.append(read_at - inserted)
            assert reader.last_read_s is not None and reader.last_apdu_count is not None
            read_times.append(reader.last_read_s)
            apdus = reader.last_apdu_count
            card.remove()
            wait_state(events, ReaderState.WAITING, 5.0)  # pcscd saw the removal
    finally:
        reader.stop()
        daemon.stop()

    ms = [1000 * x for x in latencies]
    read_ms = [1000 * x for x in read_times]
    per_apdu_ms = statistics.median(read_ms) / apdus if apdus else float("nan")
    print(f"card: {args.card.name} ({len(test_card.ef0102 or b'')} byte photo), {args.n} insertions, reader {READER!r}")
    print(
        f"insertion -> identity: median {statistics.median(ms):.0f} ms, p95 {percentile(ms, 95):.0f} ms, "
        f"min {min(ms):.0f} ms, max {max(ms):.0f} ms"
    )
    print(
        f"read (connect .. parse): median {statistics.median(read_ms):.1f} ms for {apdus} APDUs, "
        f"{per_apdu_ms:.3f} ms per APDU"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
