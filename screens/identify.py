"""Identify (身份验证): ID card or QR login; says why a card or code was not accepted."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from screens.base import KioskScreen


class IdentifyScreen(KioskScreen):
    error = StringProperty("")
    notice = StringProperty("")
    card_available = BooleanProperty(True)
    qr_available = BooleanProperty(True)

    def refresh(self) -> None:
        self.error = self.session.error
        self.notice = self.session.notice
        availability = self.terminal.availability
        if availability is not None:
            self.card_available = availability.card
            self.qr_available = availability.qr

    def clear(self) -> None:
        self.error = ""
        self.notice = ""
