"""The fixed frame around every screen: header (service, step), the content area, the footer
(Back, Help, Cancel, the primary action) and the tools (Repeat, volume, language, text size),
placed by orientation in ``screens/bars.py``: in the header on a wide screen, in a bottom bar
on a tall one."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QScrollArea,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.services import Service
from kiosk.flow.lifecycle import SessionEnd
from kiosk.flow.steps import Kind, Stage, Step
from kiosk.screens.bars import (
    FieldInView,
    ScreenFit,
    fit_content_width,
    layout_bars,
    place_content,
    retain_slots,
    tool_icon_colour,
)
from kiosk.screens.base import Context, Screen
from kiosk.screens.guard import EscapeGuard
from kiosk.screens.i18n import Languages
from kiosk.screens.idle import IdleMonitor
from kiosk.screens.overlay import Overlay
from kiosk.screens.theme import PALETTE, stylesheet
from kiosk.screens.widgets import button, label, qicon

FAILSAFE_NOTICE_MS = 20_000  # the failsafe notice stays this long over the attract screen

log = logging.getLogger(__name__)


def service_name(service: Service | None) -> str:
    if service == Service.RENEWAL:
        return QCoreApplication.translate("Shared", "Renew your residence permit")
    if service == Service.INFO_CHANGE:
        return QCoreApplication.translate("Shared", "Change your registered details")
    if service == Service.REISSUE_LOST:
        return QCoreApplication.translate("Shared", "Replace a lost permit")
    if service == Service.REISSUE_DAMAGED:
        return QCoreApplication.translate("Shared", "Replace a damaged permit")
    return QCoreApplication.translate("Shared", "Residence permit self-service")


def stage_name(stage: Stage, kind: Kind | None) -> str:
    """The header's name for a stage of the journey ("Step 2 of 4: Confirm who you are")."""
    if stage == Stage.CHOOSE:
        return QCoreApplication.translate("Shared", "Choose a service")
    if stage == Stage.IDENTITY:
        return QCoreApplication.translate("Shared", "Confirm who you are")
    if stage == Stage.DETAILS:
        if kind == Kind.STATUS:
            return QCoreApplication.translate("Shared", "Your applications")
        if kind == Kind.REISSUE:
            return QCoreApplication.translate("Shared", "Fee and phone")
        return QCoreApplication.translate("Shared", "Documents and phone")
    return QCoreApplication.translate("Shared", "Check and submit")


def journey_title(kind: Kind | None, service: Service | None) -> str:
    if kind == Kind.MAINTENANCE:
        return QCoreApplication.translate("Shared", "Maintenance")
    if kind == Kind.STATUS:
        return QCoreApplication.translate("Shared", "My applications")
    if kind == Kind.REISSUE and service is None:
        return QCoreApplication.translate("Shared", "Replace a lost or damaged permit")
    return service_name(service)


class _CurrentPageLayout(QStackedLayout):
    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        page = self.currentWidget()
        return page is not None and page.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        page = self.currentWidget()
        return page.heightForWidth(width) if page is not None else -1


class CurrentPageStack(QWidget):
    """A stack of screens whose height for a width is its current screen's.

    QStackedLayout answers the tallest page's height, hidden pages included; the scroll area
    asks for it, so on a landscape display every screen scrolled as if it were the longest one.
    """

    def __init__(self) -> None:
        super().__init__()
        self._layout = _CurrentPageLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def addWidget(self, page: QWidget) -> int:  # noqa: N802 - QStackedWidget API
        return self._layout.addWidget(page)

    def setCurrentWidget(self, page: QWidget) -> None:  # noqa: N802 - QStackedWidget API
        self._layout.setCurrentWidget(page)

    def currentWidget(self) -> QWidget | None:  # noqa: N802 - QStackedWidget API
        return self._layout.currentWidget()


