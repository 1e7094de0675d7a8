"""HTTP front end of the simulator (stdlib ``ThreadingHTTPServer``) and the public ``ReviewSimulator``."""

from __future__ import annotations

import datetime as dt
import logging
import pathlib
import selectors
import shutil
import socket
import tempfile
import threading
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from kiosk.simulator import timeutil
from kiosk.simulator.faults import Fault
from kiosk.simulator.http import DOCUMENT_LIMIT, Headers, Request, Response, new_request_id, problem_response
from kiosk.simulator.problems import ApiError
from kiosk.simulator.routes import HttpApi
from kiosk.simulator.seed import DEMO_KIOSK_ID, DEMO_TOKEN, demo_seed
from kiosk.simulator.service import ReviewService
from kiosk.simulator.store import Store
from kiosk.simulator.validation import REQUEST_ID_RE

logger = logging.getLogger("kiosk.simulator")

#: Bodies larger than this are not read at all (answered 413, then the connection is closed).
READ_CAP = DOCUMENT_LIMIT + 6 * 1024 * 1024
#: Idle keep-alive connections are closed after this many seconds.
IDLE_TIMEOUT_S = 30.0


class _BadFraming(Exception):
    """The request body cannot be delimited (bad Content-Length or chunked encoding)."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "hk-review-sim/1.0"
    timeout = IDLE_TIMEOUT_S
    server: _Server

    def __getattr__(self, name: str) -> Any:
        # http.server dispatches to ``do_<METHOD>``; every method goes through the same pipeline,
        # so an unsupported one is answered 405 with ``Allow`` instead of the stdlib's HTML 501.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def setup(self) -> None:
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def version_string(self) -> str:
        return self.server_version

    # ------------------------------------------------------------ request

    def _serve(self) -> None:
        request_id = self.headers.get("X-Request-Id")
        if request_id is None or REQUEST_ID_RE.fullmatch(request_id) is None:
            request_id = new_request_id()
        path = urllib.parse.urlsplit(self.path).path or "/"
        headers = Headers(list(self.headers.items()))
        try:
            body, declared = self._read_body()
        except _BadFraming as exc:
            req = Request(self.command, path, headers, b"", 0, request_id)
            response = problem_response(req, ApiError("malformed_body", str(exc)))
            self._send(response, request_id, close=True)
            return
        except (OSError, ValueError):
            self.close_connection = True
            return
        req = Request(self.command, path, headers, body, declared, request_id)
        response = self.server.api.handle(req)
        if response.drop:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self._send(response, request_id, close=body is None)

    def _read_body(self) -> tuple[bytes | None, int]:
        """The body (``None`` when larger than READ_CAP, then not read) and its declared length."""
        encoding = (self.headers.get("Transfer-Encoding") or "").strip().lower()
        if encoding:
            if encoding != "chunked":
                raise _BadFraming(f"Unsupported Transfer-Encoding {encoding}.")
            return self._read_chunked()
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            return b"", 0
        if not length_text.strip().isdigit():
            raise _BadFraming("Invalid Content-Length.")
        length = int(length_text)
        if length > READ_CAP:
            return None, length
        body = self.rfile.read(length) if length else b""
        if len(body) != length:
            raise ValueError("connection closed before the body was complete")
        return body, length

    def _read_chunked(self) -> tuple[bytes | None, int]:
        parts: list[bytes] = []
        total = 0
        while True:
            line = self.rfile.readline(1024)
            if not line:
                raise ValueError("connection closed inside a chunked body")
            size_text = line.split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise _BadFraming("Invalid chunk size.") from None
            if size == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts), total
            total += size
            if total > READ_CAP:
                return None, total
            chunk = self.rfile.read(size)
            if len(chunk) != size:
                raise ValueError("connection closed inside a chunk")
            parts.append(chunk)
            self.rfile.readline(1024)

    # ------------------------------------------------------------ response

    def _send(self, response: Response, request_id: str, *, close: bool) -> None:
        self.send_response(response.status)
        if response.content_type:
            self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("X-Request-Id", request_id)
        self.send_header("Cache-Control", "no-store")
        for name, value in response.headers.items():
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        # Headers and body in one write: no Nagle / delayed-ACK stall between them.
        # (An HTTP/0.9 request line gets no status line or headers: the buffer is then absent.)
        buffer: list[bytes] = getattr(self, "_headers_buffer", [])
        if buffer:
            buffer.append(b"\r\n")
        if self.command != "HEAD":
            buffer.append(response.body)
        self.wfile.write(b"".join(buffer))
        buffer.clear()
        self.wfile.flush()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol-level errors of http.server (bad request line, oversized headers) as problems."""
        codes = {414: "uri_too_long", 431: "header_fields_too_large", 505: "http_version_not_supported"}
        request_id = new_request_id()
        path = urllib.parse.urlsplit(getattr(self, "path", "") or "/").path or "/"
        req = Request(getattr(self, "command", None) or "GET", path, Headers([]), b"", 0, request_id)
        error = ApiError(codes.get(code, "bad_request"), message or "Malformed HTTP request.", status=code)
        self._send(problem_response(req, error), request_id, close=True)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # Method, path without the query string and status only: bodies are never logged, and a
        # misbehaving client's query string could carry personal data (section 3).
        path = urllib.parse.urlsplit(getattr(self, "path", "") or "").path
        logger.debug("%s %s -> %s", getattr(self, "command", "-"), path, code)

    def log_message(self, format: str, *args: Any) -> None:
        # Only protocol-level errors reach here; their text may quote the raw request line, so log the code only.
        code = args[0] if args and isinstance(args[0], int) else "-"
        logger.debug("http protocol error %s", code)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    #: bound for ``handle_request()`` should the listening socket turn out not to be ready after all
    timeout = 0.5

    def __init__(self, address: tuple[str, int], api: HttpApi) -> None:
        self.api = api
        self._active: dict[threading.Thread, socket.socket] = {}
        self._active_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        with self._active_lock:
            self._active[threading.current_thread()] = request
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._active_lock:
                self._active.pop(threading.current_thread(), None)

    def close_connections(self, timeout: float) -> None:
        """Shut down every open connection and wait for the handler threads to end."""
        with self._active_lock:
            active = list(self._active.items())
        for _thread, sock in active:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread, _sock in active:
            thread.join(timeout)


