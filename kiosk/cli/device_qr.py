"""``kiosk device scan URL`` and ``kiosk device decode IMAGE...``.

``scan`` opens the scanner the URL names (``/dev/ttyACM0?suffix=crlf``, ``camera://0``,
``simwire://`` ...) and prints each code it reads, one per line, until interrupted (``--once``:
the first code, then exit; 1 if none came within ``--timeout``). Status changes and device
errors go to stderr. A trigger-mode scanner is triggered again every ``--retrigger`` seconds.

``decode`` runs the camera pipeline on still images and prints, per image, the file name, a
tab, and the text of each code found, tab-separated; nothing after the tab when there is no
code. In texts, backslash, tab, CR and LF are written ``\\\\``, ``\\t``, ``\\r``, ``\\n``.
Exit status: 0, or 1 if an image could not be read, 2 for a bad URL.
"""

from __future__ import annotations

import argparse
import queue
import sys
import time
from pathlib import Path

from drivers.device import CodeScanned, DeviceErrorEvent, DeviceEvent, StatusChanged
from drivers.errors import DriverError, UnsupportedBackend


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    scan = subparsers.add_parser("scan", help="print each code the QR scanner at URL reads")
    scan.add_argument("url", help="scanner URL, e.g. /dev/ttyACM0?suffix=crlf or camera://0")
    scan.add_argument("--once", action="store_true", help="print one code, then exit")
    scan.add_argument("--timeout", type=float, default=None, help="give up after this many s")
    scan.add_argument("--retrigger", type=float, default=5.0, help="trigger-mode period, s")
    scan.set_defaults(handler=scan_command)
    decode = subparsers.add_parser("decode", help="decode the QR codes in still images")
    decode.add_argument("images", nargs="+", type=Path)
    decode.set_defaults(handler=decode_command)


def escape(text: str) -> str:
    """Write backslash, tab, CR and LF as two-character escapes, so one code is one field."""
    return (
        text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")
    )


def decode_command(args: argparse.Namespace) -> int:
    from drivers.qr.camera import read_image
    from drivers.qr.pipeline import DecodePipeline

    pipeline = DecodePipeline(budget=10.0, every_stage=True)  # a still image has no next frame
    status = 0
    for path in args.images:
        frame = read_image(path)
        texts: list[str] = []
        if frame is None:
            print(f"kiosk: cannot read image {path}", file=sys.stderr)
            status = 1
        else:
            texts = [escape(code.text) for code in pipeline.decode(frame)]
        print(f"{path}\t" + "\t".join(texts), flush=True)
    return status


def scan_command(args: argparse.Namespace) -> int:
    from drivers.qr.factory import make_qr_scanner

    try:
        scanner = make_qr_scanner(args.url, name="qr")
    except UnsupportedBackend as err:
        print(f"kiosk: {err}", file=sys.stderr)
        return 2
    codes: queue.Queue[str] = queue.Queue(maxsize=64)

    def listener(event: DeviceEvent) -> None:
        if isinstance(event, CodeScanned):
            try:
                codes.put_nowait(event.text)
            except queue.Full:
                print("kiosk: codes arriving faster than printed; one dropped", file=sys.stderr)
        elif isinstance(event, StatusChanged):
            detail = f" ({event.new.detail})" if event.new.detail else ""
            print(f"scanner: {event.new.state.value}{detail}", file=sys.stderr, flush=True)
        elif isinstance(event, DeviceErrorEvent):
            print(f"scanner: error: {event.message}", file=sys.stderr, flush=True)

    scanner.subscribe(listener)
    deadline = None if args.timeout is None else time.monotonic() + args.timeout
    printed = 0
    scanner.open()
    try:
        next_trigger = time.monotonic()
        while deadline is None or time.monotonic() < deadline:
            if time.monotonic() >= next_trigger:
                next_trigger = time.monotonic() + args.retrigger
                try:
                    scanner.trigger()
                except DriverError:
                    pass  # not connected yet: the status line says so
            wait = 0.2 if deadline is None else max(0.0, min(0.2, deadline - time.monotonic()))
            try:
                text = codes.get(timeout=wait)
            except queue.Empty:
                continue
            print(escape(text), flush=True)
            printed += 1
            if args.once:
                break
    except KeyboardInterrupt:
        pass
    finally:
        scanner.close()
    return 1 if args.once and not printed else 0
