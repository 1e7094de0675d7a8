"""Run the document-corner benchmark: ``python -m bench.docdetect [--n N] [--seed S ...]``.

Scores ``kiosk.scanning.detect_document`` and the naive Canny baseline on the same synthetic
frames (see generate.py), prints a table and writes it to bench/docdetect/results.md.
Seeds 1, 3 and 6 are the sets the detector was developed on (frames looked at, failures studied);
seed 5 was a development check (its scores read, no frame looked at). Seeds 2 and 4 are held out:
no frame of them was ever looked at (their summary tables were read, see SEED_NOTES). Seed 7 was
new at the end of development and is held out the same way. Any other seed is new too.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from bench.docdetect.baseline import naive_detect
from bench.docdetect.generate import FAMILIES, LOOKALIKES, generate
from bench.docdetect.score import docplane_iou
from kiosk.scanning import detect_document

TUNING_SEEDS = {1, 3, 6}
SEED_NOTES = {
    2: "held-out seed: no frame of it looked at; its summary table was read during earlier development",
    4: "held-out seed: no frame looked at; its summary was read during earlier development, not during the latest changes",
    5: "development check: per-frame scores read, no frame looked at",
    7: "held-out seed: new at the end of development; no frame looked at; its summary read before the last speed-ups",
}
RESULTS = Path(__file__).resolve().parent / "results.md"
POSITIVE = [f for f in FAMILIES if f != "negative"]
GENERAL = [f for f in POSITIVE if f != "kiosk"]


@dataclass
class Run:
    name: str
    ious: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    tag_ious: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    fp: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    ms: list[float] = field(default_factory=list)  # CPU time of the thread, 1280x720 frames only
    wall: list[float] = field(default_factory=list)  # wall-clock time, same frames

    def add(self, s, pred, ms: float, wall: float) -> float:
        if s.image.shape[:2] == (720, 1280):
            self.ms.append(ms)
            self.wall.append(wall)
        if s.corners is None:
            self.fp[s.tags[0]].append(pred is not None)
            return float("nan")
        iou = docplane_iou(s.corners, pred, s.page_size)
        self.ious[s.family].append(iou)
        for t in s.tags:
            self.tag_ious[t].append(iou)
        return iou

    def all_ious(self, fams: list[str] | None = None) -> list[float]:
        return [v for f in (fams or POSITIVE) for v in self.ious.get(f, [])]

    def merge(self, other: Run) -> None:
        for mine, theirs in ((self.ious, other.ious), (self.tag_ious, other.tag_ious), (self.fp, other.fp)):
            for k, v in theirs.items():
                mine[k].extend(v)
        self.ms.extend(other.ms)
        self.wall.extend(other.wall)

    def fp_rate(self) -> float:
        v = [x for xs in self.fp.values() for x in xs]
        return float(np.mean(v)) if v else float("nan")


def _fmt(v: list[float]) -> str:
    return f"{np.mean(v):.4f}" if v else "–"


def _share(v: list[float], thr: float = 0.9) -> str:
    return f"{100 * np.mean(np.asarray(v) >= thr):.1f} %" if v else "–"


def _ratio_line(ours: Run, base: Run) -> str:
    a, b = ours.all_ious(), base.all_ious()
    return f"Mean IoU ratio ours / baseline: {np.mean(a) / max(np.mean(b), 1e-9):.2f}×"


def table(seed: int, n: int, ours: Run, base: Run) -> str:
    tuned = "tuning seed" if seed in TUNING_SEEDS else SEED_NOTES.get(seed, "held-out seed: never tuned on")
    lines = [f"### Seed {seed} ({tuned}), {n} frames", ""]
    lines.append("| subset | frames | ours mean IoU | ours IoU ≥ 0.9 | baseline mean IoU | baseline IoU ≥ 0.9 |")
    lines.append("| --- | ---: | ---: | ---: | ---: | ---: |")
    rows = [("**all documents**", POSITIVE), ("general (5 families)", GENERAL)] + [(f, [f]) for f in POSITIVE]
    for label, fams in rows:
        a, b = ours.all_ious(fams), base.all_ious(fams)
        lines.append(f"| {label} | {len(a)} | {_fmt(a)} | {_share(a)} | {_fmt(b)} | {_share(b)} |")
    neg = sum(len(v) for v in ours.fp.values())
    lines.append(f"| **false positives, no document** | {neg} | {100 * ours.fp_rate():.1f} % | | {100 * base.fp_rate():.1f} % | |")
    for k in LOOKALIKES:
        if k in ours.fp:
            lines.append(f"| FP: {k} | {len(ours.fp[k])} | {100 * np.mean(ours.fp[k]):.1f} % | | {100 * np.mean(base.fp[k]):.1f} % | |")
    lines.append(
        f"| **ms / 1280×720 frame, 1 thread, CPU** (mean / p95) | {len(ours.ms)} | {np.mean(ours.ms):.1f} / {np.percentile(ours.ms, 95):.1f} | "
        f"| {np.mean(base.ms):.1f} / {np.percentile(base.ms, 95):.1f} | |"
    )
    lines.append(
        f"| ms / 1280×720 frame, wall clock (mean / p95) | {len(ours.wall)} | {np.mean(ours.wall):.1f} / {np.percentile(ours.wall, 95):.1f} | "
        f"| {np.mean(base.wall):.1f} / {np.percentile(base.wall, 95):.1f} | |"
    )
    lines += ["", _ratio_line(ours, base)]
    lines.append("")
    lines.append("By condition (frames of the five families and the kiosk profile carrying the tag):")
    lines.append("")
    lines.append("| condition | frames | ours mean IoU | ours IoU ≥ 0.9 | baseline mean IoU |")
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    for t in sorted(ours.tag_ious):
        lines.append(f"| {t} | {len(ours.tag_ious[t])} | {_fmt(ours.tag_ious[t])} | {_share(ours.tag_ious[t])} | {_fmt(base.tag_ious[t])} |")
    return "\n".join(lines) + "\n"


def pooled_table(seeds: list[int], ours: Run, base: Run) -> str:
    """One table over the frames of all seeds: the figures the targets are read against."""
    lines = [f"### All {len(seeds)} seeds pooled ({', '.join(map(str, seeds))})", ""]
    lines.append("| subset | frames | ours mean IoU | ours IoU ≥ 0.9 | baseline mean IoU | target |")
    lines.append("| --- | ---: | ---: | ---: | ---: | --- |")
    targets = {"**all documents**": "≥ 0.97", "clutter": "≥ 0.93", "kiosk": "≥ 0.98"}
    for label, fams in [("**all documents**", POSITIVE)] + [(f, [f]) for f in POSITIVE]:
        a, b = ours.all_ious(fams), base.all_ious(fams)
        lines.append(f"| {label} | {len(a)} | {_fmt(a)} | {_share(a)} | {_fmt(b)} | {targets.get(label, '')} |")
    neg = sum(len(v) for v in ours.fp.values())
    lines.append(f"| **false positives, no document** | {neg} | {100 * ours.fp_rate():.1f} % | | {100 * base.fp_rate():.1f} % | ≤ 2 % |")
    lines.append(
        f"| **ms / 1280×720 frame, 1 thread, CPU** (mean / median / p95) | {len(ours.ms)} | "
        f"{np.mean(ours.ms):.1f} / {np.median(ours.ms):.1f} / {np.percentile(ours.ms, 95):.1f} | "
        f"| {np.mean(base.ms):.1f} / {np.median(base.ms):.1f} / {np.percentile(base.ms, 95):.1f} | ≤ 40 |"
    )
    lines += ["", _ratio_line(ours, base)]
    return "\n".join(lines) + "\n"


def run_seed(seed: int, n: int, dump: Path | None) -> tuple[Run, Run]:
    ours, base = Run("ours"), Run("naive")
    for s in generate(seed, n):
        w0, c0 = time.perf_counter(), time.thread_time()
        pred = detect_document(s.image)
        w1, c1 = time.perf_counter(), time.thread_time()
        bpred = naive_detect(s.image)
        w2, c2 = time.perf_counter(), time.thread_time()
        iou = ours.add(s, pred, 1000 * (c1 - c0), 1000 * (w1 - w0))
        base.add(s, bpred, 1000 * (c2 - c1), 1000 * (w2 - w1))
        bad = (s.corners is None and pred is not None) or (s.corners is not None and iou < 0.9)
        if dump is not None and bad:
            im = s.image.copy()
            if s.corners is not None:
                cv2.polylines(im, [np.round(s.corners).astype(np.int32)], True, (0, 255, 0), 2)
            if pred is not None:
                cv2.polylines(im, [np.round(pred).astype(np.int32)], True, (0, 0, 255), 2)
            label = f"{s.index} {s.family} {' '.join(s.tags)} iou={iou:.3f}"
            cv2.putText(im, label, (10, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (0, 0, 255), 2)
            cv2.imwrite(str(dump / f"s{seed}_{s.index:04d}.jpg"), im)
    return ours, base


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.docdetect", description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=350, help="frames per seed (default 350: 50 per subset)")
    ap.add_argument("--seed", type=int, action="append", help="seed(s); default: 1 (tuning), 2, 4 and 7 (held out), the set results.md reports")
    ap.add_argument("--out", type=Path, default=RESULTS, help="where to write the markdown table")
    ap.add_argument("--dump", type=Path, default=None, help="write frames scoring IoU < 0.9 or false positives here")
    args = ap.parse_args(argv)
    seeds = args.seed or [1, 2, 4, 7]
    cv2.setNumThreads(1)
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    parts = [
        "# Document corner detection benchmark",
        "",
        "Synthetic SmartDoc-like frames from `bench/docdetect/generate.py`; IoU measured in the document plane as in "
        "SmartDoc 2015 (a missed frame scores 0). Ours: `kiosk.scanning.detect_document`; baseline: Canny + largest "
        "four-corner contour. One thread (`cv2.setNumThreads(1)`), "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, OpenCV {cv2.__version__}.",
        "",
        f"Command: `python -m bench.docdetect --n {args.n} " + " ".join(f"--seed {s}" for s in seeds) + "`",
        "",
        "The set: rendered Chinese A4 documents (titles, paragraphs, tables, red seals; portrait and "
        "landscape) on five surface families (plain; texture: wood, fabric, granite, marble, tiles, "
        "plaid; low contrast: a light surface within 10-45 grey levels of the paper, or up to 12 "
        "levels brighter than it; strong texture, including newsprint; clutter: pens, phones, "
        "cards, receipts, cables, mugs, keys, some lying over the page's edge), rotation up to "
        "±30°, 3-D tilt up to 30°, coverage 10-80 %, Gaussian and motion blur, noise, JPEG "
        "quality 30-95, colour casts, lighting gradients, soft and hard-edged shadows, glare, a "
        "finger over a corner; frames 1280×720 (75 %), 1920×1080, 960×720 and 720×1280. The "
        "kiosk profile: a tray (with its rim) under a fixed overhead camera, rotation ±8°, tilt "
        "≤ 5°, coverage 25-60 %, a ceiling lamp's glare in 70 % of frames. No-document frames: "
        "empty surfaces and look-alikes (book covers, keyboards, cloths, tablets, an empty tray "
        "with a lamp's reflection).",
        "",
        "Targets from the issue: mean IoU ≥ 0.97 overall, ≥ 0.93 clutter, ≥ 0.98 kiosk profile, "
        "false positives ≤ 2 %, ≤ 40 ms per 1280×720 frame on one thread.",
        "",
    ]
    detect_document(np.zeros((720, 1280, 3), np.uint8))  # warm up (first-call set-up is not timed)
    pooled = (Run("ours"), Run("naive"))
    for seed in seeds:
        ours, base = run_seed(seed, args.n, args.dump)
        t = table(seed, args.n, ours, base)
        print(t, flush=True)
        parts.append(t)
        for into, run in zip(pooled, (ours, base), strict=True):
            into.merge(run)
    if len(seeds) > 1:
        t = pooled_table(seeds, *pooled)
        print(t, flush=True)
        parts.insert(len(parts) - len(seeds), t)  # the pooled summary first
    parts.append(f"Run time: {time.time() - t0:.0f} s.\n")
    args.out.write_text("\n".join(parts), encoding="utf-8")
    print(f"written to {args.out} ({time.time() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