class _Server6(_Server):
    address_family = socket.AF_INET6


def _default_now() -> dt.datetime:
    return dt.datetime.now(timeutil.CST)


#: The contract versions the simulator can answer as ("1.0": no number on file, see HttpApi).
CONTRACTS = ("1.0", "1.1")


class ReviewSimulator:
    """The project's simulator of the central review service (contract: review-service.openapi.yaml)."""

    def __init__(
        self,
        db_path: pathlib.Path | None = None,
        tokens: dict[str, str] | None = None,
        seed: list[dict[str, Any]] | None = None,
        auto_review_s: float | None = None,
        now: Callable[[], dt.datetime] | None = None,
        contract: str = "1.1",
    ) -> None:
        if contract not in CONTRACTS:
            raise ValueError(f"contract must be one of {', '.join(CONTRACTS)}")
        if auto_review_s is not None and auto_review_s <= 0:
            raise ValueError("auto_review_s must be positive")
        self._tmpdir: pathlib.Path | None = None
        if db_path is None:
            self._tmpdir = pathlib.Path(tempfile.mkdtemp(prefix="hk-review-sim-"))
            path = self._tmpdir / "review-sim.sqlite3"
        else:
            path = pathlib.Path(db_path)
            path.parent.mkdir(parents=True, exist_ok=True)
        self._store: Store | None = None
        try:
            self._store = Store(path)
            self._service = ReviewService(
                self._store,
                seed=demo_seed() if seed is None else seed,
                now=now or _default_now,
                auto_review_s=auto_review_s,
            )
            self._service.initialise()
            self._api = HttpApi(self._service, {DEMO_TOKEN: DEMO_KIOSK_ID} if tokens is None else tokens, contract)
        except BaseException:
            self._release_storage()
            raise
        self._server: _Server | None = None
        self._threads: list[threading.Thread] = []
        self._stop_event = threading.Event()
        self._url: str | None = None
        self._stopped = False
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on a daemon thread; returns the base URL (``http://host:port``)."""
        if self._stopped:
            raise RuntimeError("a stopped simulator cannot be restarted; create a new one")
        if self._server is not None:
            raise RuntimeError("the simulator is already running")
        server_cls = _Server6 if ":" in host else _Server
        self._server = server_cls((host, port), self._api)
        bound_port = self._server.server_address[1]
        shown_host = f"[{host}]" if ":" in host else host
        self._url = f"http://{shown_host}:{bound_port}"
        self._wake_r, self._wake_w = socket.socketpair()
        serve = threading.Thread(target=self._serve_loop, args=(self._server,), name="review-sim-http", daemon=True)
        serve.start()
        self._threads.append(serve)
        if self._service.auto_review_s is not None:
            reviewer = threading.Thread(target=self._auto_review_loop, name="review-sim-officer", daemon=True)
            reviewer.start()
            self._threads.append(reviewer)
        logger.info("review simulator listening on %s", self._url)
        return self._url

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("the simulator is not started")
        return self._url

    def stop(self) -> None:
        """Stop serving, join the threads, close the database (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        self._stop_event.set()
        if self._wake_w is not None:
            self._wake_w.send(b"x")
        for thread in self._threads:
            thread.join(timeout=5.0)
        self._threads.clear()
        if self._server is not None:
            self._server.server_close()
            self._server.close_connections(timeout=5.0)
        for sock in (self._wake_r, self._wake_w):
            if sock is not None:
                sock.close()
        self._wake_r = self._wake_w = None
        self._release_storage()
        logger.info("review simulator stopped")

    def _release_storage(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self) -> ReviewSimulator:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _serve_loop(self, server: _Server) -> None:
        """Like ``serve_forever`` but woken at once by ``stop()`` instead of polling."""
        assert self._wake_r is not None
        with selectors.DefaultSelector() as selector:
            selector.register(server, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while not self._stop_event.is_set():
                for key, _events in selector.select():
                    if key.fileobj is self._wake_r:
                        return
                    server.handle_request()

    def _auto_review_loop(self) -> None:
        interval = self._service.auto_review_s or 1.0
        tick = max(0.01, min(0.1, interval / 4))
        while not self._stop_event.wait(tick):
            try:
                self._service.auto_review_tick()
            except Exception:
                logger.exception("auto review step failed")

    # ------------------------------------------------------------ introspection and control (no HTTP)

    def applications(self) -> list[dict[str, Any]]:
        """Every stored application (oldest first) as the contract's Application object, with the
        applicant unmasked (``name``, ``id_number``, ``phone``); a mail pickup also carries ``phone``."""
        return self._service.applications_full()

    def document_bytes(self, document_id: str) -> bytes | None:
        return self._service.document_bytes(document_id)

    def permit_record(self, id_number: str) -> dict[str, Any] | None:
        """The stored permit record (absolute dates, ``status_override``, ``label``), or ``None``."""
        return self._service.permit_record(id_number)

    def reset(self) -> int:
        """Same as ``POST /sim/reset``; returns the number of permits loaded."""
        return self._service.reset()

    def inject_faults(
        self,
        path: str,
        mode: str,
        count: int = 1,
        *,
        method: str | None = None,
        retry_after_s: int = 1,
        delay_s: float = 0.5,
        members: dict[str, Any] | None = None,
    ) -> None:
        """Make the next ``count`` matching ``/v1`` requests fail (checked after authentication).

        ``path`` is an exact path or a glob (``/v1/applications*``); ``method`` restricts it.
        Modes: ``internal_error`` (500), ``service_unavailable`` / ``maintenance`` (503) and
        ``rate_limited`` (429) with ``Retry-After: retry_after_s``; ``drop`` (connection closed, nothing
        processed); ``drop_after_commit`` (processed and stored, then the connection is closed
        without a response); ``delay`` (processing starts ``delay_s`` seconds later, holding the
        idempotency key in progress meanwhile); ``malformed_json`` (processed and stored, then a
        2xx answer arrives with its JSON body truncated; other statuses pass unchanged);
        ``replace_members`` (processed and stored, then the 2xx answer carries ``members`` instead
        of its own: an answer that breaks the contract).
        """
        self._api.faults.inject(
            Fault(
                path=path, mode=mode, remaining=count, method=method, retry_after_s=retry_after_s,
                delay_s=delay_s, members=members,
            )
        )

    def clear_faults(self) -> None:
        self._api.faults.clear()
