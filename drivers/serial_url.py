"""Turn our serial device URLs into what ``serial.serial_for_url`` takes.

URL formats (conventions.md §3), the same for every serial device:

    /dev/ttyUSB0, COM3                              a local port (short for serial://)
    serial:///dev/ttyUSB0?baudrate=115200           ours: the path goes to pyserial as is
    socket://host:port, loop://, rfc2217://host:port,
    hwgrep://1eab:0d10, spy:///dev/ttyUSB0?file=x.log,
    alt:///dev/ttyUSB0?class=PosixPollSerial         pyserial's own URLs, passed through

Each driver adds options of its own to the query (the reader's ``poll``, the scanner's
``suffix``, the printer's ``profile`` ...) and names them when it calls ``serial_target``;
they are dropped, as are the line settings (``baudrate``, ``rtscts``, ``dsrdtr``,
``xonxoff``), which go to ``serial_for_url`` as arguments. Whatever else is in the query
belongs to pyserial's URL handler (``spy``'s ``file``, ``hwgrep``'s ``n``); on
``serial://``, which has no handler, it is an error.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from drivers.errors import UnsupportedBackend
from drivers.url import DeviceUrl, parse_device_url

PYSERIAL_SCHEMES = ("serial", "socket", "loop", "rfc2217", "hwgrep", "spy", "alt")
LINE_SETTINGS = ("baudrate", "rtscts", "dsrdtr", "xonxoff")
_TRUE = ("1", "true", "yes", "on")


@dataclass(frozen=True)
class SerialTarget:
    """What to open: ``url`` for ``serial_for_url`` and the line settings as arguments."""

    url: str
    baudrate: int
    rtscts: bool = False
    dsrdtr: bool = False
    xonxoff: bool = False

    def settings(self) -> dict[str, Any]:
        """Keyword arguments for ``serial.serial_for_url``."""
        return {"baudrate": self.baudrate, "rtscts": self.rtscts, "dsrdtr": self.dsrdtr, "xonxoff": self.xonxoff}


def is_serial_url(url: str | DeviceUrl) -> bool:
    """True when ``url`` names a port pyserial opens (a path, ``COM3``, or a pyserial URL)."""
    parsed = url if isinstance(url, DeviceUrl) else parse_device_url(url)
    return parsed.scheme in PYSERIAL_SCHEMES


def serial_target(
    url: str | DeviceUrl, driver_options: Collection[str] = (), default_baudrate: int = 9600
) -> SerialTarget:
    """Return what ``serial_for_url`` takes for ``url``, without the driver's own options."""
    parsed = url if isinstance(url, DeviceUrl) else parse_device_url(url)
    if parsed.scheme not in PYSERIAL_SCHEMES:
        raise UnsupportedBackend(
            f"{parsed.raw!r} is not a serial port URL (a device path, COM3, or one of"
            f" {', '.join(s + '://' for s in PYSERIAL_SCHEMES)})"
        )
    rest = {k: v for k, v in parsed.options.items() if k not in driver_options and k not in LINE_SETTINGS}
    if parsed.scheme == "serial":
        if not parsed.location:
            raise UnsupportedBackend(f"{parsed.raw!r}: serial:// needs a device path")
        if rest:
            raise UnsupportedBackend(f"{parsed.raw}: unknown option(s) {', '.join(sorted(rest))}")
        target = parsed.location
    else:
        target = f"{parsed.scheme}://{parsed.location}" + (f"?{urlencode(rest)}" if rest else "")
    return SerialTarget(
        target,
        baudrate=parsed.option_int("baudrate", default_baudrate),
        rtscts=parsed.options.get("rtscts", "0").lower() in _TRUE,
        dsrdtr=parsed.options.get("dsrdtr", "0").lower() in _TRUE,
        xonxoff=parsed.options.get("xonxoff", "0").lower() in _TRUE,
    )


def without_options(url: str | DeviceUrl, driver_options: Collection[str]) -> str:
    """``url`` as a device URL (bare paths spelled ``serial://``) minus the driver's options."""
    parsed = url if isinstance(url, DeviceUrl) else parse_device_url(url)
    kept = {k: v for k, v in parsed.options.items() if k not in driver_options}
    return f"{parsed.scheme}://{parsed.location}" + (f"?{urlencode(kept)}" if kept else "")
