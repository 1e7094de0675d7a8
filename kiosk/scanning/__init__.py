"""Document scanning: corner detection, quality checks, perspective correction and auto-capture.

Pure numpy/OpenCV: no Qt here. The capture screen feeds frames to a ``Scanner`` (from a worker
thread), draws the outline and guidance it returns, and stores the ``CapturedPage.jpeg`` it makes.
"""

from kiosk.scanning.autocapture import AutoCapture, CapturedPage, CaptureState, Phase, Scanner, ScanResult
from kiosk.scanning.detect import Detection, DocumentDetector, detect_document, find_document
from kiosk.scanning.geometry import order_corners
from kiosk.scanning.quality import CAPTURED, CODES, Quality, Thresholds, assess, guidance_text
from kiosk.scanning.warp import A4_PORTRAIT, MAX_JPEG_BYTES, clean_up, encode_jpeg, warp_page

__all__ = [
    "A4_PORTRAIT",
    "CAPTURED",
    "CODES",
    "MAX_JPEG_BYTES",
    "AutoCapture",
    "CaptureState",
    "CapturedPage",
    "Detection",
    "DocumentDetector",
    "Phase",
    "Quality",
    "ScanResult",
    "Scanner",
    "Thresholds",
    "assess",
    "clean_up",
    "detect_document",
    "encode_jpeg",
    "find_document",
    "guidance_text",
    "order_corners",
    "warp_page",
]
