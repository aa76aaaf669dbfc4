"""The maintenance PIN pad (维护登录): large digit keys, dots for the digits, OK and Cancel.

The hidden gesture on the attract screen opens it (``screens.root``); the ``PinPad`` keeps
what is typed and says why a PIN did not open maintenance (tries left, the lockout's wait,
no PIN set). Nothing here shows a digit.
"""

from __future__ import annotations

from collections.abc import Callable

from kivy.properties import BooleanProperty, StringProperty

from kiosk.maintenance.pin_pad import CLEAR, DELETE, PinPad
from screens.base import KioskScreen


class MaintenancePinScreen(KioskScreen):
    pad: PinPad
    changed: Callable[[], None]  # the frame redraws: the pad closed, or maintenance opened

    dots = StringProperty("")
    message = StringProperty("")
    refused = BooleanProperty(False)
    delete_key = StringProperty(DELETE)
    clear_key = StringProperty(CLEAR)

    @property
    def show_back(self) -> bool:
        return False

    @property
    def show_home(self) -> bool:
        return False

    def refresh(self) -> None:
        self.dots = self.pad.dots
        self.message = self.pad.message
        self.refused = self.pad.refused

    def press(self, key: str) -> None:
        self.pad.press(key)
        self.refresh()

    def submit(self) -> None:
        self.pad.submit()
        self.refresh()
        self.changed()

    def cancel(self) -> None:
        self.pad.close()
        self.changed()

    def clear(self) -> None:
        self.dots = self.message = ""
