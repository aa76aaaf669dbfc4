"""Device URLs: ``scheme://location?option=value``.

``sim://`` selects an in-process simulator; any other scheme is handed to the driver that
claims it (e.g. pyserial URLs such as ``serial:///dev/ttyUSB0?baudrate=115200``,
``socket://host:port``, ``loop://``). Options in the query string are per driver. A bare
device path (``/dev/ttyUSB0``) or Windows port name (``COM3``) is short for ``serial://`` it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from drivers.errors import UnsupportedBackend


@dataclass(frozen=True)
class DeviceUrl:
    raw: str
    scheme: str
    location: str
    options: dict[str, str]

    def option_int(self, key: str, default: int) -> int:
        value = self.options.get(key)
        if value is None:
            return default
        try:
            return int(value)
        except ValueError:
            raise UnsupportedBackend(f"{self.raw}: option {key} must be a whole number, not {value!r}") from None


def parse_device_url(raw: str) -> DeviceUrl:
    """Split a device URL; a bare path (``/dev/ttyUSB0``) or ``COM3`` is a serial port."""
    if raw.startswith("/") or re.fullmatch(r"(?i)com\d+", raw.partition("?")[0]):
        raw = "serial://" + raw
    parts = urlsplit(raw)
    if not parts.scheme:
        raise UnsupportedBackend(f"device URL {raw!r} has no scheme (e.g. sim://, serial:///dev/ttyUSB0)")
    return DeviceUrl(
        raw=raw,
        scheme=parts.scheme.lower(),
        location=parts.netloc + parts.path,
        options=dict(parse_qsl(parts.query)),
    )
