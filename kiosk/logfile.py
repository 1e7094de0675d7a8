"""Log files that fail quietly: a full or read-only disk must not flood stderr.

``logging`` reports every record it could not write with a full traceback on stderr ("--- Logging
error ---"); with the disk full that is one traceback per log line, thousands a minute.
:class:`QuietFileHandler` says it once, in one line, and again only after writing worked in
between. The file is opened on the first record (``delay``), so a read-only directory does not
stop whoever creates the handler.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path


class QuietFileHandler(RotatingFileHandler):
    def __init__(self, path: Path, *, max_bytes: int = 2_000_000, backups: int = 5) -> None:
        super().__init__(path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8", delay=True)
        self.failing = False  # the last record could not be written
        self.failures = 0

    def emit(self, record: logging.LogRecord) -> None:
        before = self.failures
        super().emit(record)  # a failure goes to handleError
        if self.failing and self.failures == before:
            self.failing = False
            print(f"kiosk: writing {self.baseFilename} works again", file=sys.stderr)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging API
        self.failures += 1
        err = sys.exc_info()[1]
        if self.stream is not None:  # a half-written stream: drop it, reopen on the next record
            with contextlib.suppress(OSError):
                self.stream.close()
            self.stream = None  # type: ignore[assignment]
        if not self.failing:
            self.failing = True
            why = getattr(err, "strerror", None) or type(err).__name__
            print(f"kiosk: cannot write {self.baseFilename} ({why}); log lines are dropped until it works", file=sys.stderr)
