"""The document camera's pages of a case (高拍仪) at the centre: stored once, opened for the
clerk who may read the case's data (``contract.captured_pages``).

- ``store``: a kiosk's page, sealed (``central.crypto``: a data key of its own, bound to the
  case number and the page's number), once. The same page again changes nothing (the kiosk
  lost the acknowledgement); another picture under a number already held is ``PageConflict``.
- ``open_page``: the JPEG for a member of staff who may read the case's data
  (``central.case_file.may_read_data``: its holder, and supervisors), the read recorded in
  ``case_reads`` in the same transaction as the decryption, like the submission's.

The pages are part of the case's data: they are kept as long as the case row is, and go with
it (``central.case_page_rows``: ``ON DELETE CASCADE``). Decrypted only for the request that
shows one; never logged.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from central.auth import Clerk
from central.case_file import may_read_data
from central.case_page_rows import CasePageRow
from central.cases import CaseNotFound
from central.claims import NotAllowed
from central.crypto import PayloadCipher, PayloadKeyError
from central.db import CaseReadRow, CaseRow, utcnow
from contract.captured_pages import CapturedPage


class NotYourCase(Exception):
    """The case was taken by another terminal (answered with 403)."""


class PageConflict(Exception):
    """Another picture is already held under this page's number (answered with 409)."""


class PageNotFound(Exception):
    """The case has no page of this number (answered with 404)."""


class PageUnreadable(Exception):
    """The stored page cannot be decrypted: another master key, or a damaged row."""


def page_digest(page: CapturedPage) -> str:
    """SHA-256 of the page's material name and picture: the same page gives the same digest."""
    return hashlib.sha256(page.material.encode("utf-8") + b"\x00" + page.jpeg).hexdigest()


def store(engine: Engine, case_number: str, number: int, page: CapturedPage, *,
          terminal_ok: set[str] | None, cipher: PayloadCipher) -> bool:
    """Keep page ``number`` of the case, sealed; return False when it was already held as is.

    Raises ``CaseNotFound`` for an unknown case, ``NotYourCase`` for another terminal's (one
    ``terminal_ok`` does not name) and ``PageConflict`` for another picture under ``number``."""
    digest = page_digest(page)
    sealed = _seal(cipher, page.jpeg, case_number, number)
    try:
        with Session(engine) as session, session.begin():
            case = session.execute(select(CaseRow.id, CaseRow.terminal_id)
                                   .where(CaseRow.case_number == case_number)).first()
            if case is None:
                raise CaseNotFound(case_number)
            if terminal_ok is not None and case.terminal_id not in terminal_ok:
                raise NotYourCase(case_number)
            held = session.scalar(select(CasePageRow.body_sha256)
                                  .where(CasePageRow.case_id == case.id, CasePageRow.number == number))
            if held is not None:
                return _same(held, digest, case_number)
            session.add(CasePageRow(case_id=case.id, number=number, material=page.material,
                                    size=len(page.jpeg), body_sha256=digest, jpeg=sealed, received_at=utcnow()))
        return True
    except IntegrityError:  # the same page, sent twice at once: the other request stored it
        pass
    with Session(engine.execution_options(readonly=True)) as session:
        held = session.scalar(select(CasePageRow.body_sha256).join(CaseRow, CaseRow.id == CasePageRow.case_id)
                              .where(CaseRow.case_number == case_number, CasePageRow.number == number))
    if held is None:  # the case went meanwhile
        raise CaseNotFound(case_number)
    return _same(held, digest, case_number)


def open_page(engine: Engine, case_number: str, number: int, *, clerk: Clerk, cipher: PayloadCipher,
              now: datetime | None = None) -> bytes:
    """Page ``number``'s JPEG, for ``clerk``; the read is recorded as ``page <number>``.

    Raises ``CaseNotFound`` when ``clerk`` may not see the case, ``NotAllowed`` when they may
    see it but not read its data, ``PageNotFound``, and ``PageUnreadable`` (nothing recorded)."""
    with Session(engine) as session, session.begin():
        case = session.execute(select(CaseRow.id, CaseRow.department, CaseRow.site_id, CaseRow.claimed_by)
                               .where(CaseRow.case_number == case_number)).first()
        if case is None or not clerk.may_see(case.department, case.site_id):
            raise CaseNotFound(case_number)
        if not may_read_data(clerk, case.claimed_by):
            raise NotAllowed("only the case's holder and supervisors may see its pages")
        sealed = session.scalar(select(CasePageRow.jpeg)
                                .where(CasePageRow.case_id == case.id, CasePageRow.number == number))
        if sealed is None:
            raise PageNotFound(f"{case_number} page {number}")
        try:
            jpeg = _open(cipher, sealed, case_number, number)
        except PayloadKeyError as err:
            raise PageUnreadable(f"{case_number} page {number}") from err
        session.add(CaseReadRow(case_id=case.id, reader=clerk.name, role=clerk.role.value,
                                at=now or utcnow(), what=f"page {number}"))
    return jpeg


def _same(held_digest: str, digest: str, case_number: str) -> bool:
    if held_digest != digest:
        raise PageConflict(case_number)
    return False


def _context(number: int) -> str:
    """What the sealed text is, bound into its encryption with the case number."""
    return f"case-page:{number}"


def _seal(cipher: PayloadCipher, jpeg: bytes, case_number: str, number: int) -> str:
    return cipher.seal(base64.b64encode(jpeg).decode("ascii"), case_number=case_number,
                       idempotency_key=_context(number))


def _open(cipher: PayloadCipher, stored: str, case_number: str, number: int) -> bytes:
    return base64.b64decode(cipher.open(stored, case_number=case_number, idempotency_key=_context(number)))
