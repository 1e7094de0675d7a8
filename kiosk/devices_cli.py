"""`kiosk devices ...`: technicians test a reader or a printer from a shell.

Bad flags and card files raise :class:`~kiosk.config.ConfigError` (labelled with the flag)
or :class:`~kiosk.domain.testcard.CardFileError`; :func:`kiosk.cli.main` reports them (exit 2).
A device that fails is one line on stderr and exit 1. The devices' own log records stay off
stderr (they would repeat that line) unless ``KIOSK_LOG_LEVEL`` asks for them.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from argparse import Namespace

from kiosk.config import Config, ConfigError
from kiosk.devices import factory
from kiosk.domain.idcard import CardRefusal, mask_id_number, shanghai_today
from kiosk.domain.testcard import load_test_card

CARD_READ_FLAGS = {
    "devices.card_reader": "--reader",
    "devices.reader_name": "--reader-name",
    "devices.sdk_library": "--sdk-library",
    "devices.sdk_port": "--sdk-port",
}


def _logging() -> None:
    level = os.environ.get("KIOSK_LOG_LEVEL")
    if level:
        logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", force=True)
    elif not logging.getLogger().handlers:  # a handler keeps logging's last resort (and escpos' basicConfig) off stderr
        logging.getLogger().addHandler(logging.NullHandler())


def card_read(cfg: Config, args: Namespace) -> int:
    _logging()
    devices: dict = {}
    if args.reader:
        devices["card_reader"] = args.reader
    if args.reader_name is not None:
        devices["reader_name"] = args.reader_name
    if getattr(args, "sdk_library", None):
        devices["sdk_library"] = args.sdk_library
    if getattr(args, "sdk_port", None) is not None:
        devices["sdk_port"] = args.sdk_port
    if devices:
        cfg = cfg.with_overrides(labels=CARD_READ_FLAGS, devices=devices)
    card = None
    if cfg.devices.card_reader == "sim":
        if not args.card:
            raise ConfigError("--card: the simulated reader needs a test card, --card CARD.json")
        card = load_test_card(args.card)  # before the reader starts; CardFileError names the file
    elif args.card:
        raise ConfigError(f"--card: only the simulated reader takes a test card (--reader sim); this one is {cfg.devices.card_reader!r}")
    reader = factory.card_reader(cfg, shanghai_today)
    try:
        if card is not None:
            record = sim_read(reader, card, args.wait)
        else:
            record = reader.read_once(args.wait)  # type: ignore[attr-defined]
    except CardRefusal as refusal:
        why = getattr(reader, "last_error", None) if refusal.reason == "no_reader" else None
        print(
            f"kiosk devices card-read: refused: {refusal.reason}: {refusal.message('zh')} / {refusal.message('en')}"
            + (f" ({why})" if why else ""),
            file=sys.stderr,
        )
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
    _logging()
    if args.printer:
        cfg = cfg.with_overrides(labels={"devices.printer": "--printer"}, devices={"printer": args.printer})
    printer = factory.printer(cfg)
    from kiosk.devices.printer.tools import STATE_TEXT, describe_printer, format_report, print_test_page

    state, result = print_test_page(printer, cfg.kiosk.id, args.lang)
    print(format_report(state, result, printer))
    if result.ok:
        return 0
    problem = getattr(printer, "problem", None)
    print(
        f"kiosk devices print-test: printer {describe_printer(printer)}: test page not printed: {result.state.value} "
        f"({STATE_TEXT[result.state][1]})" + (f"; {problem}" if problem else ""),
        file=sys.stderr,
    )
    return 1
