"""Open the receipt printer a URL names; an unknown scheme fails loudly.

``sim://?width=576`` the in-process layout simulator; ``simwire://?profile=80mm`` the real
ESC/POS driver against the wire simulator; ``serial://``, ``tcp://``, ``usb://``, ``file://``
and pyserial's own URLs (``spy://``, ``hwgrep://``, ``rfc2217://``, ``socket://``) a real
printer, each with ``?profile=80mm|58mm|...`` (see ``profile.PROFILES``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from drivers.errors import UnsupportedBackend
from drivers.printer.printer import ReceiptPrinter
from drivers.url import parse_device_url

SCHEMES = (
    "sim",
    "simwire",
    "serial",
    "tcp",
    "usb",
    "file",
    "spy",
    "hwgrep",
    "rfc2217",
    "socket",
    "loop",
)


def make_printer(
    url: str,
    output_dir: Path,
    font_path: Path | None,
    name: str = "printer",
    fallback_fonts: Sequence[Path] = (),
) -> ReceiptPrinter:
    """Build (not open) the printer for ``url``; simulators save prints in ``output_dir``,
    drawing rare characters the main font lacks with ``fallback_fonts``."""
    parsed = parse_device_url(url)
    if parsed.scheme == "sim":
        from drivers.printer.sim import SimPrinter

        return SimPrinter(
            name,
            output_dir=output_dir,
            width_dots=parsed.option_int("width", 576),
            font_path=font_path,
            paper_receipts=parsed.option_int("paper", 200),
        )
    if parsed.scheme not in SCHEMES:
        raise UnsupportedBackend(f"printer URL {url!r}: scheme must be one of {', '.join(SCHEMES)}")
    from drivers.printer.escpos_printer import EscposPrinter
    from drivers.printer.profile import profile_from_options

    profile = profile_from_options(parsed.options)
    poll = parsed.option_int("poll", 250) / 1000
    if parsed.scheme == "simwire":
        from drivers.printer.simwire import SimWirePrinter

        link = parsed.options.get("link", "pty")
        if link not in ("pty", "tcp"):
            raise UnsupportedBackend(f"printer URL {url!r}: link must be pty or tcp")
        return SimWirePrinter(
            profile,
            output_dir,
            font_path,
            name,
            paper_receipts=parsed.option_int("paper", 200),
            link=link,
            poll_interval=poll,
            fallback_fonts=fallback_fonts,
        )
    from drivers.printer.transport import transport_for

    return EscposPrinter(transport_for(parsed), profile, name, font_path, poll_interval=poll)
