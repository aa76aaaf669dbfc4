"""Counter-only items (窗口办理): ask the centre for the site's slots and book one, off the UI
thread; the answers come back to the terminal as events (``SlotsAnswered``, ``BookingAnswered``).

A booking is tried once: a resident standing at the screen is told at once if the centre
cannot be reached, and to come to the counter in its hours. The session gives the key
(``Session.booking_keys``): the same slot tried again in the same session carries the same
key, so an answer lost on the way back never books the resident twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.errors import KioskError, SlotTaken
from kiosk.events import BookingAnswered, SlotsAnswered, TerminalEvent
from kiosk.messages import MessageId, message
from kiosk.session.booking import DAYS_AHEAD, SlotChoice
from kiosk.session.identity import Identity

if TYPE_CHECKING:
    from kiosk.delivery.centre_client import CentreClient

log = logging.getLogger(__name__)


class CounterBooking:
    def __init__(self, client: Callable[[], CentreClient | None], post: Callable[[TerminalEvent], None]) -> None:
        self.client = client
        self.post = post

    def fetch_slots(self, item_id: str) -> None:
        threading.Thread(target=self._fetch, args=(item_id,), name="slots", daemon=True).start()

    def book(self, item_id: str, slot: SlotChoice, identity: Identity, key: str) -> None:
        """Book ``slot`` for ``identity`` once per idempotency ``key``."""
        threading.Thread(target=self._book, args=(item_id, slot, identity, key), name="booking", daemon=True).start()

    def _fetch(self, item_id: str) -> None:
        client = self.client()
        if client is None:
            self.post(SlotsAnswered(item_id, (), message(MessageId.APPOINTMENT_CENTRE_UNREACHABLE)))
            return
        try:
            listed = client.appointment_slots(item_id, DAYS_AHEAD)
        except KioskError as err:
            log.info("counter slots for %s could not be had: %s", item_id, type(err).__name__)
            self.post(SlotsAnswered(item_id, (), err.message))
            return
        slots = tuple(SlotChoice(s.start, s.end, s.free) for s in listed.bookable())
        self.post(SlotsAnswered(item_id, slots, None))

    def _book(self, item_id: str, slot: SlotChoice, identity: Identity, key: str) -> None:
        from contract.appointments import AppointmentRequest
        from contract.wire import Applicant

        client = self.client()
        if client is None:
            self.post(BookingAnswered(None, message(MessageId.APPOINTMENT_CENTRE_UNREACHABLE), slot_full=False))
            return
        request = AppointmentRequest(
            idempotency_key=key, item_id=item_id, slot_start=slot.start,
            applicant=Applicant(id_type=identity.id_type, name=identity.name, id_number=identity.id_number))
        try:
            confirmation = client.book_appointment(request)
        except SlotTaken as err:
            self.post(BookingAnswered(None, err.message, slot_full=True))
        except KioskError as err:
            log.info("booking a counter slot for %s failed: %s", item_id, type(err).__name__)
            self.post(BookingAnswered(None, err.message, slot_full=False))
        else:
            log.info("counter slot booked for %s: %s", item_id, confirmation.appointment_number)
            self.post(BookingAnswered(confirmation, None, slot_full=False))
