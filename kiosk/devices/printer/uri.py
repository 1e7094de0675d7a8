"""Printer URIs: :func:`parse_printer_uri` (the one parser, also used by :mod:`kiosk.config`).

The forms::

    usb://VID:PID[?in_ep=0x82&out_ep=0x01]      e.g. usb://0x0416:0x5011 (hex, 0x optional)
    serial:///dev/ttyS0[?baudrate=9600&parity=N&stopbits=1&bytesize=8&flow=dsrdtr]
    network://HOST[:PORT]                        port 9100 by default; [v6] addresses allowed
    cups://QUEUE                                 a raw CUPS queue (needs the pycups package)
    sim://                                       the simulated printer (kiosk.devices.printer.sim)

USB needs ``pyusb``, serial ``pyserial``, CUPS ``pycups``. A missing package is not a crash:
:func:`missing_dependency` says what to install and the printer reports ``OFFLINE``.
"""

from __future__ import annotations

import urllib.parse
from dataclasses import dataclass, field

__all__ = ["SCHEMES", "PrinterTarget", "missing_dependency", "parse_printer_uri"]

SCHEMES: tuple[str, ...] = ("usb", "serial", "network", "cups", "sim")


@dataclass(frozen=True)
class PrinterTarget:
    """A parsed printer URI."""

    kind: str  # usb | serial | network | cups | sim
    host: str = ""  # network
    port: int = 9100  # network
    vendor_id: int = 0  # usb
    product_id: int = 0  # usb
    in_ep: int = 0x82  # usb
    out_ep: int = 0x01  # usb
    device: str = ""  # serial
    baudrate: int = 9600  # serial
    bytesize: int = 8  # serial
    parity: str = "N"  # serial: N | E | O
    stopbits: int = 1  # serial
    flow: str = "dsrdtr"  # serial: dsrdtr | rtscts | xonxoff | none
    queue: str = ""  # cups (empty: the default queue)
    options: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def summary(self) -> str:
        """A short description for the test page, logs and the technician (no secrets)."""
        match self.kind:
            case "network":
                host = f"[{self.host}]" if ":" in self.host else self.host
                return f"network://{host}:{self.port}"
            case "usb":
                return f"usb://{self.vendor_id:04x}:{self.product_id:04x}"
            case "serial":
                return f"serial://{self.device}?baudrate={self.baudrate}"
            case "cups":
                return f"cups://{self.queue}"
            case _:
                return "sim://"


def _int(value: str, what: str, base: int = 10) -> int:
    try:
        return int(value, base)
    except ValueError:
        raise ValueError(f"{what} must be a number, got {value!r}") from None


def _hex_id(value: str, what: str) -> int:
    text = value.strip().lower().removeprefix("0x")
    if not text or len(text) > 4 or any(ch not in "0123456789abcdef" for ch in text):
        raise ValueError(f"{what} must be a 4-digit hex number such as 0416, got {value!r}")
    return int(text, 16)


