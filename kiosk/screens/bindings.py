"""A start-up check of the Qt bindings' reference counting.

On CPython 3.11 ``None``, ``True`` and ``False`` are reference counted like any object (they
are immortal only from 3.12). The PySide6 6.12.0 wheels take one reference off ``None`` on
every void Qt call and one off ``True`` on every ``Signal.emit()``; the interpreter aborts
("Fatal Python error: bool_dealloc") once a count reaches zero, which on the capture screen
is after about 3.5 minutes. ``pyproject.toml`` keeps PySide6 below 6.12, but a kiosk could
still be given such a build by hand or by a later bound: this probe finds it in well under a
millisecond, before a resident is served, so the kiosk refuses to start with one clear line
instead of dying in front of someone.
"""

from __future__ import annotations

import sys

PROBE_CALLS = 200


def refcount_defect() -> str | None:
    """What is wrong with the bindings' reference counting, or None when nothing is."""
    if sys.version_info >= (3, 12):
        return None  # immortal singletons: such a defect cannot kill the interpreter
    import PySide6
    from PySide6.QtCore import QObject, Signal

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(PROBE_CALLS):
        probe.setObjectName("probe")  # a void call
        probe.ping.emit()  # emit() returns True
    lost_none = none_before - sys.getrefcount(None)
    lost_true = true_before - sys.getrefcount(True)
    if max(lost_none, lost_true) < PROBE_CALLS // 2:
        return None
    _pin_singletons()
    return (
        f"PySide6 {PySide6.__version__} loses a reference to None on every void Qt call "
        f"({lost_none} of {PROBE_CALLS}) and to True on every signal ({lost_true} of {PROBE_CALLS}) "
        f"on Python {sys.version_info.major}.{sys.version_info.minor}; the kiosk would abort within minutes. "
        "Install PySide6 below 6.12 (see pyproject.toml)"
    )


def _pin_singletons(extra: int = 1_000_000) -> None:
    """Give None, True and False a million references they will never lose, so the process
    that found the defect can print its refusal and exit 1 instead of aborting while it shuts
    down (importing and starting the bindings already cost them thousands)."""
    import ctypes

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += extra
