"""Counter appointments (预约取号) between kiosks and the centre, defined once for both sides.

Some items cannot be done at the kiosk: the kiosk shows the guide and books a slot at its own
site's counter. Slots come from the site's counter hours (``central.counter_hours``) less the
holidays of the work calendar; each holds a few residents (its capacity).

- ``GET {API_PREFIX}/kiosk/appointments/slots?item_id=...&days=7`` → ``SlotList``: the calling
  kiosk's own site (never another's), from now to ``days`` local days ahead (1-14). Slots
  already started are left out; full ones are listed with ``free`` 0. ``404`` with code
  ``unknown_item`` when the site's catalogue has no such item.
- ``POST {API_PREFIX}/kiosk/appointments`` with an ``AppointmentRequest`` → ``201
  AppointmentConfirmation``; ``200`` with the same confirmation when the same key and body
  come again. Refusals carry ``{"detail": {"code": <BookingRefusal>, "message": ...}}``:
  ``409 slot_full`` (offer the next slot), ``409 key_conflict`` (the key came with another
  body), ``404 unknown_item``, ``422 slot_past``, ``422 closed`` (not a slot of the counter's
  hours: a holiday, a closed hour, a time between slots, too far ahead).

Requests are checked strictly (``extra="forbid"``); replies the kiosk reads ignore fields they
do not know, like ``contract.wire``'s.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from contract.scalars import Moment, Text
from contract.wire import API_PREFIX, IDEMPOTENCY_KEY_PATTERN, Applicant

APPOINTMENTS_PATH = f"{API_PREFIX}/kiosk/appointments"
SLOTS_PATH = f"{APPOINTMENTS_PATH}/slots"
MAX_DAYS_AHEAD = 14  # the furthest a kiosk may ask for or book slots, in local days
APPOINTMENT_NUMBER_PATTERN = r"^Y[0-9]{8}-[0-9]{4}$"  # Y + the slot's local day + its sequence
PHONE_PATTERN = r"^1[0-9]{10}$"  # a mainland mobile number, 11 digits
ItemId = Annotated[Text, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]


class BookingRefusal(enum.StrEnum):
    """Why the centre did not book: the ``code`` in a refusal's ``detail``."""

    SLOT_FULL = "slot_full"  # 409: taken by others meanwhile; offer the next slot
    KEY_CONFLICT = "key_conflict"  # 409: this idempotency key was used with another body
    UNKNOWN_ITEM = "unknown_item"  # 404: not an item of this site's catalogue
    SLOT_PAST = "slot_past"  # 422: the slot has started or is over
    CLOSED = "closed"  # 422: no such slot in the counter's hours (holiday, closed, too far)
    NO_SITE = "no_site"  # 409: the centre does not know this kiosk's site yet


class Slot(BaseModel):
    """One slot at the counter: its local start and end, and how many places are left."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads

    start: datetime
    end: datetime
    free: int


class SlotList(BaseModel):
    """The slots of the kiosk's site for an item, soonest first."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads

    site_id: str
    item_id: str
    slots: list[Slot] = Field(default_factory=list)

    def bookable(self) -> list[Slot]:
        """The slots with a place left."""
        return [slot for slot in self.slots if slot.free > 0]

    def after(self, start: datetime) -> Slot | None:
        """The first bookable slot starting after ``start`` (the next one to offer)."""
        return next((slot for slot in self.bookable() if slot.start > start), None)


class AppointmentRequest(BaseModel):
    """A kiosk's booking of one slot for a resident; retried with the same key after a fault."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    idempotency_key: Text = Field(pattern=IDEMPOTENCY_KEY_PATTERN)
    item_id: ItemId
    slot_start: Moment
    applicant: Applicant
    phone: Text | None = Field(default=None, pattern=PHONE_PATTERN)


class AppointmentConfirmation(BaseModel):
    """The booked slot: the number the counter calls, when, and where."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads

    appointment_number: str
    item_id: str
    slot_start: datetime
    slot_end: datetime
    place: str  # the counter, in the site's words: "一楼综合受理区 3-5号窗口"
    booked_at: datetime | None = None
    # The counter in the kiosk's other languages ("zh-Hant", "en"), where the centre has them.
    place_in: dict[str, str] = Field(default_factory=dict)


__all__ = [
    "APPOINTMENTS_PATH", "APPOINTMENT_NUMBER_PATTERN", "MAX_DAYS_AHEAD", "SLOTS_PATH",
    "AppointmentConfirmation", "AppointmentRequest", "BookingRefusal", "Slot", "SlotList",
]
