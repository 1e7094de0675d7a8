"""Configuration: one TOML file with validated values and clear errors.

Defaults serve ``make run`` (simulated devices, embedded review-service simulator).
The data directory holds all state (simulator database, logs, captures, outbox); the
environment variable ``KIOSK_DATA_DIR`` overrides it.
"""

from __future__ import annotations

import logging
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from kiosk.domain.changes import ChangePolicy, ReissuePolicy
from kiosk.domain.maintenance import DEMO_PIN, DEMO_PIN_HASH, check_pin, pin_hash_problem
from kiosk.domain.rules import RenewalPolicy

#: The shortest lockout after wrong technician PINs (a shorter one barely slows a guesser).
MIN_LOCKOUT_S = 60
KIOSK_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$")
MODES = ("production", "demo")
DEV_TOKEN = "dev-kiosk-token"  # the development token; the embedded simulator's demo token


class ConfigError(ValueError):
    """A configuration value is missing or wrong; the message names the file, key and fix.

    ``key`` (``"section.key"``) is the setting it is about, when it is about one, and
    ``detail`` what is wrong with it without where it was set: :meth:`Config.with_overrides`
    uses them to name the command-line flag that set the value instead of the file.
    """

    def __init__(self, message: str, *, key: str | None = None, detail: str | None = None) -> None:
        super().__init__(message)
        self.key = key
        self.detail = detail if detail is not None else message


@dataclass(frozen=True)
class KioskSection:
    # "production": a kiosk in a hall (demo settings refused, see production_problems);
    # "demo": demonstrations and development. The built-in defaults (no file) are the demo;
    # a configuration file must say which it is (load() refuses a file without it).
    mode: str = "demo"
    id: str = "HK-KIOSK-0001"
    location: str = "海口市政务服务中心一楼大厅"
    location_en: str = "Haikou Government Service Centre, ground floor"
    help_phone: str = "0898-110"
    help_hours: str = "周一至周五 8:30–12:00，14:30–17:30"  # when the hall's counter has staff
    help_hours_en: str = "Monday to Friday 8:30–12:00 and 14:30–17:30"
    data_dir: str = "~/.local/share/haikou-kiosk"


@dataclass(frozen=True)
class BackendSection:
    url: str = "embedded"  # "embedded": start the review-service simulator in-process
    token: str = DEV_TOKEN
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
    speech: str = "sim"  # sim (silent, records what it would say) | espeak (espeak-ng: Mandarin and English)
    speech_volume: int = 80  # 0 (muted) .. 100; the resident changes it on screen for the session


@dataclass(frozen=True)
class TimeoutsSection:
    idle_s: int = 90  # no touch for this long -> "Are you still there?"
    warning_s: int = 30  # the countdown on that warning (WCAG 2.2.1: at least 20 s)
    done_s: int = 60  # the done screen returns to attract after this long (counted down on screen)
    card_left_help_s: int = 60  # an ID card still on the reader this long after a session: ask staff


@dataclass(frozen=True)
class UiSection:
    language: str = "zh"  # zh | en: the language each session starts in
    fullscreen: bool = True
    elder_mode: bool = False
    show_cursor: bool = False  # a kiosk shows no mouse pointer; the demo configuration shows it


@dataclass(frozen=True)
class OutboxSection:
    key_path: str = ""  # AES-GCM key of the outbox (mode 0600); empty = <data_dir>/outbox.key
    submit_wait_s: float = 5.0  # after submit, wait this long for the number before printing "queued"
    min_free_mb: int = 64  # free space the data directory keeps after a commit; below it: out of service


@dataclass(frozen=True)
class MaintenanceSection:
    # PBKDF2 hash of the technician PIN: `kiosk maintenance hash-pin` makes one.
    # The default is the demo PIN 246810: set your own on every real kiosk.
    pin_hash: str = DEMO_PIN_HASH
    lockout_s: int = 300  # after 3 wrong PINs (at least 60); it survives a restart
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

    def with_overrides(self, *, labels: Mapping[str, str] | None = None, **sections: dict[str, Any]) -> Config:
        """A copy with some values replaced, validated like a file (used by the CLI and tests).

        ``labels`` maps ``"section.key"`` to where its value came from, e.g.
        ``{"devices.printer": "--printer"}``: an error about that setting then reads
        ``--printer: must be a URI ...`` rather than naming the configuration file.
        """
        try:
            cfg = self
            for name, values in sections.items():
                section = _section(type(getattr(cfg, name)), values, cfg.source, name, getattr(cfg, name))
                cfg = replace(cfg, **{name: section})
            validate(cfg)
        except ConfigError as e:
            label = (labels or {}).get(e.key or "")
            if label is None:
                raise
            raise ConfigError(f"{label}: {e.detail}", key=e.key, detail=e.detail) from None
        return cfg


