"""The memory of printed job ids (:class:`JobStore`): one print per job id.

See "One print per job id" in :mod:`kiosk.devices.printer.escpos`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
from pathlib import Path

__all__ = ["JOB_MEMORY_DAYS", "JobStore"]

log = logging.getLogger(__name__)

JOB_MEMORY_DAYS = 30


class JobStore:
    """Job ids whose printing began its final step, with their outcome (see the module notes).

    A JSON object ``{job_id: {"state": ..., "at": ISO time}}``, replaced atomically on each
    change. Job ids only: no receipt content.
    """

    STATES = ("committing", "uncertain", "printed")

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._jobs: dict[str, dict[str, str]] = {}
        if path is not None and path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if not isinstance(loaded, dict):
                    raise ValueError("not an object")
                self._jobs = {str(k): v for k, v in loaded.items() if isinstance(v, dict)}
            except (OSError, ValueError) as e:
                log.error("print job store %s unreadable (%s); starting empty", path, type(e).__name__)
                with contextlib.suppress(OSError):
                    path.replace(path.with_suffix(path.suffix + ".corrupt"))
        self._prune()

    def get(self, job_id: str) -> str | None:
        entry = self._jobs.get(job_id)
        return None if entry is None else str(entry.get("state"))

    def set(self, job_id: str, state: str) -> None:
        assert state in self.STATES
        self._jobs[job_id] = {"state": state, "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
        self._save()

    def _prune(self) -> None:
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=JOB_MEMORY_DAYS)
        keep: dict[str, dict[str, str]] = {}
        for job_id, entry in self._jobs.items():
            try:
                at = dt.datetime.fromisoformat(str(entry.get("at")))
            except ValueError:
                at = dt.datetime.now(dt.UTC)
            if at.tzinfo is None:
                at = at.replace(tzinfo=dt.UTC)
            if at >= cutoff:
                keep[job_id] = entry
        self._jobs = keep

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(self._jobs, f, indent=0, sort_keys=True)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
