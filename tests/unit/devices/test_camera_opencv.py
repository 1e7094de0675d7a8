"""The OpenCV camera, with a video file standing in for the device: worker-thread grabbing,
non-blocking reads, reconnecting by itself, and health."""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from kiosk.devices.base import DeviceStatus
from kiosk.devices.camera.opencv import OpenCvCamera, parse_source


def write_clip(path: Path, n: int = 12, size: tuple[int, int] = (320, 240)) -> Path:
    w = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30, size)
    assert w.isOpened()
    for i in range(n):
        frame = np.full((size[1], size[0], 3), 40, np.uint8)
        cv2.putText(frame, str(i), (20, 200), cv2.FONT_HERSHEY_SIMPLEX, 5, (255, 255, 255), 8)
        w.write(frame)
    w.release()
    return path


def wait_for(pred, timeout: float = 5.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.02)
    return False


def test_parse_source():
    assert parse_source("0") == 0 and parse_source(2) == 2 and parse_source(" 1 ") == 1
    assert parse_source("/dev/video0") == "/dev/video0"
    assert parse_source("rtsp://10.0.0.5/stream") == "rtsp://10.0.0.5/stream"


def test_frames_arrive_on_a_worker_thread(tmp_path: Path):
    clip = write_clip(tmp_path / "clip.avi")
    cam = OpenCvCamera(str(clip), fps=60, loop=True)
    try:
        assert cam.health() == DeviceStatus.OFFLINE
        assert cam.open()
        frame = cam.read()
        assert frame is not None and frame.shape == (240, 320, 3) and frame.dtype == np.uint8
        t0 = time.monotonic()
        for _ in range(50):
            cam.read()  # never blocks
        assert cam.open()  # already running: answers at once
        assert time.monotonic() - t0 < 0.1
        assert wait_for(lambda: cam.info().frames > 20)  # looping past the end of the file
        info = cam.info()
        assert info.status == DeviceStatus.OK and info.connected and info.size == (320, 240)
        assert info.reconnects == 0 and info.fps > 10
    finally:
        cam.close()
    assert cam.health() == DeviceStatus.OFFLINE and cam.read() is None


def test_reconnects_by_itself_when_frames_stop(tmp_path: Path):
    clip = write_clip(tmp_path / "clip.avi", n=6)
    statuses: list[DeviceStatus] = []
    # no loop: the end of the file is a lost camera, which is reopened after a back-off
    cam = OpenCvCamera(str(clip), fps=60, loop=False, stale_s=0.3, backoff=(0.1, 0.2), on_status=statuses.append)
    try:
        assert cam.open()
        assert wait_for(lambda: cam.info().reconnects >= 2)
        assert wait_for(lambda: cam.health() == DeviceStatus.OK)
        assert DeviceStatus.DEGRADED in statuses and statuses[0] == DeviceStatus.OK
    finally:
        cam.close()


def test_missing_camera_is_offline_then_comes_up_by_itself(tmp_path: Path):
    path = tmp_path / "later.avi"
    cam = OpenCvCamera(str(path), fps=60, loop=True, backoff=(0.1, 0.2))
    try:
        assert not cam.open(timeout=0.3)
        assert cam.read() is None and cam.health() == DeviceStatus.OFFLINE
        assert cam.info().last_error
        write_clip(tmp_path / "tmp.avi").rename(path)  # the camera is plugged in
        assert wait_for(lambda: cam.read() is not None)
        assert cam.health() == DeviceStatus.OK
    finally:
        cam.close()


@pytest.mark.parametrize("source", ["/nonexistent/video99"])
def test_bad_device_never_raises(source: str):
    cam = OpenCvCamera(source, backoff=(0.05, 0.1))
    try:
        assert cam.open(timeout=0.2) is False
        assert cam.read() is None
        assert cam.health() == DeviceStatus.OFFLINE
    finally:
        cam.close()
