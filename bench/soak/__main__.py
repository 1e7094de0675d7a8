"""Soak: many sessions in one kiosk process, watching for what grows or drains.

    .venv/bin/python -m bench.soak [--sessions 500] [--every 50] [--warmup 50] [--out bench/soak/results.md]

One kiosk (the real application and widgets, simulated card reader and camera, auto-capture
on) serves ``--sessions`` residents in a row, cycling through four kinds of session:

* ``renewal``: the tour's renewal (card, identity, eligibility, a page auto-captured and one by
  the shutter, phone, submit, receipt), then "finish";
* ``cancel``: to the capture step, one page, cancel, "yes, stop and delete";
* ``timeout``: to the identity screen, then nobody touches anything until the idle timer
  warns and wipes the session (idle shortened to 1 s + 2 s warning for this session only);
* ``info_change``: the tour's change of address and employer (Pinyin keyboard included).

The review-service simulator and the ESC/POS capture printer run in their own processes, so
the figures are the kiosk's alone; the simulator is reset between sessions (so the same demo
residents can apply again). Every ``--every`` sessions it records the process's RSS, threads,
open file descriptors, live widgets, Python objects and the reference counts of ``None``,
``True`` and ``False`` (which must not fall: on CPython 3.11 a count reaching zero aborts the
interpreter). Goal (issue 18): no failed session, RSS growth <= 10 MB after warm-up, no
refcount drift. Writes a Markdown table to ``--out`` and prints it.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_IM_MODULE", "qtvirtualkeyboard")
os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")

import requests  # noqa: E402

from kiosk.simulator import DEMO_KIOSK_ID, DEMO_TOKEN  # noqa: E402
from tests.support.journey_steps import take_pages, to_capture, to_identity  # noqa: E402 - the UI tests' own steps

CARDS = ROOT / "assets" / "cards"
KINDS = ("renewal", "cancel", "timeout", "info_change")


@dataclass
class Sample:
    sessions: int
    failed: int
    rss_mb: float
    threads: int
    fds: int
    widgets: int
    objects: int
    none: int
    true: int
    false: int
    seconds: float


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024


def sample(sessions: int, failed: int, t0: float) -> Sample:
    from PySide6.QtWidgets import QApplication

    gc.collect()
    return Sample(
        sessions=sessions,
        failed=failed,
        rss_mb=round(_rss_mb(), 1),
        threads=len(os.listdir("/proc/self/task")),
        fds=len(os.listdir("/proc/self/fd")),
        widgets=len(QApplication.allWidgets()),
        objects=len(gc.get_objects()),
        none=sys.getrefcount(None),
        true=sys.getrefcount(True),
        false=sys.getrefcount(False),
        seconds=round(time.monotonic() - t0, 1),
    )


def _start(cmd: list[str], pattern: str, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """Start a helper process and read the URL it announces on its first lines."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = re.search(pattern, line)
        if m:
            # Keep draining its output so the helper never blocks on a full pipe.
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            return proc, m.group(1)
    proc.kill()
    raise SystemExit(f"soak: {cmd[2]} did not start")


# --- the four kinds of session --------------------------------------------------------------


def _finish_to_attract(d) -> None:
    d.tap(d.find("primaryButton"))  # "finish" on the done screen
    d.wait(lambda: d.step() == "attract", what="attract after finish")


def renewal(d) -> None:
    from kiosk.tour import renewal as tour_renewal

    tour_renewal(d, CARDS / "linhai.json")
    _finish_to_attract(d)


def info_change(d) -> None:
    from kiosk.tour import info_change as tour_info_change

    tour_info_change(d, CARDS / "zhangwei.json")
    _finish_to_attract(d)


def cancel(d) -> None:
    k = d.kiosk
    to_capture(d)
    take_pages(d, 1)
    d.tap(d.find("cancelButton"))
    d.wait(lambda: k.window.overlay.kind == "cancel", what="the cancel question")
    d.tap(k.window.overlay.action_buttons()[1])  # yes, stop and delete
    d.wait(lambda: d.step() == "attract", what="attract after cancel")


def timeout(d) -> None:
    idle = d.kiosk.window.idle
    to_identity(d)
    # Only this session idles quickly; the bench reaches into the monitor's timers because the
    # configuration's minimums (10 s + 20 s, WCAG 2.2.1) are there for residents, not benches.
    interval, warning_s = idle._idle.interval(), idle.warning_s
    idle._idle.setInterval(1000)
    idle.warning_s = 2
    idle.poke()
    try:
        d.wait(lambda: d.step() == "attract", timeout=15, what="idle timeout")
    finally:
        idle._idle.setInterval(interval)
        idle.warning_s = warning_s
    if d.kiosk.session.holds_personal_data():
        raise RuntimeError("the timed-out session was not wiped")


SESSIONS = {"renewal": renewal, "cancel": cancel, "timeout": timeout, "info_change": info_change}


def _recover(d) -> None:
    """After a failed session: wipe and go back to attract, as the failsafe would."""
    try:
        d.kiosk.window.end_session()
        d.wait(lambda: d.step() == "attract", timeout=10, what="attract after a failure")
    except Exception as e:  # noqa: BLE001 - reported, and the next session tries anyway
        print(f"soak: could not recover: {type(e).__name__}: {e}", file=sys.stderr)


