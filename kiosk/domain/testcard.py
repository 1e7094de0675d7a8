"""Test cards (card profile §11): test-card JSON -> the exact bytes a card of this profile holds.

- :func:`encode_ef0101`, :func:`encode_ef0103`: field values -> EF 0101 / EF 0103 bytes,
- :func:`load_test_card`: a §11 JSON description (file or parsed) -> :class:`TestCard`,
  with photo, patches and length cut; anything wrong is a :class:`CardFileError`.

The simulated readers, the tour and the tests build their cards here; the bytes then go
through :func:`kiosk.domain.idcard.parse_identity` like a real card's.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime
import json
import os
import pathlib
from collections.abc import Mapping
from typing import Any, ClassVar, Final

from .idcard import (
    _APPENDED_WIDTH,
    _JPEG_MAGIC,
    EF0101_LAYOUT,
    EF0101_SIZE,
    FID_APPENDED_ADDRESS,
    FID_IDENTITY,
    FID_PHOTO,
    IdentityRecord,
    parse_identity,
)

__all__ = [
    "CardFileError",
    "TestCard",
    "encode_ef0101",
    "encode_ef0103",
    "load_test_card",
]

_PAD: Final = " ".encode("utf-16-le")
_FIELD_NAMES: Final = frozenset(name for name, _, _ in EF0101_LAYOUT)


class CardFileError(ValueError):
    """A test-card JSON description that cannot be turned into card bytes."""


def _encode_text(value: str, width: int) -> bytes:
    """UCS-2LE, cut to ``width`` code units, padded with U+0020 (§11).

    Characters outside the BMP become UTF-16 surrogate pairs (which the parser refuses as
    ``bad_encoding``, as it would refuse such bytes from a real card).
    """
    data = value.encode("utf-16-le", "surrogatepass")[: 2 * width]
    return data + _PAD * (width - len(data) // 2)


def encode_ef0101(fields: Mapping[str, str]) -> bytes:
    """Encode the ten EF 0101 fields (§6 names) into the 256 bytes a card holds.

    Each value is stored exactly as given (dates ``YYYYMMDD``, valid until ``YYYYMMDD`` or
    ``长期``), UCS-2LE, space-padded and cut to its width. A missing field is stored as
    spaces; an unknown key or a non-string value is a :class:`CardFileError`.
    """
    unknown = set(fields) - _FIELD_NAMES
    if unknown:
        raise CardFileError(f"unknown EF 0101 field(s): {', '.join(sorted(unknown))}")
    parts = []
    for name, _, width in EF0101_LAYOUT:
        value = fields.get(name, "")
        if not isinstance(value, str):
            raise CardFileError(f"EF 0101 field {name!r} must be a string, got {type(value).__name__}")
        parts.append(_encode_text(value, width))
    return b"".join(parts)


def encode_ef0103(appended_address: str) -> bytes:
    """The 70 bytes of EF 0103 for an appended address (UCS-2LE, space padded, cut)."""
    return _encode_text(appended_address, _APPENDED_WIDTH)


@dataclasses.dataclass(frozen=True, repr=False)
class TestCard:
    """The file contents of a (simulated) card of this profile."""

    __test__: ClassVar[bool] = False  # not a pytest test class

    ef0101: bytes  # after encoding, patches and length cut (§11)
    ef0102: bytes | None = None  # None = absent
    ef0103: bytes | None = None  # None = absent; else 70 bytes

    def files(self) -> dict[int, bytes]:
        """FID -> content, only for the files present on the card."""
        files = {FID_IDENTITY: self.ef0101}
        if self.ef0102 is not None:
            files[FID_PHOTO] = self.ef0102
        if self.ef0103 is not None:
            files[FID_APPENDED_ADDRESS] = self.ef0103
        return files

    def parse(self, today: datetime.date) -> IdentityRecord:
        """Shortcut for :func:`parse_identity` on this card's files."""
        return parse_identity(self.ef0101, self.ef0102, self.ef0103, today)

    def __repr__(self) -> str:
        def size(data: bytes | None) -> str:
            return "absent" if data is None else f"{len(data)} bytes"

        return f"TestCard(ef0101={size(self.ef0101)}, ef0102={size(self.ef0102)}, ef0103={size(self.ef0103)})"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _load_photo(photo: Any, base_dir: pathlib.Path | None) -> bytes | None:
    if photo is None:
        return None
    if not isinstance(photo, Mapping):
        raise CardFileError("'photo' must be an object or null")
    kind = photo.get("kind")
    if kind == "none":
        return None
    if kind not in ("jpeg", "wlt"):
        raise CardFileError(f"photo kind must be 'jpeg', 'wlt' or 'none', got {kind!r}")
    has_file, has_data = "file" in photo, "data_base64" in photo
    if has_file == has_data:
        raise CardFileError("photo needs exactly one of 'file' and 'data_base64'")
    if has_file:
        if not isinstance(photo["file"], str):
            raise CardFileError("photo 'file' must be a string")
        path = pathlib.Path(photo["file"])
        if base_dir is not None and not path.is_absolute():
            path = base_dir / path
        data = _read_file(path, "photo file")
    else:
        if not isinstance(photo["data_base64"], str):
            raise CardFileError("photo 'data_base64' must be a string")
        try:
            data = base64.b64decode(photo["data_base64"], validate=True)
        except binascii.Error as exc:
            raise CardFileError(f"photo 'data_base64' is not valid base64: {exc}") from exc
    # The card does not carry the kind: the parser derives it from the bytes (§9.3).
    # Catch descriptions that say one thing and hold another. (Empty = "6B00 at offset 0".)
    if data and data.startswith(_JPEG_MAGIC) != (kind == "jpeg"):
        raise CardFileError(f"photo kind {kind!r} does not match the data (JPEG starts with FF D8)")
    return data


