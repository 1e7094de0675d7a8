"""A stdlib-only virtual identity card (card-profile §3-§4) for tests and benchmarks.

Two layers:

- :class:`CardApplet`: the card side of the profile as a pure function of APDUs (SELECT
  application / EF, READ BINARY with the exact §4.3 answer table, 6A82 for absent files,
  6700 for extended length), plus fault injection. Tests use it in process through
  :meth:`CardApplet.transmit`, which has the same shape as the reader's ``transmit``.
- :class:`VirtualCard`: a TCP client of vsmartcard's vpcd driver inside pcscd, serving a
  :class:`CardApplet`. Connecting to vpcd inserts the card into the reader, closing the
  connection removes it. Reader ``Virtual PCD 00 00`` listens on 127.0.0.1:35963,
  ``Virtual PCD 00 01`` on 35964.

vpcd wire format: every message has a 2-byte big-endian length prefix. A 1-byte message is
a control code (0 power off, 1 power on, 2 reset, 4 "send the ATR", answered with the ATR);
any other message is a command APDU, answered with the response APDU.
"""

from __future__ import annotations

import dataclasses
import socket
import struct
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from kiosk.domain.testcard import TestCard, load_test_card

__all__ = [
    "AID",
    "DEFAULT_ATR",
    "VPCD_HOST",
    "VPCD_PORTS",
    "CardApplet",
    "CardRemovedError",
    "Faults",
    "VirtualCard",
    "reader_port",
]

AID = bytes.fromhex("F04B494F534B31")
DEFAULT_ATR = bytes.fromhex("3B8880014B494F534B49443160")
VPCD_HOST = "127.0.0.1"
#: vpcd reader name -> TCP port (Debian's /etc/reader.conf.d/vpcd: CHANNELID 0x8C7B = 35963).
VPCD_PORTS: Mapping[str, int] = {"Virtual PCD 00 00": 35963, "Virtual PCD 00 01": 35964}

_MAX_LE = 224
_MAX_OFFSET = 32768

SW_OK = 0x9000
SW_EOF = 0x6282
SW_WRONG_LENGTH = 0x6700
SW_NO_CURRENT_EF = 0x6986
SW_BAD_P1P2 = 0x6A86
SW_NOT_FOUND = 0x6A82
SW_OFFSET = 0x6B00
SW_INS = 0x6D00
SW_CLA = 0x6E00


def reader_port(reader: str) -> int:
    """TCP port of a vpcd reader, by name (exact, or the ``00 00`` / ``00 01`` suffix)."""
    for name, port in VPCD_PORTS.items():
        if reader == name or name.endswith(reader):
            return port
    raise KeyError(reader)


class CardRemovedError(ConnectionError):
    """In-process stand-in for a transmission failure: the card was taken away."""


@dataclasses.dataclass
class Faults:
    """Ways for the card to misbehave. The default is a card that follows the profile.

    - ``delay_s``: sleep before answering each APDU (a slow card or SAM reader).
    - ``remove_after``: after answering this many APDUs, the card goes away when the next
      APDU arrives (vpcd: the socket is closed instead of answering; in process:
      :class:`CardRemovedError`).
    - ``status``: command -> status word answered instead (every time, no data). Commands:
      ``"select_aid"``, ``"select:0102"``, ``"read:0101"``, ... (FID in 4 hex digits).
    - ``short_read_sw``: status word ending a short read (§4.3 says ``6282``; some reader
      bridges answer ``9000``).
    - ``sixc``: answer ``6Cxx`` this many times in a row to a READ BINARY at each new
      (file, offset) before serving it (1: a single resend suffices; 2: a second ``6Cxx``).
    - ``sixc_xx``: the ``xx`` of those answers; None means min(224, size − offset), the
      number of bytes available as in §4.3; 0 gives ``6C00``.
    - ``sixc_fid``: restrict the ``6Cxx`` answers to one file (None: every file).
    - ``extra_data``: a READ answered with 9000 returns this many bytes more than Le.
    """

    delay_s: float = 0.0
    remove_after: int | None = None
    status: dict[str, int] = dataclasses.field(default_factory=dict)
    short_read_sw: int = SW_EOF
    sixc: int = 0
    sixc_xx: int | None = None
    sixc_fid: int | None = None
    extra_data: int = 0


@dataclasses.dataclass(frozen=True)
class LoggedApdu:
    command: bytes
    response: bytes

    @property
    def sw(self) -> int:
        return int.from_bytes(self.response[-2:], "big")


