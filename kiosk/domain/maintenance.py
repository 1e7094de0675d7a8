"""The technician's PIN: stored as a salted PBKDF2 hash, with a lockout after wrong tries."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field

ITERATIONS = 200_000
DEMO_PIN = "246810"  # the default configuration's PIN, for demos and tests only


def hash_pin(pin: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt.encode(), iterations).hex()
    return f"pbkdf2_sha256${iterations}${salt}${digest}"


def check_pin(pin: str, stored: str) -> bool:
    try:
        algo, iterations, salt, digest = stored.split("$")
    except ValueError:
        return False
    if algo != "pbkdf2_sha256":
        return False
    candidate = hashlib.pbkdf2_hmac("sha256", pin.encode(), salt.encode(), int(iterations)).hex()
    return hmac.compare_digest(candidate, digest)


DEMO_PIN_HASH = hash_pin(DEMO_PIN, salt="demo-kiosk", iterations=50_000)


@dataclass
class PinGate:
    stored: str
    max_tries: int = 3
    lockout_s: float = 300.0
    _fails: int = 0
    _locked_until: float = 0.0
    _now: object = field(default=time.monotonic, repr=False)

    def locked_for(self) -> float:
        return max(0.0, self._locked_until - self._now())  # type: ignore[operator]

    def tries_left(self) -> int:
        """Wrong tries left before the lockout."""
        return self.max_tries - self._fails

    def try_pin(self, pin: str) -> bool:
        if self.locked_for() > 0:
            return False
        if check_pin(pin, self.stored):
            self._fails = 0
            return True
        self._fails += 1
        if self._fails >= self.max_tries:
            self._fails = 0
            self._locked_until = self._now() + self.lockout_s  # type: ignore[operator]
        return False
