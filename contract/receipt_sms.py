"""Receipts by SMS (短信回执) when a kiosk cannot print one, defined once for both sides.

When the receipt printer is out, or fails on the receipt, and the case has a phone answer, the
kiosk asks the centre to text the resident the case number, the item and the lookup link the
receipt's QR carries. The request holds no phone: the centre takes it from the case itself
(the answer ``phone_field`` names), so a case that has not reached the centre yet is texted
when it arrives. The SMS is written in the language the resident used the kiosk in.

- ``POST {API_PREFIX}/cases/{case_number}/receipt-sms`` with a ``ReceiptSmsRequest`` →
  ``201 ReceiptSmsAck``; ``200`` with the request's status now when the centre already holds
  one for the case: one SMS per case however often the kiosk asks. Only for the calling kiosk's
  own cases (``403`` otherwise, as for ratings).

The lookup link carries the receipt's lookup token, which the centre otherwise never sees: it
keeps the link sealed until the SMS is sent, and sends it only when the token's SHA-256 is the
one the case holds (``REFUSED`` otherwise).
"""

from __future__ import annotations

import enum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from contract.display_text import displayable_name
from contract.scalars import Key, Moment, Text
from contract.wire import API_PREFIX, CASE_NUMBER_PATTERN

RECEIPT_SMS_PATH = f"{API_PREFIX}/cases/{{case_number}}/receipt-sms"
LINK_MAX = 512
ITEM_NAME_MAX = 64
SmsLanguage = Literal["zh-Hans", "zh-Hant", "en"]  # the kiosk's languages: the SMS is in the resident's


def receipt_sms_path(case_number: str) -> str:
    """The request's path for ``case_number``."""
    return RECEIPT_SMS_PATH.format(case_number=case_number)


class ReceiptSmsStatus(enum.StrEnum):
    """Where a receipt SMS stands at the centre."""

    WAITING = "waiting"  # the case has not reached the centre yet: it is texted when it does
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # the SMS gateway failed; the centre tries again on its rounds
    GAVE_UP = "gave_up"  # it failed every try
    NO_PHONE = "no_phone"  # the case holds no mobile number there: nothing is sent
    REFUSED = "refused"  # the link or the kiosk does not belong to the case: nothing is sent

    @property
    def pending(self) -> bool:
        """The centre holds the request and may still send it."""
        return self in (ReceiptSmsStatus.WAITING, ReceiptSmsStatus.SENDING, ReceiptSmsStatus.FAILED)


class ReceiptSmsRequest(BaseModel):
    """A kiosk asks for a case's receipt by SMS: where the phone is, and what the receipt said."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    phone_field: Key  # the id of the case's phone question; its answer is the number texted
    item_name: Annotated[Text, Field(min_length=1, max_length=ITEM_NAME_MAX), AfterValidator(displayable_name)]
    lookup_link: Text = Field(max_length=LINK_MAX, pattern=r"^https?://[!-~]+$", repr=False)  # the receipt QR's text
    requested_at: Moment
    language: SmsLanguage = "zh-Hans"  # the session's (a kiosk before it existed asked in zh-Hans)


class ReceiptSmsAck(BaseModel):
    """The centre holds the request; ``status`` says where it stands now."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # a reply the kiosk reads

    case_number: str = Field(pattern=CASE_NUMBER_PATTERN)
    status: ReceiptSmsStatus
