"""What a session produces and shows: receipts, review rows, ratings.

Plain data, no behaviour beyond reading; ``kiosk.session.session`` changes them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from contract.vocabulary import Delivery
from kiosk.catalog.fields import Mask
from kiosk.messages import Message, say


class PrintState(enum.StrEnum):
    PENDING = "pending"
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


class SmsState(enum.StrEnum):
    """Texting a receipt that could not be printed (``kiosk.delivery.receipt_sms``)."""

    ASKING = "asking"  # the kiosk is asking the centre
    SENT = "sent"  # the centre has texted it
    PROMISED = "promised"  # the centre holds the request and texts it once it can (the case is on its way)
    NOT_POSSIBLE = "not_possible"  # the centre could not be asked, or will not send


RATINGS = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
LOW_RATING_REASONS = ("等待时间长", "操作不方便", "事项找不到", "指南看不懂", "设备故障", "其他")


class ReceiptKind(enum.StrEnum):
    CASE = "case"  # a case went to the outbox (its certificate may print too)
    APPOINTMENT = "appointment"  # a slot at the counter was booked


@dataclass(frozen=True)
class CaseLine:
    """One case of a bundle: its number and item."""

    case_number: str
    item_name: str


@dataclass
class SubmittedCase:
    """What the receipt screen shows of a case (or a bundle's cases) after the outbox took it."""

    case_number: str  # the first case's (a bundle's others are in ``lines``), or the appointment's number
    item_name: str  # the item's or the bundle's name
    submitted_at: str  # local time, "YYYY-MM-DD HH:MM"; an appointment's slot
    delivery: Delivery | None  # None for an appointment
    lookup_text: str  # what the status-lookup QR encodes ("" for an appointment)
    print_state: PrintState = PrintState.PENDING
    print_problem: Message | None = None  # why the receipt did not print
    sent_to_centre: bool = False
    lines: tuple[CaseLine, ...] = ()  # every case of a bundle, the first included
    kind: ReceiptKind = ReceiptKind.CASE
    place: str = ""  # an appointment's counter, in the site's words (Chinese)
    place_in: dict[str, str] = field(default_factory=dict)  # the counter in other languages, where given
    slot: tuple[datetime, datetime] | None = None  # an appointment's start and end, local
    certificate_state: PrintState | None = None  # an instant-print item's certificate on the A4 printer
    certificate_problem: Message | None = None  # why the certificate did not print
    assisted_by: str | None = None  # the staff number of whoever helped (帮办), printed on the receipt
    sms_to: str = ""  # the case's mobile number, masked (138****5678); "" when it has none
    sms: SmsState | None = None  # texting the receipt, when it could not be printed; None: not asked
    photographed: tuple[str, ...] = ()  # materials the document camera took (高拍仪): not to bring again
    to_bring: tuple[str, ...] = ()  # materials still to bring to the counter (一次告知), as the guide names them
    bring_within_days: int = 0  # working days the site gives to bring them

    def place_for(self, language: str) -> str:
        """The appointment's counter as a resident reading ``language`` is told it."""
        return self.place_in.get(language, self.place)

    @property
    def print_message(self) -> str:
        """Why the receipt did not print, in the default language (logs, tests)."""
        return say(self.print_problem)


@dataclass(frozen=True)
class ReviewRow:
    """One line of the review: ``key`` is the field id (or the identity attribute shown)."""

    label: str
    value: str
    key: str
    changeable: bool
    mask: Mask = Mask.NONE


@dataclass
class Rating:
    level: int  # 1 (非常满意) .. 5 (非常不满意)
    reasons: tuple[str, ...] = ()



