"""One case as a clerk's page shows it: its facts, its history, and its data when allowed.

The submission (name, ID number, answers) is decrypted only for the clerk holding the case and
for supervisors, and each such read is written to ``case_reads`` in the same transaction as the
decryption, like a claim through the API (``central.claims``). Anyone else who may see the case
(a clerk of its department who does not hold it) gets the file without the data, and nothing
is recorded. A payload that cannot be read is reported as such, never guessed at.

A case of a bundle (一件事) names the bundle and links the other cases of it that the same
reader may see (``CaseBundle``); the others are only counted, never named.

The file lists the pages the document camera took (``CasePage``: number and material, never
the picture); a reader allowed the data opens each one through ``central.case_pages``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from central.auth import Clerk
from central.case_page_rows import CasePageRow
from central.cases import CaseNotFound, history
from central.claims import READ_SUBMISSION
from central.crypto import PayloadCipher, PayloadKeyError
from central.db import CaseReadRow, CaseRow, as_utc, utcnow
from contract.wire import CaseHistory, CaseState, CaseSubmission


@dataclass(frozen=True)
class CaseBundle:
    """The bundle a case was applied for in, as one reader may see it."""

    bundle_id: str
    total: int  # the bundle's cases, this one included
    visible: tuple[str, ...]  # the other cases of it this reader may see, in the bundle's order

    @property
    def not_shown(self) -> int:
        """The other cases this reader may not see (or that have not arrived yet)."""
        return self.total - 1 - len(self.visible)


@dataclass(frozen=True)
class CasePage:
    """One page the document camera took for the case, as its file lists it."""

    number: int
    material: str
    size: int


@dataclass(frozen=True)
class CaseFile:
    """A case's facts and history; ``submission`` only for a reader allowed it (read recorded)."""

    case_number: str
    status: CaseState
    site_id: str
    terminal_id: str
    item_id: str
    department: str | None
    claimed_by: str | None
    claim_expires_at: datetime | None
    received_at: datetime
    updated_at: datetime
    note: str
    history: CaseHistory
    submission: CaseSubmission | None = None
    unreadable: bool = False  # the data is stored but cannot be decrypted or validated
    bundle: CaseBundle | None = None  # None: applied for alone
    pages: tuple[CasePage, ...] = ()  # in number order; the pictures open only for data readers

    def held_by(self, clerk: Clerk) -> bool:
        return self.claimed_by == clerk.name


def may_read_data(clerk: Clerk, claimed_by: str | None) -> bool:
    """Whether ``clerk`` may read the data of a case they may see, held by ``claimed_by``."""
    return clerk.supervisor or (claimed_by is not None and claimed_by == clerk.name)


def open_case(engine: Engine, case_number: str, *, clerk: Clerk, cipher: PayloadCipher,
              what: str = READ_SUBMISSION) -> CaseFile:
    """The case's file for ``clerk`` (``CaseNotFound`` if they may not see it); its data is
    decrypted, and the read recorded, only when ``may_read_data``."""
    now = utcnow()
    with Session(engine) as session, session.begin():
        row = session.scalars(select(CaseRow).where(CaseRow.case_number == case_number)).first()
        if row is None or not clerk.may_see(row.department, row.site_id):
            raise CaseNotFound(case_number)
        submission: CaseSubmission | None = None
        unreadable = False
        if may_read_data(clerk, row.claimed_by):
            try:
                submission = CaseSubmission.model_validate_json(cipher.open(
                    row.payload, case_number=row.case_number,
                    idempotency_key=row.idempotency_key))
            except (PayloadKeyError, ValidationError):
                unreadable = True
            else:
                session.add(CaseReadRow(case_id=row.id, reader=clerk.name,
                                        role=clerk.role.value, at=now, what=what))
        found = CaseFile(
            case_number=row.case_number, status=CaseState(row.status), site_id=row.site_id,
            terminal_id=row.terminal_id, item_id=row.item_id, department=row.department,
            claimed_by=row.claimed_by,
            claim_expires_at=as_utc(row.claim_expires_at) if row.claim_expires_at else None,
            received_at=as_utc(row.received_at), updated_at=as_utc(row.updated_at),
            note=row.note, history=CaseHistory(case_number=row.case_number, events=[]),
            submission=submission, unreadable=unreadable, bundle=_bundle(session, row, clerk),
            pages=tuple(CasePage(number, material, size) for number, material, size in session.execute(
                select(CasePageRow.number, CasePageRow.material, CasePageRow.size)
                .where(CasePageRow.case_id == row.id).order_by(CasePageRow.number))))
    return replace(found, history=history(engine, case_number))


def _bundle(session: Session, row: CaseRow, clerk: Clerk) -> CaseBundle | None:
    """The case's bundle with the siblings ``clerk`` may see (same bundle, same terminal)."""
    if not row.bundle_id or not row.bundle_cases:
        return None
    numbers = row.bundle_cases.split()
    others = [number for number in numbers if number != row.case_number]
    siblings = session.execute(
        select(CaseRow.case_number, CaseRow.department, CaseRow.site_id).where(
            CaseRow.case_number.in_(others), CaseRow.bundle_id == row.bundle_id,
            CaseRow.terminal_id == row.terminal_id)
    ).all()
    seen = {number for number, department, site_id in siblings if clerk.may_see(department, site_id)}
    return CaseBundle(row.bundle_id, len(numbers), tuple(number for number in others if number in seen))
