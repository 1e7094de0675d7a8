"""systemd's notify protocol (``sd_notify(3)``): one datagram of ``KEY=VALUE`` lines to the
AF_UNIX socket named by ``$NOTIFY_SOCKET``.

Standard library only, no Qt. Without ``$NOTIFY_SOCKET`` (a development run, the tests, the
tour) every call does nothing. A notify socket that has gone away never stops the kiosk: the
failure is logged once and the call returns False.

The kiosk runs as a child of the ``cage`` compositor, which is the service's main process;
the unit says ``NotifyAccess=all`` so systemd accepts our messages, and ``WATCHDOG_PID``
(cage's pid) is accepted when it is our parent's.
"""

from __future__ import annotations

import logging
import os
import socket

log = logging.getLogger(__name__)


class Notifier:
    """Sends notify messages to ``socket_path`` (``@name`` is the abstract namespace)."""

    def __init__(self, socket_path: str | None) -> None:
        self.path = socket_path or None
        self._sock: socket.socket | None = None
        self._warned = False

    @classmethod
    def from_environment(cls, environ: dict[str, str] | None = None) -> Notifier:
        env = os.environ if environ is None else environ
        return cls(env.get("NOTIFY_SOCKET"))

    @property
    def enabled(self) -> bool:
        return self.path is not None

    def _address(self) -> str | bytes:
        assert self.path is not None
        if self.path.startswith("@"):
            return b"\0" + self.path[1:].encode()
        return self.path

    def notify(self, message: str) -> bool:
        """Send one message (e.g. ``"READY=1"``). True when it was handed to the socket."""
        if self.path is None:
            return False
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._sock.sendto(message.encode(), self._address())
        except OSError as e:
            if not self._warned:
                log.warning("systemd notify socket %s: %s", self.path, e.strerror or e)
                self._warned = True
            return False
        self._warned = False
        return True

    def ready(self) -> bool:
        return self.notify("READY=1")

    def ping(self) -> bool:
        return self.notify("WATCHDOG=1")

    def status(self, text: str) -> bool:
        return self.notify(f"STATUS={text}")

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


def watchdog_interval_s(environ: dict[str, str] | None = None) -> float | None:
    """Half of ``$WATCHDOG_USEC`` in seconds (how often to ping), or None when systemd asks for
    no pings: unset, not a positive whole number, or meant for another process (``WATCHDOG_PID``
    other than ours or our parent's, the compositor)."""
    env = os.environ if environ is None else environ
    usec = env.get("WATCHDOG_USEC", "")
    if not usec.isdigit() or int(usec) <= 0:
        return None
    pid = env.get("WATCHDOG_PID", "")
    if pid and pid not in (str(os.getpid()), str(os.getppid())):
        return None
    return int(usec) / 2_000_000
