"""``kiosk device read-card URL``: read one ID card and print it, masked unless ``--reveal``.

URL is a device path or any pyserial URL (``/dev/ttyUSB0``, ``serial:///dev/ttyUSB0``,
``socket://host:port``, ``hwgrep://1eab:0d10``), or ``simwire://?card=resident`` to try the
command against the wire simulator.

Exit status: 0 read; 2 unusable URL; 3 no card, or the card could not be read; 4 no reader
at URL; 5 the reader broke the protocol or did not answer; 6 the reader reported a fault of
its own (e.g. its SAM); 7 the card was read but failed validation (the record is printed).
"""

from __future__ import annotations

import argparse
import json
import sys

from drivers.errors import (
    CardDataInvalid,
    CardReadFailed,
    DeviceFault,
    DeviceNotFound,
    DeviceTimeout,
    DriverError,
    NoCard,
    ProtocolError,
    UnsupportedBackend,
)
from drivers.idcard.record import IdCardRecord

EXIT_OK = 0
EXIT_BAD_URL = 2
EXIT_NO_CARD = 3
EXIT_NO_READER = 4
EXIT_PROTOCOL = 5
EXIT_READER_FAULT = 6
EXIT_INVALID_CARD = 7

_EXITS: tuple[tuple[type[DriverError], int, str], ...] = (
    (UnsupportedBackend, EXIT_BAD_URL, "不支持的地址 (unusable URL)"),
    (NoCard, EXIT_NO_CARD, "读卡器上没有证件 (no card on the reader)"),
    (CardReadFailed, EXIT_NO_CARD, "证件无法读取 (the card could not be read)"),
    (DeviceNotFound, EXIT_NO_READER, "找不到读卡器 (no reader at this address)"),
    (ProtocolError, EXIT_PROTOCOL, "读卡器通信错误 (protocol error)"),
    (DeviceTimeout, EXIT_PROTOCOL, "读卡器无响应 (the reader did not answer)"),
    (DeviceFault, EXIT_READER_FAULT, "读卡器故障 (the reader reported a fault)"),
)


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("read-card", help="read one ID card and print the record")
    parser.add_argument("url", help="reader: device path, pyserial URL, or simwire://?card=...")
    parser.add_argument("--reveal", action="store_true", help="print name and numbers unmasked")
    parser.add_argument("--json", action="store_true", help="print the record as JSON")
    parser.add_argument("--wait", type=float, default=5.0, help="seconds to wait for a card (default 5)")
    parser.add_argument("--fingerprint", action="store_true", help="read with fingerprint (30 10)")
    parser.set_defaults(handler=_read_card)


def _read_card(args: argparse.Namespace) -> int:
    from drivers.idcard.factory import read_one_card

    try:
        record = read_one_card(args.url, args.wait, args.fingerprint)
    except CardDataInvalid as err:
        if isinstance(err.record, IdCardRecord):
            _print_record(err.record, args.reveal, args.json)
        print(f"kiosk: 证件信息校验失败 (card data failed validation): {err}", file=sys.stderr)
        return EXIT_INVALID_CARD
    except DriverError as err:
        for kind, code, words in _EXITS:
            if isinstance(err, kind):
                print(f"kiosk: {words}: {err}", file=sys.stderr)
                return code
        print(f"kiosk: {err}", file=sys.stderr)
        return EXIT_READER_FAULT
    _print_record(record, args.reveal, args.json)
    return EXIT_OK


def _print_record(record: IdCardRecord, reveal: bool, as_json: bool) -> None:
    data = record.as_dict(reveal=reveal)
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return
    width = max(len(key) for key in data)
    for key, value in data.items():
        if isinstance(value, list):
            value = "; ".join(value) or "-"
        print(f"{key.ljust(width)}  {value}")
