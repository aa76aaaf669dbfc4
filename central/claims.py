"""Clerks' claims on cases, by department, and the record of who read a case's personal data.

A clerk claims the oldest case they may see (``central.auth.Clerk.may_see``: their department
at their sites; a supervisor every department, and the cases whose department is unknown).
A claim lasts ``claim_minutes``: while the case is still ``claimed`` after that, another clerk
who may see it can claim it. The holder may release the claim (the case goes back to
``received``); a supervisor may hand an open case to another clerk who may see it.

Claiming returns the submission, decrypted: each such read is written to ``case_reads`` (who,
role, when, which case, what) in the claim's own transaction, and supervisors can list them.
A case's history holds no personal data (states, clerks' names, clerks' notes) and is not
recorded.

PostgreSQL: ``SELECT ... FOR UPDATE SKIP LOCKED``, so clerks on several service processes never
wait on, or take, the same row. SQLite: the transaction holds the database's write lock from
its ``BEGIN IMMEDIATE``, so claims are serialised and equally exclusive.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import ColumnElement, Engine, and_, false, or_, select, true
from sqlalchemy.orm import Session

from central.auth import Clerk
from central.cases import CaseConflict, CaseNotFound
from central.crypto import PayloadCipher, PayloadKeyError
from central.db import CaseEventRow, CaseReadRow, CaseRow, as_utc, utcnow
from contract.wire import (
    CaseRead,
    CaseReads,
    CaseState,
    CaseStatusView,
    CaseSubmission,
    ClaimedCase,
)

log = logging.getLogger(__name__)

DEFAULT_CLAIM_MINUTES = 30
MAX_UNREADABLE_IN_A_ROW = 100  # set aside per claim call before answering 'none waits'
READ_SUBMISSION = "submission"

# States in which a case has a holder a supervisor may change.
_OPEN = (CaseState.CLAIMED.value, CaseState.ACCEPTED.value,
         CaseState.MORE_MATERIALS_NEEDED.value)


class NotAllowed(Exception):
    """The clerk may not do this (answered with 403)."""


def visible_to(clerk: Clerk) -> ColumnElement[bool]:
    """The cases ``clerk`` may see, as a condition on ``cases``."""
    sites = CaseRow.site_id.in_(sorted(clerk.sites)) if clerk.sites else true()
    if clerk.technician:
        return false()  # as ``Clerk.may_see``: a technician sees no case, whatever its department
    if clerk.supervisor:
        return sites
    if clerk.department is None:
        return false()
    return and_(sites, CaseRow.department == clerk.department)


def claim_next(engine: Engine, *, clerk: Clerk, cipher: PayloadCipher,
               claim_minutes: float = DEFAULT_CLAIM_MINUTES) -> ClaimedCase | None:
    """Claim the oldest case ``clerk`` may see that waits (received, or claimed by a claim
    that has expired); ``None`` when none waits. The read of its submission is recorded."""
    for _ in range(MAX_UNREADABLE_IN_A_ROW):
        claimed = _claim_one(engine, clerk=clerk, cipher=cipher, claim_minutes=claim_minutes)
        if not isinstance(claimed, _SetAside):
            return claimed
        log.warning("case %s quarantined at the centre: %s", claimed.case_number, claimed.reason)
    return None


@dataclass(frozen=True)
class _SetAside:
    """A case whose payload could not be read; it is now quarantined (named by number only)."""

    case_number: str
    reason: str


def _claim_one(engine: Engine, *, clerk: Clerk, cipher: PayloadCipher, claim_minutes: float
               ) -> ClaimedCase | _SetAside | None:
    now = utcnow()
    waiting = or_(
        CaseRow.status == CaseState.RECEIVED.value,
        and_(CaseRow.status == CaseState.CLAIMED.value, CaseRow.claim_expires_at < now),
    )
    with Session(engine) as session, session.begin():
        row = session.scalars(
            select(CaseRow)
            .where(waiting, visible_to(clerk))
            .order_by(CaseRow.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if row is None:
            return None
        earlier = row.claimed_by if row.status == CaseState.CLAIMED.value else None
        row.status = CaseState.CLAIMED.value
        row.claimed_by = clerk.name
        row.claim_expires_at = now + timedelta(minutes=claim_minutes)
        row.updated_at = now
        note = f"claim of {earlier} expired" if earlier else ""
        session.add(CaseEventRow(case_id=row.id, at=now, status=row.status, actor=clerk.name,
                                 note=note))
        try:
            submission = CaseSubmission.model_validate_json(cipher.open(
                row.payload, case_number=row.case_number, idempotency_key=row.idempotency_key))
        except (PayloadKeyError, ValidationError) as err:
            # One unreadable case must not block the queue: set it aside, named by number only.
            reason = "payload " + ("cannot be decrypted" if isinstance(err, PayloadKeyError) else "does not validate")
            row.status = CaseState.QUARANTINED.value
            row.claimed_by = None
            row.claim_expires_at = None
            session.add(CaseEventRow(case_id=row.id, at=now, status=row.status, actor="centre",
                                     note=f"{reason}: kept for a technician"))
            return _SetAside(row.case_number, reason)
        session.add(CaseReadRow(case_id=row.id, reader=clerk.name, role=clerk.role.value,
                                at=now, what=READ_SUBMISSION))
        return ClaimedCase(
            case_number=row.case_number, status=CaseState.CLAIMED,
            received_at=as_utc(row.received_at), claimed_by=clerk.name,
            submission=submission, claim_expires_at=as_utc(row.claim_expires_at),
        )


def claim_oldest(engine: Engine, *, clerk: Clerk, claim_minutes: float = DEFAULT_CLAIM_MINUTES
                 ) -> CaseStatusView | None:
    """Claim the oldest case ``clerk`` may see that waits, without reading its data (the
    console's case page reads it, and records that); ``None`` when none waits."""
    now = utcnow()
    with Session(engine) as session, session.begin():
        row = session.scalars(
            select(CaseRow).where(_waiting(now), visible_to(clerk)).order_by(CaseRow.id).limit(1)
            .with_for_update(skip_locked=True)).first()
        if row is None:
            return None
        _take(session, row, clerk, now, claim_minutes)
        return _view(row)


def _waiting(now: datetime) -> ColumnElement[bool]:
    """Cases that wait for a clerk: received, or claimed by a claim that has expired."""
    return or_(
        CaseRow.status == CaseState.RECEIVED.value,
        and_(CaseRow.status == CaseState.CLAIMED.value, CaseRow.claim_expires_at < now),
    )


def _take(session: Session, row: CaseRow, clerk: Clerk, now: datetime, claim_minutes: float
          ) -> None:
    """Make ``row`` (a waiting case) ``clerk``'s claim, noting a claim it replaces."""
    earlier = row.claimed_by if row.status == CaseState.CLAIMED.value else None
    row.status = CaseState.CLAIMED.value
    row.claimed_by = clerk.name
    row.claim_expires_at = now + timedelta(minutes=claim_minutes)
    row.updated_at = now
    session.add(CaseEventRow(case_id=row.id, at=now, status=row.status, actor=clerk.name,
                             note=f"claim of {earlier} expired" if earlier else ""))


def claim(engine: Engine, case_number: str, *, clerk: Clerk,
          claim_minutes: float = DEFAULT_CLAIM_MINUTES) -> CaseStatusView:
    """Claim one named case that waits (received, or claimed by a claim that has expired);
    ``CaseConflict`` when it does not wait. Nothing is read: the case's page reads its data."""
    now = utcnow()
    with Session(engine) as session, session.begin():
        row = _locked(session, case_number, clerk)
        expired = (row.status == CaseState.CLAIMED.value and row.claim_expires_at is not None
                   and as_utc(row.claim_expires_at) < now)
        if row.status != CaseState.RECEIVED.value and not expired:
            holder = f" by {row.claimed_by}" if row.claimed_by else ""
            raise CaseConflict(f"the case is {row.status}{holder}: only a waiting case can be claimed")
        _take(session, row, clerk, now, claim_minutes)
        return _view(row)


def release(engine: Engine, case_number: str, *, clerk: Clerk) -> CaseStatusView:
    """Give a claimed case back to the queue; only its holder may."""
    now = utcnow()
    with Session(engine) as session, session.begin():
        row = _locked(session, case_number, clerk)
        if row.status != CaseState.CLAIMED.value or row.claimed_by != clerk.name:
            raise CaseConflict("only the clerk holding a claimed case may release it")
        row.status = CaseState.RECEIVED.value
        row.claimed_by = None
        row.claim_expires_at = None
        row.updated_at = now
        session.add(CaseEventRow(case_id=row.id, at=now, status=row.status, actor=clerk.name,
                                 note="claim released"))
        return _view(row)


def reassign(engine: Engine, case_number: str, *, supervisor: Clerk, to: Clerk,
             claim_minutes: float = DEFAULT_CLAIM_MINUTES) -> CaseStatusView:
    """Hand an open case (claimed, accepted, more materials needed) to clerk ``to``."""
    if not supervisor.supervisor:
        raise NotAllowed("only a supervisor may reassign a case")
    now = utcnow()
    with Session(engine) as session, session.begin():
        row = _locked(session, case_number, supervisor)
        if row.status not in _OPEN:
            raise CaseConflict(f"a case that is {row.status} has no holder to change")
        if not to.may_see(row.department, row.site_id):
            raise CaseConflict(f"{to.name} may not handle this case's department or site")
        row.claimed_by = to.name
        if row.status == CaseState.CLAIMED.value:
            row.claim_expires_at = now + timedelta(minutes=claim_minutes)
        row.updated_at = now
        session.add(CaseEventRow(case_id=row.id, at=now, status=row.status,
                                 actor=supervisor.name, note=f"reassigned to {to.name}"))
        return _view(row)


def check_visible(engine: Engine, case_number: str, clerk: Clerk) -> None:
    """Raise ``CaseNotFound`` unless the case exists and ``clerk`` may see it."""
    with Session(engine.execution_options(readonly=True)) as session:
        found = session.execute(
            select(CaseRow.department, CaseRow.site_id).where(CaseRow.case_number == case_number)
        ).first()
    if found is None or not clerk.may_see(found.department, found.site_id):
        raise CaseNotFound(case_number)


def reads(engine: Engine, case_number: str, *, supervisor: Clerk) -> CaseReads:
    """Every recorded read of the case's personal data, oldest first (supervisors only)."""
    if not supervisor.supervisor:
        raise NotAllowed("only a supervisor may list who read a case")
    check_visible(engine, case_number, supervisor)
    with Session(engine.execution_options(readonly=True)) as session:
        rows = session.scalars(
            select(CaseReadRow).join(CaseRow, CaseRow.id == CaseReadRow.case_id)
            .where(CaseRow.case_number == case_number).order_by(CaseReadRow.id)
        ).all()
        return CaseReads(case_number=case_number, reads=[
            CaseRead(reader=r.reader, role=r.role, at=as_utc(r.at), what=r.what) for r in rows])


def _locked(session: Session, case_number: str, clerk: Clerk) -> CaseRow:
    row = session.scalars(
        select(CaseRow).where(CaseRow.case_number == case_number).with_for_update()
    ).first()
    if row is None or not clerk.may_see(row.department, row.site_id):
        raise CaseNotFound(case_number)
    return row


def _view(row: CaseRow) -> CaseStatusView:
    return CaseStatusView(
        case_number=row.case_number, item_id=row.item_id, status=CaseState(row.status),
        updated_at=as_utc(row.updated_at), note=row.note,
    )
