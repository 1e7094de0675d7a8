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
from kiosk.domain.applications import ApplicationStatus
from kiosk.domain.changes import ReissueVerdict
from kiosk.domain.idcard import CardRefusal
from kiosk.domain.testcard import TestCard, load_test_card
from kiosk.screens.theme import ASSETS
from kiosk.tour_states import states

log = logging.getLogger(__name__)
DEFAULT_CARD = ASSETS / "cards" / "linhai.json"


class CardRefused(RuntimeError):
    """The simulated reader refused the tour's card (card profile §8): the tour cannot go on."""

    def __init__(self, card: str, refusal: CardRefusal) -> None:
        super().__init__(
            f"card file {card}: refused by the reader: {refusal.reason}: {refusal.message('zh')} / {refusal.message('en')}"
        )
        self.refusal = refusal


@dataclass
class TourResult:
    service: str
    client_reference: str | None
    application_id: str | None
    taps: int
    seconds: float
    screens: list[str] = field(default_factory=list)
    #: every tap the resident made: its number, the screen (step) and what was tapped
    tap_list: list[dict[str, object]] = field(default_factory=list)
    receipt: str | None = None
    speech: list[dict[str, str]] = field(default_factory=list)  # {"screen": step or overlay, "text": …}
    steps: list[str] = field(default_factory=list)  # every step shown, in order


def describe(widget) -> str:
    """What a tap hit, for the tap list: the widget's name and the words on it."""
    text = (widget.text() if hasattr(widget, "text") else "") or widget.accessibleName() or ""
    text = " ".join(text.split())
    if len(text) > 48:
        text = text[:47] + "…"
    name = widget.objectName() or type(widget).__name__
    return f"{name} ({text})" if text else name


