"""``kiosk update``: the technician's handle on signed updates (``kiosk.updates``), and the release tool.

::

    kiosk update check                  what runs, what is previous and staged, the trial, what happened last
    kiosk update status [--json]        the same, for a script with --json
    kiosk update apply BUNDLE           check the signature, install beside the running version, stage it
    kiosk update rollback               make the previous version current again (then restart the service)
    kiosk update check-trial            the watchdog, run before each start (ExecStartPre=): roll back a
                                        trial whose starts or time are used up
    kiosk update make-bundle WHEEL... --key KEY --out BUNDLE    (release machine) sign a bundle

Run them as the kiosk's user (``sudo -u kiosk``), who owns ``[updates] root``. Exit codes: 0
done, 1 refused or failed (the message says why and nothing changed), 2 a usage or configuration
error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.config.settings import Updates


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    update = sub.add_parser("update", help="signed updates: check, apply a bundle, status, roll back")
    commands = update.add_subparsers(title="update commands")

    def command(name: str, help_text: str, handler: Any) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help_text)
        parser.set_defaults(handler=handler)
        if name != "make-bundle":
            parser.add_argument("--config", type=Path, default=None, help="kiosk TOML file")
        return parser

    command("check", "what runs, what is previous and staged, and the trial", _check)
    command("status", "the same as check; --json for scripts", _status).add_argument("--json", action="store_true")
    command("apply", "check a bundle, install it beside the running version, stage it", _apply).add_argument(
        "bundle", type=Path)
    command("rollback", "make the previous version current again", _rollback)
    command("check-trial", "before a start: roll back a trial that did not pass its health check", _check_trial)
    make = command("make-bundle", "sign a bundle of wheels (on the release machine)", _make_bundle)
    make.add_argument("wheels", type=Path, nargs="+", help="the gov_kiosk wheel and the wheels it needs")
    make.add_argument("--key", type=Path, required=True, help="the release's Ed25519 key (PEM or 32-byte seed)")
    make.add_argument("--out", type=Path, required=True)
    make.add_argument("--outbox-schema", type=int, default=None,
                      help="the outbox format the new version writes (default: this checkout's)")
    make.add_argument("--migration", action="append", default=[],
                      help="a schema migration it carries, e.g. 'outbox 2->3'")


def _now() -> datetime:
    return datetime.now().astimezone()


def _settings(args: argparse.Namespace) -> Updates | None:
    """``[updates]`` alone: a version change elsewhere in the file must not stop a roll back."""
    from kiosk.config.settings import load_update_settings
    from kiosk.errors import ConfigError

    try:
        return load_update_settings(args.config)
    except ConfigError as err:
        print(f"kiosk update: {err}", file=sys.stderr)
        return None


def status(settings: Updates) -> dict[str, Any]:
    """What a technician needs to know about updates on this kiosk."""
    from dataclasses import asdict

    from kiosk.updates import state
    from kiosk.updates.slots import Slots

    slots = Slots(settings.root)
    st = state.read(settings.root)
    return {
        "root": str(slots.root),
        "current": slots.current,
        "previous": slots.previous,
        "installed": slots.installed(),
        "staged": (st.staged or {}).get("version"),
        "trial": asdict(st.trial) if st.trial else None,
        "last": st.last,
    }


def _check(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if settings is None:
        return 2
    info = status(settings)
    print(f"running (current): {info['current'] or 'none: this kiosk was not installed into ' + info['root']}")
    print(f"previous:          {info['previous'] or 'none'}")
    print(f"staged:            {info['staged'] or 'none'}"
          + (" (switches at the next quiet moment)" if info["staged"] else ""))
    print(f"installed:         {', '.join(info['installed']) or 'none'}")
    trial = info["trial"]
    if trial:
        deadline = datetime.fromtimestamp(trial["deadline"]).astimezone().isoformat(timespec="seconds")
        print(f"trial:             {trial['version']} on trial (started {trial['starts']} time(s), "
              f"must pass its health check by {deadline}){'; failed: ' + trial['failure'] if trial['failure'] else ''}")
    else:
        print("trial:             none")
    if info["last"]:
        print(f"last:              {info['last'].get('at', '')} {info['last'].get('what', '')}")
    return 0


def _status(args: argparse.Namespace) -> int:
    if not args.json:
        return _check(args)
    settings = _settings(args)
    if settings is None:
        return 2
    print(json.dumps(status(settings), indent=1))
    return 0


def _apply(args: argparse.Namespace) -> int:
    from kiosk.updates.errors import UpdateError
    from kiosk.updates.install import apply_bundle

    settings = _settings(args)
    if settings is None:
        return 2
    os.umask(0o022)  # the slot is code, readable by the kiosk's user; the state file stays 0600
    try:
        manifest = apply_bundle(args.bundle, settings, _now)
    except UpdateError as err:
        print(f"kiosk update: refused, nothing changed: {err}", file=sys.stderr)
        return 1
    migrations = ", ".join(manifest.migrations) or "none"
    print(f"{manifest.version} installed and staged (migrations: {migrations}); "
          "the kiosk switches to it at the next quiet moment")
    return 0


def _rollback(args: argparse.Namespace) -> int:
    from kiosk.updates.errors import UpdateError
    from kiosk.updates.trial import roll_back

    settings = _settings(args)
    if settings is None:
        return 2
    try:
        was, back = roll_back(settings.root, _now, "by the technician (kiosk update rollback)")
    except UpdateError as err:
        print(f"kiosk update: {err}", file=sys.stderr)
        return 1
    print(f"rolled back {was} -> {back}; restart the kiosk to run it: systemctl restart gov-kiosk")
    return 0


def _check_trial(args: argparse.Namespace) -> int:
    """Never fails the start: whatever goes wrong here is said, and the kiosk starts anyway."""
    from kiosk.updates.errors import UpdateError
    from kiosk.updates.trial import check_trial

    settings = _settings(args)
    if settings is None:
        return 0
    try:
        reason = check_trial(settings.root, _now, settings.trial_starts)
    except (UpdateError, OSError) as err:
        print(f"kiosk update check-trial: {err}", file=sys.stderr)
        return 0
    if reason is not None:
        print(f"kiosk update check-trial: rolled back: {reason}", file=sys.stderr)
    return 0


def _make_bundle(args: argparse.Namespace) -> int:
    from kiosk.delivery.outbox_format import SCHEMA_VERSION
    from kiosk.updates.bundle import load_signing_key, make_bundle
    from kiosk.updates.errors import UpdateError

    try:
        manifest = make_bundle(args.wheels, load_signing_key(args.key), args.out,
                               outbox_schema=args.outbox_schema or SCHEMA_VERSION,
                               migrations=args.migration, now=_now())
    except (UpdateError, OSError) as err:
        print(f"kiosk update make-bundle: {err}", file=sys.stderr)
        return 1
    print(f"{args.out}: gov-kiosk {manifest.version}, {len(manifest.payload)} wheel(s), signed")
    return 0
