"""Against a real serial QR scanner, opt-in: ``pytest tests/drivers/qr --hw-qr=URL``.

URL: a serial scanner URL as ``drivers.qr.serial_scanner`` describes, e.g.
``/dev/ttyACM0?suffix=cr`` or ``hwgrep://0c2e:0b61?suffix=crlf&mode=trigger&family=honeywell``
(or ``KIOSK_HW_QR=URL``). The person running it scans any code within
``KIOSK_HW_QR_WAIT`` seconds (default 30) when asked; the code's text is checked, never printed.
"""

from __future__ import annotations

import os
import time

import pytest

from drivers.device import CodeScanned, DeviceEvent, DeviceState
from drivers.qr.factory import make_qr_scanner
from drivers.qr.serial_scanner import SerialQrScanner
from drivers.qr.wire_simulator import SimWireQrScanner

pytestmark = pytest.mark.hw

SCAN_SECONDS = float(os.environ.get("KIOSK_HW_QR_WAIT", "30"))
ONLINE_SECONDS = 5.0


def test_real_scanner_reports_a_scanned_code(hw_qr_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    scanner = make_qr_scanner(hw_qr_url)
    assert isinstance(scanner, SerialQrScanner) and not isinstance(scanner, SimWireQrScanner), (
        f"{hw_qr_url} names a simulator, not a serial scanner"
    )
    events: list[DeviceEvent] = []
    scanner.subscribe(events.append)
    scanner.open()
    try:
        deadline = time.monotonic() + ONLINE_SECONDS
        while scanner.status.state is not DeviceState.ONLINE and time.monotonic() < deadline:
            time.sleep(0.05)
        assert scanner.status.state is DeviceState.ONLINE, scanner.status.detail
        with capsys.disabled():
            print(f"\n>>> scan any QR code or barcode with the scanner within {SCAN_SECONDS:.0f} s", flush=True)
        text = scanner.read_code(SCAN_SECONDS)  # in trigger mode this sends the start command
        assert text, f"no code arrived within {SCAN_SECONDS:.0f} s"
        scanned = [event for event in events if isinstance(event, CodeScanned)]
        as_read = bool(scanned) and scanned[0].text == text and bool(scanned[0].raw)
        assert as_read, "the CodeScanned event differs from the code read_code returned"
        assert scanner.status.state is DeviceState.ONLINE, scanner.status.detail
    finally:
        scanner.close()