class Driver:
    """Clicks real widgets and waits for the UI, counting the resident's taps."""

    def __init__(self, kiosk, out: Path | None, on_screen: Callable[[Driver, str], None] | None = None) -> None:
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance()
        self.kiosk = kiosk
        self.win = kiosk.window
        self.out = out
        self.taps = 0
        self.on_screen = on_screen  # called on every screen the tour shows (tests measure it there)
        self.tap_list: list[dict[str, object]] = []
        self.shots: list[str] = []
        self.speech: list[dict[str, str]] = []  # what the kiosk said, in order
        self.steps: list[str] = [kiosk.journey.step.value]
        voice = kiosk.window.voice
        if voice.last is not None:  # the screen shown before the driver started
            self.speech.append({"screen": voice.last[0], "text": voice.last[1]})
        voice.spoke.connect(self._spoke)
        kiosk.journey.on_step(lambda step: self.steps.append(step.value))

    def _spoke(self, screen: str, text: str) -> None:
        self.speech.append({"screen": screen, "text": text})

    def pump(self, ms: int = 30) -> None:
        """Let the UI run for ``ms``. Sleeps between event batches so worker threads (camera,
        card reader) get the interpreter too; QTest.qWait would keep it from them."""
        from PySide6.QtCore import QCoreApplication, QEvent

        end = time.monotonic() + ms / 1000
        while True:
            self.app.processEvents()
            # What the application's event loop does and processEvents() does not: delete the
            # widgets given to deleteLater() (no loop runs here; else they pile up across sessions).
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            if time.monotonic() >= end:
                break
            time.sleep(0.005)

    def wait(self, cond: Callable[[], bool], timeout: float = 15.0, what: str = "") -> None:
        end = time.monotonic() + timeout
        while not cond():
            if time.monotonic() > end:
                raise TimeoutError(f"tour: timed out waiting for {what or cond}")
            self.pump(20)

    def tap(self, widget) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        end = time.monotonic() + 2.0  # a widget just added is shown by a queued event
        while not (widget.isVisible() and widget.isEnabled()) and time.monotonic() < end:
            self.pump(20)
        if not (widget.isVisible() and widget.isEnabled()):
            raise RuntimeError(f"tour: {widget.objectName() or widget.text()!r} is not tappable")
        what = describe(widget)
        screen = self.step()
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
        self.count(what, screen)
        self.pump(30)

    def count(self, what: str, screen: str | None = None) -> None:
        """One tap of the resident's: counted and listed (screen and what was tapped)."""
        self.taps += 1
        self.tap_list.append({"n": self.taps, "screen": screen or self.step(), "tapped": what})

    def find(self, name: str):
        from PySide6.QtWidgets import QPushButton

        return self._child(QPushButton, name)

    def _child(self, cls, name: str):
        w = self.win.findChild(cls, name)
        if w is None:
            raise LookupError(name)
        return w

    def shot(self, name: str) -> None:
        self.pump(60)
        self.shots.append(name)
        if self.on_screen is not None:
            self.on_screen(self, name)
        if self.out is not None:
            self.win.grab().save(str(self.out / f"{len(self.shots):02d}-{name}.png"))

    def step(self) -> str:
        return self.kiosk.journey.wizard.current.value

    def focus(self, field) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        if not field.hasFocus():
            QTest.mouseClick(field, Qt.MouseButton.LeftButton)
            self.count(f"text field {field.objectName()}")
        self.pump(30)

    def type_text(self, field, text: str) -> None:
        """Type into a text field: one tap to focus, then each character delivered as the
        input method commits it (one tap per character is counted; spelling every word in
        Pinyin on the on-screen keyboard is shown by :meth:`type_pinyin`)."""
        from PySide6.QtGui import QInputMethodEvent
        from PySide6.QtWidgets import QApplication

        self.focus(field)
        for ch in text:
            e = QInputMethodEvent()
            e.setCommitString(ch)
            QApplication.sendEvent(field, e)
            self.count(f"input method: {ch}")
        self.pump(30)

    def type_pinyin(self, field, pinyin: str, word: str) -> None:
        """Spell ``pinyin`` on the on-screen keyboard and pick ``word`` from the candidates."""
        from kiosk.tour_keyboard import candidates, pick_candidate, type_keys

        panel = self.win.keyboard
        if panel is None:
            raise RuntimeError("tour: this screen has no on-screen keyboard")
        self.focus(field)
        self.wait(lambda: panel.isVisible() and panel.is_active(), timeout=5, what="the on-screen keyboard")
        panel.set_layout("zh")
        self.wait(lambda: any(k.get("text") == pinyin[0] for k in panel.keys()), timeout=5, what="the Pinyin layout")
        type_keys(panel, pinyin)
        for ch in pinyin:
            self.count(f"keyboard key {ch}")
        self.wait(lambda: word in candidates(panel), timeout=5, what=f"candidate {word}")
        pick_candidate(panel, word)
        self.count(f"keyboard candidate {word}")
        self.pump(30)

    def field(self, name: str):
        from PySide6.QtWidgets import QLineEdit

        return self._child(QLineEdit, name)

    def start(self, tile: str) -> None:
        self.shot("attract")
        self.tap(self.find(tile))
        self.shot("consent")
        self.tap(self.find("primaryButton"))

    def insert_card(self, card) -> None:
        """Put ``card`` on the simulated reader and wait until the kiosk moves past the
        read-card step; a card the reader refuses raises its :class:`CardRefusal` at once."""
        reader = self.kiosk.reader
        reader.insert(card)
        self.wait(lambda: self.step() != "read_card" or reader.refusal is not None, what="card read")
        if self.step() == "read_card" and reader.refusal is not None:
            raise reader.refusal

    def read_card(self, card) -> None:
        self.kiosk.reader.remove()  # a card left from before is lifted first
        self.pump(50)
        self.shot("read-card")
        self.insert_card(card)

    def confirm_identity(self) -> None:
        identity = self.win.current_screen()
        self.wait(lambda: not identity.loading, what="permit lookup")
        if identity.error is not None:
            raise RuntimeError(f"tour: the permit lookup failed: {type(identity.error).__name__}")
        self.shot("identity")
        if self.kiosk.journey.identity_blocker():
            raise RuntimeError("tour: this card cannot use this service")
        self.tap(self.find("primaryButton"))

    def capture(self, category: str, pages: int) -> None:
        """The pages are laid on the tray one after the other and each is photographed by itself
        once held still (when auto-capture is on): no tap but "done". If auto-capture misses a
        page, the shutter button takes it (and its tap is counted)."""
        k = self.kiosk
        auto = k.config.devices.auto_capture
        if auto:
            k.camera.play_pages(category, pages)
        else:
            k.camera.show_document(category)
        self.tap(self.find(f"category_{category}"))
        screen = self.win.current_screen()
        self.wait(lambda: screen.feed.snapshot() is not None, what="camera frames")
        if auto:
            self.wait(lambda: screen.scan is not None and screen.scan.state.progress > 0.3, timeout=15, what="the page held still")
            self.shot("capture")
            app = k.session.application
            try:
                self.wait(lambda: len(app.pages) >= pages or k.camera.finished, timeout=60, what="auto-capture")
            except TimeoutError:
                pass
            if len(app.pages) < pages:
                log.warning("tour: auto-capture took %d of %d pages; the shutter takes the rest", len(app.pages), pages)
                k.camera.show_document(category)  # the missed page, back on the tray for the shutter
        else:
            self.shot("capture")
        while len(k.session.application.pages) < pages:
            n = len(k.session.application.pages)
            self.tap(self.find("shootButton"))
            self.wait(lambda n=n: len(k.session.application.pages) > n, what=f"page {n + 1}")
        self.shot("capture-done")
        self.tap(self.find("primaryButton"))

    def phone(self, number: str | None = None) -> None:
        """The number for the SMS: the one on file with one tap when the service sent one and no
        ``number`` is given, else typed on the keypad ("Use another number" first if needed)."""
        self.shot("phone")
        screen = self.win.current_screen()
        if screen.offering_on_file():
            if number is None:
                self.tap(self.find("primaryButton"))  # use the number on file
                return
            self.tap(self.find("otherNumber"))
        for digit in number or "13812345678":
            self.tap(self.find(f"key_{digit}"))
        self.shot("phone-entered")
        self.tap(self.find("primaryButton"))

    def submit(self) -> None:
        self.shot("review")
        self.tap(self.find("primaryButton"))
        submit = self.win.current_screen()
        self.wait(lambda: self.step() == "done" or submit.phase in ("failed", "refused"), timeout=60, what="submission")
        if self.step() != "done":
            self.shot("submit-failed")
            raise RuntimeError(f"tour: sending failed: {submit.heading.text()} {submit.detail.text()}")
        self.shot("done")


