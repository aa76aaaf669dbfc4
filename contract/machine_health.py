"""How the kiosk's machine is, as its heartbeat reports it: disk, memory, load, temperature.

A ``Heartbeat`` (``contract.wire``) carries it as ``machine``, optional so that a kiosk of an
older version still beats. Each figure is None where the kiosk could not read it (no
``/proc``, no thermal sensor); a figure that is read is checked here: no negative bytes,
nothing free beyond the total, a temperature between ``TEMPERATURE_MIN_C`` and
``TEMPERATURE_MAX_C`` (a board that reports beyond that is broken, not hot).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from contract.scalars import Count, Seconds

BYTES_MAX = 2**62  # stored as 64-bit integers on both databases
LOAD_MAX = 1_000_000.0
TEMPERATURE_MIN_C = -50.0
TEMPERATURE_MAX_C = 150.0

Bytes = Annotated[Count, Field(ge=0, le=BYTES_MAX)]
Load = Annotated[Seconds, Field(ge=0, le=LOAD_MAX)]
Celsius = Annotated[Seconds, Field(ge=TEMPERATURE_MIN_C, le=TEMPERATURE_MAX_C)]


class MachineHealth(BaseModel):
    """The kiosk machine's resources at one beat. No personal data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    disk_free_bytes: Bytes | None = None  # on the filesystem holding the kiosk's data folder
    disk_total_bytes: Bytes | None = None
    rss_bytes: Bytes | None = None  # the kiosk process's resident memory
    memory_available_bytes: Bytes | None = None  # the machine's (``MemAvailable``)
    memory_total_bytes: Bytes | None = None
    load_1m: Load | None = None
    load_5m: Load | None = None
    load_15m: Load | None = None
    temperature_c: Celsius | None = None  # the hottest thermal zone; None where the board has none

    @model_validator(mode="after")
    def _parts_within_totals(self) -> MachineHealth:
        for part, whole, name in ((self.disk_free_bytes, self.disk_total_bytes, "disk_free_bytes"),
                                  (self.memory_available_bytes, self.memory_total_bytes,
                                   "memory_available_bytes")):
            if part is not None and whole is not None and part > whole:
                raise ValueError(f"{name} must not exceed its total")
        return self
