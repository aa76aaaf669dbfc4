"""Open the ID-card reader a URL names; an unknown scheme fails loudly.

- ``sim://``: in-process simulator, no wire (``SimIdCardReader``).
- ``simwire://?card=resident``: the real serial driver on the wire simulator (``simwire``).
- a device path, ``serial:///dev/ttyUSB0?baudrate=115200&poll=0.5``, or a pyserial URL
  (``socket://``, ``loop://``, ``hwgrep://``, ``spy://``, ``rfc2217://``, ``alt://``): the
  real serial driver (``SerialIdCardReader``).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode

from drivers.errors import UnsupportedBackend
from drivers.idcard.reader import IdCardReader
from drivers.idcard.record import IdCardRecord
from drivers.url import parse_device_url

DRIVER_OPTIONS = ("poll", "timeout")
SCHEMES = ("sim", "simwire", "serial", "socket", "loop", "hwgrep", "spy", "rfc2217", "alt")


def make_id_card_reader(url: str, name: str = "idcard") -> IdCardReader:
    """Build (not open) the reader for ``url``."""
    url = _windows_port(url)
    parsed = parse_device_url(url)
    if parsed.scheme == "sim":
        from drivers.idcard.sim import SimIdCardReader

        return SimIdCardReader(name)
    if parsed.scheme == "simwire":
        from drivers.idcard.simwire import make_simwire_reader

        return make_simwire_reader(parsed, name)
    if parsed.scheme in SCHEMES:
        from drivers.idcard.sam_link import timing_from_url
        from drivers.idcard.serial_reader import SerialIdCardReader

        return SerialIdCardReader(_pyserial_url(parsed.raw), name, timing_from_url(parsed))
    raise UnsupportedBackend(f"ID-card reader URL {url!r}: scheme must be one of {', '.join(SCHEMES)}")


def _windows_port(url: str) -> str:
    """Treat a bare Windows port name (``COM3``) as the device path it is."""
    return "serial://" + url if re.fullmatch(r"(?i)com\d+", url) else url


def _pyserial_url(raw: str) -> str:
    """Drop our own options (poll, timeout) from the query: pyserial rejects unknown ones."""
    if raw.startswith("/"):
        raw = "serial://" + raw
    base, _, query = raw.partition("?")
    kept = [(k, v) for k, v in parse_qsl(query) if k not in DRIVER_OPTIONS]
    return base + ("?" + urlencode(kept) if kept else "")


def read_one_card(url: str, wait: float = 3.0, with_fingerprint: bool = False) -> IdCardRecord:
    """Read one card from the reader at ``url`` (a serial URL or ``simwire://``) and return it."""
    from drivers.idcard.sam_link import read_card_once

    url = _windows_port(url)
    parsed = parse_device_url(url)
    if parsed.scheme == "simwire":
        from drivers.idcard.simwire import make_simwire_reader

        reader = make_simwire_reader(parsed, "read-card")
        reader.simulator.start()
        try:
            return read_card_once(reader.simulator.port, wait, reader.timing, with_fingerprint)
        finally:
            reader.close()
    if parsed.scheme not in SCHEMES or parsed.scheme == "sim":
        raise UnsupportedBackend(f"{url!r}: read-card needs a serial port URL or simwire://")
    return read_card_once(_pyserial_url(url), wait, with_fingerprint=with_fingerprint)
