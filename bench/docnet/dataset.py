"""Training frames for the page network: each frame of generator A or B shrunk to the network's
input (stretched to a square) and the page's mask drawn from its true corners (the whole page,
corners under a hand included, clipped to the frame). No-document frames have an empty mask.

Training seeds are disjoint from every seed the benchmark reports or tunes on (A: 1-7,
B: 101-103): A uses 1000 and up, B 2000 and up.
"""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

import cv2
import numpy as np

from bench.docdetect import generate as gen_a
from bench.docdetect_b import generate as gen_b

SIZE = 256  # stored size; the network's input is smaller (see model.INPUT)
SEEDS = {"A": 1000, "B": 2000}
BENCH_SEEDS = {"A": set(range(1, 8)), "B": {101, 102, 103}}
PER_SEED = 60  # frames per seed (families cycle, so each seed is balanced: A 7 families, B 6)


def shrink(image: np.ndarray, size: int = SIZE) -> np.ndarray:
    """The frame as the network sees it: stretched to size x size (area averaging)."""
    return cv2.resize(image, (size, size), interpolation=cv2.INTER_AREA)


def page_mask(corners: np.ndarray | None, frame_hw: tuple[int, int], size: int = SIZE) -> np.ndarray:
    m = np.zeros((size, size), np.uint8)
    if corners is None:
        return m
    h, w = frame_hw
    # frame pixel centres are whole numbers, and so are the mask's: a frame point x lies at
    # (x + 0.5) * size / w - 0.5 in the mask (as measures.net_agreement maps quads onto the map)
    pts = (np.asarray(corners, np.float64) + 0.5) * [size / w, size / h] - 0.5
    cv2.fillPoly(m, [np.round(pts * 16).astype(np.int32)], 255, cv2.LINE_AA, shift=4)
    return m


def _render(job: tuple[str, int, int]) -> tuple[np.ndarray, np.ndarray] | None:
    name, seed, index = job
    cv2.setNumThreads(1)
    try:
        s = (gen_a if name == "A" else gen_b).sample(seed, index)
    except AssertionError:  # (B, rarely: no placement of the sheet found) the frame is left out
        return None
    return shrink(s.image), page_mask(s.corners, s.image.shape[:2])


def jobs(name: str, seeds: int, first: int | None = None) -> list[tuple[str, int, int]]:
    start = SEEDS[name] if first is None else first
    out = []
    for seed in range(start, start + seeds):
        assert seed not in BENCH_SEEDS[name], f"seed {seed} of {name} is a benchmark seed"
        out += [(name, seed, i) for i in range(PER_SEED)]
    return out


def build(path: Path, a_seeds: int, b_seeds: int, workers: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Render (or load, when ``path`` exists) the training frames: images (N, S, S, 3) BGR,
    masks (N, S, S) uint8 and where each came from ("A1000:17": generator, seed, index). A file
    that is not one this function wrote is a ValueError saying so."""
    if path.is_file():
        try:
            with np.load(path) as z:
                return z["images"], z["masks"], z["sources"]
        except (OSError, ValueError, KeyError, EOFError) as e:
            raise ValueError(f"{path}: not a file of training frames ({type(e).__name__}); "
                             "delete it to render the frames again") from None
    todo = jobs("A", a_seeds) + jobs("B", b_seeds)
    with mp.get_context("fork").Pool(workers) as pool:
        rendered = pool.map(_render, todo, chunksize=8)
    kept = [i for i, d in enumerate(rendered) if d is not None]
    done = [rendered[i] for i in kept]
    todo = [todo[i] for i in kept]
    images = np.stack([d[0] for d in done])
    masks = np.stack([d[1] for d in done])
    path.parent.mkdir(parents=True, exist_ok=True)
    sources = np.array([f"{a}{s}:{i}" for a, s, i in todo])
    np.savez(path, images=images, masks=masks, sources=sources)
    print(f"{len(todo)} frames rendered, {len(rendered) - len(todo)} left out (no placement)", flush=True)
    return images, masks, sources
