"""Build the kiosk's three devices from the configured URLs.

A URL naming no driver is a configuration error at start-up (``check_device_urls``, cheap,
before anything is drawn), never a silent fall-back to a simulator. Building the drivers
loads them, so the app does it after its first frame. Opening does not fail on an absent
device: it reports ``noDevice`` and the flows that need it are switched off.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from drivers.device import Device
from drivers.document_printer.backends import BACKENDS as A4_PRINTER_BACKENDS
from drivers.document_printer.printer import DocumentPrinter
from drivers.errors import DriverError
from drivers.idcard.backends import BACKENDS as ID_CARD_BACKENDS
from drivers.idcard.factory import make_id_card_reader
from drivers.idcard.reader import IdCardReader
from drivers.printer.backends import BACKENDS as PRINTER_BACKENDS
from drivers.printer.factory import make_printer
from drivers.printer.printer import ReceiptPrinter
from drivers.qr.backends import BACKENDS as QR_BACKENDS
from drivers.qr.factory import make_qr_scanner
from drivers.qr.scanner import QrScanner
from drivers.url import parse_device_url
from kiosk.config.settings import KioskConfig
from kiosk.errors import ConfigError

FACE_CAMERA_SCHEMES = ("camera", "none")  # built on consent only (``kiosk.face_checking``): cv2 is heavy


@dataclass(frozen=True)
class KioskDevices:
    id_card: IdCardReader
    qr: QrScanner
    printer: ReceiptPrinter
    a4_printer: DocumentPrinter  # instant prints (即时打印); asked at each print, not watched

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
            a4_printer=A4_PRINTER_BACKENDS.build(config.devices.a4_printer, name="a4_printer"),
        )
    except DriverError as err:
        raise ConfigError(f"{config.source}: [devices]: {err}") from err


def check_device_urls(config: KioskConfig) -> None:
    """Refuse a device URL whose scheme no driver claims, without loading any driver.

    The backend tables checked here are the ones the factories build from."""
    for key, url, schemes in (
        ("id_card", config.devices.id_card, ID_CARD_BACKENDS.schemes),
        ("qr", config.devices.qr, QR_BACKENDS.schemes),
        ("printer", config.devices.printer, PRINTER_BACKENDS.schemes),
        ("a4_printer", config.devices.a4_printer, A4_PRINTER_BACKENDS.schemes),
        ("face_camera", config.devices.face_camera, FACE_CAMERA_SCHEMES),
    ):
        try:
            scheme = parse_device_url(url).scheme
        except DriverError as err:
            raise ConfigError(f"{config.source}: [devices] {key}: {err}") from err
        if scheme not in schemes:
            raise ConfigError(f"{config.source}: [devices] {key} = {url!r}: scheme must be one of {', '.join(schemes)}")
