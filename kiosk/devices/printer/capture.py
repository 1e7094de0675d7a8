"""A capture printer: a loopback TCP server that behaves like a network ESC/POS printer.

For tests and development. It keeps every job's bytes, answers the real-time status
queries from a settable state, can drop a connection part-way through a job, and turns
jobs back into text (:func:`kiosk.receipts.decode.decode_escpos`) and PNG images.

* A **job** is what arrives on one connection between connect and close, minus the
  real-time status queries (``DLE EOT n``), which are answered and not kept. A connection
  that carried only queries (the kiosk's status check) leaves no job. The stream is cut
  into commands with :func:`kiosk.receipts.decode.command_length`, so bytes inside image
  data or command parameters are never taken for a query.
* A job is **complete** when its last command is a paper cut (``GS V``): the receipt came
  out whole. A job cut short by a dropped connection is kept with ``complete=False``.
* **State** (:class:`~kiosk.devices.base.PrinterState` or its value): ``ok``, ``paper_low``,
  ``paper_out``, ``cover_open``, ``offline``. Answers follow the Epson ESC/POS reference
  (fixed bits 0x12 in every status byte):

  =============  ==========  ==========  ==========
  state          DLE EOT 1   DLE EOT 2   DLE EOT 4
  =============  ==========  ==========  ==========
  ok             0x12        0x12        0x12
  paper_low      0x12        0x12        0x1E (near end)
  paper_out      0x1A (off)  0x32 (end)  0x7E (near end + end)
  cover_open     0x1A (off)  0x16 (cover) 0x12
  =============  ==========  ==========  ==========

  ``offline`` never answers. With ``offline_mode="silent"`` (default) the connection is
  accepted and everything sent is swallowed; with ``"refuse"`` it is closed at once. A job
  sent to a printer in ``paper_out``, ``cover_open`` or ``offline`` is not printed (not
  kept), as a real printer would not print it either.
* **Faults**: :meth:`drop_next_job_after` closes the next job's connection after N job
  bytes (queries do not count); the bytes received so far are kept as an incomplete job.
  ``status_delay`` delays every answer.

``python -m kiosk.devices.printer.capture --port 9100 --out DIR`` runs it in the
foreground and writes ``NNN.bin``, ``NNN.txt`` and ``NNN.png`` per job.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import signal
import socket
import socketserver
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.devices.base import PrinterState
from kiosk.receipts.decode import command_length, decode_escpos, is_cut, split_commands

if TYPE_CHECKING:  # pragma: no cover
    from PIL import Image

DLE, EOT = 0x10, 0x04

#: The status bytes answered to DLE EOT 1, 2 and 4 per state (see the module notes).
STATUS_BYTES: dict[PrinterState, dict[int, int]] = {
    PrinterState.OK: {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12},
    PrinterState.PAPER_LOW: {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E},
    PrinterState.PAPER_OUT: {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x7E},
    PrinterState.COVER_OPEN: {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12},
}


@dataclass(frozen=True)
class CapturedJob:
    number: int  # 1, 2, ... in the order the connections closed
    data: bytes = field(repr=False)
    complete: bool  # ends with a paper cut
    dropped: bool  # the connection was dropped by a fault before the job ended
    queries: tuple[int, ...]  # the n of every DLE EOT n on this connection, in order
    received_at: dt.datetime

    @property
    def raster(self) -> bool:
        """Whether the job prints raster images (GS v 0)."""
        return any(c[:3] == b"\x1dv0" for c in split_commands(self.data))


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        self.server.owner._serve(self.request)


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, address: tuple[str, int], owner: CapturePrinter) -> None:
        self.owner = owner
        super().__init__(address, _Handler)


class CapturePrinter:
    """Loopback ESC/POS printer (see the module notes). Use as a context manager or
    ``start()`` / ``stop()``."""

    def __init__(
        self,
        port: int = 0,
        *,
        host: str = "127.0.0.1",
        width: int = 32,
        state: PrinterState | str = PrinterState.OK,
        offline_mode: str = "silent",
        status_delay: float = 0.0,
        out_dir: Path | str | None = None,
    ) -> None:
        if offline_mode not in ("silent", "refuse"):
            raise ValueError("offline_mode is 'silent' or 'refuse'")
        self.host = host
        self._port = port
        self.width = width
        self.offline_mode = offline_mode
        self.status_delay = status_delay
        self.out_dir = Path(out_dir) if out_dir is not None else None
        self._state = PrinterState(state)
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._jobs: list[CapturedJob] = []
        self._drop_after: int | None = None
        self._open_connections = 0
        self._connections = 0
        self._numbered = 0
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.on_job = None  # optional callable(CapturedJob), called on the server thread

    # --- lifecycle ------------------------------------------------------------------------------

    def start(self) -> CapturePrinter:
        if self._server is not None:
            return self
        self._stopping.clear()
        self._server = _Server((self.host, self._port), self)
        self._port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="capture-printer", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2)

    def __enter__(self) -> CapturePrinter:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return self._port

    @property
    def uri(self) -> str:
        return f"network://{self.host}:{self._port}"

    # --- controls -----------------------------------------------------------------------------

    @property
    def state(self) -> PrinterState:
        with self._lock:
            return self._state

    @state.setter
    def state(self, value: PrinterState | str) -> None:
        with self._lock:
            self._state = PrinterState(value)

    def set_state(self, value: PrinterState | str) -> None:
        self.state = value

    def drop_next_job_after(self, n_bytes: int | None) -> None:
        """Close the next job's connection once it has delivered ``n_bytes`` job bytes
        (status queries do not count). One-shot; ``None`` cancels."""
        with self._lock:
            self._drop_after = n_bytes

    def clear(self) -> None:
        with self._lock:
            self._jobs.clear()

    # --- results ------------------------------------------------------------------------------

    def jobs(self) -> list[CapturedJob]:
        with self._lock:
            return list(self._jobs)

    def complete_jobs(self) -> list[CapturedJob]:
        return [j for j in self.jobs() if j.complete]

    def texts(self, complete_only: bool = False) -> list[str]:
        jobs = self.complete_jobs() if complete_only else self.jobs()
        return [decode_escpos(j.data, self.width) for j in jobs]

    def text(self, job: CapturedJob) -> str:
        return decode_escpos(job.data, self.width)

    def png(self, job: CapturedJob) -> Image.Image:
        """The job as an image: raster jobs as printed (their GS v 0 images), text jobs as
        their decoded text drawn with the CJK font."""
        return job_image(job.data, self.width)

    def connections(self) -> int:
        """Connections fully handled so far."""
        with self._lock:
            return self._connections

    def wait_idle(self, timeout: float = 2.0) -> bool:
        """Wait until no connection is open (every job so far is recorded)."""
        end = time.monotonic() + timeout
        with self._changed:
            while self._open_connections:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def wait_jobs(self, count: int, timeout: float = 2.0) -> list[CapturedJob]:
        """Wait until at least ``count`` jobs are recorded; returns all jobs."""
        end = time.monotonic() + timeout
        with self._changed:
            while len(self._jobs) < count:
                left = end - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
            return list(self._jobs)

    # --- the connection -------------------------------------------------------------------------

    def _serve(self, sock: socket.socket) -> None:
        with self._changed:
            self._open_connections += 1
        try:
            self._conversation(sock)
        finally:
            with self._changed:
                self._open_connections -= 1
                self._connections += 1
                self._changed.notify_all()

    def _conversation(self, sock: socket.socket) -> None:
        with self._lock:
            state = self._state
        if state == PrinterState.OFFLINE and self.offline_mode == "refuse":
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            return
        sock.settimeout(0.1)
        buf = bytearray()
        job = bytearray()
        queries: list[int] = []
        drop_at: int | None = None
        dropped = False
        printable_state = True  # whether the job is printed (kept) at all
        while not self._stopping.is_set():
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
            while buf:
                length = command_length(buf, 0)
                if length is None:
                    break  # wait for the rest of the command
                command = bytes(buf[:length])
                del buf[:length]
                if length == 3 and command[0] == DLE and command[1] == EOT:
                    queries.append(command[2])
                    self._answer(sock, command[2])
                    continue
                with self._lock:
                    state = self._state
                    if not job and drop_at is None and self._drop_after is not None:
                        drop_at, self._drop_after = self._drop_after, None  # one-shot
                if not job:
                    printable_state = state.can_print
                if drop_at is not None and len(job) + len(command) >= drop_at:
                    job += command[: drop_at - len(job)]
                    dropped = True
                    break
                job += command
            if dropped:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                break
        if job and printable_state:
            self._record(bytes(job), dropped, tuple(queries))

    def _answer(self, sock: socket.socket, n: int) -> None:
        with self._lock:
            state = self._state
        if state == PrinterState.OFFLINE:
            return  # an offline printer does not answer
        answer = STATUS_BYTES[state].get(n)
        if answer is None:
            return
        if self.status_delay > 0:
            time.sleep(self.status_delay)
        with contextlib.suppress(OSError):
            sock.sendall(bytes([answer]))

    def _record(self, data: bytes, dropped: bool, queries: tuple[int, ...]) -> None:
        commands = split_commands(data)
        complete = bool(commands) and is_cut(commands[-1])
        with self._lock:
            self._numbered += 1
            number = self._numbered
        job = CapturedJob(
            number=number,
            data=data,
            complete=complete,
            dropped=dropped,
            queries=queries,
            received_at=dt.datetime.now().astimezone(),
        )
        if self.out_dir is not None:  # files first: a job is visible once they exist
            try:
                self._save(job)
            except Exception as e:  # a development aid: never kill the connection thread
                print(f"capture printer: could not save job {number}: {e}", file=sys.stderr)
        with self._changed:
            self._jobs.append(job)
            self._changed.notify_all()
        if self.on_job is not None:
            self.on_job(job)

    def _save(self, job: CapturedJob) -> None:
        assert self.out_dir is not None
        self.out_dir.mkdir(parents=True, exist_ok=True)
        stem = self.out_dir / f"{job.number:03d}"
        stem.with_suffix(".bin").write_bytes(job.data)
        stem.with_suffix(".txt").write_text(self.text(job), encoding="utf-8")
        self.png(job).save(stem.with_suffix(".png"))


# --- job -> image ----------------------------------------------------------------------------------


def raster_images(data: bytes) -> list[Image.Image]:
    """The ``GS v 0`` raster images of a job, as 1-bit images (black = printed)."""
    from PIL import Image

    out: list[Image.Image] = []
    for command in split_commands(data):
        if command[:3] != b"\x1dv0" or len(command) < 8:
            continue
        x_bytes = command[4] | command[5] << 8
        rows = command[6] | command[7] << 8
        bits = command[8 : 8 + x_bytes * rows]
        if not x_bytes or not rows or len(bits) < x_bytes * rows:
            continue
        # ESC/POS: bit 1 = black; PIL "1" from raw bytes: bit 1 = white. Invert.
        inverted = bytes(b ^ 0xFF for b in bits)
        out.append(Image.frombytes("1", (x_bytes * 8, rows), inverted))
    return out


def job_image(data: bytes, width: int = 32) -> Image.Image:
    """An image of what the job prints (see :meth:`CapturePrinter.png`)."""
    from PIL import Image

    images = raster_images(data)
    if images:
        full_width = max(im.width for im in images)
        out = Image.new("L", (full_width, sum(im.height for im in images)), 255)
        y = 0
        for im in images:
            out.paste(im.convert("L"), (0, y))
            y += im.height
        return out
    return text_image(decode_escpos(data, width), width)


def text_image(text: str, width: int = 32) -> Image.Image:
    """Decoded receipt text drawn with the CJK font: 12 dots per column, ``**enlarged**``
    lines bold and twice as high, QR and barcode markers drawn as codes, cuts as dashes."""
    from PIL import Image, ImageDraw

    from kiosk.fonts import pil_font
    from kiosk.receipts.escpos_render import qr_module_size
    from kiosk.receipts.raster import barcode_image, qr_image
    from kiosk.receipts.text import DOTS_PER_COLUMN

    dots = width * DOTS_PER_COLUMN
    regular = pil_font(24)
    pieces: list[tuple[Image.Image, int]] = []  # (row image, x offset)
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        pad = (len(line) - len(stripped)) * DOTS_PER_COLUMN
        if stripped.startswith("[QR ") and stripped.endswith("]"):
            module = qr_module_size(width)
            code = qr_image(stripped[4:-1], module)
            row = Image.new("L", (code.width + 4 * module, code.height + 4 * module), 255)
            row.paste(code, (2 * module, 2 * module))
            pieces.append((row, -1))
        elif stripped.startswith("[BARCODE ") and stripped.endswith("]"):
            pieces.append((barcode_image(stripped[9:-1]), -1))
        elif stripped == "[CUT]":
            row = Image.new("L", (dots, 16), 255)
            draw = ImageDraw.Draw(row)
            for x in range(0, dots, 16):
                draw.rectangle((x, 7, x + 7, 8), fill=0)
            pieces.append((row, 0))
        else:
            enlarged = stripped.startswith("**") and stripped.endswith("**") and len(stripped) > 4
            body = stripped[2:-2] if enlarged else stripped
            row = _line_image(body, regular, enlarged, width, dots - pad)
            full = Image.new("L", (dots, row.height), 255)
            full.paste(row, (pad, 0))
            pieces.append((full, 0))
    height = sum(im.height for im, _ in pieces) + 16
    out = Image.new("L", (dots, max(height, 16)), 255)
    y = 8
    for im, x in pieces:
        out.paste(im, ((dots - im.width) // 2 if x < 0 else x, y))
        y += im.height
    return out


def _line_image(body: str, font, enlarged: bool, width: int, room: int) -> Image.Image:
    """One text line as the printer prints it: 24-dot characters; enlarged lines twice as
    high, and twice as wide when that fits the paper (the layout's rule); squeezed into
    ``room`` dots if the proportional font runs wider than the printer's fixed cells."""
    from PIL import Image, ImageDraw

    from kiosk.receipts.text import text_width

    length = max(1, round(font.getlength(body)))
    line = Image.new("L", (length, 32), 255)
    ImageDraw.Draw(line).text((0, 26), body, font=font, fill=0, anchor="ls")
    if enlarged:
        sx = 2 if text_width(body) * 2 <= width else 1
        line = line.resize((line.width * sx, 64), Image.Resampling.BICUBIC)
    if line.width > room:
        line = line.resize((max(1, room), line.height), Image.Resampling.BICUBIC)
    return line


# --- command line ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m kiosk.devices.printer.capture",
        description="Run a loopback ESC/POS capture printer in the foreground.",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=9100)
    p.add_argument("--out", type=Path, help="write NNN.bin / NNN.txt / NNN.png per job here")
    p.add_argument("--width", type=int, choices=(32, 48), default=32, help="paper columns (32 = 58 mm, 48 = 80 mm)")
    p.add_argument("--state", choices=[s.value for s in PrinterState], default="ok")
    args = p.parse_args(argv)

    def report(job: CapturedJob) -> None:
        kind = "raster" if job.raster else "text"
        how = "complete" if job.complete else "INCOMPLETE (dropped)" if job.dropped else "incomplete (no cut)"
        saved = f", saved {job.number:03d}.bin/.txt/.png" if args.out else ""
        print(f"job {job.number}: {len(job.data)} bytes, {kind}, {how}{saved}", flush=True)

    printer = CapturePrinter(args.port, host=args.host, width=args.width, state=args.state, out_dir=args.out)
    printer.on_job = report
    try:
        printer.start()
    except OSError as e:
        print(f"capture printer: cannot listen on {args.host}:{args.port}: {e}", file=sys.stderr)
        return 1
    print(f"capture printer listening on {printer.uri} (state {args.state}); Ctrl-C to stop", flush=True)

    def terminate(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)  # `kill PID` stops it as cleanly as Ctrl-C
    try:
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        printer.stop()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


__all__ = ["CapturePrinter", "CapturedJob", "STATUS_BYTES", "job_image", "raster_images", "text_image"]
