"""Identification: turning what the card reader and the QR scanner report into an identity
for the session, or into words saying why not.

Assisted mode (``kiosk.session.assistance``): a staff code makes the member of staff known;
while the kiosk waits for one, a card or any other code is refused with the staff's words.

A card read, a reader fault (by the fault's type: an unplugged reader or a failed security
module is not "lay the card flat"), a login code, a receipt's lookup code: each lands here
on the terminal's thread. Anything else on screen than attract, identify or the status lookup
ignores them: a card put down mid-session is someone else's, and Home starts over. A receipt's
code opens the status lookup (``lookups``, ``kiosk.session.status_lookup``); on the lookup
screen a card or a code is the lookup's, never a login.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from contract.clock import CLOCK_TOLERANCE
from contract.qr_codes import KIND_STAFF
from drivers.errors import CardDataInvalid, DeviceNotFound, DeviceTimeout, DriverError, ProtocolError, SamFault
from drivers.idcard.record import IdCardRecord
from kiosk.errors import CardNotAccepted, CodeNotAccepted
from kiosk.events import LookupAnswered
from kiosk.messages import MessageId, message
from kiosk.session.assistance import NOT_ASSISTED, WAITING, Assistance, staff_number, staff_refusal
from kiosk.session.identity import identity_from_card, identity_from_login_code
from kiosk.session.scanned_codes import IssuedCode, QrPayloadParser, ReceiptLookup
from kiosk.session.session import Session, Step
from kiosk.session.status_lookup import Answer, StatusLookups, StatusSource

log = logging.getLogger(__name__)

READER_FAULTS: tuple[tuple[type[DriverError], MessageId], ...] = (
    (DeviceNotFound, MessageId.CARD_READER_UNAVAILABLE),
    (SamFault, MessageId.CARD_READER_FAULT),
    (DeviceTimeout, MessageId.CARD_READER_FAULT),
    (ProtocolError, MessageId.CARD_READER_FAULT),
    (CardDataInvalid, MessageId.CARD_DATA_INVALID),
)

CARD_PROBLEMS = frozenset({MessageId.CARD_READ_FAILED, MessageId.CARD_DATA_INVALID})  # a card was there


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
        self.lookups = StatusLookups(session, post, now)  # 办件查询

    def connected(self, parser: QrPayloadParser, source: StatusSource) -> None:
        """The centre link is up: codes can be verified and lookups answered (``source``: the
        receipt's anonymous lookup, the one a phone makes, and the kiosk's status lookups)."""
        self.parser = parser
        self.lookups.source = source

    @property
    def listening(self) -> bool:
        return self.session.step in (Step.ATTRACT, Step.IDENTIFY)

    def card_read(self, record: IdCardRecord) -> None:
        if self.session.step is Step.LOOKUP:
            self.lookups.card_placed(record)
            return
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
        """A read failed. Between residents only a card someone placed opens identify: a reader
        unplugged or faulty at idle is the availability's news (attract: "card login is
        unavailable, scan a code"), not "lay your card flat" for whoever comes next."""
        problem = reader_fault_message(error)
        if self.session.step is Step.LOOKUP:
            self.lookups.card_failed(error)
        elif self.session.step is Step.ATTRACT and problem not in CARD_PROBLEMS:
            log.info("card reader: %s at idle; attract keeps showing the ways in that work", error.__name__)
        elif self.listening:
            self.session.identification_failed(message(problem))

    def code_scanned(self, text: str) -> None:
        if self.session.step is Step.LOOKUP and self.parser is not None:
            self._lookup_code(text)
            return
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
            self.lookups.receipt_scanned(code)
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
        self.session.assisted(Assistance(staff_no=number))  # the identify screen says who helps

    def _lookup_code(self, text: str) -> None:
        """A code scanned on the lookup screen: a receipt's is looked up; any other is refused."""
        assert self.parser is not None
        try:
            code = self.parser.parse(text, now=self.now())
        except CodeNotAccepted as err:
            self.lookups.code_refused(err.message)
            return
        if isinstance(code, ReceiptLookup):
            self.lookups.receipt_scanned(code)
        else:  # a login code here is not what the resident came for
            self.lookups.code_refused(message(MessageId.LOOKUP_NOT_A_RECEIPT))

    def lookup_answered(self, serial: int, answer: Answer) -> None:
        self.lookups.answered(serial, answer)