class MainWindow(QWidget):
    directive_received = Signal(object)  # heartbeat Directive, from any thread
    storage_changed = Signal(object)  # the storage fault's reason (str) or None, from any thread

    def __init__(self, ctx: Context, screens: list[Screen], languages: Languages) -> None:
        super().__init__()
        self.setObjectName("root")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.ctx = ctx
        ctx.shell = self
        self.languages = languages
        self.elder = ctx.config.ui.elder_mode
        self.journey = ctx.journey

        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)
        root.addWidget(self._build_header())
        root.addWidget(self._build_content(), 1)
        root.addWidget(self._build_footer())
        self.root_layout = root
        self.keyboard = None  # the embedded Qt Virtual Keyboard, made when a screen first needs it
        self._portrait: bool | None = None
        layout_bars(self, portrait=False)
        self._portrait = None  # the first resize lays everything out for its orientation

        self._add_screens(screens)
        self.field_in_view = FieldInView(self)
        self.fitter = ScreenFit(self)
        self.overlay = Overlay(self)
        from kiosk.screens.help import HelpDesk

        self.help_desk = HelpDesk(self)
        self._start_idle_monitor()
        self._closing = False  # shut_down() was called: the kiosk itself closes the window
        self.guard = EscapeGuard(self.escape_allowed, show_cursor=ctx.config.ui.show_cursor, parent=self)
        self.guard.install()
        self._connect()
        from kiosk.screens.takeaway import TakeAway

        self.take_away = TakeAway(self)  # after _connect: the window wipes its views first
        self.apply_theme()
        self.set_language(ctx.config.ui.language)
        self._on_step(self.journey.step)

    def _build_header(self) -> QFrame:
        """Service title and step; the tools (Repeat, volume, language, text size) are made here
        and placed by orientation (screens/bars.py)."""
        self.header = QFrame()
        self.header.setObjectName("header")
        self.header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        h = QHBoxLayout(self.header)
        h.setContentsMargins(32, 12, 32, 12)
        h.setSpacing(16)
        self.service_title = label("", wrap=True)
        self.service_title.setObjectName("serviceTitle")
        self.step_label = label("", wrap=True)  # "Step 2 of 4" over the stage's name (wraps if narrow)
        self.step_label.setObjectName("stepLabel")
        self.lang_button = button("", icon="fa5s.language", color=PALETTE.primary_text)
        self.lang_button.setObjectName("langButton")
        self.size_button = button("", icon="fa5s.text-height", color=PALETTE.primary_text)
        self.size_button.setObjectName("sizeButton")
        # Speech: say this screen again, and the volume (loud, medium, quiet, off).
        self.repeat_button = button("", icon="fa5s.redo-alt", color=PALETTE.primary_text)
        self.repeat_button.setObjectName("repeatButton")
        self.volume_button = button("", icon="fa5s.volume-up", color=PALETTE.primary_text)
        self.volume_button.setObjectName("volumeButton")
        h.addWidget(self.service_title, 1)
        h.addWidget(self.step_label)
        self.header_layout = h
        return self.header

    def _build_content(self) -> QScrollArea:
        """The page stack, centred, inside a scroll area."""
        self.content = QWidget()
        self.content.setObjectName("content")
        self.content.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        c = QHBoxLayout(self.content)
        self.content_layout = c
        self.stack = CurrentPageStack()
        self.stack.setMaximumWidth(1200)
        c.addStretch(1)
        c.addWidget(self.stack, 20)
        c.addStretch(1)
        # A screen must fit without scrolling at normal text size (tested). In elder mode a
        # long screen on a landscape display may not: it scrolls instead of pushing the
        # footer off the screen.
        self.scroll = QScrollArea()
        self.scroll.setObjectName("contentScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.content)
        return self.scroll

    def _build_footer(self) -> QFrame:
        """Back, Help, Cancel and the primary action; :meth:`_layout_footer` places them."""
        self.footer = QFrame()
        self.footer.setObjectName("footer")
        self.footer.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.footer_grid = QGridLayout(self.footer)
        self.footer_grid.setHorizontalSpacing(16)
        self.footer_grid.setVerticalSpacing(16)
        self.back_button = button("quiet", icon="fa5s.arrow-left", color=PALETTE.text)
        self.back_button.setObjectName("backButton")
        self.help_button = button("quiet", icon="fa5s.hands-helping", color=PALETTE.text)
        self.help_button.setObjectName("helpButton")
        self.cancel_button = button("danger", icon="fa5s.times", color=PALETTE.danger)
        self.cancel_button.setObjectName("cancelButton")
        self.primary_button = button("primary")
        self.primary_button.setObjectName("primaryButton")
        return self.footer

    def _add_screens(self, screens: list[Screen]) -> None:
        self.screens: dict[Step, Screen] = {}
        for s in screens:
            self.screens[s.step] = s
            self.stack.addWidget(s)
            s.changed.connect(self.refresh)
            s.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)

    def _start_idle_monitor(self) -> None:
        """The idle timer, watching every input event of the application."""
        cfg = self.ctx.config.timeouts
        self.idle = IdleMonitor(cfg.idle_s * 1000, cfg.warning_s)
        self.idle.warn.connect(self._on_idle_warn)
        self.idle.expired.connect(self._on_idle_expired)
        app = QApplication.instance()
        app.installEventFilter(self.idle)

    def _connect(self) -> None:
        """The frame's buttons, heartbeat directives and the journey's notifications."""
        self.lang_button.clicked.connect(self.toggle_language)
        self.size_button.clicked.connect(self.toggle_text_size)
        self.back_button.clicked.connect(self.go_back)
        self.help_button.clicked.connect(self.show_help)
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.primary_button.clicked.connect(self._primary)
        self.voice = self.ctx.voice
        self.repeat_button.clicked.connect(self.voice.repeat)
        self.volume_button.clicked.connect(self._cycle_volume)
        self.overlay.presented.connect(self._overlay_presented)

        self.directive_received.connect(self.apply_directive)
        self.storage_changed.connect(self.journey.state.set_storage)
        self.journey.on_end(self._on_session_end)
        self.journey.state.subscribe(self._attract_changed)
        self.journey.on_step(self._on_step)

    # --- no escape (screens/guard.py; README "No escape") ---
    def escape_allowed(self) -> bool:
        """Closing the window and the keys that leave it work only in demo mode, in maintenance
        mode after the PIN, or while the kiosk shuts itself down. A production kiosk has no
        way out of the window: it is stopped from outside (systemctl)."""
        if self._closing:
            return True
        return self.ctx.config.kiosk.mode == "demo" and self.journey.step == Step.MAINTENANCE

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self.escape_allowed():
            log.info("close request ignored")
            event.ignore()
            return
        self.guard.uninstall()
        super().closeEvent(event)

    def shut_down(self) -> None:
        """The kiosk closes its own window (Kiosk.close): always allowed."""
        self._closing = True
        self.guard.uninstall()
        self.take_away.stop()  # no reminder or help request outlives the kiosk
        self.close()

    # --- public actions (also used by tests and the tour) ---
    def current_screen(self) -> Screen:
        return self.stack.currentWidget()  # type: ignore[return-value]

    def set_language(self, lang: str) -> None:
        self.journey.lang = lang
        self.languages.set(lang)
        self.retranslate()
        self.current_screen().retranslate()
        self._announce_on_refresh = True  # say the screen again, in the new language
        self.refresh()

    def toggle_language(self) -> None:
        self.set_language("en" if self.journey.lang == "zh" else "zh")

    def toggle_text_size(self) -> None:
        self.elder = not self.elder
        self.apply_theme()
        if self.keyboard is not None:
            self.keyboard.set_elder(self.elder)
        self.refresh()

    def ensure_keyboard(self):  # -> KeyboardPanel | None
        """The on-screen keyboard (Pinyin, English, digits) at the bottom of the window."""
        if self.keyboard is None:
            try:
                from kiosk.screens.keyboard import KeyboardPanel

                self.keyboard = KeyboardPanel(self, elder=self.elder)
            except RuntimeError as e:  # not started with the virtual keyboard as input method
                log.error("on-screen keyboard unavailable: %s", e)
                return None
            self.root_layout.addWidget(self.keyboard)
            # Added to a shown window, a widget shows: the keyboard only while a field has focus.
            self.keyboard.setVisible(self.keyboard.is_active())
        return self.keyboard

    def apply_theme(self) -> None:
        # On the window (overlays and the keyboard are its children), not the application:
        # a restyle then touches this window's widgets only.
        self.setStyleSheet(stylesheet(self.elder))
        fit_content_width(self)

    def go_back(self) -> None:
        if self.current_screen().back_allowed():
            self.journey.back()

    def ask_cancel(self) -> None:
        self.overlay.present(
            "cancel",
            self.tr("Stop and delete your details?"),
            self.tr(
                "Your application has already been received and will be processed; keep your receipt number. "
                "Everything you entered is deleted from this machine."
            )
            if self.journey.accepted
            else self.tr("Nothing will be sent. Everything you entered is deleted from this machine."),
            [
                (self.tr("No, carry on"), "primary", self.overlay.dismiss),
                (self.tr("Yes, stop and delete"), "danger", self._confirm_cancel),
            ],
            icon="fa5s.question-circle",
        )

    def show_help(self) -> None:
        """Ask the hall's staff through the review service and show its answer (screens/help.py)."""
        self.help_desk.ask()

    def failsafe(self) -> None:
        """Something unexpected went wrong: wipe, say so calmly, back to attract."""
        try:
            self.end_session(SessionEnd.FAILSAFE)
        finally:
            if self.overlay.kind != "failsafe":  # the session's end shows it, unless that failed
                self._show_failsafe_notice()

    def _show_failsafe_notice(self) -> None:
        """The calm notice over the attract screen after a session that could not continue."""
        self.journey.state.set_failsafe(True)
        phone = self.ctx.config.kiosk.help_phone
        self.overlay.present(
            "failsafe",
            self.tr("This machine cannot continue right now"),
            self.tr(
                "Your details have been cleared from this machine. If you already have a receipt, your "
                "application is saved and will be sent. Please take your ID card and your documents, then "
                "start again, use another machine or ask at the counter. Help: {phone}."
            ).replace("{phone}", phone),
            [(self.tr("OK"), "primary", self._failsafe_done)],
            icon="fa5s.exclamation-circle",
        )
        QTimer.singleShot(FAILSAFE_NOTICE_MS, self._failsafe_done)

    def _failsafe_done(self) -> None:
        if self.overlay.kind == "failsafe":
            self.overlay.dismiss()
        if self.journey.state.failsafe:
            self.journey.state.set_failsafe(False)

    def end_session(self, how: SessionEnd = SessionEnd.CANCELLED) -> None:
        """End the session: the journey wipes it, then tells this window (_on_session_end)."""
        self.journey.end(how)

    def _on_session_end(self, how: SessionEnd) -> None:
        """The journey ended the session: wipe every view of it (and say so, if it could not continue)."""
        self.overlay.dismiss()
        self.voice.reset()
        self.retranslate()
        self.idle.stop()
        if self.keyboard is not None:
            self.keyboard.reset()
        for s in self.screens.values():
            s.wipe_view()
        if how == SessionEnd.FAILSAFE:
            self._show_failsafe_notice()

    def apply_directive(self, directive) -> None:
        """The review service's heartbeat answer: out of service stops new journeys only."""
        self.journey.state.set_remote((directive.message or {}) if directive.out_of_service else None)

    def _attract_changed(self) -> None:
        if self.journey.step == Step.ATTRACT:
            self.current_screen().retranslate()
            self.refresh()

    # --- internals ---
    def _confirm_cancel(self) -> None:
        log.info("resident cancelled at %s", self.journey.step)
        self.end_session(SessionEnd.CANCELLED)

    def _primary(self) -> None:
        self.current_screen().activate_primary()

    def _on_step(self, step: Step) -> None:
        old = self.current_screen()
        new = self.screens[step]
        if old is not new and old is not None:
            old.on_leave()
            # Only the current screen's size counts for the layout.
            old.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        new.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.stack.setCurrentWidget(new)
        place_content(self)
        self.stack.adjustSize()
        self._drop_focus(new)
        if new.needs_keyboard:
            self.ensure_keyboard()
        elif self.keyboard is not None:
            self.keyboard.reset()
        new.on_enter()
        self._announce_on_refresh = True
        if step == Step.ATTRACT:
            self.idle.stop()
            for s in self.screens.values():
                s.wipe_view()
        elif not self.idle.active:
            self.idle.start()
        else:
            self.idle.poke()
        self.retranslate()
        self.refresh()

    def _drop_focus(self, screen: Screen) -> None:
        """A text field of another screen keeps no focus (and so no keyboard) on this one."""
        focused = QApplication.focusWidget()
        if focused is not None and not screen.isAncestorOf(focused):
            focused.clearFocus()
            QGuiApplication.inputMethod().hide()

    def refresh(self) -> None:
        """Header and footer state for the current screen."""
        screen = self.current_screen()
        step = self.journey.step
        pos = self.journey.position()
        stage = self.journey.wizard.stage()
        self.step_label.setText(
            self.tr("Step {n} of {total}").replace("{n}", str(pos[0])).replace("{total}", str(pos[1]))
            + "\n"
            + stage_name(stage, self.journey.kind)
            if pos and stage
            else ""
        )
        self.step_label.setVisible(pos is not None)
        self.service_title.setText(journey_title(self.journey.kind, self.journey.service))
        text = screen.primary_text()
        self.primary_button.setVisible(text is not None)
        self.primary_button.setText(text or "")
        self.primary_button.setEnabled(screen.primary_enabled())
        self.back_button.setVisible(step not in (Step.ATTRACT, Step.SUBMIT, Step.DONE) and screen.back_allowed())
        self.cancel_button.setVisible(step not in (Step.ATTRACT, Step.DONE) and screen.back_allowed())
        # Portrait: the bottom bar's tools are there on the attract screen too (only they are).
        attract = step == Step.ATTRACT
        self.footer.setVisible(self.portrait or not attract)
        self.help_button.setVisible(not attract)
        retain_slots(self, not attract)
        self.fitter.fit()
        if screen.busy():
            if self.idle.paused:
                self.idle.progress()  # a busy screen that changed has moved on
            else:
                self.idle.pause()
        elif self.idle.paused:
            self.idle.resume()
        if getattr(self, "_announce_on_refresh", False):
            self._announce_on_refresh = False
            self.voice.announce(step.value, screen.spoken_texts(), screen)
        else:
            self.voice.alerts(step.value, screen)

    def _overlay_presented(self, kind: str) -> None:
        o = self.overlay
        self.voice.announce(f"overlay:{kind}", [o.heading.text(), o.body.text()])
        if kind in ("timeout", "failsafe"):
            self.voice.play("error" if kind == "failsafe" else "reminder")

    def _cycle_volume(self) -> None:
        self.voice.cycle_volume()
        self.retranslate()

    def retranslate(self) -> None:
        self.lang_button.setText("English" if self.journey.lang == "zh" else "中文")
        self.size_button.setText(self.tr("Standard text") if self.elder else self.tr("Larger text"))
        self.repeat_button.setText(self.tr("Repeat"))
        v = self.voice.volume
        self.volume_button.setText(
            self.tr("Muted") if v == 0 else self.tr("Loud") if v >= 100 else self.tr("Medium") if v >= 60 else self.tr("Quiet")
        )
        self.volume_button.setIcon(qicon("fa5s.volume-mute" if v == 0 else "fa5s.volume-up", tool_icon_colour(self)))
        self.back_button.setText(self.tr("Back"))
        self.help_button.setText(self.tr("Help"))
        self.cancel_button.setText(self.tr("Cancel"))

    def _on_idle_warn(self, left: int) -> None:
        if self.overlay.kind != "timeout":
            self.overlay.present(
                "timeout",
                self.tr("Are you still there?"),
                self.tr("For your privacy, we will stop and delete your details soon."),
                [(self.tr("I am still here"), "primary", self._extend)],
                icon="fa5s.hourglass-half",
                countdown=(left, self.idle.warning_s),
            )
        else:
            self.overlay.ring.set(left, self.idle.warning_s)

    def _extend(self) -> None:
        self.overlay.dismiss()
        self.idle.extend()

    def _on_idle_expired(self) -> None:
        log.info("session timed out at %s", self.journey.step)
        self.end_session(SessionEnd.TIMED_OUT)

    @property
    def portrait(self) -> bool:
        return bool(self._portrait)

    def content_need(self, width: int | None = None) -> int:
        """The height the current screen needs (the same measure the scroll area uses: the
        minimum size, and the height for the viewport's width or ``width``)."""
        need = self.content.minimumSizeHint().height()
        if self.content.hasHeightForWidth():
            need = max(need, self.content.heightForWidth(self.scroll.viewport().width() if width is None else width))
        return need

    def content_overflows(self) -> bool:
        """True when the current screen needs more height than the content area has."""
        return self.content_need() > self.scroll.viewport().height()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        portrait = self.height() > self.width()
        if portrait != self._portrait:
            layout_bars(self, portrait)
            self.retranslate()  # the tools' icons change colour with their place
            for s in self.screens.values():
                s.set_orientation(portrait)
            self.refresh()
        if self.overlay.isVisible():
            self.overlay.setGeometry(self.rect())
