"""Receipt (提交成功): the case number large, the lookup QR, printing progress, what's next."""

from __future__ import annotations

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from contract.vocabulary import Delivery
from kiosk.catalog.model import delivery_label
from kiosk.messages import MessageId, catalog_text
from kiosk.messages.dates import long_day
from kiosk.printing.appointment_slip import slot_hours
from kiosk.session.outcome import PrintState, ReceiptKind, SmsState, SubmittedCase
from kiosk.session.privacy import group_case_number
from kiosk.session.receipt_sms import qr_hint, texted
from screens.base import KioskScreen

PRINT_LINES = {
    PrintState.PENDING: MessageId.UI_RECEIPT_PRINT_PENDING,
    PrintState.PRINTING: MessageId.UI_RECEIPT_PRINTING,
    PrintState.PRINTED: MessageId.UI_RECEIPT_PRINTED,
}  # FAILED says why, with the print problem's words


class ReceiptScreen(KioskScreen):
    case_number = StringProperty("")
    item_name = StringProperty("")
    delivery = StringProperty("")
    lookup = StringProperty("")
    print_line = StringProperty("")
    print_failed = BooleanProperty(False)
    printed = BooleanProperty(False)
    can_reprint = BooleanProperty(False)
    sent_line = StringProperty("")
    face_line = StringProperty("")  # where the face check's picture went (人证比对), if one was taken
    qr_side = NumericProperty(300)  # set by the rule, by orientation and mode
    bring_line = StringProperty("")  # the papers still to bring to the counter, and by when (一次告知)
    phone = StringProperty("")
    printing = BooleanProperty(False)
    qr_hint = StringProperty("")
    texted = BooleanProperty(False)  # the receipt went by SMS instead (短信回执)
    texting = BooleanProperty(False)  # the centre is being asked to text it
    title = StringProperty("")
    number_label = StringProperty("")
    certificate_line = StringProperty("")  # an instant-print certificate's progress, or why it did not print
    certificate_failed = BooleanProperty(False)
    certificate_printed = BooleanProperty(False)
    appointment = BooleanProperty(False)

    @property
    def show_back(self) -> bool:
        return False

    @property
    def show_home(self) -> bool:
        return not self.session.printing

    def instruction(self) -> str:
        """The title, where the receipt stands (printing, printed, not printed), and what to bring."""
        return self.spoken(self.say(MessageId.UI_RECEIPT_TITLE), self.print_line, self.bring_line)

    def refresh(self) -> None:
        case = self.session.case
        if case is None:
            return
        self.case_number = group_case_number(case.case_number)
        self.item_name = self._name(case.item_name)
        if len(case.lines) > 1:  # a bundle: each item with its own number
            self.item_name += "\n" + "\n".join(f"{group_case_number(line.case_number)}  {self._name(line.item_name)}"
                                                 for line in case.lines)
        # A certificate the A4 printer could not print is collected at the counter instead.
        not_printed = case.delivery is Delivery.ON_THE_SPOT and case.certificate_state is PrintState.FAILED
        self.delivery = delivery_label(Delivery.PICKUP if not_printed else case.delivery, self.session.language)
        self.lookup = case.lookup_text
        self.phone = self.terminal.config.site.contact_phone
        self.printing = case.print_state is PrintState.PRINTING
        self.print_failed = case.print_state is PrintState.FAILED
        self.printed = case.print_state is PrintState.PRINTED
        availability = self.terminal.availability
        self.can_reprint = self.print_failed and bool(availability and availability.printer)
        if case.print_state is PrintState.FAILED:
            self.print_line = self.say(MessageId.UI_RECEIPT_PRINT_FAILED, problem=self.session.say(case.print_problem))
        else:
            self.print_line = self.say(PRINT_LINES[case.print_state])
        self.qr_hint = self.session.say(qr_hint(case))
        self.texted, self.texting = texted(case), case.sms is SmsState.ASKING
        self.sent_line = self.say(MessageId.UI_RECEIPT_SENT if case.sent_to_centre else MessageId.UI_RECEIPT_SAVED)
        face = self.terminal.applying.face.progress
        self.face_line = self.session.say(face.receipt_line) if face is not None else ""
        self.bring_line = self._bring_line(case)
        self._show_certificate(case)
        self.appointment = case.kind is ReceiptKind.APPOINTMENT
        self.title = self.say(MessageId.UI_APPOINTMENT_BOOKED if self.appointment else MessageId.UI_RECEIPT_TITLE)
        self.number_label = self.say(MessageId.UI_APPOINTMENT_NUMBER if self.appointment
                                     else MessageId.UI_RECEIPT_CASE_NUMBER)
        if self.appointment:  # no lookup, nothing delivered: when and where to come instead
            self.case_number = case.case_number
            when = case.submitted_at
            if case.slot is not None:
                start, end = case.slot
                when = f"{long_day(start.date(), self.session.language)} {slot_hours(start, end)}"
            place = case.place_for(self.session.language)
            self.qr_hint = self.say(MessageId.UI_APPOINTMENT_WHEN, when=when, place=place)
            self.sent_line = self.say(MessageId.UI_APPOINTMENT_BRING)

    def _name(self, name: str) -> str:
        """An item's or bundle's name, as the case keeps it (zh-Hans), in the session's language."""
        for offer in self.session.catalog.offers():
            if offer.name == name:
                return offer.names.get(self.session.language)
        return catalog_text(name, self.session.language)

    def _bring_line(self, case: SubmittedCase) -> str:
        """一次告知: the papers still to bring to the counter, and by when ("" when none)."""
        if not case.to_bring:
            return ""
        separator = self.say(MessageId.UI_RECEIPT_LIST_SEPARATOR)
        names = separator.join(catalog_text(name, self.session.language) for name in case.to_bring)
        return self.say(MessageId.UI_RECEIPT_BRING, days=case.bring_within_days, materials=names)

    def _show_certificate(self, case: SubmittedCase) -> None:
        state = case.certificate_state
        self.certificate_failed = state is PrintState.FAILED
        self.certificate_printed = state is PrintState.PRINTED
        if state is None:
            self.certificate_line = ""
        elif state is PrintState.FAILED:
            self.certificate_line = self.session.say(case.certificate_problem)
        elif state is PrintState.PRINTED:
            self.certificate_line = self.say(MessageId.CERTIFICATE_PRINTED)
        elif state is PrintState.PRINTING:
            self.certificate_line = self.say(MessageId.UI_CERTIFICATE_PRINTING)
        else:
            self.certificate_line = self.say(MessageId.UI_CERTIFICATE_PENDING)

    def clear(self) -> None:
        self.case_number = self.item_name = self.lookup = self.print_line = self.sent_line = self.face_line = ""
        self.bring_line = ""
        self.certificate_line = self.title = self.number_label = ""
        self.appointment = self.texted = self.texting = False
