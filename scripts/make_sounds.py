"""Write the kiosk's short sounds to assets/sounds/*.wav (16-bit mono, 44.1 kHz).

    python scripts/make_sounds.py [OUT_DIR]

card: two rising notes (the card was read); page: one short high note (a page was
photographed); error: two falling low notes; reminder: a three-note chime (take your card,
the page is about to close). Soft attack and release, so nothing clicks.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 44_100
SOUNDS: dict[str, list[tuple[float, float]]] = {  # (frequency Hz, seconds) per note; 0 Hz is a rest
    "card": [(880.0, 0.09), (0.0, 0.03), (1320.0, 0.12)],
    "page": [(1568.0, 0.07)],
    "error": [(440.0, 0.16), (0.0, 0.04), (330.0, 0.24)],
    "reminder": [(659.3, 0.16), (880.0, 0.16), (659.3, 0.24)],
}
LEVEL = 0.5  # of full scale
FADE_S = 0.01


def samples(notes: list[tuple[float, float]]) -> list[int]:
    out: list[int] = []
    for freq, seconds in notes:
        n = int(RATE * seconds)
        fade = int(RATE * FADE_S)
        for i in range(n):
            env = min(1.0, i / fade, (n - i) / fade) if fade else 1.0
            value = math.sin(2 * math.pi * freq * i / RATE) if freq else 0.0
            out.append(int(32767 * LEVEL * env * value))
    return out


def write(path: Path, notes: list[tuple[float, float]]) -> None:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        data = samples(notes)
        w.writeframes(struct.pack(f"<{len(data)}h", *data))


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent / "assets" / "sounds"
    out.mkdir(parents=True, exist_ok=True)
    for name, notes in SOUNDS.items():
        write(out / f"{name}.wav", notes)
        print(f"{out / name}.wav")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