_SECTIONS = {f.name: f for f in fields(Config) if f.name != "source"}


def _error(source: str, key: str, detail: str) -> ConfigError:
    """The error about setting ``key`` (``"section.name"``) given in ``source``."""
    section, name = key.split(".")
    return ConfigError(f"{source}: [{section}] {name} {detail}", key=key, detail=detail)


def _section(cls: type, values: dict[str, Any], source: str, name: str, base: Any = None) -> Any:
    if not isinstance(values, dict):
        raise ConfigError(f"{source}: [{name}] must be a table")
    known = {f.name: f for f in fields(cls)}
    out = {}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{source}: [{name}] has no setting {key!r}; known: {', '.join(sorted(known))}")

        def wrong(detail: str, setting: str = f"{name}.{key}") -> ConfigError:
            return _error(source, setting, detail)

        want = type(getattr(base if base is not None else cls(), key))
        if want is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if want is tuple and isinstance(value, list):
            if not all(isinstance(v, str) and v for v in value):
                raise wrong("must be a list of non-empty strings")
            value = tuple(value)
        if not isinstance(value, want) or (want is int and isinstance(value, bool)):
            raise wrong(f"must be {want.__name__}, got {type(value).__name__} {value!r}")
        if want is str and "\x00" in value:
            raise wrong("must not contain a NUL character")
        out[key] = value
    return replace(base if base is not None else cls(), **out)


def validate(cfg: Config) -> None:
    src = cfg.source

    def need(ok: bool, key: str, detail: str) -> None:
        """``key`` is ``"section.key"``; ``detail`` says what is allowed (and what was given)."""
        if not ok:
            raise _error(src, key, detail)

    def within(key: str, low: float, high: float, unit: str = "") -> None:
        section, name = key.split(".")
        value = getattr(getattr(cfg, section), name)
        need(low <= value <= high, key, f"must be from {low:g} to {high:g}{unit}, got {value!r}")

    need(cfg.kiosk.mode in MODES, "kiosk.mode", f"must be production or demo, got {cfg.kiosk.mode!r}")
    need(bool(KIOSK_ID_RE.match(cfg.kiosk.id)), "kiosk.id", f"{cfg.kiosk.id!r} must match {KIOSK_ID_RE.pattern}")
    b = cfg.backend
    need(
        b.url == "embedded" or b.url.startswith(("http://", "https://")),
        "backend.url",
        f"must be 'embedded' or an http(s) URL, got {b.url!r}",
    )
    need(bool(b.token), "backend.token", "must not be empty")
    need(0 < b.timeout_s <= 120, "backend.timeout_s", f"must be in (0, 120], got {b.timeout_s}")
    within("backend.auto_review_s", 0, 3600, " seconds")
    for key in ("ca_bundle", "client_cert", "client_key"):
        p = getattr(b, key)
        need(not p or Path(p).expanduser().is_file(), f"backend.{key}", f"{p!r} is not a file")
    d = cfg.devices
    need(d.card_reader in ("sim", "pcsc", "sdk"), "devices.card_reader", f"must be sim, pcsc or sdk, got {d.card_reader!r}")
    need(
        d.card_reader != "sdk" or bool(d.sdk_library),
        "devices.sdk_library",
        "must name the vendor's sdtapi library when card_reader is 'sdk'",
    )
    need(
        d.card_reader != "sdk" or "/" not in d.sdk_library or Path(d.sdk_library).expanduser().is_file(),
        "devices.sdk_library",
        f"{d.sdk_library!r} is not a file",
    )
    need(
        d.sdk_port == 0 or 1 <= d.sdk_port <= 16 or 1001 <= d.sdk_port <= 1016,
        "devices.sdk_port",
        f"must be 0 (automatic), 1-16 (serial) or 1001-1016 (USB), got {d.sdk_port}",
    )
    need(d.camera in ("sim", "opencv"), "devices.camera", f"must be sim or opencv, got {d.camera!r}")
    within("devices.camera_width", 160, 7680, " pixels")
    within("devices.camera_height", 120, 4320, " pixels")
    within("devices.camera_fps", 1, 120)
    need(
        re.match(r"^(sim|network|usb|serial|cups)://", d.printer) is not None,
        "devices.printer",
        f"must be a URI sim://, network://HOST:PORT, usb://VID:PID, serial://DEVICE or cups://QUEUE, got {d.printer!r}",
    )
    problem = _printer_uri_problem(d.printer)
    need(problem is None, "devices.printer", f"is not usable: {problem}")
    need(d.paper_width_chars in (32, 48), "devices.paper_width_chars", "must be 32 (58 mm) or 48 (80 mm)")
    need(d.printer_mode in ("gb18030", "raster"), "devices.printer_mode", f"must be gb18030 or raster, got {d.printer_mode!r}")
    t = cfg.timeouts
    need(10 <= t.idle_s <= 3600, "timeouts.idle_s", f"must be at least 10 and at most 3600, got {t.idle_s}")
    need(20 <= t.warning_s <= 600, "timeouts.warning_s", f"must be at least 20 (WCAG 2.2.1) and at most 600, got {t.warning_s}")
    need(5 <= t.done_s <= 600, "timeouts.done_s", f"must be at least 5 and at most 600, got {t.done_s}")
    need(10 <= t.card_left_help_s <= 3600, "timeouts.card_left_help_s", f"must be at least 10 and at most 3600, got {t.card_left_help_s}")
    need(d.speech in ("sim", "espeak"), "devices.speech", f"must be sim or espeak, got {d.speech!r}")
    within("devices.speech_volume", 0, 100)
    need(cfg.ui.language in ("zh", "en"), "ui.language", f"must be zh or en, got {cfg.ui.language!r}")
    r = cfg.renewal
    need(1 <= r.window_months <= 12, "renewal.window_months", "must be 1..12")
    need(0 <= r.suspended_max_days <= 3650, "renewal.suspended_max_days", "must be 0..3650")
    need(1 <= cfg.info_change.report_within_days <= 365, "info_change.report_within_days", "must be 1..365")
    need(0 <= cfg.reissue.fee_cny <= 1000, "reissue.fee_cny", "must be 0..1000")
    need(0 <= cfg.reissue.renew_first_after_months <= 12, "reissue.renew_first_after_months", "must be 0..12")
    need(0 <= cfg.outbox.submit_wait_s <= 60, "outbox.submit_wait_s", "must be 0..60")
    within("outbox.min_free_mb", 1, 10240, " MiB")
    _validate_key_path(cfg)
    m = cfg.maintenance
    problem = pin_hash_problem(m.pin_hash)
    need(problem is None, "maintenance.pin_hash", str(problem))
    within("maintenance.lockout_s", MIN_LOCKOUT_S, 86400, " seconds")
    within("maintenance.keep_failed_receipt_s", 0, 86400, " seconds")