class CardApplet:
    """The card side of card-profile §3-§4 over one card's files.

    Records every APDU in :attr:`log` and every request a profile-conforming *reader*
    must never make in :attr:`violations` (offset ≥ 32768, Le = 00 or > E0, Le beyond the
    fixed sizes of EF 0101 / EF 0103, extended length), so tests can assert on both.
    """

    def __init__(self, card: TestCard | Mapping[int, bytes], faults: Faults | None = None) -> None:
        self.files: dict[int, bytes] = dict(card.files() if isinstance(card, TestCard) else card)
        self.faults = faults or Faults()
        self.log: list[LoggedApdu] = []
        self.violations: list[str] = []
        self._app_selected = False
        self._current: int | None = None
        self._sixc_seen: dict[tuple[int, int], int] = {}
        self._answered = 0
        self._lock = threading.Lock()

    # --- state control (power / reset drop the selection, as on a real card) ---
    def reset(self) -> None:
        with self._lock:
            self._app_selected = False
            self._current = None

    @property
    def apdu_count(self) -> int:
        return len(self.log)

    # --- APDU processing ---
    def process(self, command: bytes) -> bytes | None:
        """Answer one command APDU; None means "the card has gone" (remove_after)."""
        faults = self.faults
        with self._lock:
            if faults.remove_after is not None and self._answered >= faults.remove_after:
                return None
            if faults.delay_s > 0:
                time.sleep(faults.delay_s)
            response = self._answer(bytes(command))
            self._answered += 1
            self.log.append(LoggedApdu(bytes(command), response))
            return response

    def transmit(self, apdu: list[int]) -> tuple[list[int], int, int]:
        """In-process transport with the reader's ``transmit`` signature."""
        response = self.process(bytes(apdu))
        if response is None:
            raise CardRemovedError("virtual card removed")
        return list(response[:-2]), response[-2], response[-1]

    @staticmethod
    def _sw(sw: int, data: bytes = b"") -> bytes:
        return data + sw.to_bytes(2, "big")

    def _override(self, key: str) -> bytes | None:
        sw = self.faults.status.get(key)
        return None if sw is None else self._sw(sw)

    def _answer(self, apdu: bytes) -> bytes:
        if len(apdu) < 4:
            return self._sw(SW_WRONG_LENGTH)
        cla, ins, p1, p2 = apdu[0], apdu[1], apdu[2], apdu[3]
        body = apdu[4:]
        # Extended length (Lc or Le coded on 3 bytes, introduced by 00): not supported.
        if len(body) >= 3 and body[0] == 0x00:
            self.violations.append(f"extended length APDU {apdu.hex(' ')}")
            return self._sw(SW_WRONG_LENGTH)
        if cla != 0x00:
            return self._sw(SW_CLA)
        if ins == 0xA4:
            return self._select(p1, p2, body)
        if ins == 0xB0:
            return self._read(p1, p2, body)
        return self._sw(SW_INS)

    def _select(self, p1: int, p2: int, body: bytes) -> bytes:
        if not body:
            return self._sw(SW_WRONG_LENGTH)
        lc = body[0]
        if len(body) not in (1 + lc, 2 + lc):  # no Le, or one Le byte (tolerated, ignored)
            return self._sw(SW_WRONG_LENGTH)
        data = body[1 : 1 + lc]
        if p1 == 0x04 and p2 == 0x0C:
            override = self._override("select_aid")
            if override is not None:
                return override
            if data == AID:
                self._app_selected = True
                self._current = None
                return self._sw(SW_OK)
            self._app_selected = False
            self._current = None
            return self._sw(SW_NOT_FOUND)
        if p1 == 0x02 and p2 == 0x0C:
            if lc != 2:
                return self._sw(SW_WRONG_LENGTH)
            fid = int.from_bytes(data, "big")
            override = self._override(f"select:{fid:04X}")
            if override is not None:
                return override
            if not self._app_selected or fid not in self.files:
                return self._sw(SW_NOT_FOUND)
            self._current = fid
            return self._sw(SW_OK)
        return self._sw(SW_BAD_P1P2)

    def _read(self, p1: int, p2: int, body: bytes) -> bytes:
        if len(body) != 1:  # case 2 short: exactly one Le byte
            return self._sw(SW_WRONG_LENGTH)
        offset = (p1 << 8) | p2
        le = body[0]
        if p1 & 0x80:
            self.violations.append(f"READ BINARY with P1 bit 8 set (offset {offset:#06x})")
            return self._sw(SW_BAD_P1P2)
        if le == 0x00 or le > _MAX_LE:
            self.violations.append(f"READ BINARY with Le={le:#04x}")
        if self._current is None:
            return self._sw(SW_NO_CURRENT_EF)
        fid = self._current
        override = self._override(f"read:{fid:04X}")
        if override is not None:
            return override
        size = len(self.files[fid])
        wanted = 256 if le == 0 else le
        limit = {0x0101: 256, 0x0103: 70}.get(fid)
        if limit is not None and offset + wanted > limit:
            self.violations.append(f"READ BINARY past {limit} bytes of EF {fid:04X} (offset {offset}, Le {wanted})")
        faults = self.faults
        # Fault: 6Cxx before serving (counted per file and offset).
        if faults.sixc and (faults.sixc_fid is None or faults.sixc_fid == fid) and offset < size:
            key = (fid, offset)
            seen = self._sixc_seen.get(key, 0)
            if seen < faults.sixc:
                self._sixc_seen[key] = seen + 1
                xx = min(_MAX_LE, size - offset) if faults.sixc_xx is None else faults.sixc_xx
                return self._sw(0x6C00 | xx)
        # §4.3, first matching row.
        if offset >= size:
            return self._sw(SW_OFFSET)
        if wanted > _MAX_LE:
            return self._sw(0x6C00 | min(_MAX_LE, size - offset))
        content = self.files[fid]
        if offset + wanted <= size:
            extra = faults.extra_data
            return self._sw(SW_OK, content[offset : offset + wanted] + b"\xee" * extra)
        return self._sw(faults.short_read_sw, content[offset:])


