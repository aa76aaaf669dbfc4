"""The wire format of instant certificate printing (即时打印): a kiosk asks the centre for a
certificate as a PDF and prints it on its A4 printer.

- ``POST /api/v1/kiosk/certificates`` with a ``CertificateRequest`` (kiosk token only) →
  ``200 application/pdf``: one A4 page, with the headers ``X-Certificate-Code`` (the code its
  verification QR carries, ``CERTIFICATE_CODE_PATTERN``) and ``X-Valid-Until`` (``YYYY-MM-DD``,
  China Standard Time). ``404`` when the centre issues no certificate for ``item_id``;
  ``403`` for a case number that is not the calling terminal's.
- ``GET /verify/{code}`` (public, HTML): whether a printed certificate is genuine.

A kiosk reads a reply with ``read_certificate_reply`` into a ``CertificatePdf``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from contract.scalars import Key, Text
from contract.wire import API_PREFIX, CASE_NUMBER_PATTERN, Applicant, FreeText

CERTIFICATES_PATH = f"{API_PREFIX}/kiosk/certificates"
VERIFY_PATH = "/verify"
CERTIFICATE_CODE_PATTERN = r"^[A-Z2-7]{24}$"  # 15 random bytes, base32 without padding
CODE_HEADER = "X-Certificate-Code"
VALID_UNTIL_HEADER = "X-Valid-Until"
PDF_MEDIA_TYPE = "application/pdf"
CERTIFICATE_ANSWER_MAX = 200  # an answer is printed on the page: a line, not an essay
CERTIFICATE_MAX_BYTES = 4 * 1024 * 1024  # a one-page certificate is far smaller


class CertificateRequest(BaseModel):
    """What a kiosk sends to have a certificate made for the resident in front of it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    item_id: Text = Field(min_length=1, max_length=64)  # the catalogue item, e.g. housing-fund-certificate
    case_number: Text = Field(pattern=CASE_NUMBER_PATTERN)
    applicant: Applicant
    # e.g. {"purpose": "购房贷款", "period": "近12个月"}; the centre prints what it knows.
    answers: dict[Key, Annotated[FreeText, Field(max_length=CERTIFICATE_ANSWER_MAX)]] = Field(
        default_factory=dict, max_length=20
    )


@dataclass(frozen=True)
class CertificatePdf:
    """A certificate as the centre handed it out: the PDF, its code and its last valid day."""

    pdf: bytes
    code: str
    valid_until: date

    def __repr__(self) -> str:  # the PDF carries a name: never in a log
        return f"CertificatePdf(code={self.code!r}, valid_until={self.valid_until}, {len(self.pdf)} bytes)"


def read_certificate_reply(headers: Mapping[str, str], body: bytes) -> CertificatePdf:
    """The certificate in a ``200`` reply; ``ValueError`` saying what is wrong (never the body)."""
    media_type = headers.get("Content-Type", "").split(";")[0].strip()
    if media_type != PDF_MEDIA_TYPE or not body.startswith(b"%PDF-"):
        raise ValueError(f"certificate reply is {media_type or 'untyped'}, not a PDF")
    if len(body) > CERTIFICATE_MAX_BYTES:
        raise ValueError(f"certificate reply of {len(body)} bytes is larger than {CERTIFICATE_MAX_BYTES}")
    code = headers.get(CODE_HEADER, "")
    if not re.fullmatch(CERTIFICATE_CODE_PATTERN, code):
        raise ValueError(f"certificate reply has no valid {CODE_HEADER}")
    try:
        valid_until = date.fromisoformat(headers.get(VALID_UNTIL_HEADER, ""))
    except ValueError:
        raise ValueError(f"certificate reply has no valid {VALID_UNTIL_HEADER}") from None
    return CertificatePdf(body, code, valid_until)
