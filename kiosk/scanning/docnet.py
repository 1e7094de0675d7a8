"""The page network: a small segmentation network that says, for each cell of a coarse grid over
the frame, how likely it is to be part of a page. The detector uses it to propose the page where
its classical proposals miss it and to judge candidate quads against it (detect.py).

Trained by ``python -m bench.docnet`` (PyTorch, not a runtime dependency) on frames of both of
the benchmark's generators, shipped as ``assets/models/docnet.onnx`` and run with OpenCV's DNN
module on one thread. When the file is missing or unreadable the detector runs without it (one
warning in the log) rather than failing.
"""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np

log = logging.getLogger("kiosk.scanning")

MODEL = Path(__file__).resolve().parents[2] / "assets" / "models" / "docnet.onnx"
INPUT = 128  # the network's input: the frame stretched to INPUT x INPUT, BGR, 0..1


class PageNet:
    """Loads the network on first use; ``page_map`` is None when it cannot be used."""

    def __init__(self, path: Path | None = MODEL) -> None:
        self.path = path
        self._net: cv2.dnn.Net | None = None
        self._failed = path is None
        self.problem: str | None = None  # why the file cannot be used (after a failed load)

    @property
    def available(self) -> bool:
        return self._load() is not None

    def check(self) -> str | None:
        """Load the file without logging; None when it works, else why not (for ``kiosk doctor``,
        which words the failure itself)."""
        return None if self._load(quiet=True) is not None else (self.problem or "no network file")

    def _load(self, quiet: bool = False) -> cv2.dnn.Net | None:
        if self._net is None and not self._failed:
            try:
                net = cv2.dnn.readNetFromONNX(str(self.path))
                if net.empty():
                    raise cv2.error("empty network")
                net.setInput(np.zeros((1, 3, INPUT, INPUT), np.float32))
                out = net.forward()
                if out.shape != (1, 1, INPUT // 2, INPUT // 2):
                    raise cv2.error(f"unexpected output shape {out.shape}")
                self._net = net
            except (cv2.error, OSError) as e:
                self._failed = True
                first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
                self.problem = first[:200]
                if not quiet:
                    log.warning("page network %s unusable, detecting without it: %s", self.path, self.problem)
        return self._net

    def page_map(self, frame_bgr: np.ndarray) -> np.ndarray | None:
        """Probability of "page" on a (INPUT/2 x INPUT/2) grid stretched over the frame, float32
        0..1; None when the network is not available."""
        net = self._load()
        if net is None:
            return None
        small = cv2.resize(frame_bgr, (INPUT, INPUT), interpolation=cv2.INTER_AREA)
        net.setInput(cv2.dnn.blobFromImage(small, 1.0 / 255.0))
        return net.forward()[0, 0]
