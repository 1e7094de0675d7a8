"""Run the review-service simulator in the foreground until SIGINT/SIGTERM.

    python -m kiosk.simulator --host 127.0.0.1 --port 8080 --db PATH --auto-review SECONDS \
        --token TOKEN:KIOSK_ID [--token ...]
"""

from __future__ import annotations

import argparse
import logging
import pathlib
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from kiosk.simulator.seed import DEMO_KIOSK_ID, DEMO_TOKEN
from kiosk.simulator.server import CONTRACTS, ReviewSimulator
from kiosk.simulator.validation import KIOSK_ID_RE


def _token(text: str) -> tuple[str, str]:
    token, sep, kiosk_id = text.rpartition(":")
    if not sep or not token or KIOSK_ID_RE.fullmatch(kiosk_id) is None:
        raise argparse.ArgumentTypeError("expected TOKEN:KIOSK_ID")
    return token, kiosk_id


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m kiosk.simulator",
        description="Simulator of the central residence-permit review service (plain HTTP, loopback).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (0 = any free port; default 8080)")
    parser.add_argument("--db", type=pathlib.Path, default=None, help="SQLite file (default: temporary)")
    parser.add_argument(
        "--auto-review",
        type=_positive,
        default=None,
        metavar="SECONDS",
        help="move each new application submitted -> under_review -> approved -> card_ready every SECONDS",
    )
    parser.add_argument(
        "--token",
        type=_token,
        action="append",
        default=None,
        metavar="TOKEN:KIOSK_ID",
        help=f"accepted bearer token and its kiosk id (repeatable; default {DEMO_TOKEN}:{DEMO_KIOSK_ID})",
    )
    parser.add_argument(
        "--contract",
        choices=CONTRACTS,
        default="1.1",
        help="answer as a service of this contract version (1.0: no phone_on_file_masked, no use_phone_on_file)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request line")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO, format="%(asctime)s %(levelname)s %(message)s"
    )
    tokens = dict(args.token) if args.token else None
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, _on_signal)
    sim = ReviewSimulator(db_path=args.db, tokens=tokens, auto_review_s=args.auto_review, contract=args.contract)
    try:
        try:
            url = sim.start(host=args.host, port=args.port)
        except OSError as exc:
            print(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(url, flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        sim.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


if __name__ == "__main__":
    sys.exit(main())
