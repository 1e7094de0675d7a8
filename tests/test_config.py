"""Configuration: one TOML file, validated, with clear errors; KIOSK_DATA_DIR wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import ConfigError, load

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_serve_make_run(monkeypatch):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    cfg = load(None)
    assert cfg.backend.url == "embedded"
    assert (cfg.devices.card_reader, cfg.devices.camera, cfg.devices.printer) == ("sim", "sim", "sim://")
    assert cfg.ui.language == "zh"
    assert cfg.timeouts.warning_s >= 20


def test_example_file_loads():
    cfg = load(ROOT / "config" / "kiosk.example.toml")
    assert cfg.kiosk.id == "HK-KIOSK-0001"


def test_data_dir_env_overrides(tmp_path, monkeypatch):
    f = tmp_path / "k.toml"
    f.write_text('[kiosk]\ndata_dir = "/var/lib/elsewhere"\n', encoding="utf-8")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "d"))
    assert load(f).data_dir == (tmp_path / "d").resolve()
    monkeypatch.delenv("KIOSK_DATA_DIR")
    assert load(f).data_dir == Path("/var/lib/elsewhere")


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("[timeouts]\nwarning_s = 5\n", "warning_s must be at least 20"),
        ("[devices]\ncard_reader = 'magic'\n", "card_reader must be sim, pcsc or sdk"),
        ("[devices]\nprinter = 'lp0'\n", "printer must be a URI"),
        ("[kiosk]\nid = 'x'\n", "[kiosk] id"),
        ("[backend]\nurl = 'ftp://x'\n", "url must be 'embedded'"),
        ("[backend]\ntimeout_s = 'ten'\n", "timeout_s must be float"),
        ("[ui]\nlanguage = 'fr'\n", "language must be zh or en"),
        ("[ui]\ncolour = 'red'\n", "has no setting 'colour'"),
        ("[nonsense]\na = 1\n", "unknown section [nonsense]"),
        ("this is = = not toml", "not valid TOML"),
        ("[backend]\nca_bundle = '/nope/ca.pem'\n", "ca_bundle"),
    ],
)
def test_bad_values_name_the_file_key_and_fix(tmp_path, toml, needle):
    f = tmp_path / "kiosk.toml"
    f.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load(f)
    assert needle in str(e.value)
    assert str(f) in str(e.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load(tmp_path / "absent.toml")


def test_cli_reports_config_errors(tmp_path, capsys):
    from kiosk.cli import main

    f = tmp_path / "bad.toml"
    f.write_text("[ui]\nlanguage = 'fr'\n", encoding="utf-8")
    assert main(["--config", str(f), "tour", "--out", str(tmp_path / "o")]) == 2
    assert "language must be zh or en" in capsys.readouterr().err
