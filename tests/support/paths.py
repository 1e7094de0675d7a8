"""Where things are, for every test: the repository, the test cards, the golden files."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CARDS = ROOT / "assets" / "cards"
GOLDEN = ROOT / "tests" / "golden"
