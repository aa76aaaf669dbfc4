"""A receipt by SMS (短信回执) in the resident's terms: which answer is the phone, what the
centre's answer means, and what the receipt screen says about the lookup QR.

When the receipt cannot be printed, the lookup QR and the case number are on the screen
only; with a phone answer the centre texts them (``kiosk.applying`` asks, through
``kiosk.delivery.receipt_sms``) and the screen says where they went, masked. Without one,
or when the centre could not be asked, the screen keeps asking the resident to photograph them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from kiosk.catalog.fields import PHONE, FieldKind
from kiosk.catalog.model import Field
from kiosk.messages import Message, MessageId, message
from kiosk.session.outcome import PrintState, ReceiptKind, SmsState, SubmittedCase

if TYPE_CHECKING:
    from contract.receipt_sms import ReceiptSmsStatus


def phone_answer(questions: Iterable[Field], answers: Mapping[str, str]) -> tuple[str, str] | None:
    """The first phone question answered with a mobile number in ``answers`` (a case's): its id and the number."""
    for question in questions:
        answer = answers.get(question.id, "")
        if question.kind == FieldKind.PHONE and PHONE.match(answer):
            return question.id, answer
    return None


def sms_state(status: ReceiptSmsStatus | None) -> SmsState:
    """What the centre's last answer means for the resident."""
    if status is None:
        return SmsState.NOT_POSSIBLE
    if status.value == "sent":
        return SmsState.SENT
    return SmsState.PROMISED if status.pending else SmsState.NOT_POSSIBLE


def qr_hint(case: SubmittedCase) -> Message:
    """The line beside the lookup QR: scan it; or, the receipt not printed, where the SMS went or "photograph it"."""
    if case.print_state is not PrintState.FAILED or case.kind is not ReceiptKind.CASE:
        return message(MessageId.RECEIPT_QR_HINT)
    if case.sms is SmsState.ASKING:
        return message(MessageId.RECEIPT_SMS_SENDING)
    if case.sms is SmsState.SENT:
        return message(MessageId.RECEIPT_SMS_SENT, phone=case.sms_to)
    if case.sms is SmsState.PROMISED:
        return message(MessageId.RECEIPT_SMS_PROMISED, phone=case.sms_to)
    return message(MessageId.RECEIPT_QR_PHOTO)


def texted(case: SubmittedCase) -> bool:
    """Whether the SMS took the place of the receipt (sent, or held by the centre to send)."""
    return case.sms in (SmsState.SENT, SmsState.PROMISED)
