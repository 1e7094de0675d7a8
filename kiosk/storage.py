"""The data directory as storage: is there room, can it be written, and is an error a storage fault.

A kiosk must never accept what it cannot store. Before an application is committed the outbox asks
:func:`storage_problem` (free space above a configured margin, a writable directory), and any
write that fails for lack of space or a read-only file system is a :class:`StorageError`: the
kiosk goes out of service with the technician's reason (heartbeat ``last_error``, maintenance)
and tells the resident the truth, instead of "the service cannot be reached". Pure Python.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

#: The heartbeat's ``last_error.code`` for a storage fault.
STORAGE_CODE = "storage"

#: OS errors that mean "this storage cannot take writes" (not a bug, not the network).
STORAGE_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EIO})
#: SQLite's words for the same (``sqlite3.OperationalError`` carries no errno).
SQLITE_STORAGE_WORDS = ("disk is full", "readonly", "read-only", "disk i/o error", "unable to open database")


class StorageError(OSError):
    """The data directory cannot store what it must; ``reason`` is for the technician (no personal data)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def is_storage_error(e: BaseException) -> bool:
    """True when ``e`` says the disk is full or read-only (or gone), rather than a bug."""
    if isinstance(e, StorageError):
        return True
    if isinstance(e, OSError):
        return e.errno in STORAGE_ERRNOS
    if isinstance(e, sqlite3.OperationalError | sqlite3.DatabaseError):
        text = str(e).lower()
        return any(w in text for w in SQLITE_STORAGE_WORDS)
    return False


def describe(e: BaseException, path: Path) -> str:
    """A technician's one-line reason for storage error ``e`` under ``path``."""
    if isinstance(e, StorageError):
        return e.reason
    if isinstance(e, OSError) and e.errno is not None:
        return f"cannot write to {path}: {os.strerror(e.errno)}"
    return f"cannot write to {path}: {str(e)[:120]}"


def storage_problem(path: Path, min_free_bytes: int, need_bytes: int = 0) -> str | None:
    """Why ``path`` (the data directory) cannot take ``need_bytes`` more now, or None.

    Read-only (mount flag or no write access), missing, or less than ``min_free_bytes`` free
    after ``need_bytes``. Reasons are for the technician and hold no personal data.
    """
    path = Path(path)
    try:
        st = os.statvfs(path)
    except FileNotFoundError:
        return f"the data directory {path} does not exist"
    except OSError as e:
        return f"the data directory {path} cannot be read: {e.strerror}"
    if st.f_flag & os.ST_RDONLY or not os.access(path, os.W_OK | os.X_OK):
        return f"the data directory {path} is read-only"
    free = shutil.disk_usage(path).free
    if free - need_bytes < min_free_bytes:
        return (
            f"the data directory {path} is full: {free // 1024} KiB free, "
            f"{(min_free_bytes + need_bytes) // 1024} KiB needed (margin {min_free_bytes // 1024} KiB)"
        )
    return None
