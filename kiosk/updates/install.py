"""Applying a bundle: check it, install its version into a new slot, stage it. Nothing else moves.

A refused bundle (signature, tampering, unsafe member, not newer) or a failed install leaves the
running version, the links and the staged version as they were, and its reason is kept for
the audit log (``trial.refused``).
"""

from __future__ import annotations

import os
import shutil
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from kiosk.config.settings import Updates
from kiosk.delivery.outbox_format import SCHEMA_VERSION
from kiosk.updates import trial
from kiosk.updates.bundle import VERSION, Manifest, read_bundle
from kiosk.updates.errors import UpdateError
from kiosk.updates.slots import Slots
from kiosk.updates.trial import Now


def running_version() -> str | None:
    """The gov-kiosk version of this interpreter's install (None: unknown, or not a plain 1.2.3)."""
    try:
        found = version("gov-kiosk")
    except PackageNotFoundError:
        return None
    return found if VERSION.fullmatch(found) else None


def apply_bundle(bundle: Path, settings: Updates, now: Now) -> Manifest:
    """Check ``bundle``, install its version beside the running one and stage it."""
    slots = Slots(settings.root)
    running = slots.current or running_version()
    incoming = Path(settings.root) / f".incoming-{os.getpid()}"
    try:
        Path(settings.root).mkdir(parents=True, exist_ok=True)
        shutil.rmtree(incoming, ignore_errors=True)
        manifest = read_bundle(bundle, settings.public_keys, running=running, outbox_schema=SCHEMA_VERSION,
                               into=incoming)
        slots.install(manifest.version, incoming, manifest.kiosk_wheel)
    except UpdateError as err:
        trial.refused(settings.root, str(err), now)
        raise
    except OSError as err:
        reason = f"{bundle.name}: cannot be installed under {settings.root}: {err.strerror or err}"
        trial.refused(settings.root, reason, now)
        raise UpdateError(reason) from err
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
    trial.stage(settings.root, manifest, now)
    return manifest
