"""The sdtapi stand-in library for tests: tests/support/sdtapi_stub.c, compiled with gcc.

:func:`build_stub` compiles its variants; :class:`Stub` drives one loaded library through
its STUB_* functions (the same handle the reader under test loads, so the same state).
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path

from kiosk.domain.testcard import TestCard

STUB_SOURCE = Path(__file__).resolve().parent / "sdtapi_stub.c"

# Stub step numbers (enum in sdtapi_stub.c).
OPEN, FIND, SELECT, READ, APPMSG, CLOSE = 1, 2, 3, 4, 5, 6

#: Build variants: name -> extra gcc flags.
VARIANTS = {"full": [], "no_appmsg": ["-DSTUB_NO_APPMSG"], "no_readbase": ["-DSTUB_NO_READBASEMSG"]}


class StubBuildError(Exception):
    """gcc is missing or the stand-in library did not compile; the message says which."""


def build_stub(out: Path) -> dict[str, Path]:
    """Compile every variant into ``out``: variant name -> library path."""
    gcc = shutil.which("gcc")
    if gcc is None:
        raise StubBuildError("gcc is needed to build the sdtapi stand-in library: run scripts/setup.sh")
    paths = {}
    for name, flags in VARIANTS.items():
        target = out / f"libsdtapi_stub_{name}.so"
        cmd = [gcc, "-shared", "-fPIC", "-pthread", "-O1", "-Wall", *flags, "-o", str(target), str(STUB_SOURCE)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise StubBuildError(f"compiling {STUB_SOURCE.name} failed:\n{' '.join(cmd)}\n{proc.stderr}")
        paths[name] = target
    return paths


class Stub:
    """The STUB_* controls of one loaded stand-in library."""

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self.lib = ctypes.CDLL(self.path)  # same handle as the reader's CDLL: same state
        u8p = ctypes.POINTER(ctypes.c_ubyte)
        for name, args in {
            "STUB_Reset": [],
            "STUB_InsertCard": [u8p, ctypes.c_int, u8p, ctypes.c_int],
            "STUB_SetAppended": [u8p, ctypes.c_int],
            "STUB_RemoveCard": [],
            "STUB_SetFailure": [ctypes.c_int, ctypes.c_int, ctypes.c_int],
            "STUB_SetRemoveOn": [ctypes.c_int],
            "STUB_SetUnplugOn": [ctypes.c_int],
            "STUB_SetPortOk": [ctypes.c_int],
            "STUB_SetDevicePort": [ctypes.c_int],
            "STUB_SetReadDelayMs": [ctypes.c_int],
            "STUB_CallCount": [ctypes.c_int],
            "STUB_CurrentPort": [],
            "STUB_LastIfOpen": [],
        }.items():
            fn = getattr(self.lib, name)
            fn.argtypes = args
            fn.restype = ctypes.c_int if name in ("STUB_CallCount", "STUB_CurrentPort", "STUB_LastIfOpen") else None

    @staticmethod
    def _buf(data: bytes) -> ctypes.Array[ctypes.c_ubyte]:
        return (ctypes.c_ubyte * max(1, len(data))).from_buffer_copy(data or b"\0")

    def reset(self) -> None:
        self.lib.STUB_Reset()

    def insert_bytes(self, text: bytes, photo: bytes = b"", appended: bytes | None = None) -> None:
        self.lib.STUB_InsertCard(self._buf(text), len(text), self._buf(photo), len(photo))
        if appended is not None:
            self.lib.STUB_SetAppended(self._buf(appended), len(appended))

    def insert(self, card: TestCard) -> None:
        """The card as a real SDK returns it: EF 0101 text, EF 0102 photo, EF 0103 appended."""
        self.insert_bytes(card.ef0101, card.ef0102 or b"", card.ef0103)

    def remove(self) -> None:
        self.lib.STUB_RemoveCard()

    def fail(self, step: int, code: int, times: int = -1) -> None:
        self.lib.STUB_SetFailure(step, code, times)

    def remove_on(self, step: int) -> None:
        self.lib.STUB_SetRemoveOn(step)

    def unplug_on(self, step: int) -> None:
        self.lib.STUB_SetUnplugOn(step)

    def port_ok(self, ok: bool) -> None:
        self.lib.STUB_SetPortOk(int(ok))

    def device_port(self, port: int) -> None:
        self.lib.STUB_SetDevicePort(port)

    def read_delay(self, ms: int) -> None:
        self.lib.STUB_SetReadDelayMs(ms)

    def calls(self, step: int) -> int:
        return int(self.lib.STUB_CallCount(step))

    def current_port(self) -> int:
        return int(self.lib.STUB_CurrentPort())

    def last_if_open(self) -> int:
        return int(self.lib.STUB_LastIfOpen())
