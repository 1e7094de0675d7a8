"""A real PC/SC stack for tests: pcscd (pcsc-lite) with vsmartcard's vpcd readers.

pytest plugin (``pytest_plugins = ["tests.support.pcsc_env"]`` in ``tests/conftest.py``) with a
session-scoped fixture ``pcscd``, and plain helpers (:class:`PcscDaemon`) that the
benchmark ``bench/card_read.py`` uses without pytest.

- pcscd 1.9.9 (Debian) is started as ``pcscd --foreground`` (``-f``; this version has no
  polkit option). Debian's ``vsmartcard-vpcd`` puts ``/etc/reader.conf.d/vpcd`` in place,
  so pcscd creates the readers ``Virtual PCD 00 00`` (TCP 35963) and ``Virtual PCD 00 01``
  (35964) itself. The daemon is ready when both readers are listed.
- Only one pcscd can run on a machine (its socket is always ``/run/pcscd/pcscd.comm``, the
  vpcd ports are fixed). Test sessions serialise on an exclusive lock file
  (``$TMPDIR/kiosk-pcscd.lock``), waiting up to ``LOCK_WAIT_S``. A pcscd that is already
  running when the lock is taken (a system daemon, or one left behind) is stopped with
  SIGTERM and replaced by our own, so tests always run against a daemon they control
  (``restart()`` must be able to stop it). It is not restarted afterwards.
- If pcscd cannot be started, the fixture fails loudly with the reason; tests are never
  skipped for want of it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = ["PcscDaemon", "PcscdError", "list_readers", "pcscd"]

VPCD_READERS = ("Virtual PCD 00 00", "Virtual PCD 00 01")
VPCD_CONFIG = Path("/etc/reader.conf.d/vpcd")
PID_FILE = Path("/run/pcscd/pcscd.pid")
LOCK_FILE = Path(tempfile.gettempdir()) / "kiosk-pcscd.lock"
LOCK_WAIT_S = 300.0
READY_TIMEOUT_S = 10.0
#: pcscd needs up to ~2 s to exit on SIGTERM (it waits for its reader threads).
EXIT_TIMEOUT_S = 10.0
SPAWN_ATTEMPTS = 3
VPCD_PORTS = (35963, 35964)
#: pcscd's log line when a reader's driver (vpcd: its TCP port) cannot be opened.
_VPCD_FAILED = "RFInitializeReader() Open Port"


class PcscdError(RuntimeError):
    """pcscd could not be started or stopped; the message says why."""


def list_readers() -> list[str] | None:
    """Reader names from pcscd, or None if the PC/SC service is not reachable."""
    from smartcard import scard

    hr, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hr != scard.SCARD_S_SUCCESS:
        return None
    try:
        hr, readers = scard.SCardListReaders(ctx, [])
        if hr == scard.SCARD_E_NO_READERS_AVAILABLE:
            return []
        return list(readers) if hr == scard.SCARD_S_SUCCESS else None
    finally:
        scard.SCardReleaseContext(ctx)


def _pcscd_pids() -> list[int]:
    """Running processes named pcscd (any owner)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() == "pcscd":
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is not running any more.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except (OSError, IndexError):
        return False


