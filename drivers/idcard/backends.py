"""The ID-card reader's backends, by URL scheme (see ``drivers.backends``).

- ``sim://``: in-process simulator, no wire (``drivers.idcard.sim``).
- ``simwire://?card=resident``: the real serial driver on the wire simulator
  (``drivers.idcard.simwire``).
- a device path, ``COM3``, ``serial:///dev/ttyUSB0?baudrate=115200&poll=0.1``, or a pyserial
  URL (``socket://``, ``loop://``, ``hwgrep://``, ``spy://``, ``rfc2217://``, ``alt://``):
  the real serial driver (``drivers.idcard.serial_reader``); ``poll`` and ``timeout`` are
  ours, the rest goes to pyserial (``drivers.serial_url``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from drivers.backends import Backend, BackendTable
from drivers.serial_url import PYSERIAL_SCHEMES
from drivers.url import DeviceUrl

if TYPE_CHECKING:
    from drivers.idcard.reader import IdCardReader


def _sim(url: DeviceUrl, name: str, **_: Any) -> IdCardReader:
    from drivers.idcard.sim import SimIdCardReader

    return SimIdCardReader(name)


def _simwire(url: DeviceUrl, name: str, **_: Any) -> IdCardReader:
    from drivers.idcard.simwire import make_simwire_reader

    return make_simwire_reader(url, name)


def _serial(url: DeviceUrl, name: str, **_: Any) -> IdCardReader:
    from drivers.idcard.sam_link import DRIVER_OPTIONS, timing_from_url
    from drivers.idcard.serial_reader import SerialIdCardReader
    from drivers.serial_url import serial_target, without_options

    serial_target(url, DRIVER_OPTIONS)  # refuse a bad serial URL now, not at the first poll
    return SerialIdCardReader(without_options(url, DRIVER_OPTIONS), name, timing_from_url(url))


BACKENDS: BackendTable[IdCardReader] = BackendTable(
    "ID-card reader",
    (
        Backend(("sim",), _sim, "in-process simulator"),
        Backend(("simwire",), _simwire, "serial driver on the wire simulator"),
        Backend(PYSERIAL_SCHEMES, _serial, "serial driver (SAM protocol)"),
    ),
)
