"""The appointment tables (migration 0006): booked counter slots (``central.appointments``).

- ``appointment_slots``: one row per site and slot start with how many places are booked;
  a booking takes a place with one conditional ``UPDATE ... booked < capacity``, so the
  capacity holds however many kiosks book at once.
- ``appointment_days``: per site and local day, the last appointment number given.
- ``appointments``: one row per booking, unique on the kiosk's idempotency key. The applicant
  (name, ID, phone) is sealed like a case's payload (``central.crypto``); only the masked
  name is kept readable, for the counter's list.
Times are stored in UTC.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from central.db import Base, BigId

When = DateTime(timezone=True)


class AppointmentSlotRow(Base):
    """How many places of one slot at one site are booked."""

    __tablename__ = "appointment_slots"

    site_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    slot_start: Mapped[datetime] = mapped_column(When, primary_key=True)
    booked: Mapped[int] = mapped_column(Integer, default=0)


class AppointmentDayRow(Base):
    """The last appointment number given at a site for a local day (``YYYYMMDD``)."""

    __tablename__ = "appointment_days"

    site_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[str] = mapped_column(String(8), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, default=0)


class AppointmentRow(Base):
    """One booked appointment; ``applicant`` is sealed (``enc1:...``)."""

    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    appointment_number: Mapped[str] = mapped_column(String(16))
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    body_sha256: Mapped[str] = mapped_column(String(64))
    site_id: Mapped[str] = mapped_column(String(64))
    terminal_id: Mapped[str] = mapped_column(String(64))
    item_id: Mapped[str] = mapped_column(String(64))
    slot_start: Mapped[datetime] = mapped_column(When)
    slot_end: Mapped[datetime] = mapped_column(When)
    place: Mapped[str] = mapped_column(String(100))
    masked_name: Mapped[str] = mapped_column(String(64))
    applicant: Mapped[str] = mapped_column(Text)
    booked_at: Mapped[datetime] = mapped_column(When)

    __table_args__ = (
        UniqueConstraint("site_id", "appointment_number", name="uq_appointments_site_number"),
        Index("ix_appointments_site_slot", "site_id", "slot_start"),
    )
