"""Keyed hashes the centre indexes cases by, so that a resident can find them without the
centre storing an ID number or a phone number in the clear (``contract.status_lookup``).

The submission itself is stored encrypted (``central.crypto``) and cannot be searched. At
intake, while the submission is still in memory, two HMAC-SHA256 values are kept beside it:

- ``cases.applicant_key``: of the ID type and number (upper-cased, trimmed), indexed with
  ``received_at`` so "this card's cases of the last 90 days" is one index range;
- ``cases.phone_tail_key``: of the case number and the last 4 digits of the case's mobile
  number, compared when a case number is typed (bound to the case number, so the same 4
  digits on two cases give two unrelated values).

The key (32 random bytes) lives in a file of its own beside the data key (``central-index.key``,
0600, created when missing) and never in the database: a copy of the database alone cannot
test ID numbers against ``applicant_key`` (18-digit ID numbers are few enough to try them all
against a plain hash). Every process serving the API needs the same file. Losing or changing
it makes the stored values unmatchable: those cases are then found by their receipt's QR only.

Cases stored before these columns (migration 0011) have neither value: the migration cannot
fill them, since it holds neither the payload key nor this one. They are found by the receipt's
QR only, as before.

Which answer is "the case's mobile number": the first answer, in the form's order, that is a
mainland mobile number as a whole (11 digits, ``1[3-9]...``). The centre does not interpret a
site's catalogue (``central.catalog``), so it cannot ask which question was the phone; the
kiosk's phone question is the only one whose answer has that shape. A case without one cannot be
looked up by typed number.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from pathlib import Path

from central.crypto import load_or_create_key_file
from contract.status_lookup import PHONE_TAIL_DIGITS
from contract.vocabulary import IdType

INDEX_KEY_FILE_NAME = "central-index.key"
MOBILE = re.compile(r"1[3-9][0-9]{9}")


class CaseKeys:
    """HMAC-SHA256 under one key: the values ``cases`` is searched by."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 32:
            raise ValueError("an index key holds at least 32 bytes")
        self._key = key

    @classmethod
    def from_file(cls, path: Path) -> CaseKeys:
        """The key in ``path`` (created, 0600, when missing)."""
        return cls(load_or_create_key_file(path))

    def _mac(self, *parts: str) -> str:
        message = "\x00".join(parts).encode("utf-8")
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def applicant(self, id_type: IdType, id_number: str) -> str:
        """The value of one person's ID across all their cases."""
        return self._mac("applicant", id_type.value, id_number.strip().upper())

    def phone_tail(self, case_number: str, tail: str) -> str:
        """The value of a case's number with the last digits of its mobile number."""
        return self._mac("phone-tail", case_number, tail)

    def phone_tail_of(self, case_number: str, answers: Mapping[str, str]) -> str | None:
        """``phone_tail`` for the case's mobile number (see the module), or None without one."""
        phone = next((value.strip() for value in answers.values() if MOBILE.fullmatch(value.strip())), None)
        return self.phone_tail(case_number, phone[-PHONE_TAIL_DIGITS:]) if phone else None

    def __repr__(self) -> str:
        return "CaseKeys(<key withheld>)"


def matches(presented: str, held: str | None) -> bool:
    """Compare a presented value with a held one (None: never) in constant time."""
    return hmac.compare_digest(presented.encode("ascii"), (held or "0" * 64).encode("ascii")) and held is not None
