"""Configuration: one TOML file with validated values and clear errors.

Defaults serve ``make run`` (simulated devices, embedded review-service simulator).
The data directory holds all state (simulator database, logs, captures, outbox); the
environment variable ``KIOSK_DATA_DIR`` overrides it.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kiosk.domain.changes import ChangePolicy, ReissuePolicy
from kiosk.domain.maintenance import DEMO_PIN_HASH
from kiosk.domain.rules import RenewalPolicy

KIOSK_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$")


class ConfigError(ValueError):
    """A configuration value is missing or wrong; the message names the file, key and fix."""


@dataclass(frozen=True)
class KioskSection:
    id: str = "HK-KIOSK-0001"
    location: str = "海口市政务服务中心一楼大厅"
    location_en: str = "Haikou Government Service Centre, ground floor"
    help_phone: str = "0898-110"
    data_dir: str = "~/.local/share/haikou-kiosk"


@dataclass(frozen=True)
class BackendSection:
    url: str = "embedded"  # "embedded": start the review-service simulator in-process
    token: str = "dev-kiosk-token"
    timeout_s: float = 10.0
    ca_bundle: str = ""  # path to a CA bundle; empty = system store
    client_cert: str = ""  # PEM with cert (+ key) for mutual TLS; empty = none
    client_key: str = ""
    auto_review_s: float = 0.0  # embedded simulator only: walk new applications to card_ready


@dataclass(frozen=True)
class DevicesSection:
    card_reader: str = "sim"  # sim | pcsc | sdk
    reader_name: str = ""  # pcsc: reader name substring; empty = first reader with a card
    sdk_library: str = ""  # sdk: path of the vendor sdtapi library
    sdk_port: int = 1001  # sdk: 1001-1016 USB, 1-16 serial
    camera: str = "sim"  # sim | opencv
    camera_source: str = ""  # opencv: device index, path or URL; sim: folder of images (empty = built-in)
    camera_width: int = 1280
    camera_height: int = 720
    camera_fps: int = 15
    auto_capture: bool = True  # photograph a page by itself once it has been held still for a second
    printer: str = "sim://"  # sim:// | network://HOST:PORT | usb://VID:PID | serial:///dev/ttyS0 | cups://QUEUE
    paper_width_chars: int = 32  # 32 = 58 mm, 48 = 80 mm
    printer_mode: str = "gb18030"  # gb18030: text in Chinese mode; raster: the receipt as an image


@dataclass(frozen=True)
class TimeoutsSection:
    idle_s: int = 90  # no touch for this long -> "Are you still there?"
    warning_s: int = 30  # the countdown on that warning (WCAG 2.2.1: at least 20 s)
    done_s: int = 30  # the done screen returns to attract after this long


@dataclass(frozen=True)
class UiSection:
    language: str = "zh"  # zh | en: the language each session starts in
    fullscreen: bool = True
    elder_mode: bool = False


@dataclass(frozen=True)
class OutboxSection:
    key_path: str = ""  # AES-GCM key of the outbox (mode 0600); empty = <data_dir>/outbox.key
    submit_wait_s: float = 5.0  # after submit, wait this long for the number before printing "queued"


@dataclass(frozen=True)
class MaintenanceSection:
    # PBKDF2 hash of the technician PIN: `kiosk maintenance hash-pin` makes one.
    # The default is the demo PIN 246810: set your own on every real kiosk.
    pin_hash: str = DEMO_PIN_HASH
    lockout_s: int = 300  # after 3 wrong PINs
    keep_failed_receipt_s: int = 1800  # a receipt that did not print can be reprinted this long


@dataclass(frozen=True)
class Config:
    kiosk: KioskSection = field(default_factory=KioskSection)
    backend: BackendSection = field(default_factory=BackendSection)
    devices: DevicesSection = field(default_factory=DevicesSection)
    timeouts: TimeoutsSection = field(default_factory=TimeoutsSection)
    renewal: RenewalPolicy = field(default_factory=RenewalPolicy)
    info_change: ChangePolicy = field(default_factory=ChangePolicy)
    reissue: ReissuePolicy = field(default_factory=ReissuePolicy)
    ui: UiSection = field(default_factory=UiSection)
    maintenance: MaintenanceSection = field(default_factory=MaintenanceSection)
    outbox: OutboxSection = field(default_factory=OutboxSection)
    source: str = "<defaults>"

    @property
    def data_dir(self) -> Path:
        env = os.environ.get("KIOSK_DATA_DIR")
        return Path(env or self.kiosk.data_dir).expanduser().resolve()

    def with_overrides(self, **sections: dict[str, Any]) -> Config:
        """A copy with some values replaced, validated like a file (used by the CLI and tests)."""
        cfg = self
        for name, values in sections.items():
            cfg = replace(cfg, **{name: _section(type(getattr(cfg, name)), values, cfg.source, name, getattr(cfg, name))})
        validate(cfg)
        return cfg


_SECTIONS = {f.name: f for f in fields(Config) if f.name != "source"}


def _section(cls: type, values: dict[str, Any], source: str, name: str, base: Any = None) -> Any:
    if not isinstance(values, dict):
        raise ConfigError(f"{source}: [{name}] must be a table")
    known = {f.name: f for f in fields(cls)}
    out = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{source}: [{name}] has no setting {key!r}; known: {', '.join(sorted(known))}")
        want = type(getattr(base if base is not None else cls(), key))
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if want is tuple and isinstance(value, list):
            if not all(isinstance(v, str) and v for v in value):
                raise ConfigError(f"{source}: [{name}] {key} must be a list of non-empty strings")
            value = tuple(value)
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            raise ConfigError(
                f"{source}: [{name}] {key} must be {want.__name__}, got {type(value).__name__} {value!r}"
            )
        out[key] = value
    return replace(base if base is not None else cls(), **out)


def validate(cfg: Config) -> None:
    src = cfg.source

    def need(ok: bool, msg: str) -> None:
        if not ok:
            raise ConfigError(f"{src}: {msg}")

    need(bool(KIOSK_ID_RE.match(cfg.kiosk.id)), f"[kiosk] id {cfg.kiosk.id!r} must match {KIOSK_ID_RE.pattern}")
    b = cfg.backend
    need(
        b.url == "embedded" or b.url.startswith(("http://", "https://")),
        f"[backend] url must be 'embedded' or an http(s) URL, got {b.url!r}",
    )
    need(bool(b.token), "[backend] token must not be empty")
    need(0 < b.timeout_s <= 120, f"[backend] timeout_s must be in (0, 120], got {b.timeout_s}")
    need(b.auto_review_s >= 0, "[backend] auto_review_s must be >= 0")
    for key in ("ca_bundle", "client_cert", "client_key"):
        p = getattr(b, key)
        need(not p or Path(p).expanduser().is_file(), f"[backend] {key} {p!r} is not a file")
    d = cfg.devices
    need(d.card_reader in ("sim", "pcsc", "sdk"), f"[devices] card_reader must be sim, pcsc or sdk, got {d.card_reader!r}")
    need(d.card_reader != "sdk" or bool(d.sdk_library), "[devices] card_reader = 'sdk' needs sdk_library")
    need(d.sdk_port == 0 or 1 <= d.sdk_port <= 16 or 1001 <= d.sdk_port <= 1016, "[devices] sdk_port must be 0 (automatic), 1-16 (serial) or 1001-1016 (USB)")
    need(d.camera in ("sim", "opencv"), f"[devices] camera must be sim or opencv, got {d.camera!r}")
    need(
        re.match(r"^(sim|network|usb|serial|cups)://", d.printer) is not None,
        f"[devices] printer must be a URI sim://, network://HOST:PORT, usb://VID:PID, serial://DEVICE or cups://QUEUE, got {d.printer!r}",
    )
    need(d.paper_width_chars in (32, 48), "[devices] paper_width_chars must be 32 (58 mm) or 48 (80 mm)")
    need(d.printer_mode in ("gb18030", "raster"), f"[devices] printer_mode must be gb18030 or raster, got {d.printer_mode!r}")
    t = cfg.timeouts
    need(t.idle_s >= 10, f"[timeouts] idle_s must be at least 10, got {t.idle_s}")
    need(t.warning_s >= 20, f"[timeouts] warning_s must be at least 20 (WCAG 2.2.1), got {t.warning_s}")
    need(t.done_s >= 5, "[timeouts] done_s must be at least 5")
    need(cfg.ui.language in ("zh", "en"), f"[ui] language must be zh or en, got {cfg.ui.language!r}")
    r = cfg.renewal
    need(1 <= r.window_months <= 12, "[renewal] window_months must be 1..12")
    need(1 <= cfg.info_change.report_within_days <= 365, "[info_change] report_within_days must be 1..365")
    need(0 <= cfg.reissue.fee_cny <= 1000, "[reissue] fee_cny must be 0..1000")
    need(0 <= cfg.outbox.submit_wait_s <= 60, "[outbox] submit_wait_s must be 0..60")
    need(cfg.maintenance.pin_hash.startswith("pbkdf2_sha256$"), "[maintenance] pin_hash must come from `kiosk maintenance hash-pin`")
    need(0 <= r.suspended_max_days <= 3650, "[renewal] suspended_max_days must be 0..3650")


def load(path: str | os.PathLike[str] | None = None) -> Config:
    """Load ``path`` (or ``$KIOSK_CONFIG``); no file means the defaults."""
    path = path or os.environ.get("KIOSK_CONFIG")
    if not path:
        cfg = Config()
        validate(cfg)
        return cfg
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{p}: configuration file not found") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{p}: not valid TOML: {e}") from None
    cfg = Config(source=str(p))
    for name, values in raw.items():
        if name not in _SECTIONS:
            raise ConfigError(f"{p}: unknown section [{name}]; known: {', '.join(_SECTIONS)}")
        cfg = replace(cfg, **{name: _section(type(getattr(cfg, name)), values, str(p), name, getattr(cfg, name))})
    validate(cfg)
    return cfg
