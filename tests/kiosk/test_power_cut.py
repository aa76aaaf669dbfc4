"""Pull the power on the kiosk again and again: no case whose receipt was printed is lost.

The kiosk's data folder is ext4 on a loop device; each cut kills the kiosk's whole process
group with SIGKILL and throws away whatever the file system had not yet written to the disk
(``bench.power_disk``). The receipts are printed through the real ESC/POS driver to a printer
simulator in a process of its own, which the cuts do not touch. 8 cuts here (about 15 s);
``KIOSK_SOAK=1`` runs 200. Needs root and loop devices (CI has both); skipped otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.power_cut import PrinterProcess, run_fork_server
from bench.power_disk import PowerDisk, usable
from bench.power_verdict import verdict
from central.server import EmbeddedCentre, start_embedded

CUTS = 200 if os.environ.get("KIOSK_SOAK") == "1" else 8
UNUSABLE = usable()
pytestmark = pytest.mark.skipif(UNUSABLE is not None, reason=f"power-cut disk: {UNUSABLE}")


@pytest.fixture
def centre_database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'central.db'}"


@pytest.fixture
def centre(centre_database: str) -> Iterator[EmbeddedCentre]:
    running = start_embedded(centre_database, terminal_id="T001", terminal_number=1)
    yield running
    running.stop()


def test_the_disk_loses_what_was_not_synced(tmp_path: Path) -> None:
    disk = PowerDisk(tmp_path).create()
    try:
        synced = disk.mount_point / "synced"
        with open(synced, "wb") as f:
            f.write(b"kept")
            f.flush()
            os.fsync(f.fileno())
        dir_fd = os.open(disk.mount_point, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        (disk.mount_point / "unsynced").write_bytes(b"lost")
        with open(synced, "ab") as f:
            f.write(b" and lost")
        disk.cut()
        assert synced.read_bytes() == b"kept"
        assert not (disk.mount_point / "unsynced").exists()
    finally:
        disk.unmount()


@pytest.mark.timeout(3600)
def test_no_printed_case_is_lost_or_duplicated_across_power_cuts(
        centre: EmbeddedCentre, centre_database: str, tmp_path: Path) -> None:
    printer = PrinterProcess()
    out = run_fork_server(tmp_path, printer.port, centre.base_url, centre.token, cuts=CUTS,
                          max_life_s=0.3, seed=7, timeout=3000)
    assert out == f"cut {CUTS}"
    result = verdict(PowerDisk(tmp_path), printer.lines(), centre, centre_database)
    assert result.printed > 0  # receipts were printed
    assert result.lost_from_outbox == ()  # every printed case came back after the cuts...
    assert result.unsent == 0
    assert result.lost_at_centre == ()  # ...and reached the centre, the case that was printed
    assert result.events == result.at_centre == result.stored  # each exactly once, and no more


@pytest.mark.timeout(600)
def test_an_outbox_that_does_not_sync_loses_printed_cases(
        centre: EmbeddedCentre, centre_database: str, tmp_path: Path) -> None:
    """The control: the same run with the outbox's syncing off loses cases, so the cuts bite."""
    printer = PrinterProcess()
    run_fork_server(tmp_path, printer.port, centre.base_url, centre.token, cuts=2,
                    max_life_s=0.3, seed=3, timeout=300, unsafe=True)
    result = verdict(PowerDisk(tmp_path), printer.lines(), centre, centre_database)
    assert result.printed > 0
    assert result.lost_from_outbox
