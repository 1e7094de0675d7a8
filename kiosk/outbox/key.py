"""The outbox key file.

Key: 32 random bytes in a file created ``0600`` (``O_CREAT|O_EXCL`` on a temporary name, then
``link()``ed into place, so a crash never leaves a half-written key). A key file that is readable
or writable by group/others, not owned by this user, a symlink, or not exactly 32 bytes is refused
(:class:`OutboxKeyError`), like ssh refuses a private key with loose permissions: a key others could
read protects nothing, and silently tightening it would hide a deployment mistake. The key should
live outside backups of the data directory if possible (its location is a setting).
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import uuid
from pathlib import Path

from kiosk.outbox.errors import OutboxError

# The package's one logger name, as before it was split into modules: log lines are unchanged.
log = logging.getLogger("kiosk.outbox")

KEY_BYTES = 32


class OutboxKeyError(OutboxError):
    """The key file is missing-and-uncreatable, malformed or too widely readable."""


def load_or_create_key(path: Path) -> bytes:
    """The outbox key at ``path``; created (32 random bytes, mode 0600) if there is none."""
    path = Path(path)
    _make_key_directory(path)
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    _create_key(path)
    return _read_key(path)


def _make_key_directory(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as e:
        raise OutboxKeyError(
            f"{path}: cannot create the directory {path.parent} for the outbox key "
            f"({'a file is in the way' if isinstance(e, FileExistsError | NotADirectoryError) else e.strerror})"
        ) from None


def _create_key(path: Path) -> None:
    """Write a new key under a temporary name and link it into place, unless another process won."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError as e:
        raise OutboxKeyError(f"{path}: cannot create the outbox key in {path.parent} ({e.strerror})") from None
    try:
        try:
            os.fchmod(fd, 0o600)  # whatever the umask
            os.write(fd, os.urandom(KEY_BYTES))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)  # atomic, fails if another process created the key meanwhile
        except FileExistsError:
            pass
        else:
            _fsync_dir(path.parent)
            log.info("outbox key created")
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _read_key(path: Path) -> bytes:
    try:
        # O_NONBLOCK: a FIFO in the key's place must not hang the kiosk (no effect on a file)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        if isinstance(e, FileNotFoundError):
            raise
        raise OutboxKeyError(f"{path}: cannot open the outbox key ({e.strerror}); it must be a regular file") from None
    try:
        _check_key_file(path, os.fstat(fd))
        key = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(key) != KEY_BYTES:
        raise OutboxKeyError(f"{path}: the outbox key must be exactly {KEY_BYTES} bytes, found {len(key)}")
    return key


def _check_key_file(path: Path, st: os.stat_result) -> None:
    """A regular file, readable by its owner only, and that owner is us."""
    if stat.S_ISDIR(st.st_mode):
        raise OutboxKeyError(f"{path}: is a directory; the outbox key must be a file (mode 600) of {KEY_BYTES} bytes")
    if not stat.S_ISREG(st.st_mode):
        raise OutboxKeyError(f"{path}: is not a regular file; the outbox key must be a file (mode 600) of {KEY_BYTES} bytes")
    if st.st_mode & 0o077:
        raise OutboxKeyError(
            f"{path}: the outbox key has mode {st.st_mode & 0o777:o}; it must be readable by its owner only "
            f"(chmod 600 {path})"
        )
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise OutboxKeyError(f"{path}: the outbox key belongs to another user")


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
