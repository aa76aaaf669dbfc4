"""Small JSON state files of maintenance mode: written whole (mode 0600), then renamed into place.

A reader never sees half a file, and a power cut leaves either the old or the new one. A file
that is missing or unreadable reads as ``None``: the caller starts from its defaults (and a
damaged file is kept aside as ``<name>.damaged`` for a technician, never silently lost).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from kiosk.delivery.private_files import fsync_dir

log = logging.getLogger(__name__)


def read_state(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path``, or None when there is none (or it cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as err:
        log.warning("state file %s cannot be read: %s", path.name, err.strerror)
        return None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        log.warning("state file %s is damaged; starting afresh (kept as %s.damaged)", path.name, path.name)
        try:
            os.replace(path, path.with_name(path.name + ".damaged"))
        except OSError:
            pass
        return None
    return data


def write_state(path: Path, data: dict[str, Any]) -> None:
    """Replace ``path`` with ``data`` as JSON, atomically and durably (mode 0600)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(draft, path)
    fsync_dir(path.parent)
