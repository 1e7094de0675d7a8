"""Dependencies point one way: the domain imports nothing of Qt, the devices, the flow or the screens."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.support.paths import ROOT

DOMAIN = ROOT / "kiosk" / "domain"
FORBIDDEN = ("PySide6", "shiboken6", "qtawesome", "kiosk.devices", "kiosk.screens", "kiosk.flow", "kiosk.app",
             "smartcard", "cv2", "escpos", "requests", "kiosk.backend_client")


def imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_imports_no_qt_and_no_devices():
    files = sorted(DOMAIN.glob("*.py"))
    assert len(files) >= 8
    for f in files:
        bad = {n for n in imports(f) if n.startswith(FORBIDDEN)}
        assert not bad, f"{f.name} imports {bad}"


def test_flow_imports_no_qt():
    for f in sorted((DOMAIN.parent / "flow").glob("*.py")):
        bad = {n for n in imports(f) if n.startswith(("PySide6", "shiboken6", "kiosk.screens"))}
        assert not bad, f"{f.name} imports {bad}"


def test_screens_do_not_reach_into_device_implementations():
    for f in sorted((DOMAIN.parent / "screens").glob("*.py")):
        bad = {n for n in imports(f) if n.startswith("kiosk.devices.") and not n.endswith(".base")}
        assert not bad, f"{f.name} imports {bad}"
