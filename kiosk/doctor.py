"""``kiosk doctor``: check a configuration and the devices it names, for the technician
installing a machine.

One line per check on stdout, ``OK`` or ``FAIL`` with what is wrong and what to do; exit 0
only when every check passes. A configuration that cannot be loaded at all is reported by
:func:`kiosk.cli.main` like for every command (one line on stderr, exit 2).

The checks touch the real devices but change nothing: the card reader is listed (no card
needed), the camera opened for one frame and closed, the printer asked for its status (no
paper used), the review service sent one heartbeat (what the kiosk sends every minute), the
data directory written with a temporary file that is removed again. Run it while the kiosk
is stopped: a camera the running kiosk holds cannot be opened twice.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kiosk.config import Config, ConfigError, check_data_dir, production_problems
from kiosk.domain.idcard import shanghai_today

CAMERA_WAIT_S = 5.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    text: str

    def line(self) -> str:
        return f"{'OK' if self.ok else 'FAIL':<4}  {self.name:<12}  {self.text}"


def run_checks(cfg: Config, *, min_free_mb: int | None = None) -> Iterator[Check]:
    """Every check of ``cfg``, in order, as each finishes. ``min_free_mb`` (MiB) defaults to
    ``[outbox] min_free_mb``, the space below which the kiosk goes out of service."""
    yield from check_mode(cfg)
    yield check_data(cfg, cfg.outbox.min_free_mb if min_free_mb is None else min_free_mb)
    health: dict[str, str] = {}
    for name, fn in (("card reader", check_card_reader), ("camera", check_camera), ("printer", check_printer)):
        result = _guarded(name, fn, cfg)
        health[name] = "ok" if result.ok else "offline"
        yield result
    yield _guarded("page network", lambda c: check_page_network(), cfg)
    yield _guarded("service", lambda c: check_service(c, health), cfg)


def main(cfg: Config, *, min_free_mb: int | None = None) -> int:
    """Print one line per check; 0 when all pass, 1 otherwise."""
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")  # OpenCV's retry warnings would repeat the camera line
    root = logging.getLogger()
    quiet = not os.environ.get("KIOSK_LOG_LEVEL")  # the lines below say it; the devices' own logs would repeat it
    level, null = root.level, logging.NullHandler()
    if quiet:
        root.addHandler(null)
        root.setLevel(logging.CRITICAL)
    try:
        print(f"kiosk doctor: {cfg.source} (kiosk {cfg.kiosk.id})", flush=True)
        failed = 0
        for check in run_checks(cfg, min_free_mb=min_free_mb):
            print(check.line(), flush=True)
            failed += not check.ok
        print("kiosk doctor: all checks passed" if not failed else f"kiosk doctor: {failed} check(s) failed", flush=True)
    finally:
        if quiet:  # called in-process (tests): leave logging as it was
            root.removeHandler(null)
            root.setLevel(level)
    return 0 if not failed else 1


def _guarded(name: str, fn: Callable[[Config], Check], cfg: Config) -> Check:
    """A device check that raised is a failed check with the exception's type, never a traceback."""
    try:
        return fn(cfg)
    except Exception as e:  # noqa: BLE001 - one broken adapter must not hide the other checks
        return Check(name, False, f"the check itself failed ({type(e).__name__}: {e})")


# --- the configuration ---------------------------------------------------------------------


def check_mode(cfg: Config) -> Iterator[Check]:
    """Production: each demo setting is a failure of its own. Demo: one line saying so."""
    problems = production_problems(cfg)
    if cfg.kiosk.mode == "demo":
        note = f" (production mode would refuse {len(problems)} of its settings)" if problems else ""
        yield Check("mode", True, f"demo: simulated devices and demo settings are allowed{note}; "
                                  'a kiosk in a hall needs [kiosk] mode = "production"')
        return
    if not problems:
        yield Check("mode", True, "production: no demo setting")
    for p in problems:
        yield Check("mode", False, f"[{p.key.replace('.', '] ', 1)} {p.detail}" if p.key else str(p))


def check_data(cfg: Config, min_free_mb: int) -> Check:
    """The data directory is (or can be made) a writable directory with free space."""
    path = cfg.data_dir
    try:
        check_data_dir(cfg)
    except ConfigError as e:
        return Check("data dir", False, f"{e}; fix [kiosk] data_dir or the directory's owner")
    existing = path
    while not existing.exists():
        existing = existing.parent
    if existing == path:
        try:
            with tempfile.NamedTemporaryFile(dir=path, prefix=".doctor-"):
                pass
        except OSError as e:
            return Check("data dir", False, f"{path}: cannot write a file: {e.strerror or e}; fix its owner and mode")
    free_mb = shutil.disk_usage(existing).free // 2**20
    if free_mb < min_free_mb:
        return Check("data dir", False, f"{path}: only {free_mb} MiB free, at least {min_free_mb} MiB needed; free disk space")
    made = "" if existing == path else " (created at first start)"
    return Check("data dir", True, f"{path}{made}: writable, {free_mb} MiB free")


# --- the devices -----------------------------------------------------------------------------


