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
    f.write_text('[kiosk]\nmode = "demo"\ndata_dir = "/var/lib/elsewhere"\n', encoding="utf-8")
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


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("[timeouts]\nidle_s = 99999999999\n", "idle_s must be at least 10 and at most 3600"),
        ("[devices]\ncamera_fps = 0\n", "camera_fps must be from 1 to 120"),
        ("[devices]\nprinter = 'usb://zz:5011'\n", "[devices] printer is not usable: USB vendor id"),
        ("[devices]\nprinter = 'network://h:99999'\n", "the port must be a number from 1 to 65535"),
        ("[devices]\ncard_reader = 'sdk'\n", "[devices] sdk_library must name the vendor's sdtapi library"),
        ("[devices]\ncard_reader = 'sdk'\nsdk_library = '/nope/libsdtapi.so'\n", "'/nope/libsdtapi.so' is not a file"),
        ("[backend]\nauto_review_s = inf\n", "auto_review_s must be from 0 to 3600"),
        ('[kiosk]\ndata_dir = "a\\u0000b"\n', "data_dir must not contain a NUL character"),
        ("[maintenance]\nlockout_s = -1\n", "lockout_s must be from 60 to 86400"),
        ("[maintenance]\nlockout_s = 0\n", "lockout_s must be from 60 to 86400"),
        ("[outbox]\nmin_free_mb = 0\n", "min_free_mb must be from 1 to 10240 MiB"),
    ],
)
def test_values_of_the_right_type_but_out_of_range(tmp_path, toml, needle):
    f = tmp_path / "kiosk.toml"
    f.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load(f)
    assert needle in str(e.value)
    assert str(e.value).startswith(f"{f}: ")


def test_a_file_that_cannot_be_read_as_toml_text_is_named(tmp_path, monkeypatch):
    bad = tmp_path / "latin1.toml"
    bad.write_bytes(b"[kiosk]\nlocation = 'caf\xe9'\n")
    with pytest.raises(ConfigError, match="not UTF-8 text") as e:
        load(bad)
    assert str(e.value).startswith(f"{bad}: ")
    with pytest.raises(ConfigError, match="is a directory") as e:
        load(tmp_path)
    assert str(e.value).startswith(f"{tmp_path}: ")
    monkeypatch.setenv("KIOSK_CONFIG", str(tmp_path / "absent.toml"))
    with pytest.raises(ConfigError, match=r"not found \(named by \$KIOSK_CONFIG\)"):
        load(None)


def test_outbox_key_path_must_be_able_to_be_a_file(tmp_path):
    (tmp_path / "keys").mkdir()
    (tmp_path / "plain").write_text("x", encoding="utf-8")
    f = tmp_path / "kiosk.toml"
    f.write_text(f"[outbox]\nkey_path = '{tmp_path / 'keys'}'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[outbox\] key_path '.*keys' is a directory; it must name the key file") as e:
        load(f)
    assert "chmod" not in str(e.value)
    f.write_text(f"[outbox]\nkey_path = '{tmp_path / 'plain' / 'outbox.key'}'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot be created: .*plain is a file"):
        load(f)


def test_overrides_from_flags_name_the_flag(monkeypatch):
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    cfg = load(None)
    with pytest.raises(ConfigError) as e:
        cfg.with_overrides(labels={"devices.printer": "--printer"}, devices={"printer": "lp0"})
    assert str(e.value).startswith("--printer: must be a URI sim://")
    assert "<defaults>" not in str(e.value)
    with pytest.raises(ConfigError) as e:
        cfg.with_overrides(labels={"devices.sdk_port": "--sdk-port"}, devices={"sdk_port": "usb"})
    assert str(e.value) == "--sdk-port: must be int, got str 'usb'"
    # Without a label the source is named, as for a file.
    with pytest.raises(ConfigError, match=r"^<defaults>: \[devices\] printer must be a URI"):
        cfg.with_overrides(devices={"printer": "lp0"})


def test_data_dir_that_cannot_be_a_directory(tmp_path, monkeypatch):
    from kiosk.config import check_data_dir

    (tmp_path / "plain").write_text("x", encoding="utf-8")
    cfg = load(None)
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "plain"))
    with pytest.raises(ConfigError, match=r"^KIOSK_DATA_DIR .*plain: is a file; it must be a directory"):
        check_data_dir(cfg)
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "plain" / "data"))
    with pytest.raises(ConfigError, match="cannot be created, .*plain is a file"):
        check_data_dir(cfg)
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "new" / "data"))
    check_data_dir(cfg)  # can be created: fine


def test_a_pin_hash_with_too_few_iterations_is_refused_and_the_demo_hash_is_valid(tmp_path):
    """Issue 17, case 7: validation accepted a PIN hash of 1 iteration (a 6-digit PIN is then
    guessed in a moment from a copied configuration)."""
    from kiosk.domain.maintenance import DEMO_PIN_HASH, MIN_ITERATIONS, hash_pin

    f = tmp_path / "kiosk.toml"
    for weak in (hash_pin("2468", iterations=1), hash_pin("2468", iterations=MIN_ITERATIONS - 1)):
        f.write_text(f"[maintenance]\npin_hash = '{weak}'\n", encoding="utf-8")
        with pytest.raises(ConfigError, match=r"\[maintenance\] pin_hash uses \d+ PBKDF2 iterations; it must use from 100000"):
            load(f)
    f.write_text("[maintenance]\npin_hash = 'pbkdf2_sha256$200000$salt$nothex'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must come from `kiosk maintenance hash-pin`"):
        load(f)
    f.write_text(f"[kiosk]\nmode = 'demo'\n[maintenance]\npin_hash = '{hash_pin('2468', iterations=MIN_ITERATIONS)}'\n", encoding="utf-8")
    assert load(f).maintenance.lockout_s == 300
    assert load(None).maintenance.pin_hash == DEMO_PIN_HASH  # the defaults (and the demo PIN) stay valid


def test_every_shipped_configuration_is_valid():
    for f in sorted((Path(__file__).resolve().parents[1] / "config").glob("*.toml")):
        load(f)
