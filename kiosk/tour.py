"""The scripted tour: drives the real application headless through a complete journey with
simulated devices, clicking real widgets, and writes one PNG per screen, the receipt as
text and ``summary.json``."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.config import Config
from kiosk.screens.theme import ASSETS

log = logging.getLogger(__name__)
DEFAULT_CARD = ASSETS / "cards" / "linhai.json"


@dataclass
class TourResult:
    service: str
    client_reference: str | None
    application_id: str | None
    taps: int
    seconds: float
    screens: list[str] = field(default_factory=list)
    receipt: str | None = None


class Driver:
    """Clicks real widgets and waits for the UI, counting the resident's taps."""

    def __init__(self, kiosk, out: Path | None) -> None:
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance()
        self.kiosk = kiosk
        self.win = kiosk.window
        self.out = out
        self.taps = 0
        self.shots: list[str] = []

    def pump(self, ms: int = 30) -> None:
        from PySide6.QtTest import QTest

        QTest.qWait(ms)

    def wait(self, cond: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise TimeoutError(f"tour: timed out waiting for {what or cond}")
            self.pump(20)

    def tap(self, widget) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        if not (widget.isVisible() and widget.isEnabled()):
            raise RuntimeError(f"tour: {widget.objectName() or widget.text()!r} is not tappable")
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        self.taps += 1
        self.pump(30)

    def find(self, name: str):
        from PySide6.QtWidgets import QPushButton

        w = self.win.findChild(QPushButton, name)
        if w is None:
            raise LookupError(name)
        return w

    def shot(self, name: str) -> None:
        self.pump(60)
        self.shots.append(name)
        if self.out is not None:
            self.win.grab().save(str(self.out / f"{len(self.shots):02d}-{name}.png"))

    def step(self) -> str:
        return self.kiosk.journey.wizard.current.value


def renewal(d: Driver, card: Path | str) -> None:
    k = d.kiosk
    d.shot("attract")
    d.tap(d.find("startButton"))
    d.shot("service")
    d.tap(d.find("service_renewal"))
    d.shot("consent")
    d.tap(d.find("primaryButton"))
    d.shot("read-card")
    k.reader.insert(card)
    d.wait(lambda: d.step() == "identity", what="identity screen")
    identity = d.win.current_screen()
    d.wait(lambda: not identity.loading, what="permit lookup")
    if identity.error is not None:
        raise RuntimeError(f"tour: the permit lookup failed: {type(identity.error).__name__}")
    d.shot("identity")
    d.tap(d.find("primaryButton"))
    d.shot("eligibility")
    if not k.session.eligibility or not k.session.eligibility.allowed:
        raise RuntimeError(f"tour: this card cannot renew today ({k.session.eligibility and k.session.eligibility.verdict})")
    d.tap(d.find("primaryButton"))
    d.shot("basis")
    d.tap(d.find("basis_employment"))
    d.shot("category")
    k.camera.show_document("employment_contract")  # the resident lays the contract on the tray
    d.tap(d.find("category_employment_contract"))
    d.wait(lambda: d.win.current_screen().feed.snapshot() is not None, what="camera frames")
    d.shot("capture")
    d.tap(d.find("shootButton"))
    d.wait(lambda: len(k.session.application.pages) == 1, what="page 1")
    d.tap(d.find("shootButton"))
    d.wait(lambda: len(k.session.application.pages) == 2, what="page 2")
    d.shot("capture-2-pages")
    d.tap(d.find("primaryButton"))
    d.shot("phone")
    for digit in "13812345678":
        d.tap(d.find(f"key_{digit}"))
    d.shot("phone-entered")
    d.tap(d.find("primaryButton"))
    d.shot("review")
    d.tap(d.find("primaryButton"))
    submit = d.win.current_screen()
    d.wait(lambda: d.step() == "done" or submit.phase in ("failed", "refused"), timeout=60, what="submission and printing")
    if d.step() != "done":
        d.shot("submit-failed")
        raise RuntimeError(f"tour: the submission failed: {submit.heading.text()} {submit.detail.text()}")
    d.shot("done")


def run_tour(
    cfg: Config,
    out: Path | None,
    *,
    lang: str = "zh",
    size: tuple[int, int] = (1080, 1920),
    card: Path | str | None = None,
    service: str = "renewal",
) -> TourResult:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.app import build

    app = QApplication.instance() or QApplication([])
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.png"):
            old.unlink()
    cfg = cfg.with_overrides(ui={"language": lang, "fullscreen": False})
    kiosk = build(cfg)
    try:
        if kiosk.simulator is not None:
            kiosk.simulator.reset()  # a fresh demo: the tour's resident has no open application
        kiosk.window.resize(*size)
        kiosk.window.show()
        d = Driver(kiosk, out)
        d.pump(100)
        t0 = time.monotonic()
        if service != "renewal":
            raise ValueError(f"tour: service {service!r} is not available yet")
        renewal(d, card or DEFAULT_CARD)
        seconds = time.monotonic() - t0
        sub = kiosk.session.submission
        receipt = kiosk.printer.last_text() if hasattr(kiosk.printer, "last_text") else None
        result = TourResult(
            service=service,
            client_reference=sub.client_reference if sub else None,
            application_id=sub.application_id if sub else None,
            taps=d.taps,
            seconds=round(seconds, 2),
            screens=d.shots,
            receipt=receipt,
        )
        d.tap(d.find("primaryButton"))  # Finish: back to attract, session wiped
        d.wait(lambda: d.step() == "attract", what="attract")
        if out is not None:
            (out / "receipt.txt").write_text(receipt or "", encoding="utf-8")
            summary = {k: v for k, v in result.__dict__.items() if k != "receipt"}
            summary.update(lang=lang, size=f"{size[0]}x{size[1]}")
            (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
        return result
    finally:
        kiosk.close()
        app.processEvents()
