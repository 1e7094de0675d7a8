"""Training loop of the page network (PyTorch; imported only by ``python -m bench.docnet``)."""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F

from bench.docnet.model import INPUT, DocNet, Exported

BATCH = 32
VAL_SHARE = 0.04


def _augment(img: torch.Tensor, mask: torch.Tensor, gen: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """A random crop (70-100 % of each side: corners leave the frame), flips and a light and
    colour jitter, applied to a batch of images (N, 3, S, S) in 0..1 and masks (N, 1, S, S)."""
    n = img.shape[0]
    r = lambda *s: torch.rand(*s, generator=gen)  # noqa: E731
    sx = 0.7 + 0.3 * r(n)
    sy = torch.where(r(n) < 0.5, sx, 0.7 + 0.3 * r(n))
    sx = torch.where(r(n) < 0.4, torch.ones(n), sx)  # often the whole frame
    sy = torch.where(sx == 1, torch.ones(n), sy)
    tx = (1 - sx) * (2 * r(n) - 1)
    ty = (1 - sy) * (2 * r(n) - 1)
    fx = torch.where(r(n) < 0.5, -1.0, 1.0)
    fy = torch.where(r(n) < 0.2, -1.0, 1.0)
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0], theta[:, 0, 2] = sx * fx, tx
    theta[:, 1, 1], theta[:, 1, 2] = sy * fy, ty
    gi = F.affine_grid(theta, (n, 3, INPUT, INPUT), align_corners=False)
    gm = F.affine_grid(theta, (n, 1, INPUT // 2, INPUT // 2), align_corners=False)
    x = F.grid_sample(img, gi, mode="bilinear", padding_mode="border", align_corners=False)
    y = F.grid_sample(mask, gm, mode="bilinear", padding_mode="border", align_corners=False)
    gain = (0.75 + 0.5 * r(n, 1, 1, 1)) * (0.92 + 0.16 * r(n, 3, 1, 1))
    x = (x * gain + 0.1 * (r(n, 1, 1, 1) - 0.5)).clamp(0, 1)
    x = torch.where(r(n, 1, 1, 1) < 0.1, x.mean(1, keepdim=True).expand_as(x), x)  # a grey camera
    return x, y


def _plain(img: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    x = F.interpolate(img, size=(INPUT, INPUT), mode="area")
    y = F.interpolate(mask, size=(INPUT // 2, INPUT // 2), mode="area")
    return x, y


def _loss(logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    bce = F.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits)
    inter = (p * target).sum((1, 2, 3))
    union = p.sum((1, 2, 3)) + target.sum((1, 2, 3))
    has = target.sum((1, 2, 3)) > 1
    dice = 1 - (2 * inter + 1) / (union + 1)
    return bce + (dice[has].mean() if has.any() else 0.0)


def _iou(logits: torch.Tensor, target: torch.Tensor) -> float:
    p, t = logits > 0, target > 0.5
    inter = (p & t).sum((1, 2, 3)).float()
    union = (p | t).sum((1, 2, 3)).float()
    return float(torch.where(union > 0, inter / union.clamp(min=1), torch.ones_like(union)).mean())


def train(images: np.ndarray, masks: np.ndarray, epochs: int, seed: int = 0) -> DocNet:
    """Train on (N, S, S, 3) BGR uint8 frames and (N, S, S) uint8 masks; a share is kept aside
    to print the validation loss and mask IoU after each epoch."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(images))
    n_val = max(1, int(VAL_SHARE * len(images)))
    val, tr = order[:n_val], order[n_val:]
    img_t = torch.from_numpy(images).permute(0, 3, 1, 2).contiguous()  # uint8, (N, 3, S, S)
    msk_t = torch.from_numpy(masks)[:, None].contiguous()
    gen = torch.Generator().manual_seed(seed)
    net = DocNet()
    steps = epochs * (len(tr) // BATCH)
    opt = torch.optim.AdamW(net.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps, pct_start=0.15)
    vx, vy = _plain(img_t[val].float() / 255, msk_t[val].float() / 255)
    for epoch in range(epochs):
        t0 = time.time()
        net.train()
        perm = torch.from_numpy(rng.permutation(tr))
        total = 0.0
        for b in range(len(tr) // BATCH):
            idx = perm[b * BATCH : (b + 1) * BATCH]
            x, y = _augment(img_t[idx].float() / 255, msk_t[idx].float() / 255, gen)
            loss = _loss(net(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss.detach())
        net.eval()
        with torch.no_grad():
            out = torch.cat([net(vx[i : i + 64]) for i in range(0, len(vx), 64)])
            vloss, viou = float(_loss(out, vy)), _iou(out, vy)
        print(f"epoch {epoch + 1}/{epochs}: train loss {total / max(1, len(tr) // BATCH):.4f}, "
              f"validation loss {vloss:.4f}, mask IoU {viou:.4f} ({time.time() - t0:.0f} s)", flush=True)
    return net.eval()


def export(net: DocNet, path: Path) -> float:
    """Write the network as ONNX (probabilities out) and return the largest difference between
    OpenCV's DNN output and PyTorch's on random and structured inputs."""
    wrapped = Exported(net).eval()
    x = torch.rand(1, 3, INPUT, INPUT)
    torch.onnx.export(wrapped, x, str(path), input_names=["image"], output_names=["page"], opset_version=13,
                      dynamo=False)
    dnn = cv2.dnn.readNetFromONNX(str(path))
    worst = 0.0
    for probe in (x, torch.zeros_like(x), torch.ones_like(x)):
        dnn.setInput(probe.numpy())
        got = dnn.forward()
        with torch.no_grad():
            ref = wrapped(probe).numpy()
        worst = max(worst, float(np.abs(got - ref).max()))
    return worst
