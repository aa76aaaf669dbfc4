"""The ``kiosk`` command: ``run``, ``demo``, ``central``, ``provision``, ``catalog``, ``update``, ``speak``,
the ``device`` tools.

Each subcommand imports what it needs when it runs, so ``kiosk central`` never loads Kivy
and ``kiosk device ...`` works on a machine whose screen is broken.

``run``, ``demo`` and ``central`` start private: files they make are their user's alone
(umask 077), and every log record passes through ``contract.redaction`` (no names, ID numbers
or phones in a log line, whatever slips through).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli import catalog as catalog_check_commands
from kiosk.cli import catalog_export as catalog_export_commands
from kiosk.cli import device as device_commands
from kiosk.cli import provision as provision_commands
from kiosk.cli import speak as speak_commands
from kiosk.cli import update as update_commands
from kiosk.errors import ConfigError

if TYPE_CHECKING:
    from kiosk.config.settings import KioskConfig


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    return int(args.handler(args) or 0)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Government self-service terminal")
    sub = parser.add_subparsers(title="commands")

    run = sub.add_parser("run", help="run the kiosk on this screen")
    run.add_argument("--config", type=Path, default=None, help="kiosk TOML file (default: config/kiosk.toml)")
    run.add_argument(
        "--windowed", action="store_true",
        help="an ordinary window that closes, for a developer's desktop (default: full screen, locked)",
    )
    run.set_defaults(handler=_run)

    demo = sub.add_parser("demo", help="run a scripted session offscreen and save every screen as PNG")
    demo.add_argument("--config", type=Path, default=None)
    demo.add_argument("--out", type=Path, default=Path("var/demo"), help="where the PNGs go")
    demo.add_argument("--orientation", choices=["portrait", "landscape"], default=None)
    demo.set_defaults(handler=_demo)

    central = sub.add_parser("central", help="run the central case queue service")
    central.add_argument("--host", default="127.0.0.1")
    central.add_argument("--port", type=int, default=8700)
    central.add_argument("--database", default="sqlite:///var/central.db", help="SQLAlchemy URL")
    central.add_argument("--dev", action="store_true", default=False,
                         help="development only: start without CENTRAL_KIOSK_TOKENS, printing a "
                              "one-off token for any terminal (also CENTRAL_DEV=1)")
    central.set_defaults(handler=_central)

    provision_commands.register(sub)

    catalog = sub.add_parser("catalog", help="the service catalogue: export, check, search")
    catalog_commands = catalog.add_subparsers(title="catalogue commands")
    catalog_export_commands.register(catalog_commands)
    catalog_check_commands.register(catalog_commands)
    update_commands.register(sub)
    speak_commands.register(sub)

    device = sub.add_parser("device", help="technician tools for one device")
    device_commands.register(device.add_subparsers(title="device commands"))
    return parser


def _private_process() -> None:
    """Files made from here on are this user's alone; log records are redacted."""
    from contract.redaction import install_log_redaction

    os.umask(0o077)
    install_log_redaction()


def _run(args: argparse.Namespace) -> int:
    from kiosk.app import run_kiosk
    from kiosk.cli.embedded_centre import centre_connector
    from kiosk.maintenance.logs import install_file_log

    _private_process()
    config = _load(args.config, _startup_checks)
    if config is None:
        return 2
    install_file_log(config.maintenance.logs_in(config.data_dir))  # the files a technician exports
    return run_kiosk(config, centre_connector(config), windowed=args.windowed)


def _startup_checks(config: KioskConfig) -> None:
    """What must hold before anything is drawn: devices named right, data_dir writable, the centre
    runnable, every language's words compiled."""
    from kiosk.cli.embedded_centre import require_centre_extra
    from kiosk.config.settings import check_data_dir
    from kiosk.devices.build import check_device_urls
    from kiosk.messages.locales import MissingTranslations, check_translations

    check_device_urls(config)
    check_data_dir(config)
    require_centre_extra(config)
    try:
        check_translations()
    except MissingTranslations as err:
        raise ConfigError(str(err)) from err


def _demo(args: argparse.Namespace) -> int:
    from kiosk.app import run_demo
    from kiosk.cli.embedded_centre import centre_connector

    _private_process()
    config = _load(args.config, _startup_checks)
    if config is None:
        return 2
    return run_demo(config, args.out, args.orientation, centre_connector)


def _load(path: Path | None, check: Callable[[KioskConfig], None]) -> KioskConfig | None:
    """The configuration, checked; None (after saying why) when it cannot be used."""
    from kiosk.config.settings import load_config

    try:
        config = load_config(path)
        check(config)
    except ConfigError as err:
        print(f"kiosk: {err}", file=sys.stderr)
        return None
    return config


def _central(args: argparse.Namespace) -> int:
    from central.server import serve

    _private_process()
    serve(host=args.host, port=args.port, database_url=args.database, dev=args.dev)
    return 0


if __name__ == "__main__":
    sys.exit(main())
