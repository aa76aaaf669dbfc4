"""Open the ID-card reader a URL names; an unknown scheme fails loudly.

The schemes and what each builds are in ``drivers.idcard.backends``: ``sim://``,
``simwire://?card=resident``, and a device path, ``COM3`` or a serial URL for the real reader.
"""

from __future__ import annotations

from drivers.errors import UnsupportedBackend
from drivers.idcard.backends import BACKENDS
from drivers.idcard.reader import IdCardReader
from drivers.idcard.record import IdCardRecord
from drivers.serial_url import is_serial_url
from drivers.url import parse_device_url


def make_id_card_reader(url: str, name: str = "idcard") -> IdCardReader:
    """Build (not open) the reader for ``url``."""
    return BACKENDS.build(url, name)


def read_one_card(url: str, wait: float = 3.0, with_fingerprint: bool = False) -> IdCardRecord:
    """Read one card from the reader at ``url`` (a serial URL or ``simwire://``) and return it."""
    from drivers.idcard.sam_link import read_card_once, timing_from_url

    parsed = parse_device_url(url)
    if parsed.scheme == "simwire":
        from drivers.idcard.simwire import make_simwire_reader

        reader = make_simwire_reader(parsed, "read-card")
        reader.simulator.start()
        try:
            return read_card_once(reader.simulator.port, wait, reader.timing, with_fingerprint)
        finally:
            reader.close()
    if not is_serial_url(parsed):
        raise UnsupportedBackend(f"{url!r}: read-card needs a serial port URL or simwire://")
    return read_card_once(parsed.raw, wait, timing_from_url(parsed), with_fingerprint)
