"""Counter appointments (预约取号): the slots a site offers, booking one, and the day's list.

Booking is one short transaction: take a place in the slot with a conditional update
(``booked = booked + 1 WHERE booked < capacity``: PostgreSQL re-checks the condition on the
row it waited for, SQLite's ``BEGIN IMMEDIATE`` runs writers one at a time), number the
appointment from the site's day counter, and store it under the kiosk's idempotency key. A
retry with the same key and body gets the same confirmation, even once the slot is full or
past; the same key with another body is refused. The applicant is sealed under a data key of
its own, as cases are (``central.crypto``); the counter's list shows the masked name only.
Nothing personal is logged.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.appointment_rows import AppointmentDayRow, AppointmentRow, AppointmentSlotRow
from central.counter_hours import SiteHours
from central.crypto import PayloadCipher
from central.db import as_utc, utcnow
from central.work_calendar import CENTRE_ZONE, WorkCalendar
from contract.appointments import (
    MAX_DAYS_AHEAD,
    AppointmentConfirmation,
    AppointmentRequest,
    BookingRefusal,
    Slot,
    SlotList,
)


class Refused(Exception):
    """The centre will not book; ``code`` says why (``BookingRefusal``)."""

    def __init__(self, code: BookingRefusal, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Booking:
    confirmation: AppointmentConfirmation
    created: bool  # False: a retry of a booking already held


@dataclass(frozen=True)
class Listed:
    """One appointment as the counter's list shows it: no name but the masked one."""

    appointment_number: str
    site_id: str
    item_id: str
    slot_start: datetime
    slot_end: datetime
    masked_name: str
    terminal_id: str


def masked_name(name: str) -> str:
    """Hide the middle of a name: 张三丰 → 张*丰, 张三 → 张*, 欧阳娜娜 → 欧**娜."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def _storable(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def slots(engine: Engine, *, site_id: str, item_id: str, hours: SiteHours | None,
          calendar: WorkCalendar, days: int, now: datetime | None = None) -> SlotList:
    """The site's slots from ``now`` to ``days`` local days ahead (today counts as the first),
    with the places left; started slots are left out."""
    now = now or utcnow()
    if hours is None:
        return SlotList(site_id=site_id, item_id=item_id, slots=[])
    today = calendar.local_day(now)
    offered = [(start, end) for n in range(min(days, MAX_DAYS_AHEAD))
               for start, end in hours.slots_on(today + timedelta(days=n), calendar) if start > now]
    if not offered:
        return SlotList(site_id=site_id, item_id=item_id, slots=[])
    with Session(engine.execution_options(readonly=True)) as session:
        held = session.execute(
            select(AppointmentSlotRow.slot_start, AppointmentSlotRow.booked).where(
                AppointmentSlotRow.site_id == site_id,
                AppointmentSlotRow.slot_start >= _storable(offered[0][0]),
                AppointmentSlotRow.slot_start <= _storable(offered[-1][0]))).all()
    booked = {as_utc(start): count for start, count in held}
    return SlotList(site_id=site_id, item_id=item_id, slots=[
        Slot(start=start, end=end, free=max(0, hours.capacity - booked.get(_storable(start), 0)))
        for start, end in offered])


def body_digest(request: AppointmentRequest) -> str:
    """The SHA-256 of the request's canonical JSON, its slot as a UTC instant."""
    body = request.model_copy(update={"slot_start": _storable(request.slot_start)})
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def book(engine: Engine, request: AppointmentRequest, *, site_id: str, terminal_id: str,
         hours: SiteHours | None, calendar: WorkCalendar, cipher: PayloadCipher,
         known_item: bool, now: datetime | None = None) -> Booking:
    """Book the slot once for this key; raise ``Refused`` when the centre will not."""
    now = now or utcnow()
    digest = body_digest(request)
    try:
        if not known_item:
            raise Refused(BookingRefusal.UNKNOWN_ITEM, "this site offers no such item")
        slot = hours.slot_at(request.slot_start, calendar) if hours else None
        last_day = calendar.local_day(now) + timedelta(days=MAX_DAYS_AHEAD - 1)
        if hours is None or slot is None or slot[0].date() > last_day:
            raise Refused(BookingRefusal.CLOSED, "the counter offers no slot at this time")
        if slot[0] <= now:
            raise Refused(BookingRefusal.SLOT_PAST, "this slot has begun or is over")
        return Booking(_insert(engine, request, digest, site_id=site_id, terminal_id=terminal_id,
                               slot=slot, hours=hours, cipher=cipher, now=now), created=True)
    except (Refused, IntegrityError):
        # A retry (its key already held: the slot may be full or past by now) gets the answer
        # it had; the key with another body is KEY_CONFLICT; anything else is refused as it was.
        held = _held(engine, request.idempotency_key, digest, hours)
        if held is None:
            raise
        return Booking(held, created=False)


