"""The ``kiosk`` command."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from kiosk import __version__
from kiosk.config import ConfigError, load


def _size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"(\d{3,5})x(\d{3,5})", text)
    if not m:
        raise argparse.ArgumentTypeError("size must look like 1080x1920")
    return int(m.group(1)), int(m.group(2))


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal"):
        return False
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kiosk", description="Haikou residence-permit self-service kiosk")
    p.add_argument("--version", action="version", version=__version__)
    p.add_argument("--config", help="TOML configuration file (default: $KIOSK_CONFIG or built-in defaults)")
    sub = p.add_subparsers(dest="command")

    run = sub.add_parser("run", help="run the kiosk (full screen on a display; the headless tour without one)")
    run.add_argument("--out", default="out", help="where the headless tour writes its output (default: out)")

    tour = sub.add_parser("tour", help="drive a complete journey headless and write screenshots")
    tour.add_argument("--out", required=True, type=Path)
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
    dsub = devices.add_subparsers(dest="device_command", required=True)
    cr = dsub.add_parser("card-read", help="read one ID card and print its fields")
    cr.add_argument("--reader", help="reader backend: sim, pcsc or sdk (default: configuration)")
    cr.add_argument("--reader-name", help="PC/SC reader name substring (default: configuration)")
    cr.add_argument("--sdk-library", help="sdk: path of the vendor's sdtapi library (default: configuration)")
    cr.add_argument("--sdk-port", type=int, help="sdk: port, 1001-1016 USB or 1-16 serial (default: configuration)")
    cr.add_argument("--wait", type=float, default=10.0, help="seconds to wait for a card (default 10)")
    cr.add_argument("--card", type=Path, help="sim only: the test-card JSON to put on the simulated reader")
    cr.add_argument("--json", action="store_true", help="print the card-profile §9.2 record as JSON")
    cr.add_argument("--reveal", action="store_true", help="print the full ID number (masked otherwise)")
    pt = dsub.add_parser("print-test", help="print the test page and report the printer's status")
    pt.add_argument("--printer", help="printer URI (default: configuration)")
    pt.add_argument("--lang", choices=("zh", "en"), default="zh")

    ob = sub.add_parser("outbox", help="the queue of applications waiting to be sent (technicians)")
    osub = ob.add_subparsers(dest="outbox_command", required=True)
    osub.add_parser("status", help="print the outbox's state (no personal data)")
    fl = osub.add_parser("flush", help="send everything queued now")
    fl.add_argument("--timeout", type=float, default=60.0, help="seconds to wait (default 60)")

    maint = sub.add_parser("maintenance", help="technician tools")
    msub = maint.add_subparsers(dest="maint_command", required=True)
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
    try:
        cfg = load(args.config)
    except ConfigError as e:
        print(f"kiosk: configuration error: {e}", file=sys.stderr)
        return 2
    command = args.command or "run"
    if command == "devices":
        from kiosk import devices_cli

        if args.device_command == "card-read":
            return devices_cli.card_read(cfg, args)
        return devices_cli.print_test(cfg, args)
    if command == "outbox":
        from kiosk import outbox_cli

        if args.outbox_command == "status":
            return outbox_cli.status_main(cfg)
        return outbox_cli.flush_main(cfg, args.timeout)
    if command == "maintenance":
        from kiosk.domain.maintenance import hash_pin

        pin = sys.stdin.readline().strip()
        if not (pin.isdigit() and 4 <= len(pin) <= 12):
            print("kiosk maintenance hash-pin: the PIN must be 4 to 12 digits", file=sys.stderr)
            return 2
        print(hash_pin(pin))
        return 0
    if command == "sim":
        from kiosk.simulator.__main__ import main as sim_main

        return sim_main(sim_args)

    from kiosk.app import run, setup_logging

    setup_logging(cfg)
    from kiosk.screens.bindings import refcount_defect

    defect = refcount_defect()
    if defect:
        print(f"kiosk: {defect}", file=sys.stderr)
        return 1
    if command == "run":
        if has_display():
            return run(cfg)
        out = Path(getattr(args, "out", "out"))
        print("kiosk: no display found, running the scripted tour headless instead", file=sys.stderr)
        return _tour(cfg, out, "zh", (1080, 1920), None, "renewal")
    if command == "tour":
        if args.backend:
            if not (args.token and args.kiosk_id):
                print("kiosk tour: --backend needs --token and --kiosk-id", file=sys.stderr)
                return 2
            try:
                cfg = cfg.with_overrides(backend={"url": args.backend, "token": args.token}, kiosk={"id": args.kiosk_id})
            except ConfigError as e:
                print(f"kiosk tour: {e}", file=sys.stderr)
                return 2
        if args.printer:
            try:
                cfg = cfg.with_overrides(devices={"printer": args.printer})
            except ConfigError as e:
                print(f"kiosk tour: {e}", file=sys.stderr)
                return 2
        return _tour(cfg, args.out, args.lang, args.size, args.card, args.service)
    return 2


def _tour(cfg, out: Path, lang: str, size: tuple[int, int], card: Path | None, service: str) -> int:
    from kiosk.tour import run_tour

    try:
        result = run_tour(cfg, out, lang=lang, size=size, card=card, service=service)
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
