"""Train the page network and export it: ``python -m bench.docnet``.

Needs PyTorch and onnx (``pip install torch==2.13.0 onnx``), which the kiosk does not: it runs the
exported file with OpenCV's DNN module. Steps: render the training frames of both generators
(cached in ``--data``), train, export to ONNX, check that OpenCV's output matches PyTorch's, and
write the file (default ``assets/models/docnet.onnx``). The exact command that made the shipped
weights is in ``assets/models/README.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import warnings
from pathlib import Path

import cv2
import numpy as np

from bench.docnet import dataset

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "assets" / "models" / "docnet.onnx"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.docnet", description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("build/docnet/train.npz"), help="training frames (rendered when missing)")
    ap.add_argument("--a-seeds", type=int, default=50, help=f"generator A seeds from {dataset.SEEDS['A']} ({dataset.PER_SEED} frames each)")
    ap.add_argument("--b-seeds", type=int, default=50, help=f"generator B seeds from {dataset.SEEDS['B']} ({dataset.PER_SEED} frames each)")
    ap.add_argument("--only", choices=("A", "B"), default=None, help="train on one generator's frames only")
    ap.add_argument("--epochs", type=int, default=25)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    try:
        import torch

        from bench.docnet.train import export, train
    except ImportError as e:
        print(f"training needs PyTorch and onnx ({e.name} is missing): pip install torch==2.13.0 onnx", file=sys.stderr)
        return 2
    if args.epochs < 1 or args.a_seeds < 0 or args.b_seeds < 0 or args.a_seeds + args.b_seeds < 1:
        ap.error("--epochs must be at least 1, the seed counts not negative and not both 0")
    t0 = time.time()
    try:
        images, masks, sources = dataset.build(args.data, args.a_seeds, args.b_seeds, args.threads)
    except (OSError, ValueError) as e:
        print(f"python -m bench.docnet: {e}", file=sys.stderr)
        return 2
    if args.only:
        keep = np.char.startswith(sources.astype(str), args.only)
        images, masks = images[keep], masks[keep]
    if len(images) == 0:
        print(f"python -m bench.docnet: no frames of generator {args.only} in {args.data}", file=sys.stderr)
        return 2
    print(f"{len(images)} training frames ({time.time() - t0:.0f} s)", flush=True)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    net = train(images, masks, args.epochs, seed=args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        worst = export(net, args.out)
    digest = hashlib.sha256(args.out.read_bytes()).hexdigest()
    print(f"written {args.out} ({args.out.stat().st_size} bytes, sha256 {digest[:16]}…); "
          f"OpenCV {cv2.__version__} vs PyTorch {torch.__version__}: largest difference {worst:.2e}; "
          f"{time.time() - t0:.0f} s in all")
    return 0 if worst < 1e-3 else 1


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    sys.exit(main())
