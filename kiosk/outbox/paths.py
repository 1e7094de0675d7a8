"""Where a kiosk keeps its outbox: ``<data_dir>/outbox.sqlite3`` and the key file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

DB_NAME = "outbox.sqlite3"
KEY_NAME = "outbox.key"


def outbox_paths(cfg: Any) -> tuple[Path, Path]:
    """(database, key) for a configuration: ``<data_dir>/outbox.sqlite3`` and the key setting
    ``[outbox] key_path`` (empty or absent: ``<data_dir>/outbox.key``)."""
    data_dir = Path(cfg.data_dir)
    key_setting = str(getattr(getattr(cfg, "outbox", None), "key_path", "") or "")
    key = Path(key_setting).expanduser() if key_setting else data_dir / KEY_NAME
    return data_dir / DB_NAME, key
