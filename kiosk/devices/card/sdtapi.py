"""The vendor ``sdtapi`` library of certified ID-card readers, loaded with :mod:`ctypes`.

Certified second-generation ID-card readers (with their SAM) ship a C library with the
common ``sdtapi`` API. :class:`SdtLibrary` loads it and declares:

=========================  ==============================================================
``SDT_OpenPort``           ``int (int iPort)`` – open the device on a port
``SDT_ClosePort``          ``int (int iPort)``
``SDT_StartFindIDCard``    ``int (int iPort, unsigned char *pucManaInfo, int iIfOpen)``
``SDT_SelectIDCard``       ``int (int iPort, unsigned char *pucManaMsg, int iIfOpen)``
``SDT_ReadBaseMsg``        ``int (int iPort, unsigned char *pucCHMsg, unsigned int *puiCHMsgLen,
                           unsigned char *pucPHMsg, unsigned int *puiPHMsgLen, int iIfOpen)``
``SDT_ReadNewAppMsg``      ``int (int iPort, unsigned char *pucAppMsg, unsigned int *puiAppMsgLen,
                           int iIfOpen)`` – optional (appended address 追加住址); only some SDKs
                           export it, its absence means "no appended address"
=========================  ==============================================================

Ports: USB devices are 1001-1016, serial devices 1-16; port 0 (:data:`AUTO_PORT`) tries
1001-1016 then 1-16 and keeps the first that opens. The kiosk opens the port once and
passes ``iIfOpen = 0`` to every other call.

``SDT_ReadBaseMsg`` yields the same 256-byte UCS-2LE text block as EF 0101 of the card
profile and the photo (a 1024-byte WLT blob on real readers), so decoding and validation
are :func:`kiosk.domain.idcard.parse_identity`, shared with the PC/SC and simulated readers.
The WLT photo is kept as read (``photo_kind`` "wlt"); it is never decoded here.

:data:`RETURN_CODES` has the SDK's own descriptions of the return codes; what the reader
makes of them is in :mod:`kiosk.devices.card.sdk`.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from typing import Any, Final

from kiosk.domain.idcard import EF0103_SIZE

__all__ = [
    "AUTO_PORT",
    "PORT_ERRORS",
    "READER_FAULTS",
    "RETURN_CODES",
    "SERIAL_PORTS",
    "USB_PORTS",
    "SdkLoadError",
    "SdtLibrary",
    "appended_address",
    "describe_code",
    "is_valid_port",
]

# --------------------------------------------------------------------------- return codes
SDT_OK: Final = 0x90
SDT_NO_CONTENT: Final = 0x91
SDT_FOUND: Final = 0x9F
SDT_FIND_FAILED: Final = 0x80
SDT_SELECT_FAILED: Final = 0x81
SDT_READ_FAILED: Final = 0x41
SDT_UNKNOWN_CARD_TYPE: Final = 0x40

#: The SDKs' documented return codes (for diagnostics only).
RETURN_CODES: Final = {
    0x90: "success",
    0x91: "no such content on the card",
    0x9F: "card found",
    0x01: "port open failed / port not open / bad port number",
    0x02: "receive timeout",
    0x03: "data transmission error",
    0x05: "SAM serial port unavailable",
    0x09: "file open failed",
    0x10: "checksum error in data from the host",
    0x11: "length error in data from the host",
    0x21: "command error",
    0x23: "operation not permitted",
    0x24: "unrecognised error",
    0x31: "card failed to authenticate the SAM",
    0x32: "SAM failed to authenticate the card",
    0x33: "information verification failed",
    0x37: "fingerprint verification error",
    0x3F: "information length error",
    0x40: "unrecognised card type",
    0x41: "card read failed",
    0x47: "random number failed",
    0x60: "SAM self-test failed",
    0x66: "SAM not authorised",
    0x80: "find card failed",
    0x81: "select card failed",
}

#: The port or the device went away (or never answered): reopen the port.
PORT_ERRORS: Final = frozenset({0x01, 0x02, 0x03, 0x05})
#: The reader answers but cannot read any card (SAM or authorisation fault).
READER_FAULTS: Final = frozenset({0x23, 0x60, 0x66})

USB_PORTS: Final = tuple(range(1001, 1017))
SERIAL_PORTS: Final = tuple(range(1, 17))
#: Port setting meaning "find the device": USB ports first, then serial ports.
AUTO_PORT: Final = 0

# Buffer sizes. Real SDKs write 256 text bytes and a 1024-byte WLT photo and do not take
# the buffer size; the buffers are generous so no SDK can write past them, and the length
# variables are preset to the buffer sizes for SDKs that do read them.
_INFO_BUF: Final = 64  # StartFind management info (4-8 bytes) / Select serial number (8 bytes)
_TEXT_BUF: Final = 4096
_PHOTO_BUF: Final = 65536
_APPENDED_BUF: Final = 4096


def is_valid_port(port: int) -> bool:
    """A port the SDKs know: 1001-1016 (USB), 1-16 (serial) or 0 (automatic)."""
    return port == AUTO_PORT or port in USB_PORTS or port in SERIAL_PORTS


def describe_code(code: int) -> str:
    """``0x60 (SAM self-test failed)``: a return code for logs and ``last_error``."""
    return f"0x{code & 0xFF:02X} ({RETURN_CODES.get(code, 'unknown code')})"


# --------------------------------------------------------------------------- the library
class SdkLoadError(Exception):
    """The sdtapi library cannot be used (not found, not loadable, symbols missing)."""


_Buffer = Any  # a ctypes c_ubyte array


class SdtLibrary:
    """One loaded sdtapi library with its C signatures declared.

    Raises :class:`SdkLoadError` (never ``OSError``/``AttributeError``) if ``path`` is empty,
    cannot be loaded or lacks one of :attr:`REQUIRED`.
    """

    REQUIRED: Final = ("SDT_OpenPort", "SDT_ClosePort", "SDT_StartFindIDCard", "SDT_SelectIDCard", "SDT_ReadBaseMsg")
    OPTIONAL_APPENDED: Final = "SDT_ReadNewAppMsg"

    def __init__(self, path: str) -> None:
        if not path:
            # ctypes.CDLL("") would load the running program itself.
            raise SdkLoadError("no sdtapi library configured ([devices] sdk_library is empty)")
        # The Windows sdtapi.dll uses __stdcall; the Linux .so files use the C convention.
        loader: Callable[[str], Any] = ctypes.WinDLL if sys.platform == "win32" else ctypes.CDLL  # type: ignore[attr-defined]
        try:
            dll = loader(path)
        except OSError as exc:
            raise SdkLoadError(f"cannot load sdtapi library {path!r}: {exc}") from exc
        missing = [name for name in self.REQUIRED if not hasattr(dll, name)]
        if missing:
            raise SdkLoadError(f"sdtapi library {path!r} lacks required function(s): {', '.join(missing)}")
        self.path = path
        u8p = ctypes.POINTER(ctypes.c_ubyte)
        uintp = ctypes.POINTER(ctypes.c_uint)
        c_int = ctypes.c_int

        def declare(name: str, *argtypes: Any) -> Any:
            fn = getattr(dll, name)
            fn.argtypes = list(argtypes)
            fn.restype = c_int
            return fn

        self._open = declare("SDT_OpenPort", c_int)
        self._close = declare("SDT_ClosePort", c_int)
        self._find = declare("SDT_StartFindIDCard", c_int, u8p, c_int)
        self._select = declare("SDT_SelectIDCard", c_int, u8p, c_int)
        self._read_base = declare("SDT_ReadBaseMsg", c_int, u8p, uintp, u8p, uintp, c_int)
        self._read_appended = (
            declare(self.OPTIONAL_APPENDED, c_int, u8p, uintp, c_int) if hasattr(dll, self.OPTIONAL_APPENDED) else None
        )

    @property
    def has_appended_address(self) -> bool:
        return self._read_appended is not None

    def open_port(self, port: int) -> int:
        return int(self._open(port))

    def close_port(self, port: int) -> int:
        return int(self._close(port))

    def find_card(self, port: int) -> int:
        info = (ctypes.c_ubyte * _INFO_BUF)()
        return int(self._find(port, info, 0))

    def select_card(self, port: int) -> tuple[int, bytes]:
        """(code, card serial number as written by the SDK; 8 bytes)."""
        serial = (ctypes.c_ubyte * _INFO_BUF)()
        code = int(self._select(port, serial, 0))
        return code, bytes(serial[:8])

    def read_base(self, port: int) -> tuple[int, bytes, bytes]:
        """(code, text block, photo) from SDT_ReadBaseMsg."""
        text, photo = (ctypes.c_ubyte * _TEXT_BUF)(), (ctypes.c_ubyte * _PHOTO_BUF)()
        text_len, photo_len = ctypes.c_uint(_TEXT_BUF), ctypes.c_uint(_PHOTO_BUF)
        code = int(self._read_base(port, text, ctypes.byref(text_len), photo, ctypes.byref(photo_len), 0))
        if code != SDT_OK:
            return code, b"", b""
        return code, _take(text, text_len.value), _take(photo, photo_len.value)

    def read_appended(self, port: int) -> tuple[int, bytes]:
        """(code, appended-address bytes) from SDT_ReadNewAppMsg; (0x91, b"") if not exported."""
        if self._read_appended is None:
            return SDT_NO_CONTENT, b""
        data = (ctypes.c_ubyte * _APPENDED_BUF)()
        length = ctypes.c_uint(_APPENDED_BUF)
        code = int(self._read_appended(port, data, ctypes.byref(length), 0))
        if code != SDT_OK:
            return code, b""
        return code, _take(data, length.value)


def _take(buffer: _Buffer, length: int) -> bytes:
    """The first ``length`` bytes of a ctypes buffer, never more than the buffer holds."""
    return bytes(buffer[: max(0, min(length, len(buffer)))])


def appended_address(data: bytes) -> bytes | None:
    """EF 0103 equivalent from SDT_ReadNewAppMsg data.

    SDKs return one 70-byte entry per appended address (some up to four); the last
    non-blank entry is the current one. All-zero data (what some SDKs answer for a card
    without one) means "no appended address". A trailing partial entry is passed on as is,
    so the parser refuses it as ``data_truncated``.
    """
    entries = [data[i : i + EF0103_SIZE] for i in range(0, len(data), EF0103_SIZE)]
    entries = [entry for entry in entries if entry.strip(b"\x00")]
    return entries[-1] if entries else None

