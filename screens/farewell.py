"""Farewell (感谢使用): reminds the resident to take the card and the receipt, then wipes."""

from __future__ import annotations

from kivy.properties import BooleanProperty

from kiosk.messages import MessageId
from screens.base import KioskScreen


class FarewellScreen(KioskScreen):
    @property
    def show_back(self) -> bool:
        return False

    card_left = BooleanProperty(False)

    @property
    def insists(self) -> bool:
        return bool(self.card_left)

    def instruction(self) -> str:
        return self.say(MessageId.UI_FAREWELL_TAKE_CARD if self.card_left else MessageId.UI_FAREWELL_TAKE_ALL)

    def refresh(self) -> None:
        self.card_left = self.terminal.card_on_reader()

    def finish(self) -> None:
        self.session.wipe()
