"""The page network: a small U-Net that maps a frame (stretched to INPUT x INPUT, BGR scaled to
0..1) to the probability of "page" at each cell of a (INPUT/2 x INPUT/2) grid. Plain 3x3
convolutions, batch norm (folded at export), ReLU, nearest upsampling and concatenation: every
operation OpenCV's DNN module runs."""

from __future__ import annotations

import torch
from torch import nn

INPUT = 128
WIDTHS = (12, 24, 40, 64)


def _conv(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class DocNet(nn.Module):
    def __init__(self, widths: tuple[int, ...] = WIDTHS) -> None:
        super().__init__()
        w1, w2, w3, w4 = widths
        self.e1 = nn.Sequential(_conv(3, w1, 2), _conv(w1, w1))  # 1/2
        self.e2 = nn.Sequential(_conv(w1, w2, 2), _conv(w2, w2))  # 1/4
        self.e3 = nn.Sequential(_conv(w2, w3, 2), _conv(w3, w3))  # 1/8
        self.e4 = nn.Sequential(_conv(w3, w4, 2), _conv(w4, w4), _conv(w4, w4))  # 1/16
        self.d3 = _conv(w4 + w3, w3)
        self.d2 = _conv(w3 + w2, w2)
        self.d1 = _conv(w2 + w1, w1)
        self.head = nn.Conv2d(w1, 1, 1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # logits, (N, 1, INPUT/2, INPUT/2)
        e1 = self.e1(x)
        e2 = self.e2(e1)
        e3 = self.e3(e2)
        e4 = self.e4(e3)
        d3 = self.d3(torch.cat([self.up(e4), e3], 1))
        d2 = self.d2(torch.cat([self.up(d3), e2], 1))
        d1 = self.d1(torch.cat([self.up(d2), e1], 1))
        return self.head(d1)


class Exported(nn.Module):
    """What ships: probabilities instead of logits."""

    def __init__(self, net: DocNet) -> None:
        super().__init__()
        self.net = net

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.net(x))
