"""Build the kiosk's three devices from the configured URLs.

A URL naming no driver is a configuration error at start-up, never a silent fall-back to a
simulator. Opening does not fail on an absent device: it reports ``noDevice`` and the
flows that need it are switched off.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drivers.device import Device
from drivers.errors import DriverError
from drivers.idcard.factory import make_id_card_reader
from drivers.idcard.reader import IdCardReader
from drivers.printer.factory import make_printer
from drivers.printer.printer import ReceiptPrinter
from drivers.qr.factory import make_qr_scanner
from drivers.qr.scanner import QrScanner
from kiosk.config import KioskConfig
from kiosk.errors import ConfigError


@dataclass(frozen=True)
class KioskDevices:
    id_card: IdCardReader
    qr: QrScanner
    printer: ReceiptPrinter

    def all(self) -> tuple[Device, ...]:
        return (self.id_card, self.qr, self.printer)


def build_devices(config: KioskConfig) -> KioskDevices:
    """Make (not open) the devices the configuration names."""
    try:
        return KioskDevices(
            id_card=make_id_card_reader(config.devices.id_card, name="idcard"),
            qr=make_qr_scanner(config.devices.qr, name="qr"),
            printer=make_printer(
                config.devices.printer,
                output_dir=Path(config.data_dir) / "prints",
                font_path=config.ui.font,
                name="printer",
                fallback_fonts=config.ui.fallback_fonts,
            ),
        )
    except DriverError as err:
        raise ConfigError(f"{config.source}: [devices]: {err}") from err
