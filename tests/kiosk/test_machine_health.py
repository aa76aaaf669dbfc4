"""The machine's health as the heartbeat reports it: read from /proc and sysfs (here fake
ones made in a temporary folder, and the real ones of this machine), checked by the contract."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from contract.machine_health import MachineHealth
from kiosk.machine_health import read_machine_health, read_temperature

MEMINFO = """MemTotal:        4030000 kB
MemFree:          120000 kB
MemAvailable:    2015000 kB
Buffers:           10000 kB
"""
STATUS = """Name:\tpython
VmPeak:\t  400000 kB
VmRSS:\t  183000 kB
Threads:\t12
"""


def fake_proc(root: Path, *, meminfo: str = MEMINFO, status: str = STATUS,
              loadavg: str = "0.52 0.41 0.30 2/311 4242\n") -> Path:
    (root / "self").mkdir(parents=True)
    (root / "meminfo").write_text(meminfo)
    (root / "self" / "status").write_text(status)
    (root / "loadavg").write_text(loadavg)
    return root


def fake_zones(root: Path, *temps: str) -> Path:
    for n, temp in enumerate(temps):
        zone = root / "class" / "thermal" / f"thermal_zone{n}"
        zone.mkdir(parents=True)
        (zone / "temp").write_text(temp + "\n")
        (zone / "type").write_text("cpu-thermal\n")
    (root / "class" / "thermal" / "cooling_device0").mkdir(parents=True, exist_ok=True)
    return root


def test_every_figure_is_read_from_proc_sysfs_and_the_data_disk(tmp_path: Path) -> None:
    proc = fake_proc(tmp_path / "proc")
    sysfs = fake_zones(tmp_path / "sys", "47500", "52125")
    health = read_machine_health(tmp_path, proc=proc, sysfs=sysfs)
    disk = shutil.disk_usage(tmp_path)
    assert health.disk_total_bytes == disk.total
    assert health.disk_free_bytes is not None and 0 < health.disk_free_bytes <= disk.total
    assert health.rss_bytes == 183000 * 1024
    assert (health.memory_available_bytes, health.memory_total_bytes) == (2015000 * 1024, 4030000 * 1024)
    assert (health.load_1m, health.load_5m, health.load_15m) == (0.52, 0.41, 0.30)
    assert health.temperature_c == 52.1  # the hottest zone, in °C


def test_the_temperature_is_none_where_the_board_reports_none(tmp_path: Path) -> None:
    assert read_temperature(tmp_path) is None  # no /sys/class/thermal at all
    assert read_temperature(fake_zones(tmp_path / "empty")) is None  # the folder, no zones


def test_a_zone_that_cannot_be_read_or_is_implausible_is_left_out(tmp_path: Path) -> None:
    sysfs = fake_zones(tmp_path, "not a number", "-273000", "999000", "38000")
    assert read_temperature(sysfs) == 38.0
    assert read_temperature(fake_zones(tmp_path / "only-bad", "200000", "")) is None


def test_what_cannot_be_read_is_none_and_the_beat_still_goes(tmp_path: Path) -> None:
    proc = fake_proc(tmp_path / "proc", meminfo="MemTotal: lots\n", status="VmRSS:\t12 MB\n",
                     loadavg="nan 1 1\n")
    health = read_machine_health(tmp_path / "no-such-folder", proc=proc, sysfs=tmp_path)
    assert health == MachineHealth()
    health = read_machine_health(tmp_path, proc=tmp_path / "no-proc", sysfs=tmp_path)
    assert health.disk_total_bytes is not None and health.rss_bytes is None and health.load_1m is None


def test_this_machine_reads_without_error() -> None:
    health = read_machine_health(Path.cwd())
    assert health.disk_total_bytes and health.memory_total_bytes and health.rss_bytes
    assert health.temperature_c == read_temperature()  # None on a VM without thermal zones


@pytest.mark.parametrize("figures", [
    {"disk_free_bytes": -1},
    {"rss_bytes": 2**63},
    {"disk_free_bytes": 10, "disk_total_bytes": 5},
    {"memory_available_bytes": 10, "memory_total_bytes": 5},
    {"temperature_c": -50.5},
    {"temperature_c": 150.5},
    {"load_1m": -0.1},
    {"load_1m": float("nan")},
    {"disk_free_bytes": "100"},  # a JSON number, never text
    {"uptime_s": 5.0},  # a misspelt or unknown figure
])
def test_the_contract_refuses_impossible_figures(figures: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        MachineHealth.model_validate(figures)


def test_the_contract_takes_the_edges_and_json_whole_numbers() -> None:
    health = MachineHealth.model_validate_json(
        '{"disk_free_bytes": 0, "disk_total_bytes": 0, "temperature_c": -50, "load_1m": 0}')
    assert health.temperature_c == -50.0 and health.disk_free_bytes == 0
    assert MachineHealth(temperature_c=150.0).temperature_c == 150.0
