"""The outbox across versions: it lives in data_dir, outside every slot, so an update and a roll
back both find it. A newer version may migrate it forward; an older version that meets a file
written by a newer one refuses it with a clear message and leaves it exactly as it was, so the
newer version (or a technician) still finds every case in it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from central.samples import sample_submission
from kiosk.delivery.outbox import Outbox
from kiosk.delivery.outbox_format import SCHEMA_VERSION
from kiosk.errors import OutboxError

KEY = bytes(range(32))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def written_by_a_newer_version(path: Path) -> None:
    """An outbox as a version one schema ahead leaves it: a new column, a pending case, its number."""
    box = Outbox(path, KEY, min_free_bytes=0)
    box.enqueue(sample_submission(1))
    box.close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("ALTER TABLE outbox ADD COLUMN channel TEXT NOT NULL DEFAULT 'counter'")
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def test_an_older_version_refuses_a_newer_outbox_and_leaves_it_untouched(tmp_path: Path) -> None:
    path = tmp_path / "data" / "outbox.db"
    written_by_a_newer_version(path)
    before = _digest(path)

    with pytest.raises(OutboxError) as refused:
        Outbox(path, KEY, min_free_bytes=0)

    newer = SCHEMA_VERSION + 1
    assert refused.value.detail == f"{path}: outbox schema {newer} is newer than this kiosk's {SCHEMA_VERSION}"
    assert _digest(path) == before  # not a byte changed
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert db.execute("PRAGMA user_version").fetchone()[0] == newer
    assert db.execute("SELECT state, channel FROM outbox").fetchall() == [("pending", "counter")]
    db.close()


def test_the_version_that_wrote_it_still_reads_the_same_file(tmp_path: Path) -> None:
    """The same file at this kiosk's own schema opens with its case waiting to be sent."""
    path = tmp_path / "data" / "outbox.db"
    box = Outbox(path, KEY, min_free_bytes=0)
    box.enqueue(sample_submission(2))
    box.close()
    again = Outbox(path, KEY, min_free_bytes=0)
    assert again.stats().pending == 1
    again.close()
