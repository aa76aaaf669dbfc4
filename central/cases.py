"""The case queue: idempotent intake, public status, and the clerks' moves (claims: ``central.claims``).

Every function opens and commits its own short transaction, so any number of service
processes may share one database. Intake de-duplicates on the idempotency key: the first
insert wins, a repeat with the same body gets the same acknowledgement, a repeat with a
different body (or a case number already taken under another key) is a conflict.

The submission (names, ID numbers, phones, answers) is stored encrypted under a data key of
its own (``central.crypto.PayloadCipher``) and decrypted only where a clerk needs it (claim).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import Engine, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.case_keys import CaseKeys
from central.crypto import PayloadCipher
from central.db import CaseEventRow, CaseRow, as_utc, utcnow
from contract.materials import material_label
from contract.resident_status import resident_words
from contract.wire import (
    CLERK_MOVES,
    CaseAck,
    CaseEvent,
    CaseHistory,
    CaseState,
    CaseStatusView,
    CaseSubmission,
    ResidentCaseView,
    StepDetails,
    Transition,
)


class CaseConflict(Exception):
    """The request does not fit what the centre already holds (answered with 409)."""


class CaseNotFound(Exception):
    """No case has this number (answered with 404)."""


@dataclass(frozen=True)
class Intake:
    ack: CaseAck
    created: bool  # False when this was a repeat of a case already held


def body_digest(submission: CaseSubmission) -> str:
    """Return the SHA-256 of the submission's canonical JSON (sorted keys, UTC times).

    Times are compared as instants: ``08:00+08:00`` and ``00:00Z`` give the same digest.
    """
    return _digest(submission.model_copy(
        update={"submitted_at": submission.submitted_at.astimezone(UTC)}))


def _same_body(held_digest: str, submission: CaseSubmission) -> bool:
    """Whether a held case's digest is this submission's: as instants, or (for cases stored
    before times were normalised) as the time was written."""
    return held_digest in (body_digest(submission), _digest(submission))


def _digest(submission: CaseSubmission) -> str:
    body = submission.model_dump(mode="json")
    if body.get("lookup_token_sha256") is None:  # digests of cases from before the field
        body.pop("lookup_token_sha256", None)
    if body.get("bundle_id") is None and not body.get("bundle_cases"):  # likewise for bundles
        body.pop("bundle_id", None)
        body.pop("bundle_cases", None)
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _readonly(engine: Engine) -> Session:
    return Session(engine.execution_options(readonly=True))


def submit(engine: Engine, submission: CaseSubmission, *, kiosk_id: str, cipher: PayloadCipher,
           department: str | None = None, keys: CaseKeys | None = None) -> Intake:
    """Store the case once (its payload encrypted); return its acknowledgement, or raise
    ``CaseConflict``. ``department`` (from the site's catalogue) decides which clerks see it;
    ``keys`` make the values a resident finds it by (``central.case_keys``)."""
    digest = body_digest(submission)
    now = utcnow()
    try:
        with Session(engine) as session, session.begin():
            row = CaseRow(
                case_number=submission.case_number,
                idempotency_key=submission.idempotency_key,
                body_sha256=digest,
                kiosk_id=kiosk_id,
                site_id=submission.site_id,
                terminal_id=submission.terminal_id,
                item_id=submission.item_id,
                lookup_token_sha256=submission.lookup_token_sha256,
                payload=cipher.seal(submission.model_dump_json(),
                                    case_number=submission.case_number,
                                    idempotency_key=submission.idempotency_key),
                status=CaseState.RECEIVED.value,
                note="",
                department=department,
                bundle_id=submission.bundle_id,
                bundle_cases=" ".join(submission.bundle_cases) or None,
                applicant_key=keys.applicant(submission.applicant.id_type, submission.applicant.id_number)
                if keys else None,
                phone_tail_key=keys.phone_tail_of(submission.case_number, submission.answers) if keys else None,
                received_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            session.add(
                CaseEventRow(case_id=row.id, at=now, status=CaseState.RECEIVED.value,
                             actor=kiosk_id, note="")
            )
            ack = _ack(row)
        return Intake(ack, created=True)
    except IntegrityError:
        pass
    with _readonly(engine) as session:
        held = session.scalars(
            select(CaseRow).where(
                or_(
                    CaseRow.idempotency_key == submission.idempotency_key,
                    CaseRow.case_number == submission.case_number,
                )
            )
        ).all()
    for row in held:
        if (row.idempotency_key == submission.idempotency_key
                and _same_body(row.body_sha256, submission)):
            return Intake(_ack(row), created=False)
    if any(row.idempotency_key == submission.idempotency_key for row in held):
        raise CaseConflict("this idempotency key was used with a different body")
    if held:
        raise CaseConflict("this case number is taken by another idempotency key")
    raise CaseConflict("the case could not be stored; send it again")  # pragma: no cover


def _ack(row: CaseRow) -> CaseAck:
    return CaseAck(
        case_number=row.case_number, status=CaseState(row.status),
        received_at=as_utc(row.received_at),
    )


def status(engine: Engine, case_number: str) -> CaseStatusView:
    """Return the public status of a case, or raise ``CaseNotFound``."""
    with _readonly(engine) as session:
        row = session.scalars(select(CaseRow).where(CaseRow.case_number == case_number)).first()
        if row is None:
            raise CaseNotFound(case_number)
        return _view(row)


def resident_status(engine: Engine, case_number: str, *, may_read: Callable[[str], bool]
                    ) -> ResidentCaseView:
    """Return what the receipt's holder may read of a case taken by a terminal ``may_read``
    accepts (by terminal id); raise ``CaseNotFound`` alike for an unknown or another's case."""
    with _readonly(engine) as session:
        row = session.scalars(select(CaseRow).where(CaseRow.case_number == case_number)).first()
        if row is None or not may_read(row.terminal_id):
            raise CaseNotFound(case_number)
        return resident_view(session, row)


# Compared against when no case has the number, so a miss costs what a wrong token costs.
_NO_DIGEST = "0" * 64


def lookup_digest(token: str) -> str:
    """The SHA-256 (hex) a case stores for its lookup token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def lookup(engine: Engine, case_number: str, token: str) -> ResidentCaseView:
    """The anonymous receipt lookup: the resident view when ``token`` is the case's, else
    ``CaseNotFound`` (an unknown case, a case without a token and a wrong token alike)."""
    presented = lookup_digest(token)
    with _readonly(engine) as session:
        row = session.scalars(select(CaseRow).where(CaseRow.case_number == case_number)).first()
        held = (row.lookup_token_sha256 if row is not None else None) or _NO_DIGEST
        matches = hmac.compare_digest(presented.encode("ascii"), held.encode("ascii"))
        if row is None or row.lookup_token_sha256 is None or not matches:
            raise CaseNotFound(case_number)
        return resident_view(session, row)


def resident_view(session: Session, row: CaseRow) -> ResidentCaseView:
    """The fixed resident words of ``row``'s state, with what to bring when asked."""
    state = CaseState(row.status)
    message, next_step = resident_words(state)
    missing = missing_words(_latest_details(session, row.id, state))
    return ResidentCaseView(case_number=row.case_number, item_id=row.item_id, status=state,
                            message=message, next_step=next_step,
                            updated_at=as_utc(row.updated_at), missing=missing)


def missing_words(details: StepDetails) -> list[str]:
    """What a resident is asked to bring, in their words: listed materials, then free lines."""
    return [material_label(m) for m in details.missing] + list(details.missing_other)


def _latest_details(session: Session, case_row_id: int, state: CaseState) -> StepDetails:
    """The details of the step that last moved the case into ``state`` (none: empty)."""
    if state is not CaseState.MORE_MATERIALS_NEEDED:
        return StepDetails()
    stored = session.scalar(
        select(CaseEventRow.details)
        .where(CaseEventRow.case_id == case_row_id, CaseEventRow.status == state.value)
        .order_by(CaseEventRow.id.desc()).limit(1))
    return stored_details(stored)


def stored_details(stored: str | None) -> StepDetails:
    """A step's details as stored in ``case_events.details`` (null: none)."""
    return StepDetails.model_validate_json(stored) if stored else StepDetails()


def _view(row: CaseRow) -> CaseStatusView:
    return CaseStatusView(
        case_number=row.case_number, item_id=row.item_id, status=CaseState(row.status),
        updated_at=as_utc(row.updated_at), note=row.note,
    )


def case_id(engine: Engine, case_number: str) -> int:
    """Return the internal id of a case, or raise ``CaseNotFound``."""
    with _readonly(engine) as session:
        found = session.scalar(select(CaseRow.id).where(CaseRow.case_number == case_number))
    if found is None:
        raise CaseNotFound(case_number)
    return found


def move(engine: Engine, case_number: str, transition: Transition, *, clerk: str
         ) -> CaseStatusView:
    """Move a claimed case on; raise ``CaseConflict`` when the move does not fit."""
    now = utcnow()
    with Session(engine) as session, session.begin():
        row = session.scalars(
            select(CaseRow).where(CaseRow.case_number == case_number).with_for_update()
        ).first()
        if row is None:
            raise CaseNotFound(case_number)
        current = CaseState(row.status)
        if transition.status not in CLERK_MOVES.get(current, frozenset()):
            raise CaseConflict(f"a case that is {current.value} cannot become "
                               f"{transition.status.value}")
        if row.claimed_by != clerk:
            raise CaseConflict("another clerk holds this case")
        row.status = transition.status.value
        row.note = transition.note
        row.updated_at = now
        details = transition.details()
        session.add(CaseEventRow(
            case_id=row.id, at=now, status=row.status, actor=clerk, note=transition.note,
            details=None if details.empty else details.model_dump_json(exclude_defaults=True)))
        return _view(row)


def history(engine: Engine, case_number: str) -> CaseHistory:
    """Return every step of a case, oldest first."""
    with _readonly(engine) as session:
        row = session.scalars(select(CaseRow).where(CaseRow.case_number == case_number)).first()
        if row is None:
            raise CaseNotFound(case_number)
        events = session.scalars(
            select(CaseEventRow).where(CaseEventRow.case_id == row.id).order_by(CaseEventRow.id)
        ).all()
        return CaseHistory(
            case_number=case_number,
            events=[
                CaseEvent(at=as_utc(e.at), status=CaseState(e.status), actor=e.actor,
                          note=e.note, **dict(stored_details(e.details)))
                for e in events
            ],
        )


def last_case_number(engine: Engine, *, terminal_number: int, day: str) -> str | None:
    """Return the highest case number held for terminal ``terminal_number`` on ``day``."""
    prefix = f"{day}{terminal_number:03d}"
    with _readonly(engine) as session:
        found: str | None = session.scalar(
            select(func.max(CaseRow.case_number)).where(
                CaseRow.case_number >= f"{prefix}0000", CaseRow.case_number <= f"{prefix}9999")
        )
    return found
