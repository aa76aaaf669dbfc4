"""Help call-backs (``contract.callbacks``): store a kiosk's request, list, mark done, purge.

The phone is sealed at rest (``central.crypto``; its associated data binds it to the row's
idempotency key) and never goes into a log line; the list shows the masked number, and the
full one is opened only for a member of staff who may see the site (``open_phone``; the
console records who did). A done request is deleted ``RETENTION`` after it was done: nothing
of the resident stays. Open requests are kept until done.

    (kiosk) ──store──▶ open ──mark_done──▶ done ──purge, after RETENTION──▶ (deleted)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.auth import Clerk
from central.callback_rows import CallbackRow
from central.crypto import PayloadCipher
from central.db import as_utc, utcnow
from contract.callbacks import CallbackAck, CallbackRequest

RETENTION = timedelta(days=7)  # a done request's phone is kept this long (a second call, a complaint)
_CONTEXT = "callback"  # the sealed phone's associated data names the table, then the row's key


@dataclass(frozen=True)
class CallbackView:
    """One request as the console lists it: no full phone number."""

    id: int
    site_id: str
    site_name: str
    terminal_id: str
    masked_phone: str
    status: str
    requested_at: datetime
    received_at: datetime
    done_at: datetime | None
    done_by: str | None


def mask_phone(phone: str) -> str:
    """138****5678: the first three and the last four digits."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"


def store(engine: Engine, request: CallbackRequest, *, site_id: str, terminal_id: str,
          cipher: PayloadCipher, now: datetime | None = None) -> tuple[CallbackAck, bool]:
    """Keep ``request`` (once per idempotency key); return its acknowledgement and whether it is new."""
    key = request.idempotency_key
    held = _held(engine, key)
    if held is not None:
        return held, False
    row = CallbackRow(
        idempotency_key=key, site_id=site_id, site_name=request.site_name[:100], terminal_id=terminal_id,
        phone=cipher.seal(request.phone, case_number=_CONTEXT, idempotency_key=key),
        masked_phone=mask_phone(request.phone), status="open", requested_at=request.requested_at,
        received_at=now or utcnow())
    try:
        with Session(engine) as session, session.begin():
            session.add(row)
            session.flush()
            reference = row.id
    except IntegrityError:  # the same request from another connection, a moment ago
        again = _held(engine, key)
        if again is None:
            raise
        return again, False
    return CallbackAck(reference=reference), True


def _held(engine: Engine, key: str) -> CallbackAck | None:
    with Session(engine) as session:
        found = session.scalar(select(CallbackRow.id).where(CallbackRow.idempotency_key == key))
    return CallbackAck(reference=found) if found is not None else None


def listed(engine: Engine, staff: Clerk, *, status: str = "open", limit: int = 200) -> list[CallbackView]:
    """The requests ``staff`` may see (their sites; every site when they have none), oldest first."""
    query = select(CallbackRow).where(CallbackRow.status == status)
    if staff.sites:
        query = query.where(CallbackRow.site_id.in_(sorted(staff.sites)))
    query = query.order_by(CallbackRow.received_at, CallbackRow.id).limit(limit)
    with Session(engine.execution_options(readonly=True)) as session:
        return [_view(row) for row in session.scalars(query)]


def _view(row: CallbackRow) -> CallbackView:
    return CallbackView(row.id, row.site_id, row.site_name, row.terminal_id, row.masked_phone, row.status,
                        as_utc(row.requested_at), as_utc(row.received_at),
                        as_utc(row.done_at) if row.done_at else None, row.done_by)


def open_phone(engine: Engine, callback_id: int, staff: Clerk,
               cipher: PayloadCipher) -> tuple[CallbackView, str] | None:
    """The request and its full phone for ``staff``; None when there is none they may see."""
    with Session(engine.execution_options(readonly=True)) as session:
        row = session.get(CallbackRow, callback_id)
        if row is None or (staff.sites and row.site_id not in staff.sites):
            return None
        phone = cipher.open(row.phone, case_number=_CONTEXT, idempotency_key=row.idempotency_key)
        return _view(row), phone


def mark_done(engine: Engine, callback_id: int, staff: Clerk, now: datetime | None = None) -> bool:
    """Mark an open request done by ``staff``; False when there is no such open request they may see."""
    query = update(CallbackRow).where(CallbackRow.id == callback_id, CallbackRow.status == "open")
    if staff.sites:
        query = query.where(CallbackRow.site_id.in_(sorted(staff.sites)))
    with Session(engine) as session, session.begin():
        done = session.execute(query.values(status="done", done_at=now or utcnow(), done_by=staff.name[:64]))
        return bool(done.rowcount)  # type: ignore[attr-defined]


def purge(engine: Engine, now: datetime | None = None, retention: timedelta = RETENTION) -> int:
    """Delete the requests done more than ``retention`` ago; return how many."""
    cutoff = (now or utcnow()) - retention
    with Session(engine) as session, session.begin():
        gone = session.execute(delete(CallbackRow).where(CallbackRow.status == "done",
                                                         CallbackRow.done_at < cutoff))
        return int(gone.rowcount)  # type: ignore[attr-defined]
