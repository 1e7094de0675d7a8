"""The palette and metrics of the visual system; the QSS in ``assets/theme.qss`` uses them.

Screens never hard-code colours or sizes: they set a ``role`` property and the theme does
the rest. Elder mode (适老化) scales type by 1.4 and raises every target to 96 px (the primary
action and the options to 112 px: taller would push a landscape screen into scrolling).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets"


@dataclass(frozen=True)
class Palette:
    primary: str = "#0B3D91"  # deep government blue: 10.6:1 on white
    primary_pressed: str = "#072A66"
    primary_text: str = "#FFFFFF"
    background: str = "#F2F4F7"
    surface: str = "#FFFFFF"
    text: str = "#141414"  # 18:1 on white
    muted: str = "#414A57"  # 8.9:1 on white
    border: str = "#B4BDC9"  # lines that only separate (rows, the countdown ring's track)
    control_border: str = "#6B7686"  # the edge of something to press or type in: >= 3:1 (WCAG 1.4.11)
    danger: str = "#A4161A"  # 7.4:1 on white; reserved for problems
    danger_bg: str = "#FDECEC"
    warning_bg: str = "#FFF4DC"
    warning_border: str = "#A86800"
    success: str = "#16652B"  # 7.0:1 on white; only on the confirmation screen
    success_bg: str = "#E7F4EA"
    focus: str = "#FFBF47"
    selected_bg: str = "#E3ECFA"


@dataclass(frozen=True)
class Metrics:
    body: int
    lead: int
    heading: int
    display: int
    small: int  # captions and hints: still body text, so never under body size (24 px, 32 in elder mode)
    target: int  # minimum touch target (both directions)
    primary_height: int
    gap: int
    radius: int = 10
    line_height: float = 1.4

    @classmethod
    def for_mode(cls, elder: bool) -> Metrics:
        if elder:
            s = 1.4
            return cls(
                body=round(24 * s), lead=round(32 * s), heading=round(40 * s), display=round(56 * s),
                small=round(24 * s), target=96, primary_height=112, gap=24,
            )
        return cls(body=24, lead=32, heading=40, display=56, small=24, target=64, primary_height=96, gap=16)


PALETTE = Palette()


def stylesheet(elder: bool = False, palette: Palette = PALETTE) -> str:
    """The application's QSS: ``assets/theme.qss`` with palette and metrics filled in."""
    m = Metrics.for_mode(elder)
    template = (ASSETS / "theme.qss").read_text(encoding="utf-8")
    values = {**{f"c_{k}": v for k, v in palette.__dict__.items()}, **{f"m_{k}": v for k, v in m.__dict__.items()}}
    values["m_pad"] = max(12, m.body // 2)
    values["m_target_pad"] = max(8, (m.target - m.body) // 2)
    values["m_row_label"] = round(340 * m.body / 24)  # 14 em: "Residence permit number" on one line
    out = template
    for k, v in values.items():
        out = out.replace("{{" + k + "}}", str(v))
    if "{{" in out:
        raise ValueError("theme.qss uses an unknown placeholder: " + out[out.index("{{") : out.index("{{") + 40])
    return out
