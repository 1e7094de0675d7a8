"""The receiving end of systemd's notify protocol, for the watchdog and package tests."""

from __future__ import annotations

import socket
import time
from pathlib import Path


class NotifySocket:
    """The receiving end of the notify protocol: an AF_UNIX datagram socket."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(str(path))
        self.received: list[tuple[float, str]] = []  # (time.monotonic(), message)

    def next(self, timeout_s: float) -> str | None:
        """The next message, or None if none came within ``timeout_s``."""
        self.sock.settimeout(timeout_s)
        try:
            message = self.sock.recv(4096).decode()
        except TimeoutError:
            return None
        self.received.append((time.monotonic(), message))
        return message

    def wait_for(self, message: str, timeout_s: float) -> list[str]:
        """Messages up to and including ``message``; fails if it does not come in time."""
        seen: list[str] = []
        while True:
            m = self.next(timeout_s)
            assert m is not None, f"no {message!r} within {timeout_s} s; got {seen}"
            seen.append(m)
            if m == message:
                return seen

    def close(self) -> None:
        self.sock.close()