def _apply_patches(ef0101: bytes, patches: Any) -> bytes:
    if not isinstance(patches, list):
        raise CardFileError("'ef0101_patches' must be a list")
    buffer = bytearray(ef0101)
    for patch in patches:
        if (
            not isinstance(patch, Mapping)
            or not _is_int(patch.get("offset"))
            or not isinstance(patch.get("hex"), str)
        ):
            raise CardFileError("each EF 0101 patch needs an integer 'offset' and a 'hex' string")
        try:
            data = bytes.fromhex(patch["hex"])
        except ValueError as exc:
            raise CardFileError(f"bad hex in EF 0101 patch: {exc}") from exc
        offset = patch["offset"]
        if offset < 0 or offset + len(data) > len(buffer):
            raise CardFileError(f"EF 0101 patch at {offset} ({len(data)} bytes) is outside the 256 bytes")
        buffer[offset : offset + len(data)] = data
    return bytes(buffer)


_MAX_FILE_BYTES: Final = 1024 * 1024  # far above any card file or photo; stops /dev/zero


def _read_file(path: pathlib.Path, what: str) -> bytes:
    """The bytes of ``path``; a :class:`CardFileError` naming it and the problem otherwise."""
    try:
        with open(path, "rb") as f:
            data = f.read(_MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise CardFileError(f"{what} {path} not found") from None
    except IsADirectoryError:
        raise CardFileError(f"{what} {path} is a directory; it must be a file") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise CardFileError(f"{what} {str(path)!r} cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    if len(data) > _MAX_FILE_BYTES:
        raise CardFileError(f"{what} {path} is larger than {_MAX_FILE_BYTES // 1024} KiB")
    return data


def load_test_card(
    path_or_dict: pathlib.Path | str | os.PathLike[str] | Mapping[str, Any],
    base_dir: pathlib.Path | None = None,
) -> TestCard:
    """Build a card from its §11 JSON description.

    Accepts a path to a JSON file or the parsed JSON; either the card object itself or a
    wrapper ``{"card": {...}, ...}`` whose other keys are ignored. A relative photo
    ``file`` is resolved against ``base_dir`` if given, else the JSON file's directory
    (for a dict without ``base_dir``: the current directory). Patches are applied after
    encoding, then ``ef0101_length`` cuts EF 0101.
    Raises :class:`CardFileError` for anything wrong with the description or the files it
    names (missing, a directory, unreadable, not UTF-8, not JSON); loaded from a file, the
    message starts with the file's path.
    """
    if isinstance(path_or_dict, Mapping):
        return _card_from_description(path_or_dict, base_dir)
    path = pathlib.Path(path_or_dict)
    raw = _read_file(path, "card file")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise CardFileError(f"card file {path} is not UTF-8 text (byte {exc.start}); it must be card-profile §11 JSON") from None
    except (json.JSONDecodeError, RecursionError) as exc:
        raise CardFileError(f"card file {path} is not valid JSON: {exc}") from None
    try:
        return _card_from_description(data, path.parent if base_dir is None else base_dir)
    except CardFileError as exc:
        raise CardFileError(f"card file {path}: {exc}") from None


def _card_from_description(data: Any, base_dir: pathlib.Path | None) -> TestCard:
    if not isinstance(data, Mapping):
        raise CardFileError(f"a test card must be a JSON object, got {_json_type(data)}")
    card = data["card"] if isinstance(data.get("card"), Mapping) else data
    fields = card.get("ef0101")
    if not isinstance(fields, Mapping):
        raise CardFileError("a test card needs an 'ef0101' object")

    ef0101 = encode_ef0101(fields)
    if card.get("ef0101_patches") is not None:
        ef0101 = _apply_patches(ef0101, card["ef0101_patches"])
    length = card.get("ef0101_length")
    if length is not None:
        if not _is_int(length) or not 0 <= length <= EF0101_SIZE:
            raise CardFileError(f"'ef0101_length' must be an integer from 0 to {EF0101_SIZE}")
        ef0101 = ef0101[:length]

    appended = card.get("ef0103")
    if appended is not None and not isinstance(appended, str):
        raise CardFileError("'ef0103' must be a string or null")

    return TestCard(
        ef0101=ef0101,
        ef0102=_load_photo(card.get("photo"), base_dir),
        ef0103=None if appended is None else encode_ef0103(appended),
    )


def _json_type(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}
    return "null" if value is None else names.get(type(value), type(value).__name__)