def check_card_reader(cfg: Config) -> Check:
    d = cfg.devices
    if d.card_reader == "sim":
        return Check("card reader", True, "simulated (test cards only)")
    if d.card_reader == "pcsc":
        from kiosk.devices.card.pcsc import PcscCardReader

        problem, readers = PcscCardReader(shanghai_today, reader_name=d.reader_name).check()
        if problem is None:
            match = next(r for r in readers if d.reader_name in r)
            return Check("card reader", True, f"PC/SC reader {match!r}")
        listed = f" (readers: {', '.join(map(repr, readers))})" if readers else ""
        fix = ("start pcscd (systemctl enable --now pcscd.socket)" if "pcscd" in problem and "answer" in problem
               else "plug in the reader and check [devices] reader_name (pcsc_scan lists the readers)")
        return Check("card reader", False, f"{problem}{listed}; {fix}")
    from kiosk.devices.card.sdk import SdkCardReader

    problem = SdkCardReader(shanghai_today, d.sdk_library, port=d.sdk_port).check()
    if problem is None:
        return Check("card reader", True, f"vendor library {d.sdk_library} opens port {d.sdk_port}")
    return Check("card reader", False, f"{problem}; check the reader's cable, [devices] sdk_library and sdk_port")


def check_page_network(path: Path | None = None) -> Check:
    """The document detector's page network (assets/models/docnet.onnx) loads in OpenCV. Without
    it pages are still found, but fewer on pale desks and in poor light: a damaged install."""
    from kiosk.scanning.docnet import MODEL, PageNet

    path = MODEL if path is None else path
    if PageNet(path).check() is None:
        return Check("page network", True, f"{path.name} loads (OpenCV DNN)")
    why = "missing" if not path.is_file() else "unreadable"
    return Check("page network", False, f"{path}: {why}; documents are still found, less well on pale desks; "
                                        "reinstall the kiosk package")


def check_camera(cfg: Config) -> Check:
    d = cfg.devices
    if d.camera == "sim":
        return Check("camera", True, "simulated (built-in documents)" if not d.camera_source else f"simulated ({d.camera_source})")
    from kiosk.devices import factory

    cam = factory.camera(cfg)
    try:
        if not cam.open(CAMERA_WAIT_S) or cam.read() is None:
            info = cam.info() if hasattr(cam, "info") else None
            why = f": {info.last_error}" if info is not None and info.last_error else ""
            return Check("camera", False, f"no frame from {d.camera_source or '0'} within {CAMERA_WAIT_S:g} s{why}; "
                                          "check the cable and [devices] camera_source (v4l2-ctl --list-devices), "
                                          "and that the kiosk is stopped")
        frame = cam.read()
        height, width = frame.shape[:2] if frame is not None else (0, 0)
        return Check("camera", True, f"{d.camera_source or '0'} gives frames ({width}x{height})")
    finally:
        cam.close()


def check_printer(cfg: Config) -> Check:
    uri = cfg.devices.printer
    if uri.startswith("sim://"):
        return Check("printer", True, "simulated (receipts are not printed)")
    from kiosk.devices import factory
    from kiosk.devices.printer.tools import STATE_TEXT

    printer = factory.printer(cfg)
    problem = getattr(printer, "problem", None)
    if problem:
        return Check("printer", False, f"{uri}: {problem}")
    state = printer.status()
    text = f"{uri}: {state.value} ({STATE_TEXT[state][1]})"
    if state.can_print:
        return Check("printer", True, text)
    return Check("printer", False, f"{text}; check power, cable, paper and cover, then `kiosk devices print-test`")


def check_service(cfg: Config, health: dict[str, str]) -> Check:
    """One heartbeat: the service is reachable, its TLS certificate trusted, the token accepted."""
    url = cfg.backend.url
    if url == "embedded":
        return Check("service", True, "embedded simulator (demo)")
    from kiosk.backend import make_client, no_retry
    from kiosk.backend_client import ProblemError, TransportError
    from kiosk.heartbeat import Heartbeat

    client = make_client(cfg, url, no_retry())
    devices = {"card_reader": health.get("card reader", "offline"), "camera": health.get("camera", "offline"),
               "printer": health.get("printer", "offline")}
    try:
        client.heartbeat(Heartbeat(client, lambda: devices).body())
    except TransportError as e:
        if "SSL" in str(e):
            return Check("service", False, f"{url}: TLS failed ({e}): the certificate is not trusted or does not "
                                           "match; set [backend] ca_bundle (and client_cert for mutual TLS)")
        return Check("service", False, f"{url}: not reachable ({e}); check the network, DNS, firewall and [backend] url")
    except ProblemError as e:
        if e.status in (401, 403):
            return Check("service", False, f"{url}: refused the kiosk ({e.status} {e.code}); check [backend] token and [kiosk] id")
        return Check("service", False, f"{url}: answered {e.status} {e.code}; ask the service's operators")
    finally:
        client.close()
    tls = ", TLS verified" if url.startswith("https://") else ", no TLS"
    return Check("service", True, f"{url}: heartbeat accepted{tls}")