def run(n_sessions: int, every: int, warmup: int) -> tuple[list[Sample], dict[str, int], list[str]]:
    from PySide6.QtWidgets import QApplication

    from kiosk.app import build
    from kiosk.config import load
    from kiosk.screens.keyboard import prepare_environment
    from kiosk.tour import Driver

    prepare_environment()
    app = QApplication.instance() or QApplication([])
    work = Path(tempfile.mkdtemp(prefix="kiosk-soak-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    sim, sim_url = _start(
        [sys.executable, "-m", "kiosk.simulator", "--port", "0", "--db", str(work / "sim.sqlite3")],
        r"(http://\S+)",
        env,
    )
    printer, printer_uri = _start(
        [sys.executable, "-m", "kiosk.devices.printer.capture", "--port", "0"], r"listening on (network://\S+)", env
    )
    os.environ["KIOSK_DATA_DIR"] = str(work / "kiosk-data")
    cfg = load(None).with_overrides(
        backend={"url": sim_url, "token": DEMO_TOKEN, "timeout_s": 10.0},
        kiosk={"id": DEMO_KIOSK_ID},
        ui={"fullscreen": False},
        devices={"printer": printer_uri},
    )
    cfg = replace(cfg, timeouts=replace(cfg.timeouts, done_s=600))  # "finish" is tapped, never waited for
    k = build(cfg)
    k.window.resize(1080, 1920)
    k.window.show()
    d = Driver(k, None)
    d.pump(300)
    reset = requests.Session()
    reset.headers["Authorization"] = f"Bearer {DEMO_TOKEN}"

    samples: list[Sample] = []
    counts = dict.fromkeys(KINDS, 0)
    failures: list[str] = []
    t0 = time.monotonic()
    samples.append(sample(0, 0, t0))
    try:
        for i in range(1, n_sessions + 1):
            kind = KINDS[(i - 1) % len(KINDS)]
            reset.post(f"{sim_url}/sim/reset", json={}, timeout=10).raise_for_status()
            k.reader.remove()
            d.pump(50)
            try:
                SESSIONS[kind](d)
                counts[kind] += 1
            except Exception as e:  # noqa: BLE001 - a failed session is a finding, not the end
                failures.append(f"session {i} ({kind}): {type(e).__name__}: {e}")
                print(f"soak: {failures[-1]}", file=sys.stderr)
                _recover(d)
            if i % every == 0 or i == n_sessions:
                samples.append(s := sample(i, len(failures), t0))
                print(_row(s, samples, warmup), flush=True)
    finally:
        k.close()
        app.processEvents()
        for proc in (sim, printer):
            proc.terminate()
            proc.wait(10)
    return samples, counts, failures


def _warm(samples: list[Sample], warmup: int) -> Sample:
    return next((s for s in samples if s.sessions >= warmup), samples[-1])


def _row(s: Sample, samples: list[Sample], warmup: int) -> str:
    w = _warm(samples, warmup)
    drift = f"{s.rss_mb - w.rss_mb:+.1f}" if s.sessions > w.sessions else "-"
    first = samples[0]
    return (
        f"| {s.sessions} | {s.failed} | {s.rss_mb:.1f} | {drift} | {s.threads} | {s.fds} | {s.widgets} | {s.objects} | "
        f"{s.none - first.none:+d} | {s.true - first.true:+d} | {s.false - first.false:+d} | {s.seconds:.0f} |"
    )


HEADER = (
    "| sessions | failed | RSS MB | RSS since warm-up | threads | fds | widgets | Python objects | "
    "None | True | False | elapsed s |\n|---|---|---|---|---|---|---|---|---|---|---|---|"
)


def report(samples: list[Sample], counts: dict[str, int], failures: list[str], warmup: int, cmd: str) -> str:
    import PySide6

    w, last = _warm(samples, warmup), samples[-1]
    per_session = {k: round(-(last.__dict__[k] - w.__dict__[k]) / max(1, last.sessions - w.sessions), 2) for k in ("none", "true", "false")}
    lines = [
        "# Soak: sessions in one kiosk process",
        "",
        f"Command: `{cmd}`. PySide6 {PySide6.__version__}, Python {sys.version.split()[0]}.",
        f"Sessions completed by kind: {', '.join(f'{k} {v}' for k, v in counts.items())}; failed: {len(failures)}.",
        f"RSS after warm-up ({w.sessions} sessions) {w.rss_mb:.1f} MB, at the end {last.rss_mb:.1f} MB "
        f"({last.rss_mb - w.rss_mb:+.1f} MB over {last.sessions - w.sessions} sessions).",
        f"References lost per session after warm-up: None {per_session['none']}, True {per_session['true']}, "
        f"False {per_session['false']} (negative: gained).",
        "",
        "Refcount columns are the change since the start of the run.",
        "",
        HEADER,
        *(_row(s, samples, warmup) for s in samples),
    ]
    if failures:
        lines += ["", "Failures:", "", *(f"- {f}" for f in failures)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    p.add_argument("--sessions", type=int, default=500)
    p.add_argument("--every", type=int, default=50, help="record a sample every N sessions")
    p.add_argument("--warmup", type=int, default=50, help="sessions before RSS growth is counted")
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "soak" / "results.md")
    args = p.parse_args(argv)
    if args.sessions < 1 or args.every < 1:
        p.error("--sessions and --every must be at least 1")
    if args.warmup < 0:
        p.error("--warmup must be 0 or more")
    try:  # before a run of half an hour, not after it
        args.out.parent.mkdir(parents=True, exist_ok=True)
        if args.out.is_dir():
            raise IsADirectoryError(f"{args.out} is a directory")
    except (FileExistsError, NotADirectoryError):
        p.error(f"--out: {args.out} cannot be written: a part of its path is a file")
    except OSError as e:
        p.error(f"--out: {args.out} cannot be written: {e.strerror or e}")
    # Stopped by a signal, still stop the simulator and printer processes (the finally in run()).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(HEADER, flush=True)
    samples, counts, failures = run(args.sessions, args.every, args.warmup)
    cmd = "python -m bench.soak " + " ".join(argv if argv is not None else sys.argv[1:])
    text = report(samples, counts, failures, args.warmup, cmd.strip())
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
