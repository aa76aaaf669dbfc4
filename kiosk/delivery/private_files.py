"""Files that hold personal data or keys: created mode 0600 in a 0700 folder, synced.

The outbox, the ratings queue and the case numbering keep their files here; so does the
outbox's AES key (``load_or_create_key``).
"""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.errors import OutboxError
from kiosk.messages import MessageId

KEY_BYTES = 32


def load_or_create_key(path: Path) -> bytes:
    """Return the 32-byte key in ``path`` (the outbox key, a development signing seed), creating it
    (mode 0600) if missing."""
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = os.urandom(KEY_BYTES)
        # Written whole under a private name, then linked into place: another process never
        # reads a half-written key.
        draft = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.link(draft, path)
        except FileExistsError:  # another process made it first: use theirs
            return load_or_create_key(path)
        finally:
            draft.unlink()
        fsync_dir(path.parent)
        return key
    if len(key) != KEY_BYTES:
        raise OutboxError(MessageId.CONFIGURATION_BROKEN, detail=f"{path}: a key file must hold 32 bytes")
    return key


def private_file(path: Path) -> None:
    """Make ``path`` exist as mode 0600 (its folder, when made here, 0700) before SQLite opens
    it; SQLite gives its ``-wal`` and ``-shm`` the same mode. An older readable file is made 0600."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        created = True
    except FileExistsError:
        fd = os.open(path, os.O_WRONLY, 0o600)
        created = False
    try:
        os.fchmod(fd, 0o600)
    finally:
        os.close(fd)
    if created:  # SQLite syncs the folder for its -wal, never for the main file: its name must last
        fsync_dir(path.parent)
    for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            os.chmod(side, 0o600)
        except FileNotFoundError:
            pass


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
