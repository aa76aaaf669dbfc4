"""Identify (身份验证): ID card or QR login; says why a card or code was not accepted.

Assisted mode starts here (工作人员帮办, at the bottom, worded for staff): the member of staff
scans their own code first (``kiosk.session.assistance``), then the applicant identifies."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.messages import MessageId
from screens.base import KioskScreen


class IdentifyScreen(KioskScreen):
    error = StringProperty("")
    notice = StringProperty("")
    card_available = BooleanProperty(True)
    qr_available = BooleanProperty(True)
    assisted = BooleanProperty(False)  # assisted mode is on: offer to cancel it
    waiting = BooleanProperty(False)  # for the staff code: the two ways in are not taken yet
    helper = StringProperty("")  # who helps, once their staff code was accepted
    qr_instead = BooleanProperty(False)  # sent here from the face check to log in by QR instead

    def instruction(self) -> str:
        if self.error:
            return self.error
        way = MessageId.UI_IDENTIFY_CARD_HINT if self.card_available else MessageId.UI_IDENTIFY_CARD_OFF
        return self.spoken(self.say(MessageId.UI_IDENTIFY_TITLE), self.say(way))

    def refresh(self) -> None:
        self.error = self.session.error
        self.notice = self.session.notice
        shown = self.session.notice_message
        self.qr_instead = shown is not None and shown.id is MessageId.FACE_QR_LOGIN
        self.assisted = self.session.assistance.active
        self.waiting = self.session.assistance.waiting
        staff_no = self.session.assistance.staff_no
        self.helper = self.say(MessageId.ASSISTED_STAFF_KNOWN, staff_no=staff_no) if staff_no else ""
        availability = self.terminal.availability
        if availability is not None:
            self.card_available = availability.card
            self.qr_available = availability.qr

    def toggle_assistance(self) -> None:
        identification = self.terminal.identification
        if self.session.assistance.active:
            identification.cancel_assistance()
        else:
            identification.ask_for_staff()

    def clear(self) -> None:
        self.error = ""
        self.notice = ""