def parse_printer_uri(uri: str) -> PrinterTarget:
    """Parse a printer URI (forms in the module notes). Raises ValueError with a message
    that says what is wrong and what is expected."""
    if not isinstance(uri, str) or "://" not in uri:
        raise ValueError(
            f"printer must be a URI like network://HOST:PORT, usb://VID:PID, serial:///dev/ttyS0, "
            f"cups://QUEUE or sim://, got {uri!r}"
        )
    scheme, rest = uri.split("://", 1)
    scheme = scheme.lower()
    if scheme not in SCHEMES:
        raise ValueError(f"unknown printer scheme {scheme!r} in {uri!r}: use one of {', '.join(SCHEMES)}")
    parsed = urllib.parse.urlsplit(uri)
    query = dict(urllib.parse.parse_qsl(parsed.query, keep_blank_values=True))

    def unknown(allowed: set[str]) -> None:
        bad = sorted(set(query) - allowed)
        if bad:
            raise ValueError(f"{uri!r}: unknown option(s) {', '.join(bad)} (allowed: {', '.join(sorted(allowed)) or 'none'})")

    if scheme == "sim":
        return PrinterTarget("sim", options=query)
    if scheme == "network":
        unknown(set())
        host = parsed.hostname or ""
        if not host:
            raise ValueError(f"{uri!r}: network printer needs a host, e.g. network://192.168.1.50:9100")
        try:
            port = parsed.port or 9100
        except ValueError:
            raise ValueError(f"{uri!r}: the port must be a number from 1 to 65535") from None
        if parsed.path not in ("", "/"):
            raise ValueError(f"{uri!r}: a network printer URI has no path, e.g. network://192.168.1.50:9100")
        return PrinterTarget("network", host=host, port=port)
    if scheme == "usb":
        unknown({"in_ep", "out_ep"})
        ids = rest.split("?", 1)[0].strip("/")
        if ids.count(":") != 1:
            raise ValueError(f"{uri!r}: USB printer is usb://VID:PID in hex, e.g. usb://0416:5011")
        vid_text, pid_text = ids.split(":")
        vid, pid = _hex_id(vid_text, "USB vendor id"), _hex_id(pid_text, "USB product id")
        if not vid or not pid:
            raise ValueError(f"{uri!r}: USB vendor and product ids must not be 0")
        in_ep = _int(query.get("in_ep", "0x82"), "in_ep", 0)
        out_ep = _int(query.get("out_ep", "0x01"), "out_ep", 0)
        return PrinterTarget("usb", vendor_id=vid, product_id=pid, in_ep=in_ep, out_ep=out_ep)
    if scheme == "serial":
        unknown({"baudrate", "bytesize", "parity", "stopbits", "flow"})
        device = urllib.parse.unquote(rest.split("?", 1)[0])
        if not device:
            raise ValueError(f"{uri!r}: serial printer needs a device, e.g. serial:///dev/ttyS0?baudrate=9600")
        baudrate = _int(query.get("baudrate", "9600"), "baudrate")
        if baudrate not in (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400):
            raise ValueError(f"{uri!r}: unusual baudrate {baudrate}; printers use 9600, 19200, 38400 or 115200")
        bytesize = _int(query.get("bytesize", "8"), "bytesize")
        if bytesize not in (7, 8):
            raise ValueError(f"{uri!r}: bytesize must be 7 or 8")
        parity = query.get("parity", "N").upper()
        if parity not in ("N", "E", "O"):
            raise ValueError(f"{uri!r}: parity must be N, E or O")
        stopbits = _int(query.get("stopbits", "1"), "stopbits")
        if stopbits not in (1, 2):
            raise ValueError(f"{uri!r}: stopbits must be 1 or 2")
        flow = query.get("flow", "dsrdtr").lower()
        if flow not in ("dsrdtr", "rtscts", "xonxoff", "none"):
            raise ValueError(f"{uri!r}: flow must be dsrdtr, rtscts, xonxoff or none")
        return PrinterTarget(
            "serial", device=device, baudrate=baudrate, bytesize=bytesize, parity=parity, stopbits=stopbits, flow=flow
        )
    # cups
    unknown(set())
    queue = urllib.parse.unquote(rest.split("?", 1)[0]).strip("/")
    if "/" in queue:
        raise ValueError(f"{uri!r}: a CUPS queue name has no '/', e.g. cups://receipt")
    return PrinterTarget("cups", queue=queue)


def missing_dependency(target: PrinterTarget) -> str | None:
    """What is missing to use ``target`` on this machine (a sentence), or None."""
    import importlib.util

    need = {"usb": ("usb", "pyusb"), "serial": ("serial", "pyserial"), "cups": ("cups", "pycups")}.get(target.kind)
    if need is None or importlib.util.find_spec(need[0]) is not None:
        return None
    extra = " (and the system package libcups2-dev to build it)" if target.kind == "cups" else ""
    return f"{target.kind}:// printers need the Python package {need[1]}{extra}, which is not installed"
