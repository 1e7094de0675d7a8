"""Finding a CJK font on the machine (Noto Sans CJK SC first, WenQuanYi Zen Hei as fallback)."""

from __future__ import annotations

import functools
from pathlib import Path

CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
BOLD_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    *CANDIDATES,
)
# Collection index of the Simplified Chinese face inside NotoSansCJK-*.ttc
NOTO_SC_INDEX = 2


@functools.cache
def cjk_font_path(bold: bool = False) -> Path | None:
    bundled = Path(__file__).resolve().parent.parent / "assets" / "fonts"
    for p in sorted(bundled.glob("*.tt[cf]")) if bundled.is_dir() else []:
        return p
    for c in BOLD_CANDIDATES if bold else CANDIDATES:
        if Path(c).is_file():
            return Path(c)
    return None


def pil_font(size: int, bold: bool = False):  # -> PIL.ImageFont.FreeTypeFont
    from PIL import ImageFont

    path = cjk_font_path(bold)
    if path is None:
        return ImageFont.load_default(size)
    index = NOTO_SC_INDEX if "NotoSansCJK" in path.name else 0
    return ImageFont.truetype(str(path), size, index=index)
