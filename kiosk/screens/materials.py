"""Choose the document (for a renewal, the basis with it), then photograph its pages."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QPointF, QSize, Qt, QTimer, Slot
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.domain.services import Group, category
from kiosk.domain.session import Operation
from kiosk.flow.steps import Kind, Step
from kiosk.screens.base import Context, Screen
from kiosk.screens.camera_feed import CameraFeed
from kiosk.screens.overlay import Ring
from kiosk.screens.theme import PALETTE
from kiosk.screens.widgets import OptionButton, button, clear_layout, label, pictogram, vbox

log = logging.getLogger(__name__)

#: After the shutter, a photo (or its failure) comes within this long, else the camera is gone.
SHUTTER_TIMEOUT_MS = 8000


def category_name(code: str, zh: bool) -> str:
    c = category(code)
    return c.zh if zh else c.en


class CategoryScreen(Screen):
    """Which document: the accepted documents grouped by what they prove (for a renewal: work,
    home, study), so one tap chooses both the basis and the document."""

    step = Step.CATEGORY

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        lay = vbox(self, spacing=10)
        self.heading = label("heading")
        lay.addWidget(self.heading)
        self.hint = label("lead")
        lay.addWidget(self.hint)
        self.list = QGridLayout()
        self.list.setSpacing(10)
        lay.addLayout(self.list)
        lay.addStretch(1)
        self._portrait = True

    def set_orientation(self, portrait: bool) -> None:
        if portrait != self._portrait:
            self._portrait = portrait
            if self.isVisible():
                self.retranslate()

    # Large English text: the hint (the group headings ask the same), then the documents'
    # names in body type with less padding (still targets of m_target px).
    spare_parts = 2

    def fold(self, n: int) -> None:
        self.hint.setVisible(bool(self.hint.text()) and n < 1)
        for b in self.findChildren(OptionButton):
            b.set_dense(n >= 2)

    def wipe_view(self) -> None:
        clear_layout(self.list)

    def _group_title(self, group: Group) -> tuple[str, str]:
        titles = {
            Group.EMPLOYMENT: ("fa5s.briefcase", self.tr("I work here")),
            Group.RESIDENCE: ("fa5s.home", self.tr("I have a home here")),
            Group.STUDY: ("fa5s.graduation-cap", self.tr("I study here")),
            Group.CHANGE: ("fa5s.edit", self.tr("Proof of the change")),
        }
        return titles.get(group, ("fa5s.file-alt", self.tr("Other documents")))

    def retranslate(self) -> None:
        supplement = self.session.operation == Operation.SUPPLEMENT
        codes = self.journey.category_choices()
        groups: dict[Group, list[str]] = {}
        for code in codes:
            groups.setdefault(category(code).group, []).append(code)
        renewal = self.journey.kind == Kind.RENEWAL and not supplement
        if supplement:
            self.heading.setText(self.tr("Which document are you adding?"))
            self.hint.setText(self.tr("Choose the one the officer asked for."))
        elif renewal:
            self.heading.setText(self.tr("Which document will you show?"))
            self.hint.setText(self.tr("One is enough. Choose it under the reason you live in Haikou."))
        else:
            self.heading.setText(self.tr("Which document will you show?"))
            self.hint.setText("")
        self.hint.setVisible(bool(self.hint.text()))
        clear_layout(self.list)
        if len(groups) <= 1:
            columns = 1 if len(codes) <= 5 else 2
            for i, code in enumerate(codes):
                self.list.addWidget(self._option(code), i // columns, i % columns)
            return
        # One column per group side by side in landscape; one group under the other in portrait.
        row = 0
        for col, (group, members) in enumerate(groups.items()):
            icon, title = self._group_title(group)
            head = QHBoxLayout()
            head.setSpacing(12)
            head.addWidget(pictogram(icon, 36), 0)
            cap = label("value", title)
            cap.setObjectName(f"group_{group.value}")
            head.addWidget(cap, 1)
            holder = QWidget()
            holder.setLayout(head)
            if self._portrait:
                self.list.addWidget(holder, row, 0, 1, 2)
                row += 1
                for i, code in enumerate(members):
                    self.list.addWidget(self._option(code, icon=False), row + i // 2, i % 2)
                row += (len(members) + 1) // 2
            else:  # each group its own column, so a two-line name does not stretch the others' rows
                column = QVBoxLayout()
                column.setSpacing(10)
                column.addWidget(holder)
                for code in members:
                    column.addWidget(self._option(code, icon=False))
                column.addStretch(1)
                self.list.addLayout(column, 0, col)
        for c in range(self.list.columnCount()):
            self.list.setColumnStretch(c, 1)  # equal columns

    def _option(self, code: str, icon: bool = True) -> OptionButton:
        # Under a group heading the heading carries the picture; the buttons keep their width for words.
        b = OptionButton("fa5s.file-alt" if icon else None)
        b.setObjectName(f"category_{code}")
        b.setProperty("compact", True)  # nine documents on one screen, still targets of m_target px
        b.set_text(category_name(code, self.zh))
        app = self.session.application
        b.setProperty("selected", bool(app and app.category == code))
        b.clicked.connect(self._chooser(code))
        return b

    def _chooser(self, code: str):
        return lambda: self.journey.choose_category(code)


class PageThumb(QWidget):
    def __init__(self, screen: CaptureScreen, page) -> None:  # page: Page
        super().__init__()
        self.page = page
        # The picture with its page number, Retake and Delete beside it: a strip of these
        # stays one row high however many pages there are (elder mode fits, issue 14).
        lay = QGridLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(8)
        pic = QLabel()
        pic.setProperty("role", "thumb")
        pic.setFixedSize(QSize(150, 110))
        pic.setAlignment(Qt.AlignmentFlag.AlignCenter)
        img = QImage()
        if img.loadFromData(bytes(page.jpeg)):
            pic.setPixmap(QPixmap.fromImage(img).scaled(pic.size(), Qt.AspectRatioMode.KeepAspectRatio))
        lay.addWidget(pic, 0, 0)
        cap = label("small", QCoreApplication.translate("CaptureScreen", "Page {n}").replace("{n}", str(page.number)), center=True)
        lay.addWidget(cap, 1, 0)
        self.retake = button("quiet", QCoreApplication.translate("CaptureScreen", "Retake"))
        self.retake.setObjectName(f"retake_{page.number}")
        self.retake.clicked.connect(lambda: screen.capture(replace=page))
        self.delete = button("danger", QCoreApplication.translate("CaptureScreen", "Delete"))
        self.delete.setObjectName(f"delete_{page.number}")
        self.delete.clicked.connect(lambda: screen.delete(page))
        lay.addWidget(self.retake, 0, 1)
        lay.addWidget(self.delete, 1, 1)


class CaptureScreen(Screen):
    """Live preview with the detected page outlined, guidance words, a ring that fills while the
    page is held still (then it is photographed by itself), the shutter button, and the pages."""

    step = Step.CAPTURE
    fills_height = True  # the preview takes the room the screen has (screens/bars.py)

    def __init__(self, ctx: Context) -> None:
        super().__init__(ctx)
        self.feed = CameraFeed(ctx.camera, auto=ctx.config.devices.auto_capture)
        self.feed.frame.connect(self._on_frame)
        self.feed.status.connect(self._on_status)
        self.feed.scanned.connect(self._on_scan)
        self.feed.captured.connect(self._captured)
        self.feed.capture_failed.connect(self._capture_failed)
        lay = vbox(self, spacing=12)
        self.heading = label("heading")
        lay.addWidget(self.heading)
        self.hint = label("lead")
        lay.addWidget(self.hint)
        # Portrait: preview above the controls. Landscape: preview left, controls right.
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(24)
        lay.addLayout(self.body, 1)
        self.preview = QLabel()
        self._canvas: QPixmap | None = None  # the preview, drawn into in place (see _on_frame)
        self.preview.setObjectName("preview")
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(QSize(480, 270))
        # The preview takes the room that is left; the picture drawn into it never asks for more
        # (an Expanding label grew with its own pixmap and pushed the page strip off the screen).
        self.preview.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.left = vbox(spacing=12)  # the preview, and on a wide screen the pages under it
        self.left.addWidget(self.preview, 1)
        self.body.addLayout(self.left, 3)
        side = vbox(spacing=12)
        self.side = side
        self.body.addLayout(side, 2)
        guide_row = QHBoxLayout()
        self.ring = Ring(64, show_number=False)
        guide_row.addWidget(self.ring)
        self.guidance = label("value")
        self.guidance.setObjectName("captureGuidance")
        guide_row.addWidget(self.guidance, 1)
        side.addLayout(guide_row)
        self.problem = label("error")
        side.addWidget(self.problem)
        self.shoot = button("primary", icon="fa5s.camera")
        self.shoot.setObjectName("shootButton")
        self.shoot.clicked.connect(lambda: self.capture())
        side.addWidget(self.shoot)
        self.thumbs = QHBoxLayout()
        self.thumbs.setSpacing(16)
        self.strip = QWidget()  # the pages taken: a strip one thumbnail high
        self.strip.setLayout(self.thumbs)
        side.addWidget(self.strip)
        side.addStretch(1)
        self.working = False
        self.camera_ok = True
        self._shutter_deadline = QTimer(self)
        self._shutter_deadline.setSingleShot(True)
        self._shutter_deadline.setInterval(SHUTTER_TIMEOUT_MS)
        self._shutter_deadline.timeout.connect(lambda: self._camera_lost("no photo after the shutter"))
        self.replace_target = None
        self.scan = None  # the latest ScanResult
        self.auto_captures = 0

    # --- lifecycle ---
    def on_enter(self) -> None:
        self.camera_ok = True
        self.working = False
        self.scan = None
        self.feed.start()
        super().on_enter()

    def on_leave(self) -> None:
        self._shutter_deadline.stop()
        self.working = False
        self.feed.stop()
        self.preview.clear()
        self._canvas = None  # it shows the resident's page

    def wipe_view(self) -> None:
        self._shutter_deadline.stop()
        self.working = False
        self.feed.stop()
        self.preview.clear()
        self._canvas = None
        self.scan = None
        clear_layout(self.thumbs)

    def busy(self) -> bool:
        return self.working

    # Large English text, once a page is taken: the instructions above the preview (the
    # guidance under it says what to do next).
    spare_parts = 1

    def fold(self, n: int) -> None:
        self.hint.setVisible(not (n >= 1 and self.pages()))

    def set_orientation(self, portrait: bool) -> None:
        self.body.setDirection(QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight)
        # Wide: the pages under the preview, so the column beside it holds only the guidance
        # and the shutter (elder mode fits). Tall: under the shutter.
        self.left.removeWidget(self.strip)
        self.side.removeWidget(self.strip)
        if portrait:
            self.side.insertWidget(self.side.count() - 1, self.strip)
        else:
            self.left.addWidget(self.strip)

    # --- camera and scanner (signals from the grabber thread) ---
    @Slot(QImage)
    def _on_frame(self, img: QImage) -> None:
        self.camera_ok = True
        size = img.size().scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio)
        if size.isEmpty():
            return
        # One canvas, reused frame after frame: a QPainter on a fresh QPixmap leaves PySide6
        # (6.10, 6.11) holding six references to None it never gives back, 90 a second here.
        if self._canvas is None or self._canvas.size() != size:
            self._canvas = QPixmap(size)
        p = QPainter(self._canvas)
        p.drawImage(self._canvas.rect(), img)
        scan = self.scan
        if scan is not None and scan.corners is not None and img.width() > 0:
            k = size.width() / img.width()
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            ready = scan.code is None
            p.setPen(QPen(QColor(PALETTE.success if ready else PALETTE.focus), 6))
            p.drawPolygon(QPolygonF([QPointF(float(x) * k, float(y) * k) for x, y in scan.corners]))
        p.end()
        self.preview.setPixmap(self._canvas)
        if self.problem.text() and not self.working:
            self.problem.clear()

    @Slot(object)
    def _on_scan(self, result) -> None:
        self.scan = result
        self.ring.set(round(result.state.progress * 100), 100)
        self.ring.setVisible(result.state.progress > 0)
        self._show_guidance()

    def _show_guidance(self) -> None:
        r = self.scan
        if r is None:
            self.guidance.setText("")
            return
        if r.state.phase.value == "waiting":
            self.guidance.setText(self.tr("Done. Put the next page on the tray, or press Continue."))
        elif r.code is None:
            self.guidance.setText(self.tr("Hold still…"))
        else:
            self.guidance.setText(r.message(self.journey.lang))

    @Slot(bool)
    def _on_status(self, ok: bool) -> None:
        if not ok and self.working:
            self._camera_lost("camera lost after the shutter")
            return
        if not ok and self.camera_ok:
            self.camera_ok = False
            self.problem.setText(self.tr("The camera is not sending pictures. Please wait a moment, or press Help."))

    def _camera_lost(self, why: str) -> None:
        """The camera went away while a photo was being taken: this session cannot continue."""
        if not self.working or self.journey.step != Step.CAPTURE:
            return
        log.error("capture: %s", why)
        self._shutter_deadline.stop()
        self.working = False
        self.journey.device_lost("camera")

    # --- actions ---
    def capture(self, replace=None) -> None:
        """The shutter button (or Retake): photograph the next frame."""
        if self.working:
            return
        if not self.feed.shutter():
            self.problem.setText(self.tr("The camera is not ready yet. Please wait a moment and try again."))
            return
        self.replace_target = replace
        self.working = True
        self._shutter_deadline.start()
        self.shoot.setEnabled(False)
        self.changed.emit()

    @Slot(bytes)
    def _captured(self, data: bytes) -> None:
        manual = self.working
        self.working = False
        self._shutter_deadline.stop()
        app = self.session.application
        if app is None or app.category is None or self.journey.step != Step.CAPTURE:
            return
        target, self.replace_target = self.replace_target, None
        if target is not None and target in app.pages:
            app.replace_page(target, data)
        else:
            app.add_page(app.category, data)
        self.play("page")
        if not manual:
            self.auto_captures += 1
        self.retranslate()
        self.changed.emit()

    @Slot()
    def _capture_failed(self) -> None:
        self.working = False
        self._shutter_deadline.stop()
        self.replace_target = None
        self.problem.setText(self.tr("That photo did not work. Please try again."))
        self.retranslate()
        self.changed.emit()

    def delete(self, page) -> None:
        app = self.session.application
        if app and page in app.pages:
            app.remove_page(page)
        self.retranslate()
        self.changed.emit()

    def pages(self) -> list:
        app = self.session.application
        return app.pages_of(app.category) if app and app.category else []

    def retranslate(self) -> None:
        app = self.session.application
        if app is None or app.category is None:
            return
        name = category_name(app.category, self.zh)
        n = len(self.pages())
        self.heading.setText(self.tr("Photograph your {document}").replace("{document}", name))
        self.hint.setText(
            self.tr("Put page {n} face up on the tray under the camera and hold it still: the photo is taken by itself. Add a photo for every page.")
            .replace("{n}", str(n + 1))
        )
        self.shoot.setText(self.tr("Take photo of page {n}").replace("{n}", str(n + 1)))
        self.shoot.setEnabled(not self.working)
        self._show_guidance()
        clear_layout(self.thumbs)
        for page in self.pages():
            self.thumbs.addWidget(PageThumb(self, page))
        self.thumbs.addStretch(1)

    def primary_text(self) -> str:
        n = len(self.pages())
        if n == 0:
            return self.tr("Take a photo first")
        if n == 1:
            return self.tr("Continue with 1 page")
        return self.tr("Continue with {n} pages").replace("{n}", str(n))

    def primary_enabled(self) -> bool:
        return bool(self.pages()) and not self.working

    def activate_primary(self) -> None:
        if self.pages():
            self.journey.next()


class PhoneKeypad(QWidget):
    def __init__(self, on_key, prefix: str = "key") -> None:
        super().__init__()
        grid = QGridLayout(self)
        grid.setSpacing(16)
        keys = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "del"]
        self.buttons = {}
        for i, k in enumerate(keys):
            icon = {"del": "fa5s.backspace"}.get(k)
            b = button("key", "" if k == "del" else k, icon=icon, color=PALETTE.text)
            b.setObjectName(f"{prefix}_{k}")
            b.clicked.connect(lambda _=False, key=k: on_key(key))
            grid.addWidget(b, i // 3, i % 3)
            self.buttons[k] = b