def _wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while _alive(pid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True


def _port_holders(port: int) -> str:
    """Who uses a local TCP port (for error messages): socket states and owning pids."""
    states = {"01": "ESTABLISHED", "06": "TIME_WAIT", "08": "CLOSE_WAIT", "0A": "LISTEN"}
    inodes: dict[str, str] = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes[fields[9]] = states.get(fields[3], fields[3])
    if not inodes:
        return "none"
    owners: dict[str, list[str]] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    owners.setdefault(target[8:-1], []).append(f"{proc.name}/{(proc / 'comm').read_text().strip()}")
        except OSError:
            continue
    return ", ".join(f"{state} by {owners.get(inode, ['?'])}" for inode, state in inodes.items())


class PcscDaemon:
    """Our own pcscd in the foreground. ``start()``, ``restart()``, ``stop()``."""

    def __init__(self, binary: str | None = None, log_dir: Path | None = None, extra_args: tuple[str, ...] = ()):
        self.binary = binary or shutil.which("pcscd") or "/usr/sbin/pcscd"
        self.args = ("--foreground", *extra_args)
        self._own_log_dir = log_dir is None
        self.log_dir = log_dir or Path(tempfile.mkdtemp(prefix="kiosk-pcscd-"))
        self.log_path = self.log_dir / "pcscd.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self._lock_fd: int | None = None

    # --- lifecycle ---
    def start(self) -> PcscDaemon:
        """Take the machine-wide lock, replace any running pcscd, start ours, wait for vpcd."""
        self._check_installed()
        self._acquire_lock()
        try:
            self._stop_foreign()
            self._spawn()
        except BaseException:
            self.stop()
            raise
        return self

    def restart(self) -> None:
        """SIGTERM, wait for the exit (~1.3-2 s), start again and wait for the readers."""
        self._terminate()
        self._spawn()

    def stop(self) -> None:
        """SIGTERM our pcscd, wait for it, release the lock, remove our log. Idempotent."""
        try:
            self._terminate()
        finally:
            self._release_lock()
            if self._own_log_dir:
                shutil.rmtree(self.log_dir, ignore_errors=True)

    def __enter__(self) -> PcscDaemon:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no pcscd log)"

    # --- internals ---
    def _check_installed(self) -> None:
        if not Path(self.binary).exists():
            raise PcscdError(f"pcscd not found ({self.binary}); install Debian 'pcscd' (scripts/setup.sh)")
        if not VPCD_CONFIG.exists():
            raise PcscdError(f"{VPCD_CONFIG} missing; install Debian 'vsmartcard-vpcd' (scripts/setup.sh)")

    def _acquire_lock(self) -> None:
        if self._lock_fd is not None:
            return
        fd = os.open(LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o666)
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise PcscdError(
                        f"another test session holds {LOCK_FILE} (its pcscd) for more than {LOCK_WAIT_S:.0f} s"
                    ) from None
                time.sleep(0.2)
        self._lock_fd = fd

    def _release_lock(self) -> None:
        fd, self._lock_fd = self._lock_fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _stop_foreign(self) -> None:
        """Stop a pcscd we did not start: only one can own /run/pcscd and the vpcd ports."""
        for pid in _pcscd_pids():
            if self.proc is not None and pid == self.proc.pid:
                continue
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            except PermissionError as exc:
                raise PcscdError(f"a pcscd (pid {pid}) is running and cannot be stopped: {exc}") from exc
            if not _wait_gone(pid, EXIT_TIMEOUT_S):
                raise PcscdError(f"the running pcscd (pid {pid}) did not exit within {EXIT_TIMEOUT_S:.0f} s")

    def _spawn(self) -> None:
        """Start pcscd and wait for both vpcd readers; retry if a vpcd port was busy.

        vpcd binds 0.0.0.0:35963/35964 when pcscd starts. On a busy machine a port can be
        briefly held by another socket (even an outgoing connection that got it as its
        ephemeral port), and then pcscd runs without that reader: try a few times.
        """
        if self.running:
            return
        error = ""
        for attempt in range(1, SPAWN_ATTEMPTS + 1):
            error = self._spawn_once()
            if not error:
                return
            if attempt < SPAWN_ATTEMPTS:
                time.sleep(1.0)
                self._stop_foreign()
        raise PcscdError(error)

    def _spawn_once(self) -> str:
        """One start; "" when ready, else why not (pcscd is stopped again)."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            log.write(f"--- kiosk test: starting {self.binary} {' '.join(self.args)}\n".encode())
            log.flush()
            try:
                self.proc = subprocess.Popen(
                    [self.binary, *self.args],
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # Ctrl-C in the terminal goes to us, not to pcscd
                )
            except OSError as exc:
                raise PcscdError(f"cannot run {self.binary}: {exc}") from exc
        self.starts += 1
        deadline = time.monotonic() + READY_TIMEOUT_S
        readers: list[str] | None = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return f"pcscd exited with status {self.proc.returncode} at start:\n{self.log_tail()}"
            readers = list_readers()
            if readers is not None and all(r in readers for r in VPCD_READERS):
                return ""
            if _VPCD_FAILED in self._current_log():
                break  # a vpcd reader could not open its port: this start will not recover
            time.sleep(0.02)
        self._terminate()
        holders = "; ".join(f"{port}: {_port_holders(port)}" for port in VPCD_PORTS)
        return (
            f"pcscd did not list the vpcd readers {VPCD_READERS} (listed: {readers}); "
            f"TCP port users: {holders}\n{self.log_tail()}"
        )

    def _current_log(self) -> str:
        """The log of the current start only."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return text[text.rfind("--- kiosk test: starting") :]

    def _terminate(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=EXIT_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@pytest.fixture(scope="session")
def pcscd() -> Iterator[PcscDaemon]:
    """A running pcscd with the two vpcd readers; ``.restart()`` restarts it."""
    daemon = PcscDaemon()
    try:
        daemon.start()
    except PcscdError as exc:
        pytest.fail(f"cannot start pcscd for the PC/SC tests: {exc}", pytrace=False)
    try:
        yield daemon
    finally:
        daemon.stop()
