"""What happens once a resident has decided: cases into the outbox with their receipt printed,
a certificate printed at once (即时打印), a counter slot booked with its slip, the rating.

A receipt that cannot be printed (the printer unavailable when it is due, or the print failed)
is texted instead when the case has a phone answer (短信回执): the centre is asked once per
case, in the background (``kiosk.delivery.receipt_sms``), and the case shown says how it went.

The terminal owns one ``Applying`` and hands it the events these produce (``handle``); the
screens reach it through the terminal's ``submit``, ``print_receipt``, ``start_appointment``,
``book_slot`` and ``rate``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, cast

from drivers.printer.document import Document
from kiosk.catalog.model import Channel
from kiosk.catalog.still_to_bring import still_to_bring
from kiosk.channels.counter import CounterBooking
from kiosk.channels.instant_print import InstantPrint
from kiosk.document_capturing import DocumentCapturing
from kiosk.errors import KioskError, OutboxError
from kiosk.events import (
    ApplyingEvent,
    BookingAnswered,
    CertificateUpdate,
    DocumentCameraEvent,
    FaceCameraEvent,
    FaceCheckSent,
    PrintFinished,
    ReceiptSmsAnswered,
    SlotsAnswered,
)
from kiosk.face_checking import FaceChecking
from kiosk.messages import MessageId, catalog_text, message
from kiosk.printing.receipts import build_case_receipt
from kiosk.session.booking import SlotChoice
from kiosk.session.outcome import PrintState, ReceiptKind, SmsState, SubmittedCase
from kiosk.session.privacy import mask_phone
from kiosk.session.receipt_sms import phone_answer, sms_state
from kiosk.session.scanned_codes import lookup_token_digest, new_lookup_token, receipt_lookup_text

if TYPE_CHECKING:
    from kiosk.delivery.centre_client import CentreClient
    from kiosk.delivery.receipt_sms import ReceiptSmsAsker
    from kiosk.terminal import Terminal

log = logging.getLogger(__name__)


class Applying:
    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal
        self.session = terminal.session
        self.receipt: Document | None = None  # the current case's receipt or slip, as it prints
        self.counter = CounterBooking(self._client, terminal.post)
        self._instant: InstantPrint | None = None  # from the first instant print on (needs the devices)
        self._sms_field: str | None = None  # the current case's phone question, if it was answered
        self._sms: ReceiptSmsAsker | None = None  # from the first receipt texted on
        self.documents = DocumentCapturing(terminal)  # 高拍仪 before the form; its pages go with the case
        self.face = FaceChecking(terminal, then=self.documents.start)  # 人证比对 first; its picture after submit

    def _client(self) -> CentreClient | None:
        link = self.terminal.link
        return link.client if link is not None else None

    # --- cases ---------------------------------------------------------------------------

    def submit(self) -> bool:
        """Put the reviewed case (a bundle's cases) into the outbox, then show and print the receipt;
        an instant-print item's certificate follows on the A4 printer."""
        session, terminal = self.session, self.terminal
        if not session.ready_to_submit():
            return False
        assert session.item is not None and session.identity is not None
        link = terminal.link
        if link is None:
            session.refuse(message(MessageId.STARTING_UP))
            return False
        from kiosk.session.cases import case_lines, cases_of  # pydantic: off the start-up path (bench.ui)

        identity, now = session.identity, terminal.now()
        token = new_lookup_token()  # printed on the receipt only; the centre gets its digest
        try:
            cases = cases_of(session, lambda: self.terminal.numbers.next(now.date()), now, lookup_token_digest(token))
            self.documents.pages_for(cases)
            link.store_all(cases)
        except OutboxError as err:  # the disk is full or failing: nothing was stored; say whom to call
            log.warning("a case could not be stored: %s (%s)", type(err).__name__, err.detail)
            session.refuse(message(MessageId.CANNOT_TAKE_CASES, phone=terminal.config.site.contact_phone))
            terminal.refresh_availability()
            return False
        except KioskError as err:
            log.warning("a case could not be stored: %s", err)
            session.refuse(err.message)
            return False
        case_number = cases[0]["case_number"]
        log.info("case %s stored in the outbox (%d in all)", case_number, len(cases))
        for stored in cases:
            terminal.records.counters.case_submitted(stored["item_id"])
        instant = session.item.channel is Channel.INSTANT_PRINT
        phone = phone_answer(session.questions, cases[0]["answers"])  # the receipt's case: the first
        self._sms_field = phone[0] if phone else None
        case = SubmittedCase(
            case_number=case_number,
            item_name=session.item.name,
            submitted_at=now.strftime("%Y-%m-%d %H:%M"),
            delivery=session.delivery,
            lookup_text=receipt_lookup_text(case_number, token, terminal.config.centre.lookup_url),
            lines=case_lines(cases, session),
            certificate_state=PrintState.PENDING if instant else None,
            assisted_by=session.assistance.staff_no,
            sms_to=mask_phone(phone[1]) if phone else "",
            photographed=self.documents.photographed,
            to_bring=tuple(m.name for m in still_to_bring(session.item.guide)
                           if m.name not in self.documents.photographed),
            bring_within_days=terminal.config.site.bring_within_days,
        )
        self.receipt = build_case_receipt(terminal.config.site, session.item, identity, case, link.reachable(),
                                          session.language)
        session.submitted(case)
        self.face.submitted(cases)  # once the case is at the centre, with the card's photo
        if instant:
            self._instant_print().start(case_number, cases[0]["item_id"], identity, cases[0]["answers"])
        self.print_receipt()
        return True

    def _instant_print(self) -> InstantPrint:
        if self._instant is None:
            self._instant = InstantPrint(self._client, self.terminal.devices.a4_printer, self.terminal.post)
        return self._instant

    def print_receipt(self) -> None:
        """Print (or reprint) the current receipt or slip in the background."""
        terminal, case = self.terminal, self.session.case
        if case is None or self.receipt is None or case.print_state is PrintState.PRINTING:
            return
        if terminal.printing is None:
            return
        terminal.refresh_availability()
        if terminal.availability is None or not terminal.availability.printer:
            self.session.print_update(PrintState.FAILED, message(MessageId.PRINTER_UNAVAILABLE))
            self._text_receipt()
            return
        self.session.print_update(PrintState.PRINTING)
        terminal.printing.start(case.case_number, self.receipt)

    def _text_receipt(self) -> None:
        """The receipt was not printed: ask the centre to text it, once per case, when the case has a phone."""
        case, field_id = self.session.case, self._sms_field
        if (case is None or case.kind is not ReceiptKind.CASE or case.print_state is not PrintState.FAILED
                or case.sms is not None or field_id is None):
            return
        # pydantic: off the start-up path
        from contract.receipt_sms import ITEM_NAME_MAX, ReceiptSmsRequest, SmsLanguage
        from kiosk.delivery.receipt_sms import ReceiptSmsAsker

        number, post, language = case.case_number, self.terminal.post, self.session.language
        try:  # in the resident's language, as the receipt would have been
            item_name = catalog_text(case.item_name, language)[:ITEM_NAME_MAX]
            request = ReceiptSmsRequest(phone_field=field_id, item_name=item_name, lookup_link=case.lookup_text,
                                        requested_at=self.terminal.now(), language=cast(SmsLanguage, language))
        except ValueError as err:  # a catalogue name the request refuses: the screen keeps its words
            log.warning("the receipt of case %s cannot be texted: %s", number, type(err).__name__)
            self.session.receipt_sms(number, SmsState.NOT_POSSIBLE)
            return
        self.session.receipt_sms(number, SmsState.ASKING)
        if self._sms is None:
            self._sms = ReceiptSmsAsker(self._client)
        self._sms.ask(number, request, lambda status: post(ReceiptSmsAnswered(number, status)))

    def stop(self) -> None:
        """Stop asking for receipts by SMS and close the cameras (the terminal is stopping)."""
        if self._sms is not None:
            self._sms.stop()
        self.face.stop()
        self.documents.stop()

    # --- counter slots -------------------------------------------------------------------

    def start_appointment(self) -> None:
        """From a counter-only item's guide: ask the centre for the counter's slots."""
        self.session.start_appointment()
        assert self.session.item is not None
        self.counter.fetch_slots(self.session.item.id)

    def book_slot(self, slot: SlotChoice) -> None:
        session = self.session
        session.pick_slot(slot)
        assert session.item is not None and session.identity is not None
        key = session.booking_keys.key(session.item.id, slot.start)
        self.counter.book(session.item.id, slot, session.identity, key)

    def _booked(self, event: BookingAnswered) -> None:
        session, confirmation = self.session, event.confirmation
        if confirmation is None:
            session.booking_refused(event.problem or message(MessageId.APPOINTMENT_CENTRE_UNREACHABLE),
                                    event.slot_full)
            return
        if session.item is None or session.identity is None:
            return  # the resident left meanwhile; the slot stays booked at the centre
        from kiosk.printing.appointment_slip import build_appointment_slip, slot_day, slot_hours

        name = session.item.name
        self.receipt = build_appointment_slip(self.terminal.config.site, name, confirmation, session.identity.name,
                                              session.language)
        start, end = confirmation.slot_start, confirmation.slot_end
        session.appointment_booked(SubmittedCase(
            case_number=confirmation.appointment_number, item_name=name,
            submitted_at=f"{slot_day(start)} {slot_hours(start, end)}", delivery=None, lookup_text="",
            kind=ReceiptKind.APPOINTMENT, place=confirmation.place, place_in=dict(confirmation.place_in),
            slot=(start, end)))
        self.print_receipt()

    # --- events --------------------------------------------------------------------------

    def handle(self, event: ApplyingEvent) -> None:
        session, records = self.session, self.terminal.records
        match event:
            case PrintFinished(case_number=number, state=state, problem=problem):
                if state is PrintState.PRINTED:
                    records.counters.printed()
                    records.paper_roll.printed()
                if session.case is not None and session.case.case_number == number:
                    session.print_update(state, problem)
                    self._text_receipt()
            case SlotsAnswered(item_id=item_id, slots=slots, problem=problem):
                if session.item is not None and session.item.id == item_id:
                    session.slots_arrived(slots, problem)
            case BookingAnswered():
                self._booked(event)
            case CertificateUpdate(case_number=number, state=state, problem=problem):
                if session.case is not None and session.case.case_number == number:
                    session.certificate_update(state, problem)
            case ReceiptSmsAnswered(case_number=number, status=status):
                session.receipt_sms(number, sms_state(status))
            case FaceCameraEvent() | FaceCheckSent():
                self.face.handle(event)
            case DocumentCameraEvent():
                self.documents.handle(event)

    def rate(self, level: int | None, reasons: tuple[str, ...]) -> None:
        """Record the resident's rating of the case (or its skipping) and say goodbye."""
        terminal, session = self.terminal, self.session
        session.rate(level, reasons)
        if level is not None and terminal.started:
            terminal.records.counters.rated(level)
        rating, case = session.rating, session.case
        if rating is None or case is None or terminal.link is None or case.kind is not ReceiptKind.CASE:
            return
        for line in case.lines or ():
            terminal.link.rate(line.case_number, rating.level, rating.reasons)
