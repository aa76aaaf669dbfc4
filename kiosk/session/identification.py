"""Identification: turning what the card reader and the QR scanner report into an identity
for the session, or into words saying why not.

Assisted mode (``kiosk.session.assistance``): a staff code makes the member of staff known;
while the kiosk waits for one, a card or any other code is refused with the staff's words.

A card read, a reader fault (by the fault's type: an unplugged reader or a failed security
module is not "lay the card flat"), a login code, a receipt's lookup code: each lands here
on the terminal's thread. Anything else on screen than attract or identify ignores them: a
card put down mid-session is someone else's, and Home starts over.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from contract.clock import CLOCK_TOLERANCE
from contract.qr_codes import KIND_STAFF
from contract.vocabulary import CaseState
from drivers.errors import CardDataInvalid, DeviceNotFound, DeviceTimeout, DriverError, ProtocolError, SamFault
from drivers.idcard.record import IdCardRecord
from kiosk.errors import CardNotAccepted, CodeNotAccepted, KioskError
from kiosk.events import LookupAnswered
from kiosk.messages import Message, MessageId, message
from kiosk.session.assistance import NOT_ASSISTED, WAITING, Assistance, staff_number, staff_refusal
from kiosk.session.identity import identity_from_card, identity_from_login_code
from kiosk.session.scanned_codes import IssuedCode, QrPayloadParser, ReceiptLookup
from kiosk.session.session import Session, Step

log = logging.getLogger(__name__)

READER_FAULTS: tuple[tuple[type[DriverError], MessageId], ...] = (
    (DeviceNotFound, MessageId.CARD_READER_UNAVAILABLE),
    (SamFault, MessageId.CARD_READER_FAULT),
    (DeviceTimeout, MessageId.CARD_READER_FAULT),
    (ProtocolError, MessageId.CARD_READER_FAULT),
    (CardDataInvalid, MessageId.CARD_DATA_INVALID),
)
CASE_STATES: dict[CaseState, MessageId] = {
    CaseState.RECEIVED: MessageId.CASE_RECEIVED,
    CaseState.CLAIMED: MessageId.CASE_CLAIMED,
    CaseState.ACCEPTED: MessageId.CASE_ACCEPTED,
    CaseState.MORE_MATERIALS_NEEDED: MessageId.CASE_MORE_MATERIALS_NEEDED,
    CaseState.REJECTED: MessageId.CASE_REJECTED,
    CaseState.COMPLETED: MessageId.CASE_COMPLETED,
    CaseState.QUARANTINED: MessageId.CASE_RECEIVED,  # the centre's matter: the resident waits as for any case
}


def reader_fault_message(error: type[DriverError]) -> MessageId:
    """What to tell a resident when the card reader reports ``error``."""
    for fault, message_id in READER_FAULTS:
        if issubclass(error, fault):
            return message_id
    return MessageId.CARD_READ_FAILED  # a card that could not be read: lay it flat, keep it still


class Identification:
    """Proves who the resident is from a card or a code, on the terminal's thread."""

    def __init__(
        self,
        session: Session,
        now: Callable[[], datetime],
        post: Callable[[LookupAnswered], None],
    ) -> None:
        self.session = session
        self.now = now
        self.post = post
        self.parser: QrPayloadParser | None = None  # from the link's keys, once connected
        self.case_state: Callable[[str, str], CaseState] | None = None  # asks the centre

    def connected(self, parser: QrPayloadParser, case_state: Callable[[str, str], CaseState]) -> None:
        """The centre link is up: codes can be verified and lookups answered.

        ``case_state(case_number, token)`` is the receipt's anonymous lookup, the one a
        phone makes: the kiosk sees no more of a case than the receipt's holder may."""
        self.parser = parser
        self.case_state = case_state

    @property
    def listening(self) -> bool:
        return self.session.step in (Step.ATTRACT, Step.IDENTIFY)

    def card_read(self, record: IdCardRecord) -> None:
        if not self.listening:
            return
        if self.session.assistance.waiting:  # a staff member's own card proves no staff role
            self.session.identification_failed(message(MessageId.ASSISTED_STAFF_FIRST))
            return
        try:
            identity = identity_from_card(record, (self.now() - CLOCK_TOLERANCE).date())  # a fast clock's midnight
        except CardNotAccepted as err:
            self.session.identification_failed(err.message)
            return
        self.session.identified(identity)

    def reader_failed(self, error: type[DriverError]) -> None:
        if self.listening:
            self.session.identification_failed(message(reader_fault_message(error)))

    def code_scanned(self, text: str) -> None:
        if not self.listening or self.parser is None:
            return
        waiting = self.session.assistance.waiting
        try:
            code = self.parser.parse(text, now=self.now())
        except CodeNotAccepted as err:
            self.session.identification_failed(message(staff_refusal(err)) if waiting else err.message)
            return
        if isinstance(code, IssuedCode) and code.kind == KIND_STAFF:
            self._staff_code(code)
        elif waiting:
            self.session.identification_failed(message(MessageId.STAFF_CODE_NOT_STAFF))
        elif isinstance(code, ReceiptLookup):
            threading.Thread(target=self._look_up, args=(code,), name="lookup", daemon=True).start()
        elif isinstance(code, IssuedCode) and code.kind == "login":
            try:
                identity = identity_from_login_code(code.code.data)
            except CardNotAccepted as err:
                self.session.identification_failed(err.message)
                return
            self.session.identified(identity)
        else:
            self.session.identification_failed(message(MessageId.CODE_NOT_FOR_LOGIN))

    def ask_for_staff(self) -> None:
        """The 工作人员帮办 button: wait for the member of staff's code."""
        if self.listening:
            self.session.assisted(WAITING, notice=message(MessageId.ASSISTED_SCAN_STAFF_CODE))

    def cancel_assistance(self) -> None:
        if self.listening:
            self.session.assisted(NOT_ASSISTED)

    def _staff_code(self, code: IssuedCode) -> None:
        try:
            number = staff_number(code.code.data)
        except CardNotAccepted as err:
            self.session.identification_failed(err.message)
            return
        log.info("assisted mode: a member of staff identified (code %s)", code.code.code_id)
        self.session.assisted(Assistance(staff_no=number), notice=message(MessageId.ASSISTED_STAFF_KNOWN,
                                                                          staff_no=number))

    def lookup_answered(self, answer: Message) -> None:
        self.session.show_lookup(answer)

    def _look_up(self, code: ReceiptLookup) -> None:
        """On a thread of its own: ask the centre, post the answer."""
        assert self.case_state is not None
        case_number = code.case_number
        try:
            state = self.case_state(case_number, code.token)
            answer = message(MessageId.LOOKUP_RESULT, case_number=case_number, status=CASE_STATES[state])
        except KioskError as err:
            log.info("status lookup of case %s failed: %s", case_number, type(err).__name__)
            answer = message(MessageId.LOOKUP_FAILED, case_number=case_number)
        self.post(LookupAnswered(answer))
