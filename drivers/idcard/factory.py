"""Open the ID-card reader a URL names; an unknown scheme fails loudly."""

from __future__ import annotations

from drivers.errors import UnsupportedBackend
from drivers.idcard.reader import IdCardReader
from drivers.url import parse_device_url

SCHEMES = ("sim",)


def make_id_card_reader(url: str, name: str = "idcard") -> IdCardReader:
    """Build (not open) the reader for ``url``."""
    parsed = parse_device_url(url)
    if parsed.scheme == "sim":
        from drivers.idcard.sim import SimIdCardReader

        return SimIdCardReader(name)
    raise UnsupportedBackend(f"ID-card reader URL {url!r}: scheme must be one of {', '.join(SCHEMES)}")
