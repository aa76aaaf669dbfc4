"""The receipt printer's backends, by URL scheme (see ``drivers.backends``).

- ``sim://?width=576``: the in-process simulator, drawing to PNG (``drivers.printer.sim``).
- ``simwire://?profile=80mm&paper=200&link=pty&clone=0&pace=0``: the real ESC/POS driver against
  the wire simulator (``drivers.printer.simwire``; ``clone=1``: a printer that never answers ``GS r``;
  ``pace=1``: the simulator takes bytes at the serial line's speed).
- ``tcp://``, ``usb://``, ``file://``, a device path, ``COM3`` or a pyserial URL
  (``serial://``, ``spy://``, ``hwgrep://``, ``rfc2217://``, ``socket://``, ``loop://``,
  ``alt://``): the ESC/POS driver on that transport (``drivers.printer.transport``).

Every printer URL takes ``?profile=80mm|58mm|...`` and its overrides (``profile.PROFILES``).
The builders take ``output_dir`` (where simulators save prints), ``font_path`` and
``fallback_fonts`` (rare characters) as context.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drivers.backends import Backend, BackendTable
from drivers.errors import UnsupportedBackend
from drivers.serial_url import PYSERIAL_SCHEMES
from drivers.url import DeviceUrl

if TYPE_CHECKING:
    from drivers.printer.printer import ReceiptPrinter


def _sim(
    url: DeviceUrl,
    name: str,
    *,
    output_dir: Path,
    font_path: Path | None,
    fallback_fonts: Sequence[Path] = (),
    **_: Any,
) -> ReceiptPrinter:
    from drivers.printer.profile import profile_from_options
    from drivers.printer.sim import SimPrinter

    return SimPrinter(
        name,
        output_dir=output_dir,
        profile=profile_from_options(url.options),
        font_path=font_path,
        paper_receipts=url.option_int("paper", 200),
        fallback_fonts=fallback_fonts,
    )


def _simwire(
    url: DeviceUrl,
    name: str,
    *,
    output_dir: Path,
    font_path: Path | None,
    fallback_fonts: Sequence[Path] = (),
    **_: Any,
) -> ReceiptPrinter:
    from drivers.printer.profile import profile_from_options
    from drivers.printer.simwire import SimWirePrinter

    link = url.options.get("link", "pty")
    if link not in ("pty", "tcp"):
        raise UnsupportedBackend(f"printer URL {url.raw!r}: link must be pty or tcp")
    clone = url.options.get("clone", "0").lower()
    if clone not in ("0", "1", "true", "false", "yes", "no", "on", "off"):
        raise UnsupportedBackend(f"printer URL {url.raw!r}: clone must be 1 or 0")
    return SimWirePrinter(
        profile_from_options(url.options),
        output_dir,
        font_path,
        name,
        paper_receipts=url.option_int("paper", 200),
        link=link,
        poll_interval=url.option_int("poll", 250) / 1000,
        fallback_fonts=fallback_fonts,
        clone=clone in ("1", "true", "yes", "on"),
        pace=url.option_int("pace", 0) != 0,
    )


def _escpos(url: DeviceUrl, name: str, *, font_path: Path | None, **_: Any) -> ReceiptPrinter:
    from drivers.printer.escpos_printer import EscposPrinter
    from drivers.printer.profile import profile_from_options
    from drivers.printer.transport import transport_for

    profile = profile_from_options(url.options)
    poll = url.option_int("poll", 250) / 1000
    return EscposPrinter(transport_for(url), profile, name, font_path, poll_interval=poll)


BACKENDS: BackendTable[ReceiptPrinter] = BackendTable(
    "printer",
    (
        Backend(("sim",), _sim, "in-process simulator"),
        Backend(("simwire",), _simwire, "ESC/POS driver on the wire simulator"),
        Backend(("tcp", "usb", "file", *PYSERIAL_SCHEMES), _escpos, "ESC/POS driver"),
    ),
)
