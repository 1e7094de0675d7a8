"""Camera frames on a worker thread; the UI gets QImages through a signal."""

from __future__ import annotations

import logging
import threading
import time

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtGui import QImage

from kiosk.devices.base import Camera

log = logging.getLogger(__name__)


def to_qimage(frame: np.ndarray) -> QImage:
    """BGR uint8 -> QImage (a deep copy, safe to pass between threads)."""
    h, w = frame.shape[:2]
    return QImage(frame.data, w, h, 3 * w, QImage.Format.Format_BGR888).copy()


class _Grabber(QThread):
    """Grabs frames at camera rate; every other frame also goes through the document scanner
    (detection, quality, auto-capture). Captures are straightened and encoded here too, so the
    UI thread only ever receives finished results."""

    def __init__(self, feed: CameraFeed) -> None:
        super().__init__()
        self.feed = feed
        self.running = True

    def run(self) -> None:
        feed = self.feed
        cam = feed.camera
        opened = cam.open()
        period = 1.0 / feed.fps
        n = 0
        while self.running:
            t0 = time.monotonic()
            frame = cam.read() if opened else None
            if frame is None:
                with feed.lock:
                    feed._manual = False  # a shutter press cannot be served by a camera that is gone
                feed.status.emit(False)
                opened = cam.open()  # reconnects by itself
                time.sleep(0.5)
                continue
            with feed.lock:
                feed.latest = frame
                manual, feed._manual = feed._manual, False
            feed.frame.emit(to_qimage(frame))
            n += 1
            try:
                if manual:
                    page = feed.scanner.manual_capture(frame)
                    feed.captured.emit(page.jpeg)
                elif feed.auto and n % 2 == 0:
                    result = feed.scanner.process(frame)
                    feed.scanned.emit(result)
                    if result.state.fire:
                        page = feed.scanner.capture(frame, result.corners)
                        feed.captured.emit(page.jpeg)
            except Exception as e:  # noqa: BLE001 - a bad frame must not stop the camera
                log.error("document scan failed: %s", type(e).__name__)
                if manual:
                    feed.capture_failed.emit()
            time.sleep(max(0.0, period - (time.monotonic() - t0)))
        cam.close()


class CameraFeed(QObject):
    frame = Signal(QImage)
    status = Signal(bool)  # False: no frames right now
    scanned = Signal(object)  # kiosk.scanning.ScanResult (corners, guidance, auto-capture progress)
    captured = Signal(bytes)  # a straightened page, JPEG (auto-capture or the shutter button)
    capture_failed = Signal()

    def __init__(self, camera: Camera, fps: float = 15.0, auto: bool = True) -> None:
        super().__init__()
        self.camera = camera
        self.fps = fps
        self.auto = auto
        self.lock = threading.Lock()
        self.latest: np.ndarray | None = None
        self._manual = False
        self._thread: _Grabber | None = None
        from kiosk.scanning import Scanner

        self.scanner = Scanner()

    def start(self) -> None:
        if self._thread is None:
            self.scanner.reset()
            self._thread = _Grabber(self)
            self._thread.start()

    def shutter(self) -> bool:
        """Capture the next frame now (the resident's button). False when no camera is running."""
        with self.lock:
            if self._thread is None or self.latest is None:
                return False
            self._manual = True
            return True

    def stop(self) -> None:
        if self._thread is not None:
            self._thread.running = False
            self._thread.wait(3000)
            self._thread = None
        with self.lock:
            self.latest = None

    def snapshot(self) -> np.ndarray | None:
        with self.lock:
            return None if self.latest is None else self.latest.copy()
