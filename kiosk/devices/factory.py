"""Choosing each device's implementation from configuration."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path

from kiosk.config import Config, ConfigError
from kiosk.devices.base import Camera, CardReader, ReceiptPrinter
from kiosk.devices.speech.base import Speaker

log = logging.getLogger(__name__)


def card_reader(cfg: Config, today: Callable[[], dt.date]) -> CardReader:
    kind = cfg.devices.card_reader  # kiosk.config allows sim, pcsc and sdk only
    if kind == "sim":
        from kiosk.devices.card.sim import SimCardReader

        return SimCardReader(today)
    if kind == "pcsc":
        from kiosk.devices.card.pcsc import PcscCardReader

        return PcscCardReader(today, reader_name=cfg.devices.reader_name)
    from kiosk.devices.card.sdk import SdkCardReader

    return SdkCardReader(today, cfg.devices.sdk_library, port=cfg.devices.sdk_port)


def camera(cfg: Config) -> Camera:
    if cfg.devices.camera == "sim":  # kiosk.config allows sim and opencv only
        from kiosk.devices.camera.sim import SimCamera

        src = cfg.devices.camera_source
        images = sorted(Path(src).glob("*.jp*g")) + sorted(Path(src).glob("*.png")) if src else None
        return SimCamera(images=images or None)
    from kiosk.devices.camera.opencv import OpenCvCamera

    d = cfg.devices
    return OpenCvCamera(d.camera_source or 0, width=d.camera_width, height=d.camera_height, fps=d.camera_fps)


def printer(cfg: Config) -> ReceiptPrinter:
    uri = cfg.devices.printer
    if uri.startswith("sim://"):
        from kiosk.devices.printer.sim import SimPrinter

        return SimPrinter(width=cfg.devices.paper_width_chars)
    from kiosk.devices.printer.escpos import EscposPrinter

    try:
        p = EscposPrinter(
            uri,
            mode=cfg.devices.printer_mode,
            width=cfg.devices.paper_width_chars,
            jobs_path=cfg.data_dir / "print-jobs.json",
        )
    except ValueError as e:
        raise ConfigError(f"{cfg.source}: [devices] printer: {e}") from None
    if p.problem:
        log.warning("printer: %s", p.problem)
    return p


def speaker(cfg: Config) -> Speaker:
    if cfg.devices.speech == "espeak":  # kiosk.config allows sim and espeak only
        from kiosk.devices.speech.espeak import EspeakSpeaker

        return EspeakSpeaker(cfg.devices.speech_volume)
    from kiosk.devices.speech.sim import SimSpeaker

    return SimSpeaker(cfg.devices.speech_volume)
