"""A real camera through OpenCV: a device index, a video file or a stream URL.

Frames are grabbed on a worker thread; ``read()`` never blocks and returns the latest frame.
When frames stop (camera unplugged, stream dropped, file ended) the worker releases the
capture and reopens it with a growing back-off, by itself. ``health()`` says OK while frames
arrive, DEGRADED while it is reconnecting after having worked (or frames are late), OFFLINE
when it never opened or has been lost for long.

In tests, ``cv2.VideoCapture("clip.avi")`` stands in for a camera; a file source is paced at
``fps`` (a file would otherwise be read as fast as the disk allows).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.devices.base import Camera, DeviceStatus

log = logging.getLogger(__name__)


def parse_source(source: int | str) -> int | str:
    """'0' or 0 -> device index 0; anything else (a path, /dev/video2, rtsp://...) as given."""
    if isinstance(source, int):
        return source
    s = str(source).strip()
    return int(s) if s.isdigit() else s


def _is_file(source: int | str) -> bool:
    return isinstance(source, str) and "://" not in source and not source.startswith("/dev/")


@dataclass(frozen=True)
class CameraInfo:
    status: DeviceStatus
    connected: bool
    frames: int  # frames received since open()
    reconnects: int  # how many times the capture was reopened after a loss
    fps: float  # measured over the last few seconds
    size: tuple[int, int] | None  # (width, height) of the last frame
    last_error: str = ""


class OpenCvCamera(Camera):
    """``source``: device index, path or URL. ``width``/``height``/``fps``: what to ask the device
    for (a file keeps its own size; it is paced at ``fps``). ``stale_s``: no frame for this long
    counts as lost. ``backoff``: (first, max) seconds between reopen attempts. ``loop``: restart a
    file source at its end instead of treating the end as a loss. ``on_status`` is called (from
    the worker thread) whenever health changes."""

    def __init__(self, source: int | str = 0, width: int = 1280, height: int = 720, fps: float = 15.0,
                 stale_s: float = 2.0, backoff: tuple[float, float] = (0.5, 8.0), loop: bool = False,
                 fourcc: str = "", offline_after_s: float = 30.0,
                 on_status: Callable[[DeviceStatus], None] | None = None) -> None:
        self.source = parse_source(source)
        self.width, self.height, self.fps = int(width), int(height), float(fps)
        self.stale_s = stale_s
        self.backoff = backoff
        self.loop = loop
        self.fourcc = fourcc
        self.offline_after_s = offline_after_s
        self.on_status = on_status
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._latest: np.ndarray | None = None
        self._latest_t = 0.0
        self._frames = 0
        self._reconnects = 0
        self._connected = False
        self._ever_connected = False
        self._lost_since: float | None = None
        self._error = ""
        self._stamps: list[float] = []
        self._status = DeviceStatus.OFFLINE

    # --- Camera ---
    def open(self, timeout: float = 3.0) -> bool:
        """Start the worker and wait up to ``timeout`` s for the first frame. Returns whether
        frames are arriving; the worker keeps trying either way. Calling it again while the
        worker runs does not wait: it just says whether frames are arriving."""
        if self._thread is not None and self._thread.is_alive():
            return self.read() is not None
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="opencv-camera", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._latest is not None:
                    return True
            time.sleep(0.01)
        return False

    def read(self) -> np.ndarray | None:
        """The latest frame (BGR), or None if none arrived within ``stale_s``. Never blocks.
        The returned array is not reused by the worker: it is the caller's."""
        with self._lock:
            if self._latest is None or time.monotonic() - self._latest_t > self.stale_s:
                return None
            return self._latest

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
            self._thread = None
        with self._lock:
            self._latest = None
            self._connected = False
        self._set_status(DeviceStatus.OFFLINE)

    def health(self) -> DeviceStatus:
        return self._compute_status()

    # --- extras ---
    def info(self) -> CameraInfo:
        with self._lock:
            now = time.monotonic()
            recent = [t for t in self._stamps if now - t <= 3.0]
            fps = (len(recent) - 1) / (recent[-1] - recent[0]) if len(recent) >= 2 and recent[-1] > recent[0] else 0.0
            size = None if self._latest is None else (self._latest.shape[1], self._latest.shape[0])
            return CameraInfo(self._compute_status(), self._connected, self._frames, self._reconnects, fps, size,
                              self._error)

    # --- worker ---
    def _compute_status(self) -> DeviceStatus:
        now = time.monotonic()
        fresh = self._latest is not None and now - self._latest_t <= self.stale_s
        if fresh and self._connected:
            return DeviceStatus.OK
        if self._ever_connected and self._lost_since is not None and now - self._lost_since < self.offline_after_s:
            return DeviceStatus.DEGRADED
        if self._connected:  # open, but frames are late
            return DeviceStatus.DEGRADED
        return DeviceStatus.OFFLINE

    def _set_status(self, status: DeviceStatus | None = None) -> None:
        status = status or self._compute_status()
        if status != self._status:
            self._status = status
            log.info("camera %r: %s", self.source, status.value)
            if self.on_status is not None:
                try:
                    self.on_status(status)
                except Exception:  # a listener must never kill the grabber
                    log.exception("camera status listener failed")

    def _connect(self) -> cv2.VideoCapture | None:
        try:
            cap = cv2.VideoCapture(self.source)
        except Exception as e:  # pragma: no cover - OpenCV reports failure by isOpened()
            self._error = str(e)
            return None
        if not cap.isOpened():
            cap.release()
            self._error = f"cannot open {self.source!r}"
            return None
        if not _is_file(self.source):
            if self.fourcc:
                cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter_fourcc(*self.fourcc[:4].ljust(4)))
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
            cap.set(cv2.CAP_PROP_FPS, self.fps)
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # the newest frame, not a queue of old ones
        self._error = ""
        return cap

    def _mark_lost(self) -> None:
        with self._lock:
            self._connected = False
            if self._lost_since is None:
                self._lost_since = time.monotonic()
        self._set_status()

    def _run(self) -> None:
        cap: cv2.VideoCapture | None = None
        delay = self.backoff[0]
        period = 1.0 / self.fps if self.fps > 0 else 0.0
        is_file = _is_file(self.source)
        last_ok = time.monotonic()
        next_t = time.monotonic()
        try:
            while not self._stop.is_set():
                if cap is None:
                    cap = self._connect()
                    if cap is None:
                        self._mark_lost()
                        self._stop.wait(delay)
                        delay = min(delay * 2, self.backoff[1])
                        continue
                    if self._ever_connected:
                        self._reconnects += 1
                    last_ok = time.monotonic()
                ok, frame = cap.read()
                now = time.monotonic()
                if not ok or frame is None:
                    if is_file and self.loop and self._frames > 0:
                        cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
                        continue
                    if is_file or now - last_ok > self.stale_s:
                        # the file ended or the device went quiet: drop it and reopen later
                        cap.release()
                        cap = None
                        self._mark_lost()
                        self._stop.wait(delay)
                        delay = min(delay * 2, self.backoff[1])
                    else:
                        self._stop.wait(0.02)
                    continue
                last_ok = now
                delay = self.backoff[0]
                with self._lock:
                    self._latest = frame
                    self._latest_t = now
                    self._frames += 1
                    self._connected = True
                    self._ever_connected = True
                    self._lost_since = None
                    self._stamps.append(now)
                    if len(self._stamps) > 90:
                        del self._stamps[:30]
                self._set_status()
                if is_file and period:  # a file is read instantly: play it at the camera's pace
                    next_t = max(next_t + period, now)
                    self._stop.wait(max(0.0, next_t - time.monotonic()))
        finally:
            if cap is not None:
                cap.release()
