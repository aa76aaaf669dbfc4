"""One backend table per device, one serial-URL helper, typed simulator protocols."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from drivers.errors import UnsupportedBackend
from drivers.idcard.backends import BACKENDS as ID_CARD
from drivers.idcard.factory import make_id_card_reader
from drivers.printer.backends import BACKENDS as PRINTER
from drivers.printer.factory import make_printer
from drivers.qr.backends import BACKENDS as QR
from drivers.qr.factory import make_qr_scanner
from drivers.serial_url import serial_target
from drivers.simulated import SimulatedCardReader, SimulatedPrinter, SimulatedQrScanner


def test_every_serial_spelling_is_a_serial_port_for_every_device() -> None:
    for url in ("COM3", "com12", "/dev/ttyUSB0", "alt:///dev/ttyUSB0?class=PosixPollSerial", "loop://"):
        for table in (ID_CARD, QR, PRINTER):
            table.check(url)
    assert serial_target("COM3").url == "COM3"


def test_unknown_scheme_names_the_allowed_ones() -> None:
    for table in (ID_CARD, QR, PRINTER):
        with pytest.raises(UnsupportedBackend, match="scheme must be one of sim, simwire"):
            table.check("carrier-pigeon://x")


def test_checking_imports_no_driver() -> None:
    code = (
        "import sys; from drivers.idcard.backends import BACKENDS as A; from drivers.qr.backends import BACKENDS as B;"
        " from drivers.printer.backends import BACKENDS as C; [t.check('COM3') for t in (A, B, C)];"
        " print(sorted(m for m in sys.modules if m in ('serial', 'PIL', 'drivers.idcard.serial_reader',"
        " 'drivers.printer.escpos_printer', 'drivers.qr.serial_scanner')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_serial_target_drops_each_drivers_options() -> None:
    reader = serial_target("serial:///dev/ttyUSB0?baudrate=57600&poll=0.5", ("poll", "timeout"), 115200)
    assert (reader.url, reader.baudrate) == ("/dev/ttyUSB0", 57600)
    spy = serial_target("spy:///dev/ttyUSB0?file=x.log&suffix=cr&baudrate=9600", ("suffix",))
    assert (spy.url, spy.baudrate) == ("spy:///dev/ttyUSB0?file=x.log", 9600)
    printer = serial_target("hwgrep://0416:5011?profile=58mm&rtscts=1", ("profile",))
    assert (printer.url, printer.rtscts) == ("hwgrep://0416:5011", True)
    with pytest.raises(UnsupportedBackend):
        serial_target("serial:///dev/ttyUSB0?colour=red")


def test_simulators_satisfy_the_protocols(tmp_path: Path) -> None:
    for url in ("sim://", "simwire://"):
        devices = (make_id_card_reader(url), make_qr_scanner(url), make_printer(url, tmp_path, None))
        try:
            assert isinstance(devices[0], SimulatedCardReader)
            assert isinstance(devices[1], SimulatedQrScanner)
            assert isinstance(devices[2], SimulatedPrinter)
        finally:
            for device in devices:
                device.close()
    assert not isinstance(make_id_card_reader("COM3"), SimulatedCardReader)
    assert not isinstance(make_qr_scanner("/dev/ttyACM0"), SimulatedQrScanner)
    assert not isinstance(make_printer("tcp://127.0.0.1:9100", tmp_path, None), SimulatedPrinter)
