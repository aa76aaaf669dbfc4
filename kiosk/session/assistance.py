"""Assisted mode (帮办代办): a grid worker or clerk identifies first, then the applicant.

The member of staff scans their own **staff code**: a ``contract.qr_codes`` code of kind
``staff`` signed by the identity authority (the one that signs login codes: it has checked who
the person is), for this site's audience, carrying the staff number in ``staff_no``. A staff
member's ID card is not accepted as their proof: an ID card says who someone is, not that they
are staff, so cards cannot be told apart from a resident's.

    (identify) ──工作人员帮办──▶ waiting ──staff code──▶ staff known ──applicant's card/code──▶ choose
                                  │  └─card, login code or bad code: refused, still waiting
                                  └─取消帮办──▶ (identify)

A staff code scanned at attract or identify without the button starts assisted mode too (the
code is the proof; the button only says what to do). The case records the staff number in
``assisted_by`` (never an ID number or a name); the receipt prints it. The session's wipe
forgets it with everything else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.errors import CardNotAccepted, CodeNotAccepted
from kiosk.messages import MessageId

STAFF_NUMBER = re.compile(r"[A-Za-z0-9-]{1,32}")

# Why a code scanned while waiting for a staff code was refused, in the staff member's words.
STAFF_REFUSALS: dict[str, MessageId] = {
    "expired": MessageId.STAFF_CODE_EXPIRED,
    "not_yet_valid": MessageId.STAFF_CODE_EXPIRED,  # a clock off by more than the tolerance
    "forged": MessageId.STAFF_CODE_REFUSED,
    "wrong_audience": MessageId.STAFF_CODE_REFUSED,
    "unsupported_kind": MessageId.STAFF_CODE_REFUSED,
}


@dataclass(frozen=True)
class Assistance:
    """Where assisted mode stands: ``waiting`` for the staff code, or helped by ``staff_no``."""

    waiting: bool = False
    staff_no: str | None = None

    @property
    def active(self) -> bool:
        return self.waiting or self.staff_no is not None


NOT_ASSISTED = Assistance()
WAITING = Assistance(waiting=True)


def staff_number(data: Mapping[str, str]) -> str:
    """The staff number in a verified staff code's data; refused when missing or malformed."""
    number = data.get("staff_no", "")
    if not STAFF_NUMBER.fullmatch(number):
        raise CardNotAccepted(MessageId.STAFF_CODE_INCOMPLETE)
    return number


def staff_refusal(err: CodeNotAccepted) -> MessageId:
    """What to tell a member of staff whose scanned code is not a usable staff code."""
    return STAFF_REFUSALS.get(err.reason, MessageId.STAFF_CODE_NOT_STAFF)
