"""Open the receipt printer a URL names; an unknown scheme fails loudly."""

from __future__ import annotations

from pathlib import Path

from drivers.errors import UnsupportedBackend
from drivers.printer.printer import ReceiptPrinter
from drivers.url import parse_device_url

SCHEMES = ("sim",)


def make_printer(url: str, output_dir: Path, font_path: Path | None, name: str = "printer") -> ReceiptPrinter:
    """Build (not open) the printer for ``url``; simulators save what they print in ``output_dir``."""
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
    raise UnsupportedBackend(f"printer URL {url!r}: scheme must be one of {', '.join(SCHEMES)}")
