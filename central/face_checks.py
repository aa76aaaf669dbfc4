"""Face checks (人证比对) at the centre: a pluggable verifier, and the clerks' queue.

A kiosk sends a case's face capture with the card's photo (``contract.face_checks``).
``submit`` hands the pair to the app's ``FaceVerifier``:

- ``MATCH`` or ``NO_MATCH``: decided at once; the images are never stored;
- ``PENDING``: kept, sealed, for a clerk's eye check (``ClerkEyeCheck``, the default).

::

    (kiosk) --submit--> pending --decide(clerk)--> match | no_match   (images erased)
                    \\--verifier decides------------> match | no_match   (images never stored)
    pending --prune (older than KEEP_PENDING_HOURS)--> erased, left undecided for the record

A clerk sees (and decides) the checks of the cases they may see (``claims.visible_to``);
supervisors all. Each decision is in the console's audit (``central.console_audit``) and
erases both images in the same transaction; the schema refuses a decided row that still
holds them. Images are decrypted only for the page that shows them.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from central import console_audit
from central.auth import Clerk
from central.claims import visible_to
from central.crypto import PayloadCipher
from central.db import CaseRow, as_utc, utcnow
from central.face_check_rows import FaceCheckRow
from contract.face_checks import FaceVerdict

KEEP_PENDING_HOURS = 72
CAPTURE, CARD_PHOTO = "face-check:capture", "face-check:card-photo"  # what each sealed image is


class FaceVerifier(Protocol):
    """Decides whether a capture shows the card's holder; ``PENDING`` hands it to a clerk."""

    name: str

    def decide(self, capture: bytes, card_photo: bytes) -> FaceVerdict: ...


class ClerkEyeCheck:
    """The default verifier: no algorithm, every pair waits for a clerk's eye check."""

    name = "clerk"

    def decide(self, capture: bytes, card_photo: bytes) -> FaceVerdict:
        return FaceVerdict.PENDING


class FaceCheckNotFound(Exception):
    """No such check, or not one this member of staff may see (answered with 404)."""


class NotYourCase(Exception):
    """The case was taken by another terminal (answered with 403)."""


class FaceCheckDecided(Exception):
    """The check was already decided (answered with 409)."""


@dataclass(frozen=True)
class PendingCheck:
    check_id: int
    case_number: str
    site_id: str
    item_id: str
    received_at: datetime


@dataclass(frozen=True)
class FacePair:
    check: PendingCheck
    capture: bytes
    card_photo: bytes

    def data_uri(self, which: str) -> str:
        """An image as a ``data:`` URI for the console page (its CSP allows them)."""
        data = self.capture if which == "capture" else self.card_photo
        return f"data:{_media_type(data)};base64,{base64.b64encode(data).decode('ascii')}"


def submit(engine: Engine, case_number: str, capture: bytes, card_photo: bytes, *,
           terminal_ok: set[str] | None, verifier: FaceVerifier, cipher: PayloadCipher
           ) -> FaceVerdict:
    """Have ``verifier`` decide the pair; keep it sealed only if it is left ``PENDING``.

    Raises ``FaceCheckNotFound`` for an unknown case, ``NotYourCase`` for another terminal's
    (one ``terminal_ok`` does not name) and ``FaceCheckDecided`` once the check is decided.
    """
    with Session(engine) as session, session.begin():
        case = session.scalars(select(CaseRow).where(CaseRow.case_number == case_number)).first()
        if case is None:
            raise FaceCheckNotFound(case_number)
        if terminal_ok is not None and case.terminal_id not in terminal_ok:
            raise NotYourCase(case_number)
        row = session.scalars(select(FaceCheckRow).where(FaceCheckRow.case_id == case.id)).first()
        if row is not None and row.verdict != FaceVerdict.PENDING.value:
            raise FaceCheckDecided(case_number)
        verdict = verifier.decide(capture, card_photo)
        now = utcnow()
        if row is None:
            row = FaceCheckRow(case_id=case.id, terminal_id=case.terminal_id, received_at=now)
            session.add(row)
        row.verdict, row.verifier, row.received_at = verdict.value, verifier.name[:32], now
        if verdict is FaceVerdict.PENDING:
            row.capture = _seal(cipher, capture, case_number, CAPTURE)
            row.card_photo = _seal(cipher, card_photo, case_number, CARD_PHOTO)
        else:
            row.capture = row.card_photo = None
            row.decided_at, row.decided_by = now, verifier.name[:64]
    return verdict


