"""Printer URLs: transports, profiles and options chosen explicitly, failing loudly."""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.device import DeviceState, PaperStatus
from drivers.errors import DeviceNotFound, UnsupportedBackend
from drivers.printer.document import Cut, Document, Text
from drivers.printer.encoder import EscposEncoder
from drivers.printer.escpos_printer import EscposPrinter
from drivers.printer.factory import make_printer
from drivers.printer.profile import PROFILES, Cutter, profile_from_options
from drivers.printer.sim import SimPrinter
from drivers.printer.transport import (
    FileTransport,
    SerialTransport,
    TcpTransport,
    UsbTransport,
    transport_for,
)
from drivers.url import parse_device_url


def test_transports_by_scheme() -> None:
    serial = transport_for(parse_device_url("serial:///dev/ttyUSB0?baudrate=115200&profile=58mm"))
    assert isinstance(serial, SerialTransport) and serial.baudrate == 115200
    assert isinstance(transport_for(parse_device_url("/dev/ttyS1")), SerialTransport)
    tcp = transport_for(parse_device_url("tcp://10.0.0.5?profile=80mm"))
    assert isinstance(tcp, TcpTransport) and (tcp.host, tcp.port) == ("10.0.0.5", 9100)
    usb = transport_for(parse_device_url("usb://0x0416:0x5011"))
    assert isinstance(usb, UsbTransport) and (usb.vendor, usb.product) == (0x0416, 0x5011)
    assert isinstance(transport_for(parse_device_url("file:///tmp/x.bin")), FileTransport)
    spy = transport_for(parse_device_url("spy:///dev/ttyUSB0?file=log.txt&profile=58mm"))
    assert isinstance(spy, SerialTransport) and spy.name == "spy:///dev/ttyUSB0?file=log.txt"


@pytest.mark.parametrize(
    "url",
    ["bogus://x", "serial:///dev/ttyUSB0?colour=red", "usb://nope", "tcp://:9100", "simwire://?link=ir"],
)
def test_bad_urls_fail_loudly(url: str, tmp_path: Path) -> None:
    with pytest.raises(UnsupportedBackend):
        make_printer(url, tmp_path, None)


def test_profiles_and_overrides() -> None:
    assert PROFILES["58mm"].width_dots == 384 and PROFILES["58mm"].cells == 32
    assert PROFILES["80mm"].width_dots == 576 and PROFILES["80mm"].cells == 48
    profile = profile_from_options({"profile": "58mm", "encoding": "GBK", "qr": "image", "cutter": "none"})
    assert (profile.encoding, profile.native_qr, profile.cutter) == ("gbk", False, Cutter.NONE)
    assert "native-qr" not in profile.features and "cutter" not in profile.features
    for bad in ({"profile": "99mm"}, {"encoding": "klingon"}, {"qr": "maybe"}, {"asb": "perhaps"}):
        with pytest.raises(UnsupportedBackend):
            profile_from_options(bad)


def test_factory_builds_the_named_backend(tmp_path: Path) -> None:
    assert isinstance(make_printer("sim://", tmp_path, None), SimPrinter)
    real = make_printer("tcp://127.0.0.1:9?profile=58mm", tmp_path, None)
    assert isinstance(real, EscposPrinter) and real.profile.name == "58mm"


def test_file_transport_gets_exactly_the_encoded_job(tmp_path: Path) -> None:
    out = tmp_path / "job.bin"
    printer = make_printer(f"file://{out}?profile=58mm", tmp_path, None)
    printer.open()
    assert printer.status.state is DeviceState.ONLINE and printer.status.paper is PaperStatus.UNKNOWN
    document = Document("t", (Text("你好"), Cut()))
    printer.print_document(document)
    printer.close()
    assert out.read_bytes() == EscposEncoder(PROFILES["58mm"]).encode(document)


def test_absent_printers_are_no_device_not_exceptions(tmp_path: Path) -> None:
    for url in ("serial:///dev/ttyNOPE0", "file:///nonexistent/dir/x.bin"):
        printer = make_printer(url, tmp_path, None)
        printer.open()
        try:
            assert printer.status.state is DeviceState.NO_DEVICE
            with pytest.raises(DeviceNotFound):
                printer.print_document(Document("t", (Text("x"),)))
        finally:
            printer.close()


def test_usb_without_pyusb_says_how_to_install_it() -> None:
    try:
        import usb  # noqa: F401
    except ImportError:
        with pytest.raises(DeviceNotFound, match=r"\[usb\]"):
            UsbTransport(0x0416, 0x5011).open()
    else:
        with pytest.raises(DeviceNotFound):
            UsbTransport(0xFFFF, 0xFFFF).open()
