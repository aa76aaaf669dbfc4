"""Services starting together share one key file and never read half of it."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from central.crypto import load_or_create_key_file
from kiosk.delivery.private_files import load_or_create_key


def test_processes_starting_together_get_the_same_whole_key(tmp_path: Path) -> None:
    for load, name in ((load_or_create_key_file, "central-data.key"), (load_or_create_key, "outbox.key")):
        path = tmp_path / name
        with ThreadPoolExecutor(16) as pool:
            keys = list(pool.map(lambda _n, load=load, path=path: load(path), range(64)))
        assert len(set(keys)) == 1 and len(keys[0]) == 32
        assert path.stat().st_mode & 0o777 == 0o600
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no drafts left
