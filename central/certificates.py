"""Issuing certificates for instant printing (即时打印) and verifying printed ones.

``issue`` asks the ``CertificateSource`` for the facts, draws the page
(``central.certificate_pdf``) and stores a ``CertificateRow`` (code, item, case number, dates,
the PDF's SHA-256, the masked name: never the ID number). The code is 15 random bytes in
base32 (120 bits: unguessable), carried by the page's QR inside the centre's verification URL
(``{public_url}/verify/{code}``). Dates are China Standard Time (UTC+8, no daylight saving).
``verification`` reads a row back for ``GET /verify/{code}``.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from central.certificate_records import CertificateKind, CertificateSource, kind_of
from central.certificate_rows import CertificateRow
from central.db import as_utc, utcnow
from contract.certificates import VERIFY_PATH, CertificateRequest
from contract.vocabulary import IdType

log = logging.getLogger(__name__)

CHINA = timezone(timedelta(hours=8), "CST")
ID_TYPE_LABELS = {
    IdType.RESIDENT: "居民身份证",
    IdType.HMT_RESIDENCE_PERMIT: "港澳台居民居住证",
    IdType.FOREIGN_PERMANENT_2017: "外国人永久居留身份证",
    IdType.FOREIGN_PERMANENT_2023: "外国人永久居留身份证",
    IdType.QR_LOGIN: "居民身份证",
}


@dataclass(frozen=True)
class IssuedCertificate:
    pdf: bytes
    code: str
    valid_until: date


@dataclass(frozen=True)
class Verification:
    """What the verification page shows of one certificate."""

    code: str
    kind: CertificateKind | None  # None: an item the centre no longer issues
    item_id: str
    issued_on: date
    valid_until: date
    masked_name: str

    def valid_on(self, day: date) -> bool:
        return day <= self.valid_until


def new_code() -> str:
    """An unguessable certificate code: 15 random bytes, base32 (24 characters, A-Z2-7)."""
    return base64.b32encode(secrets.token_bytes(15)).decode("ascii")


def mask_name(name: str) -> str:
    """张三丰 → 张*丰, 张三 → 张*, 欧阳娜娜 → 欧**娜."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_id_number(number: str) -> str:
    """Keep the first 6 and last 4 characters: 320102********1234 (short numbers: all hidden)."""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def china_today(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(CHINA).date()


def issue(engine: Engine, source: CertificateSource, request: CertificateRequest, *,
          public_url: str, font_path: Path | None = None, now: datetime | None = None
          ) -> IssuedCertificate:
    """Draw the certificate ``request`` asks for and record it; ``UnknownCertificate`` when
    no kind has its item id (or the source holds none)."""
    # reportlab (and Pillow under it) load with the first certificate, not with the centre.
    from central.certificate_pdf import DEFAULT_FONT, CertificateContent, draw_certificate

    kind = kind_of(request.item_id)
    issued_at = now or utcnow()
    today = china_today(issued_at)
    facts = source.facts(kind, request.applicant, dict(request.answers), today)
    code = new_code()
    valid_until = today + timedelta(days=kind.valid_days)
    content = CertificateContent(
        kind=kind, name=request.applicant.name,
        id_type_label=ID_TYPE_LABELS.get(request.applicant.id_type, "身份证件"),
        masked_id_number=mask_id_number(request.applicant.id_number),
        case_number=request.case_number, purpose=request.answers.get("purpose", ""),
        facts=facts, issued_on=today, valid_until=valid_until, code=code,
        verify_url=verify_url(public_url, code),
    )
    pdf = draw_certificate(content, font_path or DEFAULT_FONT)
    row = CertificateRow(code=code, item_id=kind.item_id, case_number=request.case_number,
                         issued_at=issued_at, valid_until=valid_until,
                         pdf_sha256=hashlib.sha256(pdf).hexdigest(),
                         masked_name=mask_name(request.applicant.name))
    with Session(engine) as session, session.begin():
        session.add(row)
    log.info("certificate %s issued for case %s (%d bytes)", kind.item_id, request.case_number, len(pdf))
    return IssuedCertificate(pdf, code, valid_until)


def verify_url(public_url: str, code: str) -> str:
    """The URL the QR carries: the centre's public address, ``/verify/``, the code."""
    return f"{public_url.rstrip('/')}{VERIFY_PATH}/{code}"


def verification(engine: Engine, code: str) -> Verification | None:
    """The certificate with ``code``, or None."""
    with Session(engine) as session:
        row = session.get(CertificateRow, code)
        if row is None:
            return None
        try:
            kind: CertificateKind | None = kind_of(row.item_id)
        except LookupError:
            kind = None
        return Verification(code=row.code, kind=kind, item_id=row.item_id,
                            issued_on=china_today(as_utc(row.issued_at)),
                            valid_until=row.valid_until, masked_name=row.masked_name)
