"""What happens once a resident has decided: cases into the outbox with their receipt printed,
a certificate printed at once (即时打印), a counter slot booked with its slip, the rating.

The terminal owns one ``Applying`` and hands it the events these produce (``handle``); the
screens reach it through the terminal's ``submit``, ``print_receipt``, ``start_appointment``,
``book_slot`` and ``rate``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from drivers.printer.document import Document
from kiosk.catalog.model import Channel
from kiosk.channels.counter import CounterBooking
from kiosk.channels.instant_print import InstantPrint
from kiosk.errors import KioskError, OutboxError
from kiosk.events import BookingAnswered, CertificateUpdate, PrintFinished, SlotsAnswered, TerminalEvent
from kiosk.messages import MessageId, message
from kiosk.printing.receipts import build_case_receipt
from kiosk.session.booking import SlotChoice
from kiosk.session.outcome import PrintState, ReceiptKind, SubmittedCase
from kiosk.session.scanned_codes import lookup_token_digest, new_lookup_token, receipt_lookup_text

if TYPE_CHECKING:
    from kiosk.delivery.centre_client import CentreClient
    from kiosk.terminal import Terminal

log = logging.getLogger(__name__)


class Applying:
    def __init__(self, terminal: Terminal) -> None:
        self.terminal = terminal
        self.session = terminal.session
        self.receipt: Document | None = None  # the current case's receipt or slip, as it prints
        self.counter = CounterBooking(self._client, terminal.post)
        self._instant: InstantPrint | None = None  # from the first instant print on (needs the devices)

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
        case = SubmittedCase(
            case_number=case_number,
            item_name=session.item.name,
            submitted_at=now.strftime("%Y-%m-%d %H:%M"),
            delivery=session.delivery,
            lookup_text=receipt_lookup_text(case_number, token, terminal.config.centre.lookup_url),
            lines=case_lines(cases, session),
            certificate_state=PrintState.PENDING if instant else None,
            assisted_by=session.assistance.staff_no,
        )
        self.receipt = build_case_receipt(terminal.config.site, session.item, identity, case, link.reachable())
        session.submitted(case)
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
            return
        self.session.print_update(PrintState.PRINTING)
        terminal.printing.start(case.case_number, self.receipt)

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
        self.counter.book(session.item.id, slot, session.identity)

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
        self.receipt = build_appointment_slip(self.terminal.config.site, name, confirmation, session.identity.name)
        start, end = confirmation.slot_start, confirmation.slot_end
        session.appointment_booked(SubmittedCase(
            case_number=confirmation.appointment_number, item_name=name,
            submitted_at=f"{slot_day(start)} {slot_hours(start, end)}", delivery=None, lookup_text="",
            kind=ReceiptKind.APPOINTMENT, place=confirmation.place))
        self.print_receipt()

    # --- events --------------------------------------------------------------------------

    def handle(self, event: TerminalEvent) -> None:
        session, records = self.session, self.terminal.records
        match event:
            case PrintFinished(case_number=number, state=state, problem=problem):
                if state is PrintState.PRINTED:
                    records.counters.printed()
                    records.paper_roll.printed()
                if session.case is not None and session.case.case_number == number:
                    session.print_update(state, problem)
            case SlotsAnswered(item_id=item_id, slots=slots, problem=problem):
                if session.item is not None and session.item.id == item_id:
                    session.slots_arrived(slots, problem)
            case BookingAnswered():
                self._booked(event)
            case CertificateUpdate(case_number=number, state=state, problem=problem):
                if session.case is not None and session.case.case_number == number:
                    session.certificate_update(state, problem)

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
