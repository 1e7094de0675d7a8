"""The card-profile §4/§5 read procedure over an abstract APDU transport.

:func:`read_card_files` runs steps 3-6 of the read procedure (SELECT the application,
then SELECT and READ BINARY EF 0101, EF 0102 and EF 0103) over any ``transmit`` function
and applies every status-word rule of §4.3/§4.4. It returns the raw file contents;
:func:`kiosk.domain.idcard.parse_identity` does the decoding and validation (§6-§9).

The transport is deliberately tiny so that the same procedure runs over PC/SC
(:mod:`kiosk.devices.card.pcsc`), an in-process fake card in tests, or a future vendor
SDK bridge. A transport reports a failed exchange by raising; such exceptions pass
through unchanged, and the caller applies the §5 "transmission failure" rule.

Nothing here logs card data; refusals carry only their reason code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Final

from kiosk.domain.idcard import (
    EF0101_SIZE,
    EF0102_MAX_SIZE,
    EF0103_SIZE,
    FID_APPENDED_ADDRESS,
    FID_IDENTITY,
    FID_PHOTO,
    CardRefusal,
)

__all__ = [
    "AID",
    "MAX_LE",
    "CardFiles",
    "Transmit",
    "read_binary_apdu",
    "read_card_files",
    "select_aid_apdu",
    "select_ef_apdu",
]

#: ``transmit(command APDU) -> (response data, SW1, SW2)``; raises on a failed exchange.
Transmit = Callable[[list[int]], tuple[list[int], int, int]]

#: §3: F0 (proprietary) + ASCII "KIOSK1".
AID: Final = (0xF0, 0x4B, 0x49, 0x4F, 0x53, 0x4B, 0x31)
#: §2/§4.3: largest Le a reader may send (short APDUs only, Le = 00 is never sent).
MAX_LE: Final = 0xE0

_SW_OK: Final = 0x9000
_SW_END_OF_FILE: Final = 0x6282
_SW_OFFSET_BEYOND_END: Final = 0x6B00
_SW_NOT_FOUND: Final = 0x6A82
_SW_CLA_NOT_SUPPORTED: Final = 0x6E00
_SW_INS_NOT_SUPPORTED: Final = 0x6D00


@dataclasses.dataclass(frozen=True, repr=False)
class CardFiles:
    """The files of one card as read (§5 steps 4-6), before any decoding."""

    ef0101: bytes  # always exactly 256 bytes (shorter is refused as data_truncated)
    photo: bytes | None  # EF 0102; None if absent (6A82) or empty (6B00 at offset 0)
    ef0103: bytes | None  # None if absent (6A82); else exactly 70 bytes
    apdu_count: int = dataclasses.field(default=0, compare=False)

    def __repr__(self) -> str:  # sizes only: never card data in logs
        photo = "absent" if self.photo is None else f"{len(self.photo)} bytes"
        ef0103 = "absent" if self.ef0103 is None else f"{len(self.ef0103)} bytes"
        return f"CardFiles(ef0101={len(self.ef0101)} bytes, photo={photo}, ef0103={ef0103}, apdus={self.apdu_count})"


def select_aid_apdu() -> list[int]:
    """§4.1: ``00 A4 04 0C 07 F0 4B 49 4F 53 4B 31`` (no Le)."""
    return [0x00, 0xA4, 0x04, 0x0C, len(AID), *AID]


def select_ef_apdu(fid: int) -> list[int]:
    """§4.2: ``00 A4 02 0C 02 <FID hi> <FID lo>`` (no Le)."""
    return [0x00, 0xA4, 0x02, 0x0C, 0x02, (fid >> 8) & 0xFF, fid & 0xFF]


def read_binary_apdu(offset: int, le: int) -> list[int]:
    """§4.3: ``00 B0 <offset hi> <offset lo> <Le>`` with 0 ≤ offset ≤ 32 767, 1 ≤ Le ≤ 224."""
    if not 0 <= offset < EF0102_MAX_SIZE:
        raise ValueError(f"READ BINARY offset out of range: {offset}")
    if not 1 <= le <= MAX_LE:
        raise ValueError(f"READ BINARY Le out of range: {le}")
    return [0x00, 0xB0, offset >> 8, offset & 0xFF, le]


class _Card:
    """One run of the procedure: the transport plus an APDU counter."""

    def __init__(self, transmit: Transmit) -> None:
        self._transmit = transmit
        self.count = 0

    def send(self, apdu: list[int]) -> tuple[bytes, int]:
        data, sw1, sw2 = self._transmit(apdu)
        self.count += 1
        return bytes(data), ((sw1 & 0xFF) << 8) | (sw2 & 0xFF)

    def select_application(self) -> None:
        """§4.1 with the §4.4 SELECT AID column."""
        _, sw = self.send(select_aid_apdu())
        if sw == _SW_OK:
            return
        if sw in (_SW_NOT_FOUND, _SW_CLA_NOT_SUPPORTED, _SW_INS_NOT_SUPPORTED):
            raise CardRefusal("not_identity_card")
        raise CardRefusal("card_error")

    def select_file(self, fid: int) -> bool:
        """§4.2: True if the EF is now current, False for 6A82; anything else is card_error."""
        _, sw = self.send(select_ef_apdu(fid))
        if sw == _SW_OK:
            return True
        if sw == _SW_NOT_FOUND:
            return False
        raise CardRefusal("card_error")

    def read_file(self, limit: int) -> bytes:
        """READ BINARY the current EF from offset 0 until end of file or ``limit`` bytes.

        Le = min(224, limit − offset), so no command ever asks for a byte at or past
        ``limit`` (256 for EF 0101, 32 768 for EF 0102, 70 for EF 0103) and no offset
        reaches 32 768. End of file (§4.3/§4.4): fewer than Le bytes with 9000 or 6282,
        6282, or 6B00.
        """
        content = bytearray()
        while len(content) < limit:
            offset = len(content)
            allowed = min(MAX_LE, limit - offset)
            le = allowed
            data, sw = self.send(read_binary_apdu(offset, le))
            if (sw >> 8) == 0x6C:
                # Wrong Le: resend the same command once with Le = xx (§4.4). xx = 00, or
                # more than this read may ask for (Le > 224 or past the file's limit), is a
                # card that does not follow the profile: card_error.
                xx = sw & 0xFF
                if xx == 0 or xx > allowed:
                    raise CardRefusal("card_error")
                le = xx
                data, sw = self.send(read_binary_apdu(offset, le))
                if (sw >> 8) == 0x6C:
                    raise CardRefusal("card_error")  # a second 6Cxx
            if sw == _SW_OFFSET_BEYOND_END:
                break  # end of file at this offset (no data)
            if sw not in (_SW_OK, _SW_END_OF_FILE):
                raise CardRefusal("card_error")  # 6700, 6E00, 6D00, 6F00, 6A82, 6986, ...
            if len(data) > le:
                raise CardRefusal("card_error")  # more than asked for: not this profile
            content += data
            if sw == _SW_END_OF_FILE or len(data) < le:
                break  # end of file (6282, or a short read with 9000 from a bridge)
        return bytes(content)


def read_card_files(transmit: Transmit) -> CardFiles:
    """Run §5 steps 3-6 over ``transmit`` and return the files as read.

    Raises :class:`CardRefusal` with ``not_identity_card``, ``card_error`` or
    ``data_truncated``, stopping at the first refusal (§5). Exceptions raised by
    ``transmit`` propagate unchanged (the caller maps them to ``card_removed`` /
    ``card_error`` per §5). Connecting, the PC/SC transaction and disconnecting are the
    caller's (steps 1, 2 and 7).
    """
    card = _Card(transmit)
    # Step 3
    card.select_application()
    # Step 4: EF 0101 is mandatory; exactly 256 bytes, never read past them.
    if not card.select_file(FID_IDENTITY):
        raise CardRefusal("card_error")
    ef0101 = card.read_file(EF0101_SIZE)
    if len(ef0101) < EF0101_SIZE:
        raise CardRefusal("data_truncated")
    # Step 5: EF 0102, up to 32 768 bytes; absent or empty means no photo (§9.3).
    photo: bytes | None = None
    if card.select_file(FID_PHOTO):
        photo = card.read_file(EF0102_MAX_SIZE) or None
    # Step 6: EF 0103 is optional; if present, exactly 70 bytes.
    ef0103: bytes | None = None
    if card.select_file(FID_APPENDED_ADDRESS):
        ef0103 = card.read_file(EF0103_SIZE)
        if len(ef0103) < EF0103_SIZE:
            raise CardRefusal("data_truncated")
    return CardFiles(ef0101=ef0101, photo=photo, ef0103=ef0103, apdu_count=card.count)
