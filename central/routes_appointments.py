"""Counter appointments in the kiosk API (``contract.appointments``): slots and booking.

A kiosk books only at its own site: the site its token names (``site_id`` in
``CENTRAL_KIOSK_TOKENS``), else the site of its last heartbeat. Nothing in a request can name
another site. Refusals answer ``{"detail": {"code", "message"}}`` with no value echoed.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from central import appointments
from central.auth import Caller
from central.catalog import ServedCatalog
from central.counter_hours import CounterHours
from central.db import KioskRow
from central.routes_kiosk import ERRORS, Cipher, Db, Kiosk
from contract.appointments import (
    APPOINTMENTS_PATH,
    MAX_DAYS_AHEAD,
    AppointmentConfirmation,
    AppointmentRequest,
    BookingRefusal,
    SlotList,
)

router = APIRouter(prefix=APPOINTMENTS_PATH, tags=["kiosk"])

STATUS = {BookingRefusal.SLOT_FULL: 409, BookingRefusal.KEY_CONFLICT: 409,
          BookingRefusal.UNKNOWN_ITEM: 404, BookingRefusal.SLOT_PAST: 422,
          BookingRefusal.CLOSED: 422, BookingRefusal.NO_SITE: 409}
REFUSALS: dict[int | str, dict[str, Any]] = {
    404: {"description": "unknown_item: the site's catalogue has no such item"},
    409: {"description": "slot_full, key_conflict, or no_site (the kiosk has not beaten yet)"},
    422: {"description": "slot_past or closed, or a malformed request"},
    **ERRORS,
}


def refusal(code: BookingRefusal, message: str) -> HTTPException:
    return HTTPException(status_code=STATUS[code], detail={"code": code.value, "message": message})


def kiosk_site(engine: Engine, caller: Caller) -> str:
    """The calling kiosk's site: its token's, else its last heartbeat's."""
    if caller.site_id:
        return caller.site_id
    with Session(engine.execution_options(readonly=True)) as session:
        site = session.scalar(select(KioskRow.site_id).where(KioskRow.terminal_id == caller.name))
    if site is None:
        raise refusal(BookingRefusal.NO_SITE, "the centre does not know this kiosk's site yet")
    return site


def _known_item(request: Request, site_id: str, item_id: str) -> bool:
    served: ServedCatalog | None = request.app.state.catalogs.get(site_id)
    items = served.document.catalog.get("items") if served else None
    return isinstance(items, list) and any(
        isinstance(item, dict) and item.get("id") == item_id for item in items)


def _hours(request: Request) -> CounterHours:
    hours: CounterHours = request.app.state.counter_hours
    return hours


@router.get("/slots", response_model=SlotList, responses=REFUSALS)
def appointment_slots(caller: Kiosk, engine: Db, request: Request, item_id: Annotated[str, Query(
        min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")],
        days: Annotated[int, Query(ge=1, le=MAX_DAYS_AHEAD)] = 7) -> SlotList:
    """The counter slots of the calling kiosk's site for ``item_id``, ``days`` local days ahead."""
    site_id = kiosk_site(engine, caller)
    if not _known_item(request, site_id, item_id):
        raise refusal(BookingRefusal.UNKNOWN_ITEM, "this site offers no such item")
    return appointments.slots(engine, site_id=site_id, item_id=item_id,
                              hours=_hours(request).of(site_id),
                              calendar=request.app.state.work_calendar, days=days)


@router.post("", status_code=201, response_model=AppointmentConfirmation, responses={
    200: {"model": AppointmentConfirmation, "description": "the same booking again"}, **REFUSALS})
def book_appointment(body: AppointmentRequest, caller: Kiosk, engine: Db, cipher: Cipher,
                     request: Request, response: Response) -> AppointmentConfirmation:
    """Book a slot at the calling kiosk's site, once per idempotency key."""
    site_id = kiosk_site(engine, caller)
    try:
        booking = appointments.book(
            engine, body, site_id=site_id, terminal_id=caller.name,
            hours=_hours(request).of(site_id), calendar=request.app.state.work_calendar,
            cipher=cipher, known_item=_known_item(request, site_id, body.item_id))
    except appointments.Refused as err:
        raise refusal(err.code, err.message) from None
    if not booking.created:
        response.status_code = 200
    return booking.confirmation


__all__ = ["kiosk_site", "router"]