def renewal(d: Driver, card: Path | str) -> None:
    """Tile, consent, "is this you" (with "you can renew today"), the document, the pages laid
    down one after the other, done, the number on file (or the keypad), submit."""
    k = d.kiosk
    d.start("tile_renewal")
    d.read_card(card)
    d.wait(lambda: d.step() == "identity", what="identity screen")
    identity = d.win.current_screen()
    d.wait(lambda: not identity.loading, what="permit lookup")
    if identity.error is not None:
        raise RuntimeError(f"tour: the permit lookup failed: {type(identity.error).__name__}")
    if not k.session.eligibility or not k.session.eligibility.allowed:
        raise RuntimeError(f"tour: this card cannot renew today ({k.session.eligibility and k.session.eligibility.verdict})")
    d.shot("identity")
    d.tap(d.find("primaryButton"))  # yes, this is me
    if d.step() == "eligibility":  # a late renewal: "I understand" first
        d.shot("eligibility")
        d.tap(d.find("primaryButton"))
    d.shot("category")
    d.capture("employment_contract", 2)
    d.phone()
    d.submit()


def info_change(d: Driver, card: Path | str) -> None:
    d.start("tile_info_change")
    d.read_card(card)
    d.confirm_identity()
    d.shot("change-what")
    d.tap(d.find("change_residence_address"))
    d.shot("change-what-chosen")
    d.tap(d.find("primaryButton"))
    # District, street and community from Haikou's divisions; only the road, number and room typed.
    d.shot("address")
    d.tap(d.find("address_district_1"))  # 龙华区
    d.tap(d.find("address_street_2"))  # 金贸街道
    d.tap(d.find("address_community_0"))  # 玉沙社区
    d.type_text(d.field("address_detail"), "玉沙路18号301室")
    d.shot("address-entered")
    d.tap(d.find("primaryButton"))
    d.shot("change-date")
    for _ in range(3):
        d.tap(d.find("day_minus"))
    d.shot("change-date-set")
    d.tap(d.find("primaryButton"))
    d.shot("category")
    d.capture("rental_contract", 1)
    d.phone()
    d.submit()


