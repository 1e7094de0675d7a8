"""Take your things (请取回身份证和全部材料原件): when a session ends by cancel, timeout or a
resident turned away, the window shows and says it with a picture of the reader and the tray.
The done screen says it itself (kiosk/screens/done.py).

If the ID card is still on the reader when the session ends (any way it ends but the failsafe,
whose notice says it, and closing), the reminder stays and repeats (sound and speech) until the
card is lifted; after ``[timeouts] card_left_help_s`` the hall's staff are asked to come
(help request ``card_left_in_reader``).
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot

from kiosk.devices.base import CardEvent, ReaderState
from kiosk.domain.help import CARD_LEFT_IN_READER
from kiosk.flow.lifecycle import SessionEnd
from kiosk.flow.steps import Step

log = logging.getLogger(__name__)

CARD_ON_READER = (ReaderState.READ, ReaderState.READING, ReaderState.REFUSED)
REMIND_EVERY_MS = 10_000  # sound and speech again while the card stays on the reader
NOTICE_MS = 8_000  # the reminder without a card on the reader stays this long (or until OK)
REMIND_AFTER = (SessionEnd.FINISHED, SessionEnd.CANCELLED, SessionEnd.TIMED_OUT, SessionEnd.TURNED_AWAY)
SHOW_WITHOUT_CARD = (SessionEnd.CANCELLED, SessionEnd.TIMED_OUT, SessionEnd.TURNED_AWAY)


class TakeAway(QObject):
    def __init__(self, window) -> None:  # MainWindow
        super().__init__(window)
        self.win = window
        self.card_left = False  # reminding: the card is still on the reader
        self.help_sent = False
        self._since = 0.0
        self._repeat = QTimer(self)
        self._repeat.setInterval(REMIND_EVERY_MS)
        self._repeat.timeout.connect(self._remind_again)
        self._help = QTimer(self)
        self._help.setSingleShot(True)
        self._help.timeout.connect(self._ask_staff)
        self._close = QTimer(self)
        self._close.setSingleShot(True)
        self._close.timeout.connect(self._notice_over)
        window.journey.on_end(self._session_ended)
        window.journey.on_step(self._step)
        window.ctx.cards.event.connect(self._on_card)

    def _session_ended(self, how: SessionEnd) -> None:
        if how not in REMIND_AFTER:
            return
        if self.win.ctx.cards.last_state in CARD_ON_READER:
            self.card_left = True
            self.help_sent = False
            self._since = time.monotonic()
            self._present()
            self.win.voice.play("reminder")
            self._repeat.start()
            self._help.start(self.win.ctx.config.timeouts.card_left_help_s * 1000)
        elif how in SHOW_WITHOUT_CARD:
            self._present()
            self._close.start(NOTICE_MS)

    def _present(self) -> None:
        w = self.win
        if self.card_left:
            body = QCoreApplication.translate("Help", "Your ID card is still on the reader below the screen. Please take it now.")
            if self.help_sent:
                body += "\n" + QCoreApplication.translate("Help", "A member of staff has been asked to come.")
            actions = []
        else:
            body = QCoreApplication.translate("Help", "Check the reader and the document tray before you go.")
            actions = [(QCoreApplication.translate("Help", "OK"), "primary", self._notice_over)]
        w.overlay.present(
            "takeaway",
            QCoreApplication.translate("Help", "Take your ID card and all your original documents with you."),
            body,
            actions,
            picture="take-your-things",
        )

    def _remind_again(self) -> None:
        if self.card_left and self.win.overlay.kind == "takeaway":
            self.win.voice.play("reminder")
            self.win.voice.repeat()

    def _ask_staff(self) -> None:
        if not self.card_left:
            return
        self.win.journey.events.emit("card_left", seconds=round(time.monotonic() - self._since))
        self.help_sent = True
        self.win.help_desk.send(CARD_LEFT_IN_READER)
        if self.win.overlay.kind == "takeaway":
            self._present()

    @Slot(object)
    def _on_card(self, ev: CardEvent) -> None:
        if self.card_left and ev.state not in CARD_ON_READER:
            log.info("the card left on the reader was taken")
            self.stop()

    def _step(self, step: Step) -> None:
        if step != Step.ATTRACT:
            self.stop()  # a new session: the reminder is over (its card is read again if still there)

    def _notice_over(self) -> None:
        self.stop()

    def stop(self) -> None:
        self.card_left = False
        self._repeat.stop()
        self._help.stop()
        self._close.stop()
        if self.win.overlay.kind == "takeaway":
            self.win.overlay.dismiss()
