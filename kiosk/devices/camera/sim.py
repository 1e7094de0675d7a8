"""Simulated camera: plays images of a document (or an empty tray), set by a simulation control."""

from __future__ import annotations

import threading
from pathlib import Path

import cv2
import numpy as np

from kiosk.devices.base import Camera, DeviceStatus
from kiosk.devices.camera.sim_documents import document_clip, document_frame, tray


class SimCamera(Camera):
    def __init__(self, size: tuple[int, int] = (1280, 720), images: list[Path] | None = None) -> None:
        self._size = size
        self._lock = threading.Lock()
        self._open = False
        self._frames: list[np.ndarray] = [tray(size)]
        self._i = 0
        self._loop = True
        self._connected = True
        if images:
            self.play([cv2.imread(str(p)) for p in images])

    # --- Camera ---
    def open(self) -> bool:
        self._open = self._connected
        return self._open

    def read(self) -> np.ndarray | None:
        with self._lock:
            if not (self._open and self._connected) or not self._frames:
                return None
            i = self._i % len(self._frames) if self._loop else min(self._i, len(self._frames) - 1)
            self._i += 1
            return self._frames[i].copy()

    def close(self) -> None:
        self._open = False

    def health(self) -> DeviceStatus:
        return DeviceStatus.OK if self._connected else DeviceStatus.OFFLINE

    # --- simulation control ---
    def show_document(self, category: str) -> None:
        self.play([document_frame(category, self._size)])

    def play(self, frames: list[np.ndarray], loop: bool = True) -> None:
        """Play ``frames`` one per read(); ``loop`` False: stay on the last frame at the end."""
        frames = [f for f in frames if f is not None]
        with self._lock:
            self._frames = frames or [tray(self._size)]
            self._i = 0
            self._loop = loop

    def play_clip(self, category: str, fps: float = 15.0, hold_s: float = 2.0) -> list[np.ndarray | None]:
        """A page of ``category`` slides onto the tray, lies still for ``hold_s``, is taken away
        (see sim_documents.document_clip); plays once. Returns the page's true corners per frame."""
        frames, truth = document_clip(category, self._size, fps=fps, hold_s=hold_s)
        self.play(frames, loop=False)
        return truth

    def play_pages(self, category: str, pages: int, fps: float = 15.0, hold_s: float = 2.5) -> None:
        """``pages`` pages of ``category`` one after the other, as a resident lays them down: each
        slides onto the tray, lies still for ``hold_s``, and is taken away, with the tray empty
        for a moment between them. Plays once and ends on the empty tray. (Each page is drawn
        alike; the clip's frames are shared between pages, so memory is that of one page.)"""
        frames, _truth = document_clip(category, self._size, fps=fps, hold_s=hold_s, empty_s=0.6)
        self.play(frames * pages, loop=False)

    @property
    def finished(self) -> bool:
        """A clip played without looping has shown its last frame."""
        with self._lock:
            return not self._loop and self._i >= len(self._frames)

    def disconnect(self) -> None:
        self._connected = False

    def reconnect(self) -> None:
        self._connected = True
