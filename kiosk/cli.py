"""The ``kiosk`` command."""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from pathlib import Path
from typing import NoReturn

from kiosk import __version__
from kiosk.config import (
    DEV_TOKEN,
    Config,
    ConfigError,
    check_data_dir,
    check_log_level,
    check_production,
    file_in_the_way,
    load,
)
from kiosk.domain.testcard import CardFileError

SIDE = (320, 7680)  # --size: pixels per side
MAX_SECONDS = 86400.0  # --wait, --timeout


class _Parser(argparse.ArgumentParser):
    """Usage errors as one line on stderr (``kiosk tour: argument --lang: invalid choice ...``),
    exit 2, without the usage block (``-h`` shows it)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}\n")


def _size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{1,5})x(\d{1,5})", text)
    w, h = (int(m.group(1)), int(m.group(2))) if m else (0, 0)
    if not (SIDE[0] <= w <= SIDE[1] and SIDE[0] <= h <= SIDE[1]):
        raise argparse.ArgumentTypeError(
            f"must be WIDTHxHEIGHT with each side from {SIDE[0]} to {SIDE[1]} pixels, e.g. 1080x1920; got {text!r}"
        )
    return w, h


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= MAX_SECONDS:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be a number of seconds from 0 to {MAX_SECONDS:g}, got {text!r}")
    return value


def _megabytes(text: str) -> int:
    if not (text.isascii() and text.isdigit() and int(text) <= 10**9):
        raise argparse.ArgumentTypeError(f"must be a whole number of MiB (megabytes) from 0 to 1000000000, got {text!r}")
    return int(text)


def _out_dir(text: str) -> Path:
    """A directory to write into: existing, or one that can be created."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a file; give a directory (it is created if missing)")
    blocker = file_in_the_way(path)
    if blocker is not None:
        raise argparse.ArgumentTypeError(f"{text} cannot be created: {blocker} is a file; give a directory")
    return path


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return False
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="kiosk", description="Haikou residence-permit self-service kiosk")
    p.add_argument("--version", action="version", version=__version__)
    p.add_argument("--config", help="TOML configuration file (default: $KIOSK_CONFIG or built-in defaults)")
    sub = p.add_subparsers(dest="command")

    sub.add_parser("run", help="run the kiosk full screen on a display (without one it stops: see `kiosk tour`)")

    tour = sub.add_parser("tour", help="drive a complete journey headless and write screenshots")
    tour.add_argument("--out", required=True, type=_out_dir, help="directory for the screenshots, receipt.txt and summary.json")
    tour.add_argument("--lang", choices=("zh", "en"), default="zh")
    tour.add_argument("--size", type=_size, default=(1080, 1920), help="WxH, e.g. 1920x1080")
    tour.add_argument(
        "--service", default="renewal", choices=("renewal", "info_change", "reissue_lost", "reissue_damaged", "status")
    )
    tour.add_argument("--card", type=Path, help="test-card JSON for the simulated reader (card-profile §11)")
    tour.add_argument("--printer", help="printer URI, e.g. network://127.0.0.1:9100 (a capture printer); default: simulated")
    tour.add_argument("--backend", help="review-service base URL (default: start the embedded simulator)")
    tour.add_argument("--token", help="kiosk bearer token for --backend")
    tour.add_argument("--kiosk-id", help="kiosk id for --backend")

    devices = sub.add_parser("devices", help="test the devices (technicians)")
    dsub = devices.add_subparsers(dest="device_command", required=True, metavar="{card-read,print-test}")
    cr = dsub.add_parser("card-read", help="read one ID card and print its fields")
    cr.add_argument("--reader", help="reader backend: sim, pcsc or sdk (default: configuration)")
    cr.add_argument("--reader-name", help="PC/SC reader name substring (default: configuration)")
    cr.add_argument("--sdk-library", help="sdk: path of the vendor's sdtapi library (default: configuration)")
    cr.add_argument("--sdk-port", type=int, help="sdk: port, 1001-1016 USB or 1-16 serial (default: configuration)")
    cr.add_argument("--wait", type=_seconds, default=10.0, help="seconds to wait for a card (default 10)")
    cr.add_argument("--card", type=Path, help="sim only: the test-card JSON to put on the simulated reader")
    cr.add_argument("--json", action="store_true", help="print the card-profile §9.2 record as JSON")
    cr.add_argument("--reveal", action="store_true", help="print the full ID number (masked otherwise)")
    pt = dsub.add_parser("print-test", help="print the test page and report the printer's status")
    pt.add_argument("--printer", help="printer URI (default: configuration)")
    pt.add_argument("--lang", choices=("zh", "en"), default="zh")

    ob = sub.add_parser("outbox", help="the queue of applications waiting to be sent (technicians)")
    osub = ob.add_subparsers(dest="outbox_command", required=True, metavar="{status,flush}")
    osub.add_parser("status", help="print the outbox's state (no personal data)")
    fl = osub.add_parser("flush", help="send everything queued now")
    fl.add_argument("--timeout", type=_seconds, default=60.0, help="seconds to wait (default 60)")

    doc = sub.add_parser("doctor", help="check the configuration and the devices it names (technicians)")
    doc.add_argument("--config", dest="doctor_config", metavar="CONFIG", help="TOML configuration file to check (as kiosk --config)")
    doc.add_argument("--min-free-mb", type=_megabytes, help="MiB the data directory needs free (default: [outbox] min_free_mb)")

    maint = sub.add_parser("maintenance", help="technician tools")
    msub = maint.add_subparsers(dest="maint_command", required=True, metavar="{hash-pin}")
    msub.add_parser("hash-pin", help="read a new technician PIN from stdin and print its hash for [maintenance] pin_hash")

    sub.add_parser("sim", help="run the review-service simulator in the foreground (kiosk sim --help)", add_help=False)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    sim_args: list[str] = []
    i = 0
    while i < len(argv) and argv[i].startswith("--config"):
        i += 1 if "=" in argv[i] else 2
    if i < len(argv) and argv[i] == "sim":  # the rest belongs to the simulator's own parser
        argv, sim_args = argv[: i + 1], argv[i + 1 :]
    args = parser().parse_args(argv)
    command = args.command or "run"
    try:
        check_log_level()
        cfg = load(getattr(args, "doctor_config", None) or args.config)
        if command in ("run", "tour", "outbox"):
            # A data directory that exists but is read-only or full is no configuration error
            # for `run`: the kiosk starts and shows that it is out of service (kiosk.storage).
            check_data_dir(cfg, writable=command != "run")
        if command == "run":
            check_production(cfg)
    except ConfigError as e:
        print(f"kiosk: configuration error: {e}", file=sys.stderr)
        return 2
    # The one place where a bad flag value or a bad file named on the command line becomes
    # a message: everything below raises ConfigError (flags are labelled, see
    # Config.with_overrides) or CardFileError (test-card files), never prints a traceback.
    try:
        return _dispatch(cfg, command, args, sim_args)
    except (ConfigError, CardFileError) as e:
        print(f"{_prog(command, args)}: {e}", file=sys.stderr)
        return 2


