"""Attract (首页): invites anyone passing to start, says which ways in work right now."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from screens.base import KioskScreen


class AttractScreen(KioskScreen):
    @property
    def show_back(self) -> bool:
        return False

    @property
    def show_home(self) -> bool:
        return False

    notices = StringProperty("")
    card_available = BooleanProperty(True)
    qr_available = BooleanProperty(True)

    def refresh(self) -> None:
        availability = self.terminal.availability
        if availability is None:
            return
        self.notices = "\n".join(availability.notices(self.session.language))
        self.card_available = availability.card
        self.qr_available = availability.qr

    def start(self) -> None:
        self.session.begin()

    def look_up(self) -> None:
        """The 办件查询 tile: a case's status by its receipt, its number or the ID card."""
        self.session.open_lookup()