def _validate_key_path(cfg: Config) -> None:
    key_path = cfg.outbox.key_path
    if not key_path:
        return
    if Path(key_path).expanduser().is_dir():
        raise _error(cfg.source, "outbox.key_path",
                     f"{key_path!r} is a directory; it must name the key file (e.g. {str(Path(key_path) / 'outbox.key')!r})")
    blocker = file_in_the_way(Path(key_path).expanduser().absolute())
    if blocker is not None:
        raise _error(cfg.source, "outbox.key_path", f"{key_path!r} cannot be created: {blocker} is a file")


def _printer_uri_problem(uri: str) -> str | None:
    """What the printer's own URI parser says is wrong with ``uri``, None if nothing."""
    from kiosk.devices.printer.uri import parse_printer_uri  # the one parser of printer URIs

    try:
        parse_printer_uri(uri)
    except ValueError as e:
        return str(e)
    return None


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def check_log_level() -> None:
    """Raise :class:`ConfigError` if ``$KIOSK_LOG_LEVEL`` is set to something logging refuses."""
    level = os.environ.get("KIOSK_LOG_LEVEL")
    if level and level not in logging.getLevelNamesMapping():  # what logging.basicConfig accepts
        raise ConfigError(f"KIOSK_LOG_LEVEL {level!r}: must be one of {', '.join(LOG_LEVELS)}")


