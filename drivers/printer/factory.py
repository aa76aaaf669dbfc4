"""Open the receipt printer a URL names; an unknown scheme fails loudly.

The schemes and what each builds are in ``drivers.printer.backends``: ``sim://?width=576``,
``simwire://?profile=80mm``, and ``serial://``, ``tcp://``, ``usb://``, ``file://`` or a
pyserial URL for a real printer, each with ``?profile=80mm|58mm|...``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from drivers.printer.backends import BACKENDS
from drivers.printer.printer import ReceiptPrinter


def make_printer(
    url: str,
    output_dir: Path,
    font_path: Path | None,
    name: str = "printer",
    fallback_fonts: Sequence[Path] = (),
) -> ReceiptPrinter:
    """Build (not open) the printer for ``url``; simulators save prints in ``output_dir``,
    drawing rare characters the main font lacks with ``fallback_fonts``."""
    return BACKENDS.build(url, name, output_dir=output_dir, font_path=font_path, fallback_fonts=fallback_fonts)
