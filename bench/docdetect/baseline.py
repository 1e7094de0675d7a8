"""The naive detector everyone writes first: Canny, then the largest contour with four corners."""

from __future__ import annotations

import cv2
import numpy as np


def order_corners(q: np.ndarray) -> np.ndarray:
    """TL, TR, BR, BL by the usual sum/difference trick."""
    q = q.reshape(4, 2).astype(np.float32)
    s = q.sum(1)
    d = np.diff(q, axis=1).ravel()
    return np.float32([q[np.argmin(s)], q[np.argmin(d)], q[np.argmax(s)], q[np.argmax(d)]])


def naive_detect(frame_bgr: np.ndarray) -> np.ndarray | None:
    h, w = frame_bgr.shape[:2]
    k = 500.0 / h
    small = cv2.resize(frame_bgr, (int(round(w * k)), 500), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    gray = cv2.GaussianBlur(gray, (5, 5), 0)
    edges = cv2.Canny(gray, 75, 200)
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    for c in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        approx = cv2.approxPolyDP(c, 0.02 * cv2.arcLength(c, True), True)
        if len(approx) == 4 and cv2.contourArea(approx) > 0.02 * small.shape[0] * small.shape[1]:
            return order_corners(approx) / k
    return None