def check_data_dir(cfg: Config, *, writable: bool = True) -> None:
    """Raise :class:`ConfigError` if the data directory is not a directory and cannot be
    made one (a file, under a file, or in a directory that cannot be written), or, with
    ``writable``, is an existing directory that cannot be written."""
    env = os.environ.get("KIOSK_DATA_DIR")
    where = f"KIOSK_DATA_DIR {env}" if env else f"{cfg.source}: [kiosk] data_dir {cfg.kiosk.data_dir!r}"
    key = None if env else "kiosk.data_dir"
    path = cfg.data_dir
    if path.is_dir():
        if writable and not os.access(path, os.W_OK | os.X_OK):
            raise ConfigError(f"{where}: the directory {path} is not writable", key=key)
        return
    if path.exists():
        raise ConfigError(f"{where}: is a file; it must be a directory (or not exist yet)", key=key)
    blocker = file_in_the_way(path)
    if blocker is not None:
        raise ConfigError(f"{where}: cannot be created, {blocker} is a file; it must be a directory", key=key)
    parent = path.parent
    while not parent.exists():
        parent = parent.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ConfigError(f"{where}: cannot be created, the directory {parent} is not writable", key=key)


def file_in_the_way(path: Path) -> Path | None:
    """The nearest existing ancestor of ``path`` if it is not a directory (then ``path``
    cannot be created), else None."""
    parent = path.parent
    while not parent.exists():
        parent = parent.parent
    return None if parent.is_dir() else parent


def load(path: str | os.PathLike[str] | None = None) -> Config:
    """Load ``path`` (or ``$KIOSK_CONFIG``); no file means the defaults."""
    named_by = "" if path else " (named by $KIOSK_CONFIG)"
    path = path or os.environ.get("KIOSK_CONFIG")
    if not path:
        cfg = Config()
        validate(cfg)
        return cfg
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{p}: configuration file not found{named_by}") from None
    except IsADirectoryError:
        raise ConfigError(f"{p}: is a directory; the configuration must be a TOML file") from None
    except OSError as e:
        raise ConfigError(f"{p}: cannot read the configuration file: {e.strerror or e}") from None
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ConfigError(f"{p}: not UTF-8 text (byte {e.start}); the configuration must be a UTF-8 TOML file") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{p}: not valid TOML: {e}") from None
    except RecursionError:
        raise ConfigError(f"{p}: not valid TOML: nested too deeply") from None
    cfg = Config(source=str(p))
    for name, values in raw.items():
        if name not in _SECTIONS:
            raise ConfigError(f"{p}: unknown section [{name}]; known: {', '.join(_SECTIONS)}")
        cfg = replace(cfg, **{name: _section(type(getattr(cfg, name)), values, str(p), name, getattr(cfg, name))})
    validate(cfg)
    if "mode" not in raw.get("kiosk", {}):  # a file never falls back to a mode by itself
        raise _error(
            str(p), "kiosk.mode",
            'must be set: "production" on a kiosk in a hall, "demo" for demonstrations and development',
        )
    return cfg


def production_problems(cfg: Config) -> list[ConfigError]:
    """What production mode refuses in ``cfg``, one error per setting (empty: none).

    Checked whatever the mode (``kiosk doctor`` reports them for a demo configuration too);
    :func:`check_production` refuses to start with them in production mode.
    """
    src = cfg.source
    out: list[ConfigError] = []

    def refuse(key: str, detail: str) -> None:
        out.append(_error(src, key, detail))

    if check_pin(DEMO_PIN, cfg.maintenance.pin_hash):
        refuse("maintenance.pin_hash", f"is the demo PIN {DEMO_PIN}; make the kiosk's own with `kiosk maintenance hash-pin`")
    if cfg.backend.token == DEV_TOKEN:
        refuse("backend.token", f"is the development token {DEV_TOKEN!r}; set the token the review service issued to this kiosk")
    url = cfg.backend.url
    if url == "embedded":
        refuse("backend.url", "is the embedded simulator; set the review service's https:// URL")
    elif not url.startswith("https://"):
        refuse("backend.url", f"{url!r} is not HTTPS; the review service must be reached over https://")
    d = cfg.devices
    if d.card_reader == "sim":
        refuse("devices.card_reader", "is the simulated reader; set pcsc or sdk")
    if d.camera == "sim":
        refuse("devices.camera", "is the simulated camera; set opencv with camera_source")
    if d.printer.startswith("sim://"):
        refuse("devices.printer", "is the simulated printer; set the receipt printer's URI (network://, usb://, serial://, cups://)")
    return out


def check_production(cfg: Config) -> None:
    """In production mode, raise the first of :func:`production_problems` (naming how many
    more there are); in demo mode do nothing."""
    if cfg.kiosk.mode != "production":
        return
    problems = production_problems(cfg)
    if problems:
        first = problems[0]
        more = f" ({len(problems) - 1} more: `kiosk doctor` lists them)" if len(problems) > 1 else ""
        raise ConfigError(f"refused in production mode: {first}{more}", key=first.key, detail=first.detail)
