"""The one place that wires configuration, devices, the review service, the journey and
the screens together."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from typing import Any

from kiosk.backend import Backend, open_backend
from kiosk.backend_client import ReviewClient
from kiosk.config import Config
from kiosk.devices import factory
from kiosk.devices.base import Camera, CardReader, ReceiptPrinter
from kiosk.domain.clock import Clock, SystemClock, today
from kiosk.domain.session import Session
from kiosk.events import EventLog
from kiosk.flow.journey import Journey, KioskInfo
from kiosk.flow.steps import Wizard

log = logging.getLogger(__name__)


@dataclass
class Kiosk:
    config: Config
    clock: Clock
    reader: CardReader
    camera: Camera
    printer: ReceiptPrinter
    client: ReviewClient
    journey: Journey
    simulator: Any = None  # the embedded review-service simulator, if any
    window: Any = None
    bridge: Any = None
    heartbeat: Any = None
    outbox: Any = None
    backend: Backend | None = None
    failsafe: Any = None  # kiosk.screens.failsafe.Failsafe while the window runs
    speaker: Any = None  # kiosk.devices.speech.base.Speaker
    _closed: bool = field(default=False, repr=False)

    @property
    def session(self) -> Session:
        return self.journey.session

    # --- technician actions (blocking; the maintenance screen runs them off the UI thread) ---
    def probe(self) -> dict[str, str]:
        """Device and service states in words for the maintenance screen (no personal data)."""
        states = device_health(self)
        states["card_reader"] = f"{states['card_reader']} ({self.reader.state().value})"
        d = self.heartbeat.beat() if self.heartbeat else None
        states["service"] = "ok" if d is not None else "unreachable"
        if d is not None and d.out_of_service:
            states["service"] += " (out of service)"
        outbox = self.outbox_status()
        states["outbox"] = str(outbox.get("depth", 0)) if outbox else "0"
        fault = self.heartbeat.check_storage() if self.heartbeat else self.storage_fault()
        states["storage"] = f"fault: {fault}" if fault else "ok"
        return states

    def storage_fault(self) -> str | None:
        """Why the data directory cannot store applications now (technician's words), else None."""
        from kiosk.storage import storage_problem

        if self.outbox is None:
            return (
                "the outbox could not be opened at start-up (full or read-only data directory "
                f"{self.config.data_dir}); fix it, then restart the kiosk"
            )
        return self.outbox.storage_fault or storage_problem(self.config.data_dir, self.outbox.min_free_bytes)

    def outbox_status(self) -> dict[str, Any]:
        return self.outbox.status() if self.outbox is not None else {}

    def flush_outbox(self, timeout_s: float) -> bool:
        return self.outbox.flush(timeout_s) if self.outbox is not None else True

    def print_test_page(self, lang: str):  # -> PrintResult
        from kiosk.devices.printer.tools import print_test_page

        _state, result = print_test_page(self.printer, self.config.kiosk.id, lang, self.clock.now())
        return result

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.failsafe is not None:
            self.failsafe.uninstall()
        if self.window is not None:
            from PySide6.QtWidgets import QApplication

            from kiosk.flow.lifecycle import SessionEnd

            self.window.end_session(SessionEnd.CLOSED)
            self.window.idle.stop()
            # The window watches the whole application for touches; a closed kiosk must stop
            # (PySide keeps the filter alive, so every later event would still pass through it).
            QApplication.instance().removeEventFilter(self.window.idle)
            self.window.shut_down()
        if self.heartbeat is not None:
            self.heartbeat.stop()
        if self.outbox is not None:
            self.outbox.close()
        if self.bridge is not None:
            self.bridge.stop()
        if self.backend is not None:
            self.backend.close()
        if self.speaker is not None:
            self.speaker.close()
        self.journey.events.close()


def setup_logging(cfg: Config) -> str | None:
    """Log to the data directory and stderr. Nothing personal is ever logged.

    A data directory that cannot hold the log (full, read-only) does not stop the kiosk: it logs to
    stderr only and the problem is returned (the kiosk then shows that it is out of service).
    """
    from kiosk.logfile import QuietFileHandler

    logdir = cfg.data_dir / "logs"
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    problem = None
    try:
        logdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        problem = f"cannot create {logdir}: {e.strerror}"
    else:
        handlers.append(QuietFileHandler(logdir / "kiosk.log"))
    logging.basicConfig(
        level=os.environ.get("KIOSK_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )
    if problem is not None:
        logging.getLogger(__name__).error("logging to stderr only: %s", problem)
    return problem


def build(cfg: Config, *, clock: Clock | None = None, with_window: bool = True, start_services: bool = True) -> Kiosk:
    """Build the whole kiosk. A QApplication must exist when ``with_window`` is true."""
    clock = clock or SystemClock()
    reader = factory.card_reader(cfg, lambda: today(clock))
    camera = factory.camera(cfg)
    printer = factory.printer(cfg)
    backend = open_backend(cfg)
    client, simulator = backend.client, backend.simulator
    outbox = open_outbox(cfg, backend)
    from kiosk.heartbeat import Heartbeat

    # The heartbeat's callbacks read the kiosk built below; they run only once it is started.
    heartbeat = Heartbeat(
        client,
        lambda: device_health(kiosk),
        outbox=lambda: heartbeat_outbox(kiosk),
        storage=lambda: kiosk.storage_fault(),
        on_storage=lambda reason: journey.state.set_storage(reason),
    )
    journey = Journey(
        session=Session(),
        wizard=Wizard(),
        client=client,
        printer=printer,
        clock=clock,
        kiosk=KioskInfo(cfg.kiosk.id, cfg.kiosk.location, cfg.kiosk.location_en, cfg.kiosk.help_phone),
        policy=cfg.renewal,
        change_policy=cfg.info_change,
        reissue_policy=cfg.reissue,
        events=EventLog(cfg.data_dir / "logs" / "events.jsonl"),
        outbox=outbox,
        submit_wait_s=cfg.outbox.submit_wait_s,
        on_problem=heartbeat.report_error,
        keep_failed_receipt_s=cfg.maintenance.keep_failed_receipt_s,
    )
    kiosk = Kiosk(cfg, clock, reader, camera, printer, client, journey, simulator, backend=backend)
    kiosk.outbox = outbox
    kiosk.heartbeat = heartbeat
    kiosk.speaker = factory.speaker(cfg)
    if with_window:
        from kiosk.screens import build_window
        from kiosk.screens.bridge import CardBridge

        kiosk.bridge = CardBridge(reader, journey.events)
        kiosk.window = build_window(cfg, journey, kiosk.bridge, camera, kiosk.speaker, services=kiosk)
        kiosk.heartbeat.on_directive = kiosk.window.directive_received.emit
        kiosk.heartbeat.on_storage = kiosk.window.storage_changed.emit
        from kiosk.screens.failsafe import Failsafe

        def trip(name: str) -> None:
            kiosk.heartbeat.report_error("failsafe", f"unexpected {name}; the session was ended")
            kiosk.window.failsafe()

        kiosk.failsafe = Failsafe(trip, journey.events)
        kiosk.failsafe.install()
        kiosk.bridge.start()
    journey.state.set_storage(kiosk.storage_fault())  # a full or read-only disk: out of service from the start
    kiosk.heartbeat.storage_fault = journey.state.storage_fault
    if start_services:
        if kiosk.outbox is not None:
            kiosk.outbox.start()
        kiosk.heartbeat.start()
    return kiosk


def open_outbox(cfg: Config, backend: Backend):  # -> Outbox | None
    """The durable, encrypted outbox in the data directory (a bad key file is a configuration error).

    None when the data directory cannot hold it (full, read-only): the kiosk then stays out of
    service (:meth:`Kiosk.storage_fault`) rather than accept what it cannot store.
    """
    import sqlite3

    from kiosk.outbox import Outbox, OutboxKeyError, load_or_create_key, outbox_paths
    from kiosk.storage import describe, is_storage_error

    db, key = outbox_paths(cfg)
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        if cfg.outbox.key_path:  # a key elsewhere: a problem with it is the configuration's
            load_or_create_key(key)
        else:
            _load_key_in_data_dir(key)
        return Outbox(db, key, backend.client_factory(), min_free_bytes=cfg.outbox.min_free_mb * 1024 * 1024)
    except OutboxKeyError as e:
        from kiosk.config import ConfigError

        raise ConfigError(f"{cfg.source}: [outbox] key_path: {e}") from None
    except (OSError, sqlite3.Error) as e:
        if not is_storage_error(e):
            raise
        log.error("outbox not opened: %s", describe(e, db.parent))
        return None


def _load_key_in_data_dir(key) -> None:
    """The key in the data directory: one that cannot be created there is a storage fault."""
    from kiosk.outbox import OutboxKeyError, load_or_create_key
    from kiosk.storage import StorageError

    try:
        load_or_create_key(key)
    except OutboxKeyError as e:
        if key.exists() or key.is_symlink():
            raise  # a key that is there but wrong: the configuration's (or a technician's) to fix
        raise StorageError(str(e)) from None


def heartbeat_outbox(k: Kiosk) -> dict[str, Any]:
    """Contract: outbox_depth counts requests waiting (documents + applications + pickups)."""
    import sqlite3

    try:
        st = k.outbox.status() if k.outbox is not None else {}
    except (sqlite3.Error, OSError) as e:  # the heartbeat still goes out (with the storage fault)
        log.warning("outbox status unavailable: %s", type(e).__name__)
        st = {}
    if st.get("dead"):
        k.heartbeat.report_error("outbox_dead", f"{st['dead']} queued request(s) refused by the service")
    return {"depth": st.get("requests_pending", 0), "oldest_age_s": st.get("oldest_age_s")}


def device_health(k: Kiosk) -> dict[str, str]:
    """Device states for the heartbeat (contract DeviceStatus / PrinterStatus)."""
    try:
        printer = k.printer.status().value
    except Exception:  # noqa: BLE001 - a broken adapter reports offline, never crashes the beat
        printer = "offline"
    if printer not in ("ok", "degraded", "offline", "paper_low", "paper_out", "cover_open"):
        printer = "degraded"
    return {"card_reader": k.reader.health().value, "camera": k.camera.health().value, "printer": printer}


def run(cfg: Config) -> int:
    """Run the kiosk on the display, full screen."""
    from PySide6.QtWidgets import QApplication

    from kiosk.screens.keyboard import prepare_environment
    from kiosk.screens.watchdog import Watchdog

    prepare_environment()
    app = QApplication.instance() or QApplication([])
    kiosk = build(cfg)
    win = kiosk.window
    watchdog = Watchdog(win)  # systemd: READY=1 at the first paint, then WATCHDOG=1 pings
    if cfg.ui.fullscreen:
        # Bare X servers have no window manager: pair full screen with the screen's geometry.
        win.setGeometry(app.primaryScreen().geometry())
        win.showFullScreen()
    else:
        win.resize(1080, 1920 if app.primaryScreen().geometry().height() > 1200 else 1000)
        win.show()
    try:
        return app.exec()
    finally:
        watchdog.stop()
        kiosk.close()
