"""Booking a slot at the counter for a counter-only item (预约窗口办理), as the session holds it.

The terminal asks the centre for slots and books the one picked, off the UI thread; these
methods record what came back. A slot the centre says is full is dropped and the others
shown again; no slots, or no centre, end in ``FAILED`` with what to do instead.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.errors import SessionError
from kiosk.messages import Message, MessageId, message

DAYS_AHEAD = 7  # how far ahead the counter's slots are offered


class BookingState(enum.StrEnum):
    LOADING = "loading"  # asking the centre for slots
    CHOOSING = "choosing"  # slots shown; the resident picks one
    BOOKING = "booking"  # the picked slot is being booked
    FAILED = "failed"  # no slots, or the centre cannot be reached: ``problem`` says what to do


@dataclass(frozen=True)
class SlotChoice:
    """A slot at the counter as the appointment screen shows it (local times)."""

    start: datetime
    end: datetime
    free: int


@dataclass
class AppointmentBooking:
    state: BookingState = BookingState.LOADING
    slots: tuple[SlotChoice, ...] = ()
    problem: Message | None = None
    chosen: SlotChoice | None = None

    def slots_arrived(self, slots: tuple[SlotChoice, ...], problem: Message | None = None) -> None:
        """The centre's slots (only those with a place left are kept), or why there are none."""
        self.slots = tuple(slot for slot in slots if slot.free > 0)
        if problem is None and not self.slots:
            problem = message(MessageId.APPOINTMENT_NO_SLOTS, days=DAYS_AHEAD)
        self.problem = problem
        self.state = BookingState.FAILED if not self.slots else BookingState.CHOOSING

    def pick(self, start: datetime) -> SlotChoice:
        """The resident tapped a slot: it is being booked."""
        if self.state is not BookingState.CHOOSING:
            raise SessionError(MessageId.STEP_EXPIRED)
        for slot in self.slots:
            if slot.start == start:
                self.chosen, self.state, self.problem = slot, BookingState.BOOKING, None
                return slot
        raise SessionError(MessageId.APPOINTMENT_SLOT_TAKEN)

    def refused(self, problem: Message, slot_full: bool) -> None:
        """The booking failed: a full slot leaves the others to pick; anything else ends it."""
        if slot_full and self.chosen is not None:
            self.slots = tuple(slot for slot in self.slots if slot.start != self.chosen.start)
        self.chosen, self.problem = None, problem
        self.state = BookingState.CHOOSING if slot_full and self.slots else BookingState.FAILED


@dataclass
class BookingKeys:
    """One idempotency key per (item, slot start) for a whole session: the same slot tried
    again after an answer lost on the way back is the same booking at the centre, not a second."""

    keys: dict[tuple[str, datetime], str] = field(default_factory=dict)

    def key(self, item_id: str, start: datetime) -> str:
        return self.keys.setdefault((item_id, start), uuid.uuid4().hex)
