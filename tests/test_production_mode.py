"""Production or demo, explicitly (issue 15, item 1): a configuration file names its mode, and
production refuses each demo setting with its own message (one line on stderr, exit 2)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.config import ConfigError, check_production, load, production_problems
from kiosk.domain.maintenance import DEMO_PIN, hash_pin

ROOT = Path(__file__).resolve().parent.parent
OWN_PIN_HASH = hash_pin("97531")

#: A production configuration with no demo setting at all.
CLEAN = {
    "kiosk": {"mode": "production", "id": "HK-KIOSK-0042"},
    "backend": {"url": "https://review.example.invalid", "token": "issued-to-hk-kiosk-0042"},
    "devices": {"card_reader": "pcsc", "camera": "opencv", "camera_source": "0", "printer": "network://127.0.0.1:9100"},
    "maintenance": {"pin_hash": OWN_PIN_HASH},
}


def toml(sections: dict) -> str:
    return "".join(
        f"[{name}]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items()) for name, values in sections.items()
    )


def write(tmp_path: Path, sections: dict, name: str = "kiosk.toml") -> Path:
    f = tmp_path / name
    f.write_text(toml(sections), encoding="utf-8")
    return f


def changed(section: str, key: str, value: object) -> dict:
    return {**CLEAN, section: {**CLEAN[section], key: value}}


#: One demo setting each: (section, key, value, words of its own message).
DEMO_SETTINGS = {
    "demo-pin-hash": ("maintenance", "pin_hash", None, ("[maintenance] pin_hash", "demo PIN", "hash-pin")),
    "demo-pin-own-salt": ("maintenance", "pin_hash", hash_pin(DEMO_PIN), ("[maintenance] pin_hash", "demo PIN")),
    "dev-token": ("backend", "token", "dev-kiosk-token", ("[backend] token", "development token")),
    "embedded-simulator": ("backend", "url", "embedded", ("[backend] url", "embedded simulator")),
    "http-url": ("backend", "url", "http://review.example.invalid", ("[backend] url", "not HTTPS", "https://")),
    "sim-card-reader": ("devices", "card_reader", "sim", ("[devices] card_reader", "simulated reader")),
    "sim-camera": ("devices", "camera", "sim", ("[devices] camera", "simulated camera")),
    "sim-printer": ("devices", "printer", "sim://", ("[devices] printer", "simulated printer")),
}


def demo_variant(name: str) -> dict:
    section, key, value, _ = DEMO_SETTINGS[name]
    if value is None:  # the default: the key left out
        return {**CLEAN, section: {k: v for k, v in CLEAN[section].items() if k != key}}
    return changed(section, key, value)


def test_a_clean_production_configuration_is_accepted(tmp_path):
    cfg = load(write(tmp_path, CLEAN))
    assert cfg.kiosk.mode == "production"
    assert production_problems(cfg) == []
    check_production(cfg)  # does not raise


@pytest.mark.parametrize("name", list(DEMO_SETTINGS))
def test_production_refuses_each_demo_setting_with_its_own_message(name, tmp_path):
    f = write(tmp_path, demo_variant(name))
    cfg = load(f)
    problems = production_problems(cfg)
    assert len(problems) == 1, [str(p) for p in problems]
    with pytest.raises(ConfigError) as e:
        check_production(cfg)
    for needle in DEMO_SETTINGS[name][3]:
        assert needle in str(e.value)
    assert str(f) in str(e.value)
    # The same settings in demo mode are allowed.
    demo = demo_variant(name)
    check_production(load(write(tmp_path, {**demo, "kiosk": {**demo["kiosk"], "mode": "demo"}}, "demo.toml")))


@pytest.mark.parametrize("name", ["demo-pin-hash", "dev-token", "embedded-simulator", "http-url", "sim-camera"])
def test_kiosk_run_refuses_to_start_one_line_exit_2(name, tmp_path, capsys):
    f = write(tmp_path, demo_variant(name))
    assert main(["--config", str(f), "run"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("kiosk: configuration error: refused in production mode: ")
    for needle in DEMO_SETTINGS[name][3]:
        assert needle in err[0]


def test_several_demo_settings_name_the_first_and_count_the_rest(tmp_path, capsys):
    f = write(tmp_path, {"kiosk": {"mode": "production"}})  # everything else the demo defaults
    assert main(["--config", str(f), "run"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert "[maintenance] pin_hash" in err and "(5 more: `kiosk doctor` lists them)" in err


def test_a_configuration_file_must_name_its_mode(tmp_path):
    f = write(tmp_path, {k: v for k, v in CLEAN.items() if k != "kiosk"})
    with pytest.raises(ConfigError) as e:
        load(f)
    assert str(e.value).startswith(f"{f}: [kiosk] mode must be set")
    bad = write(tmp_path, changed("kiosk", "mode", "live"), "bad.toml")
    with pytest.raises(ConfigError, match=r"\[kiosk\] mode must be production or demo, got 'live'"):
        load(bad)


def test_no_file_is_the_demo(monkeypatch):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    cfg = load(None)
    assert cfg.kiosk.mode == "demo"
    check_production(cfg)


def test_the_shipped_files(tmp_path):
    assert load(ROOT / "config" / "kiosk.example.toml").kiosk.mode == "demo"
    cfg = load(ROOT / "config" / "kiosk.production.toml")
    assert cfg.kiosk.mode == "production"
    # As shipped, the template is refused until the technician sets the kiosk's PIN and token.
    assert [p.key for p in production_problems(cfg)] == ["maintenance.pin_hash", "backend.token"]


def test_tour_in_production_refuses_a_backend(tmp_path, capsys):
    f = write(tmp_path, CLEAN)
    args = ["--config", str(f), "tour", "--out", str(tmp_path / "o"), "--backend", "https://review.example.invalid",
            "--token", "t", "--kiosk-id", "HK-KIOSK-0042"]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("kiosk tour: refused in production mode") and "never https://review.example.invalid" in err
    assert "\n" not in err


class Listener:
    """A TCP port standing for the configured review service: counts every connection."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


def test_tour_on_a_production_configuration_never_reaches_its_service_or_data(tmp_path):
    service = Listener()
    data = tmp_path / "production-data"
    sections = changed("backend", "url", f"https://127.0.0.1:{service.port}")
    sections = {**sections, "kiosk": {**sections["kiosk"], "data_dir": str(data)},
                "devices": {**sections["devices"], "printer": "network://127.0.0.1:1"}}
    f = write(tmp_path, sections)
    env = {k: v for k, v in os.environ.items() if k not in ("KIOSK_DATA_DIR", "KIOSK_CONFIG", "DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", KIOSK_LOG_LEVEL="WARNING")
    r = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(f), "tour", "--out", str(tmp_path / "out")],
                       capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert "the tour runs as a demo" in r.stdout
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["application_id"]
    assert service.connections == 0
    assert not data.exists()  # no outbox, no log in the kiosk's own data directory
    service.sock.close()
