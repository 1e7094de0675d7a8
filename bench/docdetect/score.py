"""SmartDoc 2015 scoring: the IoU of two quads measured in the document's own plane.

Both quads are mapped by the homography that takes the ground-truth quad onto the reference
rectangle of the document (its real size), and the Jaccard index of the two polygons is taken
there. This way a pixel of error on a far, foreshortened edge counts as much as it costs in
the document. A missed frame (no quad) scores 0.
"""

from __future__ import annotations

import cv2
import numpy as np


def _area(poly: np.ndarray) -> float:
    return abs(float(cv2.contourArea(poly.astype(np.float32))))


def polygon_iou(a: np.ndarray, b: np.ndarray) -> float:
    """IoU of two convex polygons (float (n, 2) arrays)."""
    a = cv2.convexHull(a.astype(np.float32))
    b = cv2.convexHull(b.astype(np.float32))
    inter, _ = cv2.intersectConvexConvex(a, b)
    union = _area(a) + _area(b) - inter
    return float(inter / union) if union > 0 else 0.0


def docplane_iou(gt: np.ndarray, pred: np.ndarray | None, page_size: tuple[float, float] = (210, 297)) -> float:
    """SmartDoc IoU of ``pred`` against ``gt`` (both (4, 2), gt ordered TL TR BR BL)."""
    if pred is None:
        return 0.0
    pred = np.asarray(pred, np.float64).reshape(4, 2)
    if not np.all(np.isfinite(pred)):
        return 0.0
    w, h = page_size
    ref = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    H = cv2.getPerspectiveTransform(np.asarray(gt, np.float32), ref).astype(np.float64)
    ph = np.c_[pred, np.ones(4)] @ H.T
    if np.any(ph[:, 2] <= 1e-9):  # a predicted corner beyond the document plane's horizon
        return 0.0
    warped = ph[:, :2] / ph[:, 2:3]
    # a self-intersecting prediction is scored by its convex hull (generous, and rare)
    return polygon_iou(ref, warped)
