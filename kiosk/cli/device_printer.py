"""``kiosk device print-test URL`` and ``kiosk device printer-status URL``.

Both open the printer the URL names (``serial:///dev/ttyUSB0?baudrate=9600&profile=80mm``,
``tcp://10.0.0.5:9100``, ``simwire://`` ...), report in words a technician reads, and exit
non-zero when the printer is absent or faulty: 0 fine, 1 absent or faulty, 2 bad URL.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path

from drivers.device import DeviceState, PaperStatus
from drivers.errors import DriverError, UnsupportedBackend
from drivers.printer.factory import make_printer
from drivers.printer.printer import ReceiptPrinter
from kiosk.printing.test_page import build_test_page

DEFAULT_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
HANAZONO = Path("/usr/share/fonts/truetype/hanazono")
DEFAULT_FALLBACK_FONTS = [HANAZONO / "HanaMinA.ttf", HANAZONO / "HanaMinB.ttf"]  # rare characters
SETTLE = 0.6  # seconds for the first status poll to arrive after opening

STATE_WORDS = {
    DeviceState.ONLINE: "就绪 ready",
    DeviceState.BUSY: "忙 busy",
    DeviceState.OFFLINE: "脱机 offline",
    DeviceState.NO_DEVICE: "未连接 not connected",
    DeviceState.HARDWARE_ERROR: "硬件故障 hardware error",
    DeviceState.USER_ERROR: "需要处理 needs attention (cover open?)",
}
PAPER_WORDS = {
    PaperStatus.FULL: "正常 ok",
    PaperStatus.LOW: "将尽 near end",
    PaperStatus.OUT: "缺纸 out",
    PaperStatus.UNKNOWN: "未知 unknown",
    PaperStatus.NOT_SUPPORTED: "不报告 not reported",
    PaperStatus.JAMMED: "卡纸 jammed",
}


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    test = subparsers.add_parser("print-test", help="print the printer test page")
    _common(test)
    test.set_defaults(handler=print_test)
    status = subparsers.add_parser("printer-status", help="show the printer's parsed status")
    _common(status)
    status.set_defaults(handler=printer_status)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("url", help="printer URL, e.g. serial:///dev/ttyUSB0?profile=80mm")
    parser.add_argument("--out", type=Path, default=Path("var/prints"), help="where simulators save")
    parser.add_argument("--font", type=Path, default=DEFAULT_FONT, help="CJK font (simulators)")
    parser.add_argument(
        "--fallback-font",
        type=Path,
        action="append",
        dest="fallback_fonts",
        help="font for rare characters the CJK font lacks (simulators; repeatable; default: Hanazono)",
    )


def _open(args: argparse.Namespace) -> ReceiptPrinter | None:
    try:
        fallbacks = args.fallback_fonts if args.fallback_fonts is not None else DEFAULT_FALLBACK_FONTS
        printer = make_printer(args.url, args.out, args.font, name="printer", fallback_fonts=fallbacks)
    except UnsupportedBackend as err:
        print(f"kiosk: {err}", file=sys.stderr)
        return None
    printer.open()
    deadline = time.monotonic() + SETTLE
    while printer.status.state is DeviceState.OFFLINE and time.monotonic() < deadline:
        time.sleep(0.05)
    return printer


def _report(printer: ReceiptPrinter) -> None:
    status = printer.status
    print(f"printer:  {printer.capabilities.model}")
    print(f"features: {', '.join(sorted(printer.capabilities.features))}")
    print(f"state:    {STATE_WORDS.get(status.state, status.state.value)}")
    print(f"paper:    {PAPER_WORDS.get(status.paper, status.paper.value)}")
    if status.detail:
        print(f"detail:   {status.detail}")


def _healthy(printer: ReceiptPrinter) -> bool:
    status = printer.status
    return status.usable and status.paper is not PaperStatus.OUT


def printer_status(args: argparse.Namespace) -> int:
    """Print the printer's status; exit 1 if it is absent or cannot print."""
    printer = _open(args)
    if printer is None:
        return 2
    try:
        _report(printer)
        if not _healthy(printer):
            print("kiosk: printer cannot print now", file=sys.stderr)
            return 1
        return 0
    finally:
        printer.close()


def print_test(args: argparse.Namespace) -> int:
    """Print the test page; exit 1 with the reason if it could not be printed."""
    printer = _open(args)
    if printer is None:
        return 2
    try:
        page = build_test_page(
            printer.capabilities.model, printer.capabilities.features, datetime.now()
        )
        try:
            printer.print_document(page)
        except DriverError as err:
            _report(printer)
            print(f"kiosk: test page not printed: {err}", file=sys.stderr)
            return 1
        printed = getattr(printer, "printed", None)
        where = f" (saved as {printed[-1]})" if printed else ""
        print(f"test page printed{where}")
        return 0
    finally:
        printer.close()
