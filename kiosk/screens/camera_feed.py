"""Camera frames on a worker thread; the UI gets QImages through a signal."""

from __future__ import annotations

import threading
import time

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtGui import QImage

from kiosk.devices.base import Camera


def to_qimage(frame: np.ndarray) -> QImage:
    """BGR uint8 -> QImage (a deep copy, safe to pass between threads)."""
    h, w = frame.shape[:2]
    return QImage(frame.data, w, h, 3 * w, QImage.Format.Format_BGR888).copy()


class _Grabber(QThread):
    def __init__(self, feed: CameraFeed) -> None:
        super().__init__()
        self.feed = feed
        self.running = True

    def run(self) -> None:
        cam = self.feed.camera
        opened = cam.open()
        period = 1.0 / self.feed.fps
        while self.running:
            t0 = time.monotonic()
            frame = cam.read() if opened else None
            if frame is None:
                self.feed.status.emit(False)
                opened = cam.open()  # reconnects by itself
                time.sleep(0.5)
                continue
            with self.feed.lock:
                self.feed.latest = frame
            self.feed.frame.emit(to_qimage(frame))
            time.sleep(max(0.0, period - (time.monotonic() - t0)))
        cam.close()


class CameraFeed(QObject):
    frame = Signal(QImage)
    status = Signal(bool)  # False: no frames right now

    def __init__(self, camera: Camera, fps: float = 15.0) -> None:
        super().__init__()
        self.camera = camera
        self.fps = fps
        self.lock = threading.Lock()
        self.latest: np.ndarray | None = None
        self._thread: _Grabber | None = None

    def start(self) -> None:
        if self._thread is None:
            self._thread = _Grabber(self)
            self._thread.start()

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