def reissue(d: Driver, card: Path | str, lost: bool) -> None:
    d.start("tile_reissue")
    d.read_card(card)
    d.confirm_identity()
    d.shot("reissue-kind")
    d.tap(d.find("reissue_lost" if lost else "reissue_damaged"))
    d.shot("fee")
    if d.kiosk.session.reissue_verdict != ReissueVerdict.OK:
        raise RuntimeError(f"tour: this permit cannot be replaced here ({d.kiosk.session.reissue_verdict})")
    d.tap(d.find("primaryButton"))
    d.phone()
    d.submit()


def status(d: Driver, card: Path | str) -> None:
    """Renew first, let the simulator review it to card_ready, then choose mail pickup."""
    renewal(d, card)
    app_id = d.kiosk.session.submission.application_id
    wait_done_ends(d)
    wait_card_ready(d, app_id)
    d.start("tile_status")
    d.read_card(card)
    apps = d.win.current_screen()
    d.wait(lambda: not apps.loading, what="applications")
    d.shot("applications")
    d.tap(d.find(f"application_{app_id}"))
    d.shot("application")
    d.tap(d.find("primaryButton"))  # choose how to collect it
    d.shot("pickup-method")
    d.tap(d.find("pickup_mail"))
    d.shot("mail-address")
    d.tap(d.find("mail_registered"))
    d.phone("13912345678")
    d.shot("pickup-review")
    d.tap(d.find("primaryButton"))
    submit = d.win.current_screen()
    d.wait(lambda: d.step() == "done" or submit.phase in ("failed", "refused"), timeout=60, what="pickup")
    if d.step() != "done":
        raise RuntimeError(f"tour: the pickup choice failed: {submit.heading.text()}")
    d.shot("done")


def wait_done_ends(d: Driver) -> None:
    """The done screen ends the session by itself after its countdown (no tap)."""
    d.wait(lambda: d.step() == "attract", timeout=d.kiosk.config.timeouts.done_s + 30, what="the done screen's countdown")


def wait_card_ready(d: Driver, application_id: str, timeout: float = 30.0) -> None:
    """The embedded simulator auto-reviews; another simulator is asked through /sim/.../decide."""
    client = d.kiosk.client
    if d.kiosk.simulator is None:
        for decision in (ApplicationStatus.UNDER_REVIEW, ApplicationStatus.APPROVED, ApplicationStatus.CARD_READY):
            r = client._s.post(f"{client.base_url}/sim/applications/{application_id}/decide", json={"decision": decision.value}, timeout=10)
            if r.status_code not in (200, 409):
                raise RuntimeError(f"tour: the review service did not move the application ({r.status_code})")
    d.wait(lambda: client.get_application(application_id).status == ApplicationStatus.CARD_READY, timeout=timeout, what="card_ready")


SERVICES = {
    "renewal": (renewal, "linhai.json"),
    "info_change": (info_change, "zhangwei.json"),
    "reissue_lost": (lambda d, c: reissue(d, c, lost=True), "fumingde.json"),
    "reissue_damaged": (lambda d, c: reissue(d, c, lost=False), "ayiguli.json"),
    "status": (status, "linhai.json"),
    "states": (states, "linhai.json"),  # kiosk/tour_states.py
}


def tour_backend_problem(cfg: Config) -> str | None:
    """Why the tour must not run against ``cfg``'s review service, or None when it may.

    The tour submits a renewal for a demo resident under the configured kiosk id, so whether
    that is allowed is decided here, in one place, before anything starts (``kiosk tour`` calls
    it). A production configuration allows only the embedded simulator (``kiosk tour`` turns
    a production configuration into a demo unless ``--backend`` asks for a service); a demo
    configuration allows any backend.
    """
    if cfg.kiosk.mode == "production" and cfg.backend.url != "embedded":
        return (
            f"refused in production mode: the tour submits a demo resident, so it runs only against its "
            f"embedded simulator, never {cfg.backend.url} (drop --backend)"
        )
    return None