def _card(card: TestCard | Path | str | Mapping[str, Any]) -> TestCard:
    if isinstance(card, TestCard):
        return card
    return load_test_card(Path(card) if isinstance(card, str) else card)


class VirtualCard:
    """A virtual card in a vpcd reader, served on its own thread.

    ``insert()`` connects to vpcd (the reader sees a card), ``remove()`` closes the
    connection (the card is gone). A context manager inserts on entry, removes on exit.
    A fresh :class:`CardApplet` is built on every insertion, so the APDU log
    (:attr:`applet`) covers the current or last insertion only.
    """

    def __init__(
        self,
        card: TestCard | Path | str | Mapping[str, Any],
        *,
        reader: str = "Virtual PCD 00 00",
        port: int | None = None,
        faults: Faults | None = None,
        atr: bytes = DEFAULT_ATR,
    ) -> None:
        self.card = _card(card)
        self.reader = reader
        self.port = reader_port(reader) if port is None else port
        self.faults = faults or Faults()
        self.atr = atr
        self.applet = CardApplet(self.card, self.faults)
        self.inserted_at: float | None = None  # time.monotonic() of the last connect
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # --- public ---
    def insert(self, timeout_s: float = 5.0) -> None:
        """Connect to vpcd; retries while vpcd is not listening (pcscd starting)."""
        self.remove()
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                sock = socket.create_connection((VPCD_HOST, self.port), timeout=1.0)
                break
            except OSError as exc:
                if time.monotonic() >= deadline:
                    raise ConnectionError(f"vpcd not listening on {VPCD_HOST}:{self.port}: {exc}") from exc
                time.sleep(0.05)
        sock.settimeout(None)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.applet = CardApplet(self.card, self.faults)
        with self._lock:
            self._sock = sock
            self.inserted_at = time.monotonic()
        self._thread = threading.Thread(target=self._serve, args=(sock,), name=f"vcard:{self.port}", daemon=True)
        self._thread.start()

    def remove(self) -> None:
        """Close the connection (idempotent) and wait for the serving thread."""
        with self._lock:
            sock, self._sock = self._sock, None
        if sock is not None:
            _close(sock)
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5.0)

    @property
    def inserted(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def __enter__(self) -> VirtualCard:
        self.insert()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove()

    # --- serving ---
    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                message = _recv_message(sock)
                if message is None:
                    return  # vpcd closed the connection (pcscd stopped) or remove()
                if len(message) == 1:
                    code = message[0]
                    if code == 4:
                        _send_message(sock, self.atr)
                    elif code in (0, 1, 2):  # power off / on / reset: no answer
                        self.applet.reset()
                    continue
                response = self.applet.process(message)
                if response is None:  # fault: removed mid-read
                    return
                _send_message(sock, response)
        except OSError:
            return
        finally:
            with self._lock:
                if self._sock is sock:
                    self._sock = None
            _close(sock)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < n:
        # Without QUICKACK, delayed ACKs cost ~40 ms per APDU exchange (brief §3).
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        chunk = sock.recv(n - len(chunks))
        if not chunk:
            return None
        chunks += chunk
    return bytes(chunks)


def _recv_message(sock: socket.socket) -> bytes | None:
    header = _recv_exact(sock, 2)
    if header is None:
        return None
    (length,) = struct.unpack(">H", header)
    if length == 0:
        return b""
    return _recv_exact(sock, length)


def _send_message(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(struct.pack(">H", len(payload)) + payload)