def _prog(command: str, args: argparse.Namespace) -> str:
    sub = getattr(args, "device_command", None) or getattr(args, "outbox_command", None) or getattr(args, "maint_command", None)
    return " ".join(filter(None, ("kiosk", command, sub)))


def _dispatch(cfg: Config, command: str, args: argparse.Namespace, sim_args: list[str]) -> int:
    if command == "devices":
        from kiosk import devices_cli

        if args.device_command == "card-read":
            return devices_cli.card_read(cfg, args)
        return devices_cli.print_test(cfg, args)
    if command == "outbox":
        from kiosk.outbox import cli as outbox_cli

        if args.outbox_command == "status":
            return outbox_cli.status_main(cfg)
        return outbox_cli.flush_main(cfg, args.timeout)
    if command == "maintenance":
        return _hash_pin()
    if command == "sim":
        return _sim(sim_args)
    if command == "doctor":
        from kiosk import doctor

        return doctor.main(cfg, min_free_mb=args.min_free_mb)

    if command == "tour":
        if args.backend and not (args.token and args.kiosk_id):
            print("kiosk tour: --backend needs --token and --kiosk-id", file=sys.stderr)
            return 2
        if cfg.kiosk.mode == "production" and not args.backend:
            cfg = _tour_config(cfg)  # with --backend, tour_backend_problem refuses it below
        overrides: dict = {}
        if args.backend:
            overrides.update(backend={"url": args.backend, "token": args.token}, kiosk={"id": args.kiosk_id})
        if args.printer:
            overrides["devices"] = {"printer": args.printer}
        if overrides:
            labels = {"backend.url": "--backend", "backend.token": "--token", "kiosk.id": "--kiosk-id", "devices.printer": "--printer"}
            cfg = cfg.with_overrides(labels=labels, **overrides)

    if command == "run" and not has_display():
        print(
            "kiosk run: no display (neither DISPLAY nor WAYLAND_DISPLAY is set, or QT_QPA_PLATFORM is offscreen); "
            "the kiosk needs its screen. The scripted demo runs without one: kiosk tour --out DIR",
            file=sys.stderr,
        )
        return 1
    if command == "tour":
        from kiosk.tour import tour_backend_problem

        problem = tour_backend_problem(cfg)
        if problem is not None:
            print(f"kiosk tour: {problem}", file=sys.stderr)
            return 2
    from kiosk.app import run, setup_logging

    try:
        setup_logging(cfg)
    except OSError as e:  # not even stderr logging: nothing could report what goes wrong next
        print(f"kiosk: cannot start logging: {e.strerror or e}", file=sys.stderr)
        return 1
    from kiosk.screens.bindings import refcount_defect

    defect = refcount_defect()
    if defect:
        print(f"kiosk: {defect}", file=sys.stderr)
        return 1
    if command == "run":
        return _run(cfg, run)
    return _tour(cfg, args.out, args.lang, args.size, args.card, args.service)


