"""Honest help: the Help button asks the hall's staff through the review service (contract 1.1
help requests, off the UI thread) and shows what the service answered: staff coming in about
N minutes, or nobody on duty with the phone number and the counter's hours. Without a
connection it says that nobody could be told and shows the help phone from the configuration.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject

from kiosk.backend_client import BackendError
from kiosk.domain.help import RESIDENT_ASKED, HelpAnswer
from kiosk.screens import tasks
from kiosk.screens.theme import PALETTE

log = logging.getLogger(__name__)


class HelpDesk(QObject):
    def __init__(self, window) -> None:  # MainWindow
        super().__init__(window)
        self.win = window
        self.answer: HelpAnswer | None = None
        self.failed = False
        self._task: tasks.Task | None = None

    # --- the resident pressed Help ---
    def ask(self) -> None:
        w = self.win
        self.answer, self.failed = None, False
        w.overlay.present(
            "help",
            QCoreApplication.translate("Help", "Asking a member of staff to come…"),
            QCoreApplication.translate("Help", "Please wait a moment."),
            [(QCoreApplication.translate("Help", "Close"), "primary", w.overlay.dismiss)],
            icon="fa5s.hands-helping",
        )
        if self._task is not None:
            self._task.cancel()
        self._task = tasks.run(lambda: w.journey.ask_for_help(RESIDENT_ASKED), on_done=self._answered, on_error=self._failed)

    def _answered(self, answer: HelpAnswer) -> None:
        self.answer = answer
        if self.win.overlay.kind != "help":
            return  # the resident closed it, or the session ended: the staff were told anyway
        w = self.win
        lang = w.journey.lang
        if answer.staff_on_duty:
            heading = (
                QCoreApplication.translate("Help", "A member of staff is coming in about {n} minutes").replace("{n}", str(answer.expected_wait_minutes))
                if answer.expected_wait_minutes is not None
                else QCoreApplication.translate("Help", "A member of staff is coming")
            )
            body, icon, colour = answer.message(lang), "fa5s.user-check", PALETTE.primary
        else:
            heading = QCoreApplication.translate("Help", "No staff are on duty right now")
            body = answer.message(lang) + "\n" + self._hours()
            icon, colour = "fa5s.phone", PALETTE.warning_border
        w.overlay.present("help", heading, body, [(QCoreApplication.translate("Help", "Close"), "primary", w.overlay.dismiss)], icon=icon, icon_color=colour)

    def _failed(self, e: BaseException) -> None:
        self.failed = True
        if not isinstance(e, BackendError):
            log.error("help request failed: %s", type(e).__name__)
        if self.win.overlay.kind != "help":
            return
        w = self.win
        w.overlay.present(
            "help",
            QCoreApplication.translate("Help", "This machine cannot reach the staff right now"),
            QCoreApplication.translate("Help", "Nobody has been told. Please call {phone} for help, or ask at the counter.").replace(
                "{phone}", w.ctx.config.kiosk.help_phone
            ) + "\n" + self._hours(),
            [(QCoreApplication.translate("Help", "Close"), "primary", w.overlay.dismiss)],
            icon="fa5s.phone-slash",
            icon_color=PALETTE.danger,
        )

    def _hours(self) -> str:
        k = self.win.ctx.config.kiosk
        return QCoreApplication.translate("Help", "Counter opening hours: {hours}").replace("{hours}", k.help_hours if self.win.journey.lang == "zh" else k.help_hours_en)

    # --- the kiosk itself needs a person (no overlay) ---
    def send(self, reason: str, on_done=None) -> None:
        """Ask for staff without showing anything (e.g. an ID card left on the reader)."""

        def done(answer: HelpAnswer) -> None:
            log.info("help request %s sent: staff on duty %s", reason, answer.staff_on_duty)
            if on_done:
                on_done(answer)

        def failed(e: BaseException) -> None:
            log.warning("help request %s not sent: %s", reason, type(e).__name__)

        tasks.run(lambda: self.win.journey.ask_for_help(reason), on_done=done, on_error=failed)
