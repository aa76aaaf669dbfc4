"""Attract (首页): invites anyone passing to start, says which ways in work right now."""

from __future__ import annotations

from kivy.properties import BooleanProperty, StringProperty

from kiosk.messages import MessageId
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
    card_left = BooleanProperty(False)  # the last resident's card is still on the reader

    @property
    def insists(self) -> bool:
        return bool(self.card_left)

    def instruction(self) -> str:
        """Nobody needs telling anything at attract, except that a card was left behind."""
        return self.say(MessageId.CARD_LEFT_BEHIND) if self.card_left else ""

    def refresh(self) -> None:
        availability = self.terminal.availability
        if availability is None:
            return
        self.notices = "\n".join(availability.notices(self.session.language))
        self.card_available = availability.card
        self.qr_available = availability.qr
        self.card_left = availability.card_left

    def start(self) -> None:
        self.session.begin()

    def look_up(self) -> None:
        """The 办件查询 tile: a case's status by its receipt, its number or the ID card."""
        self.session.open_lookup()
