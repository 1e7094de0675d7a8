"""No traceback from any input a person can give (issue 11, item 2).

Every `kiosk` subcommand, run as a real command, answers each bad file, flag or environment
value below with exactly one line on stderr that names the file or flag, and exit code 2
(usage or configuration) or 1 (a device or the card failed). Errors that come before the GUI
never start it; the one case that needs the GUI (a card the reader refuses during the tour)
must end at once, not after the tour's 15-second wait.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CARDS = ROOT / "assets" / "cards"
LINHAI = str(CARDS / "linhai.json")
REFUSED = str(CARDS / "invalid" / "bad_check_digit.json")


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]
    code: int  # 2: usage or configuration; 1: a device, a service or the card failed
    names: tuple[str, ...]  # each must appear in the one line (the file or flag, what is wrong)
    env: dict[str, str] = field(default_factory=dict)
    stdin: bytes = b""
    max_s: float = 20.0


def case(*args: str, code: int = 2, names: tuple[str, ...] | str, env: dict[str, str] | None = None,
         stdin: bytes = b"", max_s: float = 20.0) -> Case:
    return Case(args, code, (names,) if isinstance(names, str) else names, env or {}, stdin, max_s)


SIM_READ = ("devices", "card-read", "--reader", "sim", "--wait", "5")
TOUR = ("tour", "--out", "{tmp}/out")

# "{tmp}" is the directory of bad files made by the `corpus` fixture.
CASES: dict[str, Case] = {
    # --- test-card files: the simulated reader and the tour share one loader
    "card-read-card-missing": case(*SIM_READ, "--card", "{tmp}/missing.json", names="{tmp}/missing.json"),
    "card-read-card-not-json": case(*SIM_READ, "--card", "{tmp}/not-json.json", names=("{tmp}/not-json.json", "JSON")),
    "card-read-card-not-utf8": case(*SIM_READ, "--card", "{tmp}/not-utf8.json", names=("{tmp}/not-utf8.json", "UTF-8")),
    "card-read-card-array": case(*SIM_READ, "--card", "{tmp}/array.json", names=("{tmp}/array.json", "JSON object")),
    "card-read-card-is-dir": case(*SIM_READ, "--card", "{tmp}/a-dir", names=("{tmp}/a-dir", "directory")),
    "card-read-photo-missing": case(*SIM_READ, "--card", "{tmp}/photo-missing.json",
                                    names=("{tmp}/photo-missing.json", "{tmp}/missing.jpg", "not found")),
    "card-read-photo-is-dir": case(*SIM_READ, "--card", "{tmp}/photo-dir.json",
                                   names=("{tmp}/photo-dir.json", "{tmp}/a-dir", "directory")),
    "card-read-photo-nul-in-name": case(*SIM_READ, "--card", "{tmp}/photo-nul.json", names=("{tmp}/photo-nul.json", "photo file")),
    "card-read-photo-endless": case(*SIM_READ, "--card", "{tmp}/photo-zero.json", names=("{tmp}/photo-zero.json", "/dev/zero")),
    "card-read-card-bad-field": case(*SIM_READ, "--card", "{tmp}/bad-field.json", names=("{tmp}/bad-field.json", "'sex'")),
    "card-read-refused": case(*SIM_READ, "--card", REFUSED, code=1, names="bad_check_digit"),
    "card-read-sim-needs-card": case(*SIM_READ, names="--card"),
    "card-read-card-with-pcsc": case("devices", "card-read", "--reader", "pcsc", "--card", LINHAI, names="--card"),
    "card-read-reader-unknown": case("devices", "card-read", "--reader", "nfc", names=("--reader", "sim, pcsc or sdk")),
    "card-read-sdk-without-library": case("devices", "card-read", "--reader", "sdk", names="--sdk-library"),
    "card-read-sdk-library-missing": case("devices", "card-read", "--reader", "sdk", "--sdk-library", "{tmp}/none.so",
                                          names=("--sdk-library", "{tmp}/none.so")),
    "card-read-sdk-library-not-a-library": case("devices", "card-read", "--reader", "sdk", "--sdk-library", "{tmp}/a-file",
                                                "--wait", "0.3", code=1, names=("no_reader", "{tmp}/a-file")),
    "card-read-sdk-port": case(*SIM_READ, "--card", LINHAI, "--sdk-port", "5000", names=("--sdk-port", "1001-1016")),
    "card-read-sdk-port-not-int": case("devices", "card-read", "--sdk-port", "usb", names="--sdk-port"),
    "card-read-wait-negative": case("devices", "card-read", "--wait", "-1", names=("--wait", "0 to")),
    "card-read-wait-nan": case("devices", "card-read", "--wait", "nan", names="--wait"),
    "card-read-wait-huge": case("devices", "card-read", "--wait", "1e300", names="--wait"),
    "devices-no-subcommand": case("devices", names="card-read"),
    # --- the tour: everything wrong is found before the GUI starts
    "tour-card-missing": case(*TOUR, "--card", "{tmp}/missing.json", names="{tmp}/missing.json"),
    "tour-card-not-utf8": case(*TOUR, "--card", "{tmp}/not-utf8.json", names=("{tmp}/not-utf8.json", "UTF-8")),
    "tour-card-not-json": case(*TOUR, "--card", "{tmp}/not-json.json", names="{tmp}/not-json.json"),
    "tour-photo-missing": case(*TOUR, "--card", "{tmp}/photo-missing.json", names=("{tmp}/photo-missing.json", "{tmp}/missing.jpg")),
    "tour-photo-is-dir": case(*TOUR, "--card", "{tmp}/photo-dir.json", names=("{tmp}/photo-dir.json", "directory")),
    "tour-out-is-a-file": case("tour", "--out", "{tmp}/a-file", names=("--out", "{tmp}/a-file")),
    "tour-out-under-a-file": case("tour", "--out", "{tmp}/a-file/out", names=("--out", "{tmp}/a-file")),
    "tour-out-missing": case("tour", names="--out"),
    "tour-service-unknown": case(*TOUR, "--service", "renew", names=("--service", "renewal")),
    "tour-size-malformed": case(*TOUR, "--size", "12x", names=("--size", "1080x1920")),
    "tour-size-huge": case(*TOUR, "--size", "99999x99999", names="--size"),
    "tour-lang-unknown": case(*TOUR, "--lang", "xx", names=("--lang", "'zh', 'en'")),
    "tour-printer-scheme": case(*TOUR, "--printer", "lp0", names=("--printer", "network://HOST:PORT")),
    "tour-printer-port": case(*TOUR, "--printer", "network://127.0.0.1:99999", names=("--printer", "65535")),
    "tour-backend-scheme": case(*TOUR, "--backend", "ftp://x", "--token", "t", "--kiosk-id", "HK-KIOSK-0042",
                                names=("--backend", "http(s)")),
    "tour-backend-alone": case(*TOUR, "--backend", "http://127.0.0.1:9", names=("--backend", "--token")),
    "tour-kiosk-id": case(*TOUR, "--backend", "http://127.0.0.1:9", "--token", "t", "--kiosk-id", "x", names="--kiosk-id"),
    "run-without-display": case("run", code=1, names=("kiosk run", "no display", "kiosk tour")),
    "run-with-tour-options": case("run", "--out", "{tmp}/out", names="--out"),
    # --- the environment
    "data-dir-is-a-file": case(*TOUR, env={"KIOSK_DATA_DIR": "{tmp}/a-file"}, names=("KIOSK_DATA_DIR", "{tmp}/a-file")),
    "data-dir-under-a-file": case("outbox", "status", env={"KIOSK_DATA_DIR": "{tmp}/a-file/data"},
                                  names=("KIOSK_DATA_DIR", "{tmp}/a-file")),
    "log-level-unknown": case(*TOUR, env={"KIOSK_LOG_LEVEL": "loud"}, names=("KIOSK_LOG_LEVEL", "WARNING")),
    "kiosk-config-missing": case("outbox", "status", env={"KIOSK_CONFIG": "{tmp}/missing.toml"},
                                 names=("{tmp}/missing.toml", "KIOSK_CONFIG")),
    # --- the configuration file
    "config-missing": case("--config", "{tmp}/missing.toml", "outbox", "status", names=("{tmp}/missing.toml", "not found")),
    "config-not-utf8": case("--config", "{tmp}/not-utf8.toml", "outbox", "status", names=("{tmp}/not-utf8.toml", "UTF-8")),
    "config-is-dir": case("--config", "{tmp}/a-dir", "outbox", "status", names=("{tmp}/a-dir", "directory")),
    "config-not-toml": case("--config", "{tmp}/not-toml.toml", "outbox", "status", names=("{tmp}/not-toml.toml", "TOML")),
    "config-nested-too-deep": case("--config", "{tmp}/deep.toml", "outbox", "status", names="{tmp}/deep.toml"),
    "config-wrong-type": case("--config", "{tmp}/wrong-type.toml", "devices", "print-test",
                              names=("{tmp}/wrong-type.toml", "[kiosk] id", "str")),
    "config-section-not-table": case("--config", "{tmp}/not-table.toml", "outbox", "status",
                                     names=("{tmp}/not-table.toml", "[ui]", "table")),
    "config-timeout-huge": case("--config", "{tmp}/idle-huge.toml", *TOUR, names=("{tmp}/idle-huge.toml", "idle_s")),
    "config-nul-in-path": case("--config", "{tmp}/nul.toml", *TOUR, names=("{tmp}/nul.toml", "data_dir", "NUL")),
    "config-key-path-is-dir": case("--config", "{tmp}/key-dir.toml", "outbox", "flush", "--timeout", "0",
                                   names=("{tmp}/key-dir.toml", "key_path", "is a directory")),
    "config-key-path-under-file": case("--config", "{tmp}/key-under-file.toml", "outbox", "flush", "--timeout", "0",
                                       names=("{tmp}/key-under-file.toml", "key_path", "{tmp}/a-file")),
    "config-printer-uri": case("--config", "{tmp}/printer.toml", "devices", "print-test",
                               names=("{tmp}/printer.toml", "[devices] printer", "vendor id")),
    "config-flag-without-value": case("--config", names=("--config", "expected one argument")),
    "config-flag-after-subcommand": case("outbox", "status", "--config", "{tmp}/k.toml", names="--config"),
    # --- the printer
    "print-test-printer-scheme": case("devices", "print-test", "--printer", "bogus", names=("--printer", "usb://VID:PID")),
    "print-test-printer-usb-ids": case("devices", "print-test", "--printer", "usb://zz:yy", names=("--printer", "hex")),
    "print-test-printer-offline": case("devices", "print-test", "--printer", "network://127.0.0.1:1", code=1,
                                       names=("network://127.0.0.1:1", "not printed")),
    "print-test-lang": case("devices", "print-test", "--lang", "fr", names="--lang"),
    # --- the outbox
    "outbox-no-subcommand": case("outbox", names="status"),
    "outbox-flush-timeout-negative": case("outbox", "flush", "--timeout", "-1", names=("--timeout", "0 to")),
    "outbox-flush-timeout-nan": case("outbox", "flush", "--timeout", "nan", names="--timeout"),
    "outbox-flush-timeout-word": case("outbox", "flush", "--timeout", "soon", names="--timeout"),
    # --- the simulator
    "sim-port-range": case("sim", "--port", "99999", names=("--port", "65535")),
    "sim-port-word": case("sim", "--port", "http", names="--port"),
    "sim-db-is-dir": case("sim", "--port", "0", "--db", "{tmp}/a-dir", names=("--db", "{tmp}/a-dir")),
    "sim-auto-review": case("sim", "--auto-review", "-1", names="--auto-review"),
    "sim-token": case("sim", "--token", "no-kiosk-id", names="--token"),
    # --- the doctor (a configuration it cannot load is a usage error; failed checks are its output)
    "doctor-config-missing": case("doctor", "--config", "{tmp}/missing.toml", names=("{tmp}/missing.toml", "not found")),
    "doctor-config-without-mode": case("doctor", "--config", "{tmp}/no-mode.toml",
                                       names=("{tmp}/no-mode.toml", "[kiosk] mode must be set")),
    "doctor-min-free": case("doctor", "--min-free-mb", "lots", names=("--min-free-mb", "megabytes")),
    # --- production mode refuses demo settings before anything starts
    "run-production-demo-settings": case("--config", "{tmp}/production.toml", "run",
                                         names=("{tmp}/production.toml", "refused in production mode", "pin_hash")),
    # --- maintenance
    "hash-pin-empty-stdin": case("maintenance", "hash-pin", names=("stdin", "4 to 12 digits")),
    "hash-pin-short": case("maintenance", "hash-pin", stdin=b"12\n", names="4 to 12 digits"),
    "hash-pin-not-utf8": case("maintenance", "hash-pin", stdin=b"\xff\xfe1234\n", names="stdin"),
    "hash-pin-not-ascii-digits": case("maintenance", "hash-pin", stdin="١٢٣٤٥٦\n".encode(), names="stdin"),
    # --- the command line itself
    "unknown-command": case("renew", names=("renew", "tour")),
    "unknown-flag": case("tour", "--out", "{tmp}/out", "--fast", names="--fast"),
    # --- the one case that needs the GUI: a card the reader refuses ends the tour at once
    "tour-card-refused": case(*TOUR, "--card", REFUSED, code=1, names=(REFUSED, "bad_check_digit"),
                              env={"KIOSK_LOG_LEVEL": "ERROR"}, max_s=12.0),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("bad-input")
    card = json.loads((CARDS / "linhai.json").read_text(encoding="utf-8"))
    (tmp / "a-dir").mkdir()
    (tmp / "a-file").write_text("not a directory\n", encoding="utf-8")
    (tmp / "not-json.json").write_text("{not json", encoding="utf-8")
    (tmp / "not-utf8.json").write_bytes(b"\xff\xfe{}")
    (tmp / "array.json").write_text(json.dumps([card]), encoding="utf-8")
    for name, photo in (("photo-missing", "missing.jpg"), ("photo-dir", "a-dir"), ("photo-nul", "a\0b"), ("photo-zero", "/dev/zero")):
        (tmp / f"{name}.json").write_text(json.dumps({**card, "photo": {"kind": "jpeg", "file": photo}}), encoding="utf-8")
    (tmp / "bad-field.json").write_text(json.dumps({**card, "ef0101": {**card["ef0101"], "sex": 1}}), encoding="utf-8")
    (tmp / "not-utf8.toml").write_bytes(b"[kiosk]\nid = '\xff'\n")
    (tmp / "not-toml.toml").write_text("this is = = not toml\n", encoding="utf-8")
    (tmp / "deep.toml").write_text("a = " + "[" * 5000 + "\n", encoding="utf-8")
    (tmp / "wrong-type.toml").write_text("[kiosk]\nid = 5\n", encoding="utf-8")
    (tmp / "not-table.toml").write_text("ui = 'zh'\n", encoding="utf-8")
    (tmp / "idle-huge.toml").write_text("[timeouts]\nidle_s = 99999999999\n", encoding="utf-8")
    (tmp / "nul.toml").write_text('[kiosk]\ndata_dir = "a\\u0000b"\n', encoding="utf-8")
    (tmp / "key-dir.toml").write_text(f"[outbox]\nkey_path = {json.dumps(str(tmp / 'a-dir'))}\n", encoding="utf-8")
    (tmp / "key-under-file.toml").write_text(f"[outbox]\nkey_path = {json.dumps(str(tmp / 'a-file' / 'k.key'))}\n", encoding="utf-8")
    (tmp / "printer.toml").write_text("[devices]\nprinter = 'usb://zz:5011'\n", encoding="utf-8")
    (tmp / "no-mode.toml").write_text("[ui]\nlanguage = 'en'\n", encoding="utf-8")
    (tmp / "production.toml").write_text("[kiosk]\nmode = 'production'\n", encoding="utf-8")
    return tmp


def run(c: Case, tmp: Path, data_dir: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "KIOSK_CONFIG", "KIOSK_LOG_LEVEL", "KIOSK_DATA_DIR")}
    env.update(QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(data_dir))
    env.update({k: v.replace("{tmp}", str(tmp)) for k, v in c.env.items()})
    t0 = time.monotonic()
    r = subprocess.run(
        [sys.executable, "-m", "kiosk", *(a.replace("{tmp}", str(tmp)) for a in c.args)],
        input=c.stdin, capture_output=True, cwd=ROOT, env=env, timeout=60,
    )
    seconds = time.monotonic() - t0
    text = subprocess.CompletedProcess(r.args, r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace"))
    return text, seconds


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_one_line_and_an_exit_code(name: str, corpus: Path, tmp_path: Path) -> None:
    c = CASES[name]
    r, seconds = run(c, corpus, tmp_path / "data")
    assert "Traceback" not in r.stdout + r.stderr, r.stderr
    assert r.returncode != 0, r.stdout
    assert r.returncode == c.code, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    line = lines[0]
    assert line.startswith("kiosk"), line
    for needle in c.names:
        assert needle.replace("{tmp}", str(corpus)) in line, line
    assert seconds < c.max_s, f"took {seconds:.1f} s: {line}"


def test_every_subcommand_is_covered() -> None:
    def command(args: tuple[str, ...]) -> str:
        args = args[2:] if args[0] == "--config" and len(args) > 2 else args
        return " ".join(args[:2]) if args[0] in ("devices", "outbox", "maintenance") and len(args) > 1 else args[0]

    covered = {command(c.args) for c in CASES.values()}
    assert {"run", "tour", "devices card-read", "devices print-test", "outbox status", "outbox flush", "sim",
            "maintenance hash-pin", "doctor"} <= covered


# --- the same errors one level down --------------------------------------------------------


def test_outbox_key_path_that_is_a_directory_says_so(tmp_path: Path) -> None:
    from kiosk.outbox import OutboxKeyError, load_or_create_key

    (tmp_path / "keys").mkdir()
    with pytest.raises(OutboxKeyError, match="is a directory; the outbox key must be a file") as e:
        load_or_create_key(tmp_path / "keys")
    assert "chmod" not in str(e.value)


def test_outbox_key_path_under_a_file_or_a_fifo_is_an_outbox_error(tmp_path: Path) -> None:
    from kiosk.outbox import OutboxKeyError, load_or_create_key

    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(OutboxKeyError, match="a file is in the way"):
        load_or_create_key(tmp_path / "f" / "outbox.key")
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(OutboxKeyError, match="not a regular file"):  # and it does not hang
        load_or_create_key(tmp_path / "fifo")