def _run(cfg: Config, run) -> int:
    """The kiosk on its display; a data directory that cannot even start it is one line, exit 1."""
    import sqlite3

    from kiosk.storage import describe, is_storage_error

    try:
        return run(cfg)
    except (OSError, sqlite3.Error) as e:
        if not is_storage_error(e):
            raise
        print(f"kiosk run: cannot start: {describe(e, cfg.data_dir)}", file=sys.stderr)
        return 1


def _tour_config(cfg: Config) -> Config:
    """The tour on a production machine: a demo with the embedded simulator and simulated
    devices (a printer only with --printer), in a temporary data directory, so no demo
    application reaches the configured service or this kiosk's outbox."""
    import atexit
    import shutil
    import tempfile

    data = tempfile.mkdtemp(prefix="kiosk-tour-")
    atexit.register(shutil.rmtree, data, True)
    os.environ["KIOSK_DATA_DIR"] = data
    print(f"kiosk tour: production configuration: the tour runs as a demo (embedded simulator, simulated devices, data in {data})")
    return cfg.with_overrides(
        kiosk={"mode": "demo"},
        backend={"url": "embedded", "token": DEV_TOKEN, "ca_bundle": "", "client_cert": "", "client_key": ""},
        devices={"card_reader": "sim", "camera": "sim", "camera_source": "", "printer": "sim://"},
        outbox={"key_path": ""},
    )


def _hash_pin() -> int:
    from kiosk.domain.maintenance import hash_pin

    try:
        pin = sys.stdin.readline().strip() if sys.stdin is not None else ""
    except (UnicodeDecodeError, OSError):
        pin = ""
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        print("kiosk maintenance hash-pin: stdin must hold the new PIN, 4 to 12 digits, on its first line", file=sys.stderr)
        return 2
    print(hash_pin(pin))
    return 0


def _sim(sim_args: list[str]) -> int:
    """``kiosk sim ...``: the simulator's own parser, its errors as one line under our name."""
    from kiosk.simulator.__main__ import build_parser
    from kiosk.simulator.__main__ import main as sim_main

    p = build_parser()
    p.prog = "kiosk sim"

    def error(message: str) -> NoReturn:
        p.exit(2, f"kiosk sim: {message}\n")

    p.error = error  # type: ignore[method-assign]
    ns = p.parse_args(sim_args)
    if not 0 <= ns.port <= 65535:
        error(f"argument --port: must be from 0 (any free port) to 65535, got {ns.port}")
    if ns.db is not None:
        if ns.db.is_dir():
            error(f"argument --db: {ns.db} is a directory; give the path of a SQLite file")
        blocker = file_in_the_way(ns.db)
        if blocker is not None:
            error(f"argument --db: {ns.db} cannot be created: {blocker} is a file")
    if ns.auto_review is not None and not ns.auto_review <= MAX_SECONDS:
        error(f"argument --auto-review: must be a number of seconds above 0 and at most {MAX_SECONDS:g}, got {ns.auto_review}")
    return sim_main(sim_args)


def _tour(cfg: Config, out: Path, lang: str, size: tuple[int, int], card: Path | None, service: str) -> int:
    from kiosk.tour import CardRefused, run_tour

    try:
        result = run_tour(cfg, out, lang=lang, size=size, card=card, service=service)
    except CardFileError:
        raise  # a usage error: reported by main()
    except CardRefused as e:
        print(f"kiosk tour: {e}", file=sys.stderr)
        return 1
    except (TimeoutError, RuntimeError, LookupError, ValueError) as e:
        print(f"kiosk tour: failed: {e}", file=sys.stderr)
        return 1
    print(
        f"kiosk tour: {result.service} done in {result.seconds} s with {result.taps} taps; "
        f"application {result.application_id}; {len(result.screens)} screenshots, receipt.txt and summary.json in {out.resolve()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
