"""Attract (the service tiles are the way in), privacy notice and consent."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QHBoxLayout

from kiosk.domain.services import Service
from kiosk.flow.steps import Kind, Step
from kiosk.screens.base import Context, Screen
from kiosk.screens.widgets import Notice, OptionButton, label, pictogram, vbox


class AttractScreen(Screen):
    step = Step.ATTRACT

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=28)
        lay.addStretch(1)
        self.picture = pictogram("fa5s.id-card", 150)
        lay.addWidget(self.picture)
        self.title = label("hero", center=True)
        self.title.setObjectName("attractTitle")
        # Technicians: press and hold the title for 3 seconds to reach maintenance (PIN).
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.setInterval(3000)
        self._hold.timeout.connect(self.enter_maintenance)
        self.title.installEventFilter(self)
        self.subtitle = label("lead", center=True)
        lay.addWidget(self.title)
        lay.addWidget(self.subtitle)
        grid = QGridLayout()
        grid.setSpacing(20)
        self.tiles: dict[str, object] = {}
        specs = [
            ("renewal", "fa5s.calendar-check", Service.RENEWAL),
            ("info_change", "fa5s.edit", Service.INFO_CHANGE),
            ("reissue", "fa5s.redo", Service.REISSUE_LOST),
            ("status", "fa5s.list-alt", Kind.STATUS),
        ]
        for i, (key, icon, service) in enumerate(specs):
            b = OptionButton(icon, role="tile")
            b.setObjectName(f"tile_{key}")
            b.clicked.connect(lambda _=False, s=service: self._tile(s))
            grid.addWidget(b, i // 2, i % 2)
            self.tiles[key] = b
        for c in range(2):
            grid.setColumnStretch(c, 1)  # equal tiles: a long word has as much room in either
        lay.addLayout(grid)
        # The language and the text size are the frame's tools (the bottom bar in portrait).
        self.oos = Notice("warning")
        self.oos.setObjectName("outOfService")
        lay.addWidget(self.oos)
        self.oos_ref = label("small", center=True)
        lay.addWidget(self.oos_ref)
        lay.addStretch(1)
        self.grid_widgets = [*self.tiles.values()]
        self.portrait = True
        self.folded = 0

    # The picture, then the subtitle (the tiles say the same): large English text in portrait.
    spare_parts = 2

    def set_orientation(self, portrait: bool) -> None:
        # Landscape keeps its height for the tiles (they say what to bring and how long it takes).
        self.portrait = portrait
        self.fold(self.folded)

    def fold(self, n: int) -> None:
        self.folded = n
        self.picture.setVisible(self.portrait and n < 1)
        self.subtitle.setVisible(self.portrait and n < 2)

    def retranslate(self) -> None:
        oos = self.journey.state.out_of_service
        for w in self.grid_widgets:
            w.setVisible(oos is None)
        self.oos.setVisible(oos is not None)
        self.oos_ref.setVisible(oos is not None)
        if oos is not None:
            cfg = self.ctx.config.kiosk
            msg = oos.get("zh-CN" if self.zh else "en") if isinstance(oos, dict) else None
            if not isinstance(msg, str):  # only text is shown, whatever the directive held
                msg = None
            if isinstance(oos, dict) and oos.get("cause") == "storage":
                msg = self.tr("This machine cannot save applications at the moment. Staff have been told.")
            self.oos.set_text(
                self.tr("This machine is not taking new applications right now"),
                (msg + "\n" if msg else "")
                + self.tr("Please use another kiosk, the 椰城警民通 WeChat service, or your local police station. Call {phone} for help.").replace("{phone}", cfg.help_phone),
            )
            self.oos_ref.setText(self.tr("Kiosk {id}").replace("{id}", cfg.id))
        self.title.setText(self.tr("Residence permit self-service"))
        self.subtitle.setText(self.tr("Renew, change or replace your Haikou residence permit here, and see your applications."))
        # What to bring and how long it takes are on the tile: one tap starts the service.
        self.tiles["renewal"].set_text(
            self.tr("Renew (annual endorsement)"),
            self.tr("Bring your ID card and one proof: work, home or study. Free. About 2 minutes."),
        )
        self.tiles["info_change"].set_text(
            self.tr("Change address, employer or school"),
            self.tr("Bring your ID card and one proof. About 4 minutes."),
        )
        self.tiles["reissue"].set_text(
            self.tr("Replace a lost or damaged permit"),
            self.tr("Bring your ID card. A production fee applies. About 2 minutes."),
        )
        self.tiles["status"].set_text(self.tr("My applications"), self.tr("Follow an application, choose how to collect it."))
        # Where the resident is: the header says "Step 1 of 4: Choose a service".

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if obj is self.title:
            if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
                self._hold.start()
            elif event.type() in (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd, QEvent.Type.TouchCancel):
                self._hold.stop()
        return super().eventFilter(obj, event)

    def enter_maintenance(self) -> None:
        self.journey.begin(Kind.MAINTENANCE)

    def _tile(self, what: Service | Kind) -> None:
        self.journey.begin(what)


class ConsentScreen(Screen):
    step = Step.CONSENT

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=24)
        self.heading = label("heading")
        lay.addWidget(self.heading)
        self.points = []
        for icon in ("fa5s.id-card", "fa5s.paper-plane", "fa5s.trash-alt"):
            row = QHBoxLayout()
            row.setSpacing(20)
            row.addWidget(pictogram(icon, 56), 0, Qt.AlignmentFlag.AlignTop)
            text = label("lead")
            row.addWidget(text, 1)
            lay.addLayout(row)
            self.points.append(text)
        self.notice = Notice("info")
        lay.addWidget(self.notice)
        lay.addStretch(1)

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Before we read your ID card"))
        self.points[0].setText(self.tr("We read your name, ID number and photo from your ID card, and photograph the documents you show."))
        self.points[1].setText(self.tr("We send them to the police only to review this application."))
        self.points[2].setText(self.tr("Nothing stays on this machine. It is all deleted when you finish or walk away."))
        self.notice.set_text(self.tr("Your ID number is shown and printed only partly, like 460100********123X."))

    def primary_text(self) -> str:
        return self.tr("I agree, continue")

    def activate_primary(self) -> None:
        self.journey.consent()
