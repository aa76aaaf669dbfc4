"""``kiosk-central``: the centre server's own command, for an install with only the centre extra.

``kiosk central`` does the same on a developer's machine, but the ``kiosk`` command builds
the technician's device tools (drivers, pyserial, Pillow) when it starts, which
``pip install 'gov-kiosk[central]'`` does not install.
"""

from __future__ import annotations

import argparse

DEV_HELP = ("development only: start without CENTRAL_KIOSK_TOKENS, printing a one-off token "
            "for any terminal (also CENTRAL_DEV=1)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kiosk-central",
        description="Migrate the database and serve the central case queue (settings from CENTRAL_* variables)",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8700)
    parser.add_argument("--database", default="sqlite:///var/central.db", help="SQLAlchemy URL")
    parser.add_argument("--dev", action="store_true", default=False, help=DEV_HELP)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from central.server import serve  # after parsing, so --help answers at once

    serve(host=args.host, port=args.port, database_url=args.database, dev=args.dev)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
