"""Where a page lies in a test frame: an A4-shaped quad by its centre, height and rotation."""

from __future__ import annotations

import numpy as np


def page_quad(cx: float, cy: float, h: float, angle_deg: float, aspect: float = 1754 / 1240) -> np.ndarray:
    """Corners TL, TR, BR, BL (float32) of a page ``h`` pixels tall, turned by ``angle_deg``."""
    w = h / aspect
    a = np.radians(angle_deg)
    r = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    base = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    return (base @ r.T + [cx, cy]).astype(np.float32)