def pending(engine: Engine, clerk: Clerk, limit: int = 20) -> list[PendingCheck]:
    """The oldest pending checks ``clerk`` may decide."""
    with Session(engine.execution_options(readonly=True)) as session:
        rows = session.execute(
            select(FaceCheckRow.id, CaseRow.case_number, CaseRow.site_id, CaseRow.item_id,
                   FaceCheckRow.received_at)
            .join(CaseRow, CaseRow.id == FaceCheckRow.case_id)
            .where(FaceCheckRow.verdict == FaceVerdict.PENDING.value,
                   FaceCheckRow.capture.is_not(None), visible_to(clerk))
            .order_by(FaceCheckRow.received_at, FaceCheckRow.id).limit(limit))
        return [PendingCheck(r.id, r.case_number, r.site_id, r.item_id, as_utc(r.received_at))
                for r in rows]


def open_pair(engine: Engine, check: PendingCheck, cipher: PayloadCipher) -> FacePair:
    """The two images of a pending check listed by ``pending``."""
    with Session(engine.execution_options(readonly=True)) as session:
        row = session.get(FaceCheckRow, check.check_id)
        if row is None or row.capture is None or row.card_photo is None:
            raise FaceCheckNotFound(str(check.check_id))
        return FacePair(check, _open(cipher, row.capture, check.case_number, CAPTURE),
                        _open(cipher, row.card_photo, check.case_number, CARD_PHOTO))


def decide(engine: Engine, check_id: int, verdict: FaceVerdict, *, clerk: Clerk) -> str:
    """Record ``clerk``'s verdict, erase both images, audit it; return the case number."""
    if verdict is FaceVerdict.PENDING:
        raise ValueError("a decision is match or no_match")
    with Session(engine) as session, session.begin():
        found = session.execute(
            select(FaceCheckRow, CaseRow.case_number, CaseRow.department, CaseRow.site_id)
            .join(CaseRow, CaseRow.id == FaceCheckRow.case_id).where(FaceCheckRow.id == check_id)
        ).first()
        if found is None or not clerk.may_see(found.department, found.site_id):
            raise FaceCheckNotFound(str(check_id))
        row: FaceCheckRow = found[0]
        if row.verdict != FaceVerdict.PENDING.value or row.capture is None:
            raise FaceCheckDecided(found.case_number)
        now = utcnow()
        row.verdict, row.decided_at, row.decided_by = verdict.value, now, clerk.name[:64]
        row.capture = row.card_photo = None
        console_audit.record(session, clerk, "face_check.decide", terminal_id=row.terminal_id,
                             detail=f"case {found.case_number}: {verdict.value}", at=now)
        return str(found.case_number)


def verdict_of(engine: Engine, case_number: str) -> FaceVerdict | None:
    """The case's face check verdict, or None when it came without one."""
    with Session(engine.execution_options(readonly=True)) as session:
        value = session.scalar(select(FaceCheckRow.verdict).join(CaseRow, CaseRow.id == FaceCheckRow.case_id)
                               .where(CaseRow.case_number == case_number))
    return None if value is None else FaceVerdict(value)


def prune(session: Session, now: datetime, keep_hours: float = KEEP_PENDING_HOURS) -> int:
    """Erase the images of checks left pending longer than ``keep_hours``; return how many
    (in the centre's hourly tidy, ``central.alerts``).

    The row stays pending (nobody decided) but can no longer be decided: the resident has long
    gone, and the case goes on by the clerk's other means (the counter)."""
    cutoff = now - timedelta(hours=keep_hours)
    result = session.execute(
        update(FaceCheckRow)
        .where(FaceCheckRow.verdict == FaceVerdict.PENDING.value, FaceCheckRow.received_at < cutoff,
               FaceCheckRow.capture.is_not(None))
        .values(capture=None, card_photo=None))
    return int(getattr(result, "rowcount", 0) or 0)


def _seal(cipher: PayloadCipher, data: bytes, case_number: str, which: str) -> str:
    return cipher.seal(base64.b64encode(data).decode("ascii"), case_number=case_number, idempotency_key=which)


def _open(cipher: PayloadCipher, stored: str, case_number: str, which: str) -> bytes:
    return base64.b64decode(cipher.open(stored, case_number=case_number, idempotency_key=which))


def _media_type(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"BM"):
        return "image/bmp"
    return "image/jpeg"
