"""Against a real printer, opt-in: ``pytest tests/drivers/printer --hw-printer=URL``.

Prints one short page (Chinese, punctuation, a rare character, a QR, a cut) and checks
the status round trip. Skipped unless a printer URL is given.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from drivers.device import DeviceState, PaperStatus
from drivers.printer.document import Align, Cut, Document, QrCode, Text
from drivers.printer.escpos_printer import EscposPrinter
from drivers.printer.factory import make_printer

pytestmark = pytest.mark.hw

PAGE = Document(
    "hw-test",
    (
        Text("硬件测试 繁體 ，。！", size=2, align=Align.CENTER),
        Text("生僻字：𠀀 䶮 堃"),
        QrCode("https://zwfw.example.gov.cn/hw-test"),
        Cut(),
    ),
)


def test_real_printer_reports_and_prints(hw_printer_url: str, tmp_path: Path, font) -> None:
    printer = make_printer(hw_printer_url, tmp_path, font)
    assert isinstance(printer, EscposPrinter)
    printer.open()
    try:
        state = printer.refresh()
        assert not state.faults() or state.faults() == ["paper near end"], state.faults()
        assert printer.status.state is DeviceState.ONLINE
        assert printer.status.paper in (PaperStatus.FULL, PaperStatus.LOW)
        printer.print_document(PAGE)
    finally:
        printer.close()
