"""The runtime lock (requirements/runtime.txt, `make lock`) covers every runtime dependency that
pyproject.toml declares: the package's bundle is built from the lock alone, so a dependency
added to pyproject.toml but not locked is missing from the installed kiosk."""

from __future__ import annotations

import re
import tomllib

from tests.support.paths import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].strip().lower().replace("_", "-")


def test_every_runtime_dependency_is_in_the_lock() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    lock = (ROOT / "requirements" / "runtime.txt").read_text(encoding="utf-8")
    locked = {_name(line) for line in lock.splitlines() if re.match(r"^[A-Za-z0-9]", line)}
    missing = sorted(_name(d) for d in declared if _name(d) not in locked)
    assert not missing, f"not in requirements/runtime.txt (run `make lock`): {missing}"


def test_every_locked_package_is_pinned_with_hashes() -> None:
    lock = (ROOT / "requirements" / "runtime.txt").read_text(encoding="utf-8")
    entries = re.findall(r"^([A-Za-z0-9][^\s]*)((?:\s*\\\n\s+--hash=sha256:[0-9a-f]{64})*)", lock, re.M)
    assert entries
    for spec, hashes in entries:
        assert "==" in spec, spec
        assert "--hash=sha256:" in hashes, f"{spec} has no hash"
