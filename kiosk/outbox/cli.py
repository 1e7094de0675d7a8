"""Technician commands for the outbox (``kiosk outbox status|flush``) and a stand-alone sender.

Output is JSON with counts, codes, entry ids and client references only (nothing personal).
Exit codes: 0 all sent; 1 dead entries need a technician; 2 configuration or key error;
3 ``flush`` timed out with entries still pending.

``python -m kiosk.outbox.cli sender --data-dir D --backend URL --token T --kiosk-id K`` runs
the sender alone until the queue is empty (used by the crash test, handy for a technician).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.backend import no_retry, open_backend
from kiosk.backend_client import ReviewClient
from kiosk.outbox import DB_NAME, KEY_NAME, Outbox, OutboxError, outbox_paths

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_DEAD = 1
EXIT_CONFIG = 2
EXIT_TIMEOUT = 3


def client_factory(
    base_url: str,
    token: str,
    kiosk_id: str,
    *,
    timeout_s: float = 10.0,
) -> Callable[[], ReviewClient]:
    """Clients for a stand-alone sender given on the command line (no configuration)."""

    def make() -> ReviewClient:
        return ReviewClient(base_url, token, kiosk_id, timeout=timeout_s, retry=no_retry())

    return make


def _print(status: dict[str, Any]) -> None:
    print(json.dumps(status, ensure_ascii=False, indent=2))


def _exit_code(status: dict[str, Any], drained: bool = True) -> int:
    if not drained:
        return EXIT_TIMEOUT
    return EXIT_DEAD if status.get("dead") else EXIT_OK


def status_main(cfg: Any) -> int:
    """``kiosk outbox status``: print the queue's state; 1 when dead entries wait for a technician."""
    db_path, key_path = outbox_paths(cfg)
    if not db_path.exists():
        _print({"depth": 0, "dead": 0, "note": f"no outbox at {db_path}"})
        return EXIT_OK
    backend = open_backend(cfg)
    try:
        with Outbox(db_path, key_path, backend.client_factory()) as outbox:
            status = outbox.status()
    except OutboxError as e:
        print(f"kiosk outbox: {e}", file=sys.stderr)
        return EXIT_CONFIG
    finally:
        backend.close()
    status.pop("sender", None)  # this process does not send
    _print(status)
    return _exit_code(status)


def flush_main(cfg: Any, timeout_s: float) -> int:
    """``kiosk outbox flush [--timeout S]``: send everything pending now and wait for it.

    If the kiosk application is running, its sender does the work and this command watches.
    """
    db_path, key_path = outbox_paths(cfg)
    backend = open_backend(cfg)  # the application's own service (its embedded simulator, if any)
    try:
        with Outbox(db_path, key_path, backend.client_factory()) as outbox:
            sender = outbox.start()
            drained = outbox.flush(timeout_s)
            status = outbox.status()
            status["sender"] = sender.state.value
    except OutboxError as e:
        print(f"kiosk outbox: {e}", file=sys.stderr)
        return EXIT_CONFIG
    finally:
        backend.close()
    status["flushed"] = drained
    _print(status)
    return _exit_code(status, drained)


def sender_main(
    data_dir: str | Path,
    backend_url: str,
    token: str,
    kiosk_id: str,
    *,
    key_path: str | Path | None = None,
    timeout_s: float | None = None,
    client_timeout_s: float = 10.0,
) -> int:
    """Run the sender on ``<data_dir>/outbox.sqlite3`` until nothing is pending (or ``timeout_s``)."""
    data = Path(data_dir)
    outbox = Outbox(
        data / DB_NAME,
        Path(key_path) if key_path else data / KEY_NAME,
        client_factory(backend_url, token, kiosk_id, timeout_s=client_timeout_s),
    )
    try:
        outbox.start()
        print("outbox sender: started", flush=True)
        drained = outbox.flush(timeout_s if timeout_s is not None else float("inf"))
        status = outbox.status()
    finally:
        outbox.close()
    print(f"outbox sender: depth {status['depth']}, dead {status['dead']}", flush=True)
    return _exit_code(status, drained)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m kiosk.outbox.cli", description="Outbox sender (no personal output)")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sender", help="send everything pending, then exit")
    s.add_argument("--data-dir", required=True, type=Path)
    s.add_argument("--backend", required=True, help="review-service base URL")
    s.add_argument("--token", required=True)
    s.add_argument("--kiosk-id", required=True)
    s.add_argument("--key", type=Path, default=None, help="key file (default <data-dir>/outbox.key)")
    s.add_argument("--timeout", type=float, default=None, help="give up after S seconds (default: never)")
    s.add_argument("--client-timeout", type=float, default=10.0, help="per-request timeout in seconds")
    args = p.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        return sender_main(
            args.data_dir,
            args.backend,
            args.token,
            args.kiosk_id,
            key_path=args.key,
            timeout_s=args.timeout,
            client_timeout_s=args.client_timeout,
        )
    except OutboxError as e:
        print(f"outbox sender: {e}", file=sys.stderr)
        return EXIT_CONFIG


if __name__ == "__main__":
    sys.exit(main())
