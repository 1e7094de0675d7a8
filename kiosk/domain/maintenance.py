"""The technician's PIN: stored as a salted PBKDF2 hash, with a lockout after wrong tries that
survives a restart (a small file in the data directory: counts and a time, no PIN material)."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

ITERATIONS = 200_000
#: The fewest PBKDF2 iterations a configured PIN hash may use (a 4-12 digit PIN is guessed fast).
MIN_ITERATIONS = 100_000
MAX_ITERATIONS = 10_000_000
DEMO_PIN = "246810"  # the default configuration's PIN, for demos and tests only
#: ``hash_pin(DEMO_PIN, salt="demo-kiosk")`` (tests/test_maintenance.py checks it), written out so
#: that importing the configuration does not spend 200,000 iterations.
DEMO_PIN_HASH = "pbkdf2_sha256$200000$demo-kiosk$fc330b8554a36f351a6df43963c9de0b1d2f746c7800587b7904b0567f445083"
PIN_HASH_RE = re.compile(r"^pbkdf2_sha256\$(\d{1,9})\$([!-#%-~]{1,64})\$([0-9a-f]{64})$")
#: The lockout's file in the data directory.
LOCKOUT_FILE = "maintenance-lockout.json"


def hash_pin(pin: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt.encode(), iterations).hex()
    return f"pbkdf2_sha256${iterations}${salt}${digest}"


def pin_hash_problem(stored: str) -> str | None:
    """What is wrong with a configured PIN hash, or None."""
    m = PIN_HASH_RE.fullmatch(stored)
    if m is None:
        return "must come from `kiosk maintenance hash-pin` (pbkdf2_sha256$ITERATIONS$SALT$64 hex digits)"
    iterations = int(m.group(1))
    if not MIN_ITERATIONS <= iterations <= MAX_ITERATIONS:
        return (
            f"uses {iterations} PBKDF2 iterations; it must use from {MIN_ITERATIONS} to {MAX_ITERATIONS} "
            "(make a new one with `kiosk maintenance hash-pin`)"
        )
    return None


def check_pin(pin: str, stored: str) -> bool:
    try:
        algo, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if algo != "pbkdf2_sha256":
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt.encode(), int(iterations)).hex()
    return hmac.compare_digest(candidate, digest)


@dataclass
class LockoutFile:
    """Wrong tries and the end of a lockout, kept across restarts: ``{"fails": n, "locked_until": epoch}``.

    Nothing about the PIN is in it. A file that cannot be read counts as no lockout is *not* safe,
    so an unreadable one locks (for one lockout); one that cannot be written is logged and the
    lockout still holds in memory.
    """

    path: Path

    def load(self, lockout_s: float, now: float) -> tuple[int, float]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            fails, until = int(raw["fails"]), float(raw["locked_until"])
        except FileNotFoundError:
            return 0, 0.0
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("maintenance lockout file unreadable: locked for %.0f s", lockout_s)
            return 0, now + lockout_s
        return max(0, fails), until

    def save(self, fails: int, locked_until: float) -> None:
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            tmp.write_text(json.dumps({"fails": fails, "locked_until": locked_until}), encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as e:
            log.warning("maintenance lockout not saved (%s); it holds until the kiosk restarts", e.strerror)
            with contextlib.suppress(OSError):
                tmp.unlink()


@dataclass
class PinGate:
    stored: str
    max_tries: int = 3
    lockout_s: float = 300.0
    _fails: int = 0
    _locked_until: float = 0.0
    #: Wall-clock time (epoch seconds): a lockout must outlive a restart, so no monotonic clock.
    _now: Callable[[], float] = field(default=time.time, repr=False)
    store: LockoutFile | None = None

    def __post_init__(self) -> None:
        if self.store is not None:
            self._fails, self._locked_until = self.store.load(self.lockout_s, self._now())

    def locked_for(self) -> float:
        # Never more than one lockout: a clock set back must not lock the technician out for good.
        return min(self.lockout_s, max(0.0, self._locked_until - self._now()))

    def tries_left(self) -> int:
        """Wrong tries left before the lockout."""
        return self.max_tries - self._fails

    def try_pin(self, pin: str) -> bool:
        if self.locked_for() > 0:
            return False
        if check_pin(pin, self.stored):
            self._fails = 0
            self._save()
            return True
        self._fails += 1
        if self._fails >= self.max_tries:
            self._fails = 0
            self._locked_until = self._now() + self.lockout_s
        self._save()
        return False

    def _save(self) -> None:
        if self.store is not None:
            self.store.save(self._fails, self._locked_until)
