"""``kiosk provision``: set up what a kiosk needs before it serves, starting with the technician PIN.

``kiosk provision --pin`` asks for the PIN twice (not echoed); ``--pin-stdin`` reads it from
the first line of standard input instead (for an installer). The PIN must be 6-12 digits and
not trivial; it is stored as an Argon2id hash in the data folder, and the change goes to the
audit log (actor ``provision``). There is never a default PIN.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import datetime
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    provision = sub.add_parser("provision", help="set up this kiosk (the technician PIN)")
    provision.add_argument("--config", type=Path, default=None, help="kiosk TOML file (default: config/kiosk.toml)")
    provision.add_argument("--pin", action="store_true", help="set the technician PIN (asked twice)")
    provision.add_argument("--pin-stdin", action="store_true", help="read the PIN from standard input's first line")
    provision.set_defaults(handler=_provision)


def _provision(args: argparse.Namespace) -> int:
    from kiosk.config.settings import check_data_dir, load_config
    from kiosk.errors import ConfigError

    if not (args.pin or args.pin_stdin):
        print("kiosk provision: say what to set, e.g. --pin", file=sys.stderr)
        return 2
    os.umask(0o077)
    try:
        config = load_config(args.config)
        check_data_dir(config)
    except ConfigError as err:
        print(f"kiosk: {err}", file=sys.stderr)
        return 2
    pin = _read_pin(from_stdin=args.pin_stdin)
    if pin is None:
        return 2
    return set_pin(Path(config.data_dir), pin)


def _read_pin(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().strip()
    first = getpass.getpass("维护密码（6-12 位数字）：")
    second = getpass.getpass("再输入一次：")
    if first != second:
        print("kiosk provision: 两次输入的密码不一致，未设置", file=sys.stderr)
        return None
    return first.strip()


def set_pin(data_dir: Path, pin: str) -> int:
    """Set the technician PIN in ``data_dir`` and audit it; 0 when set, 2 when refused."""
    from kiosk.maintenance.audit import AuditLog
    from kiosk.maintenance.pin import PinRefused, PinStore

    store = PinStore(data_dir)
    replacing = store.is_set
    try:
        store.set_pin(pin)
    except PinRefused as err:
        print(f"kiosk provision: {err}，未设置", file=sys.stderr)
        return 2
    AuditLog(data_dir, lambda: datetime.now().astimezone()).append(
        "provision", "pin.set", "ok", "replaced" if replacing else "first set"
    )
    print("维护密码已设置" if not replacing else "维护密码已更换")
    return 0
