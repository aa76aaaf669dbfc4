"""The kiosk's status lookups (办件查询) beyond the receipt's QR: by typed case number, by ID card.

Both are ``POST`` so that a phone number's last digits or an ID number travel only in the
body (TLS), never in a path or query string that access logs and proxies keep. Both are the
kiosk role's alone (a kiosk's bearer token), rate-limited per kiosk, and answer only the fixed
resident words (``contract.resident_status``) of each case: no name, no answer, no note.

- ``POST /api/v1/status/by-number`` with ``NumberLookup`` → ``ResidentCaseView``. The case
  number alone is not enough: it is a date, a terminal and a daily sequence from 0001, so a
  day's cases can be listed by counting. The last 4 digits of the mobile number given on the
  case must come with it; the centre compares a keyed hash of (case number, digits). A wrong
  number, wrong digits, or a case with no mobile number get the same ``404``.
- ``POST /api/v1/status/by-card`` with ``CardLookup`` → ``ResidentCaseList``: the cases of the
  ID read from the card placed on the kiosk in the last ``RECENT_DAYS`` days, newest first, at
  most ``RECENT_LIMIT``, found by a keyed hash of the ID (``central.case_keys``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from contract.scalars import Text
from contract.vocabulary import IdType
from contract.wire import API_PREFIX, CASE_NUMBER_PATTERN, ResidentCaseView

STATUS_BY_NUMBER_PATH = f"{API_PREFIX}/status/by-number"
STATUS_BY_CARD_PATH = f"{API_PREFIX}/status/by-card"
PHONE_TAIL_DIGITS = 4
PHONE_TAIL_PATTERN = rf"^[0-9]{{{PHONE_TAIL_DIGITS}}}$"
RECENT_DAYS = 90
RECENT_LIMIT = 10


class NumberLookup(BaseModel):
    """A typed case number and the last 4 digits of the mobile number given on the case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case_number: Text = Field(pattern=CASE_NUMBER_PATTERN)
    phone_tail: Text = Field(pattern=PHONE_TAIL_PATTERN, repr=False)


class CardLookup(BaseModel):
    """The ID read from the card on the kiosk's reader: the resident's own cases."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id_type: IdType
    id_number: Text = Field(min_length=1, max_length=32, repr=False)


class ResidentCaseList(BaseModel):
    """A resident's recent cases, newest first, each as its receipt's holder may read it."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads: newer fields pass

    cases: list[ResidentCaseView] = Field(default_factory=list, max_length=RECENT_LIMIT)