def write_summary(out: Path, result: TourResult, lang: str, size: tuple[int, int], speech: list, *, elder: bool = False) -> None:
    """``receipt.txt`` and ``summary.json`` (the taps, each tap, the screens, what was said) in ``out``."""
    (out / "receipt.txt").write_text(result.receipt or "", encoding="utf-8")
    summary = {k: v for k, v in result.__dict__.items() if k != "receipt"}
    summary["speech"] = list(speech)  # including the attract screen and the take-away reminder at the end
    summary.update(lang=lang, size=f"{size[0]}x{size[1]}", elder=elder)
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")


def tour_config(cfg: Config, service: str, *, lang: str, elder: bool) -> Config:
    """The configuration a tour runs with: its language and text size, simulated reader and
    camera (the script puts cards and documents there), and the shortest done countdown (the
    done screen ends by itself; the tour waits for it rather than tapping Finish)."""
    overrides: dict = {
        "ui": {"language": lang, "fullscreen": False, "elder_mode": elder},
        "devices": {"card_reader": "sim", "camera": "sim"},
        "timeouts": {"done_s": 5},
    }
    if service == "status" and cfg.backend.url == "embedded":
        overrides["backend"] = {"auto_review_s": 0.3}
    return cfg.with_overrides(**overrides)


def tour_result(kiosk, d: Driver, service: str, seconds: float) -> TourResult:
    """What the tour did: the number, the taps and screens, the receipt, what was said."""
    sub = kiosk.session.submission
    receipt = (
        kiosk.printer.last_text()
        if hasattr(kiosk.printer, "last_text")
        else f"(printed on {kiosk.config.devices.printer}: see that printer's output)\n"
    )
    result = kiosk.session.result
    return TourResult(
        service=service,
        client_reference=sub.client_reference if sub else None,
        application_id=sub.application_id if sub else (result.application_id if result else None),
        taps=d.taps,
        seconds=round(seconds, 2),
        screens=d.shots,
        tap_list=list(d.tap_list),
        receipt=receipt,
        speech=d.speech,
        steps=d.steps,
    )


def run_tour(
    cfg: Config,
    out: Path | None,
    *,
    lang: str = "zh",
    size: tuple[int, int] = (1080, 1920),
    card: Path | str | TestCard | None = None,
    service: str = "renewal",
    elder: bool = False,
    on_screen: Callable[[Driver, str], None] | None = None,
) -> TourResult:
    """Run ``service``'s script with ``card`` (a test-card file, default: the service's own).

    Raises :class:`~kiosk.domain.testcard.CardFileError` for a bad card file and ``ValueError``
    for an unknown service before any window opens; :class:`CardRefused` when the reader
    refuses the card; ``TimeoutError``/``RuntimeError``/``LookupError`` when the journey fails.
    ``elder`` starts in elder mode (适老化); ``on_screen(driver, name)`` is called on every screen.
    """
    if service not in SERVICES:
        raise ValueError(f"tour: unknown service {service!r}; known: {', '.join(SERVICES)}")
    script, default_card = SERVICES[service]
    card_name = "(given)" if isinstance(card, TestCard) else str(card or ASSETS / "cards" / default_card)
    test_card = card if isinstance(card, TestCard) else load_test_card(card or ASSETS / "cards" / default_card)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.screens.keyboard import prepare_environment

    prepare_environment()
    from kiosk.app import build

    app = QApplication.instance() or QApplication([])
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.png"):
            old.unlink()
    cfg = tour_config(cfg, service, lang=lang, elder=elder)
    kiosk = build(cfg)
    try:
        if kiosk.simulator is not None:
            kiosk.simulator.reset()  # a fresh demo: the tour's resident has no open application
        kiosk.window.resize(*size)
        kiosk.window.show()
        d = Driver(kiosk, out, on_screen)
        d.pump(100)
        t0 = time.monotonic()
        try:
            script(d, test_card)
        except CardRefusal as refusal:
            raise CardRefused(card_name, refusal) from None
        seconds = time.monotonic() - t0
        result = tour_result(kiosk, d, service, seconds)
        wait_done_ends(d)  # back to attract by itself, session wiped
        if out is not None:
            write_summary(out, result, lang, size, d.speech, elder=elder)
        return result
    finally:
        kiosk.close()
        app.processEvents()
