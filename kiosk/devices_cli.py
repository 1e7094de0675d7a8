"""`kiosk devices ...`: technicians test a reader or a printer from a shell."""

from __future__ import annotations

import json
import sys
from argparse import Namespace

from kiosk.config import Config, ConfigError
from kiosk.devices import factory
from kiosk.domain.idcard import CardRefusal, mask_id_number, shanghai_today


def card_read(cfg: Config, args: Namespace) -> int:
    devices: dict = {}
    if args.reader:
        devices["card_reader"] = args.reader
    if args.reader_name is not None:
        devices["reader_name"] = args.reader_name
    if getattr(args, "sdk_library", None):
        devices["sdk_library"] = args.sdk_library
    if getattr(args, "sdk_port", None) is not None:
        devices["sdk_port"] = args.sdk_port
    try:
        if devices:
            cfg = cfg.with_overrides(devices=devices)
        reader = factory.card_reader(cfg, shanghai_today)
    except ConfigError as e:
        print(f"kiosk devices card-read: {e}", file=sys.stderr)
        return 2
    try:
        if cfg.devices.card_reader == "sim":
            if not args.card:
                print("kiosk devices card-read: the simulated reader needs --card CARD.json", file=sys.stderr)
                return 2
            record = sim_read(reader, args.card, args.wait)
        else:
            record = reader.read_once(args.wait)  # type: ignore[attr-defined]
    except CardRefusal as refusal:
        print(f"kiosk devices card-read: refused: {refusal.reason}: {refusal.message('zh')} / {refusal.message('en')}", file=sys.stderr)
        return 1
    finally:
        stop = getattr(reader, "stop", None)
        if stop:
            stop()
    out = record.to_json()
    if not args.reveal:
        out["id_number"] = mask_id_number(out["id_number"])
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        width = max(len(k) for k in out)
        for k, v in out.items():
            print(f"{k:<{width}}  {v if v is not None else '-'}")
    return 0


def sim_read(reader, card, wait_s: float):  # -> IdentityRecord
    import threading

    from kiosk.devices.base import ReaderState

    done = threading.Event()
    result: dict = {}

    def listener(ev) -> None:
        if ev.state in (ReaderState.READ, ReaderState.REFUSED):
            result["ev"] = ev
            done.set()

    reader.start(listener)
    reader.insert(card)
    if not done.wait(wait_s):
        raise CardRefusal("no_card")
    ev = result["ev"]
    if ev.refusal is not None:
        raise ev.refusal
    return ev.identity


def print_test(cfg: Config, args: Namespace) -> int:
    try:
        if args.printer:
            cfg = cfg.with_overrides(devices={"printer": args.printer})
        printer = factory.printer(cfg)
    except ConfigError as e:
        print(f"kiosk devices print-test: {e}", file=sys.stderr)
        return 2
    from kiosk.devices.printer_tools import format_report, print_test_page

    state, result = print_test_page(printer, cfg.kiosk.id, args.lang)
    print(format_report(state, result, printer))
    return 0 if result.ok else 1
