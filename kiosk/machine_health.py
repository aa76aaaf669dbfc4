"""Read how the kiosk's machine is, for the heartbeat (``contract.machine_health``).

Linux only, from the kernel's own files, no dependency: disk from ``shutil.disk_usage`` on the
data folder; the process's resident memory from ``/proc/self/status`` (``VmRSS``); the
machine's memory from ``/proc/meminfo`` (``MemAvailable``, ``MemTotal``); load from
``/proc/loadavg``; temperature from ``/sys/class/thermal/thermal_zone*/temp`` (millidegrees),
the hottest zone that reports a plausible value. What cannot be read is None: the reader runs
on the heartbeat thread every beat and must never stop a beat.
"""

from __future__ import annotations

import logging
import math
import shutil
from pathlib import Path

from contract.machine_health import LOAD_MAX, TEMPERATURE_MAX_C, TEMPERATURE_MIN_C, MachineHealth

log = logging.getLogger(__name__)

PROC = Path("/proc")
SYS = Path("/sys")


def read_machine_health(data_dir: Path, *, proc: Path = PROC, sysfs: Path = SYS) -> MachineHealth:
    """The machine's disk (where ``data_dir`` is), memory, load and temperature now."""
    free, total = _disk(data_dir)
    meminfo = _kilobytes(proc / "meminfo", ("MemAvailable", "MemTotal"))
    status = _kilobytes(proc / "self" / "status", ("VmRSS",))
    load = _load(proc / "loadavg")
    available, whole = meminfo.get("MemAvailable"), meminfo.get("MemTotal")
    if available is not None and whole is not None and available > whole:
        available = None  # a kernel never says so; the beat must still go
    return MachineHealth(
        disk_free_bytes=free, disk_total_bytes=total, rss_bytes=status.get("VmRSS"),
        memory_available_bytes=available, memory_total_bytes=whole,
        load_1m=load[0], load_5m=load[1], load_15m=load[2],
        temperature_c=read_temperature(sysfs),
    )


def read_temperature(sysfs: Path = SYS) -> float | None:
    """The hottest thermal zone in °C, or None when the board reports none (most VMs)."""
    found: list[float] = []
    for zone in sorted((sysfs / "class" / "thermal").glob("thermal_zone*/temp")):
        try:
            celsius = int(zone.read_text(encoding="ascii").strip()) / 1000
        except (OSError, ValueError):
            continue  # a zone whose sensor is off reads as an error (ENODATA)
        if TEMPERATURE_MIN_C <= celsius <= TEMPERATURE_MAX_C:
            found.append(round(celsius, 1))
    return max(found) if found else None


def _disk(data_dir: Path) -> tuple[int | None, int | None]:
    try:
        usage = shutil.disk_usage(data_dir)
    except OSError as err:
        log.info("machine health: no disk figures for the data folder (%s)", type(err).__name__)
        return None, None
    return usage.free, usage.total


def _kilobytes(path: Path, keys: tuple[str, ...]) -> dict[str, int]:
    """``Key:   1234 kB`` lines of a /proc file, as bytes."""
    found: dict[str, int] = {}
    try:
        lines = path.read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return found
    for line in lines:
        key, _, rest = line.partition(":")
        parts = rest.split()
        if key in keys and len(parts) == 2 and parts[1] == "kB" and parts[0].isdigit():
            found[key] = int(parts[0]) * 1024
    return found


def _load(path: Path) -> tuple[float | None, float | None, float | None]:
    try:
        first = path.read_text(encoding="ascii").split()[:3]
        one, five, fifteen = (float(x) for x in first)
    except (OSError, ValueError):
        return None, None, None
    if not all(math.isfinite(x) and 0 <= x <= LOAD_MAX for x in (one, five, fifteen)):
        return None, None, None
    return one, five, fifteen