def _held(engine: Engine, key: str, digest: str, hours: SiteHours | None) -> AppointmentConfirmation | None:
    with Session(engine.execution_options(readonly=True)) as session:
        row = session.scalars(select(AppointmentRow).where(AppointmentRow.idempotency_key == key)).first()
        if row is None:
            return None
        if row.body_sha256 != digest:
            raise Refused(BookingRefusal.KEY_CONFLICT, "this idempotency key was used with another body")
        return _confirmation(row, hours)


def _insert_ignoring_conflict(session: Session, table: Any, values: dict[str, Any]) -> None:
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(table).values(**values).on_conflict_do_nothing())


def _insert(engine: Engine, request: AppointmentRequest, digest: str, *, site_id: str,
            terminal_id: str, slot: tuple[datetime, datetime], hours: SiteHours,
            cipher: PayloadCipher, now: datetime) -> AppointmentConfirmation:
    start, end = _storable(slot[0]), _storable(slot[1])
    day = slot[0].strftime("%Y%m%d")
    with Session(engine) as session, session.begin():
        _insert_ignoring_conflict(session, AppointmentSlotRow,
                                  {"site_id": site_id, "slot_start": start, "booked": 0})
        taken = session.execute(
            update(AppointmentSlotRow)
            .where(AppointmentSlotRow.site_id == site_id, AppointmentSlotRow.slot_start == start,
                   AppointmentSlotRow.booked < hours.capacity)
            .values(booked=AppointmentSlotRow.booked + 1))
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            raise Refused(BookingRefusal.SLOT_FULL, "this slot is full")
        _insert_ignoring_conflict(session, AppointmentDayRow,
                                  {"site_id": site_id, "day": day, "last_number": 0})
        day_row = (AppointmentDayRow.site_id == site_id) & (AppointmentDayRow.day == day)
        session.execute(update(AppointmentDayRow).where(day_row)
                        .values(last_number=AppointmentDayRow.last_number + 1))
        number = session.scalar(select(AppointmentDayRow.last_number).where(day_row))
        appointment_number = f"Y{day}-{number:04d}"
        sealed = cipher.seal(
            json.dumps({"applicant": request.applicant.model_dump(mode="json"), "phone": request.phone},
                       ensure_ascii=False),
            case_number=f"appointment:{site_id}:{appointment_number}",
            idempotency_key=request.idempotency_key)
        row = AppointmentRow(
            appointment_number=appointment_number, idempotency_key=request.idempotency_key,
            body_sha256=digest, site_id=site_id, terminal_id=terminal_id, item_id=request.item_id,
            slot_start=start, slot_end=end, place=hours.place,
            masked_name=masked_name(request.applicant.name), applicant=sealed, booked_at=now)
        session.add(row)
        session.flush()
        return _confirmation(row, hours)


def _confirmation(row: AppointmentRow, hours: SiteHours | None) -> AppointmentConfirmation:
    """The booking as the kiosk reads it; the place in other languages while the site's counter
    is still the one booked."""
    place_in = dict(hours.place_in) if hours is not None and hours.place == row.place else {}
    return AppointmentConfirmation(
        appointment_number=row.appointment_number, item_id=row.item_id,
        slot_start=as_utc(row.slot_start).astimezone(CENTRE_ZONE),
        slot_end=as_utc(row.slot_end).astimezone(CENTRE_ZONE), place=row.place, place_in=place_in,
        booked_at=as_utc(row.booked_at))


def day_list(engine: Engine, day: date, calendar: WorkCalendar, *,
             sites: frozenset[str] = frozenset()) -> list[Listed]:
    """The appointments of local ``day`` at ``sites`` (empty: every site), by site and time."""
    begins = datetime.combine(day, datetime.min.time(), calendar.zone)
    query = select(AppointmentRow).where(
        AppointmentRow.slot_start >= _storable(begins),
        AppointmentRow.slot_start < _storable(begins + timedelta(days=1)))
    if sites:
        query = query.where(AppointmentRow.site_id.in_(sorted(sites)))
    with Session(engine.execution_options(readonly=True)) as session:
        rows = session.scalars(query.order_by(AppointmentRow.site_id, AppointmentRow.slot_start,
                                              AppointmentRow.appointment_number)).all()
        return [Listed(r.appointment_number, r.site_id, r.item_id, as_utc(r.slot_start),
                       as_utc(r.slot_end), r.masked_name, r.terminal_id) for r in rows]
