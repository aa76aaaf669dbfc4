"""``PinPad``: the PIN pad the hidden gesture opens: digits typed, what the last try came to.

The pad shows dots, never digits; it closes on Cancel, on the right PIN, and after
``IDLE_CLOSE_S`` without a key (a pad left open on the attract screen helps nobody).
Checking the PIN is the terminal's (``kiosk.maintenance.pin``); this only keeps the pad.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.maintenance.wording import Tech, tech

if TYPE_CHECKING:
    from kiosk.maintenance.pin import PinResult

MIN_DIGITS, MAX_DIGITS = 6, 12  # as kiosk.maintenance.pin accepts
IDLE_CLOSE_S = 30.0
DOT = "●"
DELETE, CLEAR = "⌫", "clear"


class PinPad:
    """Open or closed, the digits typed so far, and the line under them."""

    def __init__(self, verify: Callable[[str], PinResult], clock: Callable[[], float]) -> None:
        self.verify = verify
        self.clock = clock
        self.is_open = False
        self.digits = ""
        self.message = ""
        self.refused = False  # the message is a refusal (red), not a hint
        self._last_key = 0.0

    @property
    def dots(self) -> str:
        return DOT * len(self.digits)

    def open(self) -> None:
        self.is_open, self.digits, self.message, self.refused = True, "", "", False
        self._last_key = self.clock()

    def close(self) -> None:
        self.is_open, self.digits, self.message, self.refused = False, "", "", False

    def press(self, key: str) -> None:
        """A key: a digit, ``DELETE`` or ``CLEAR``."""
        self._last_key = self.clock()
        if key == DELETE:
            self.digits = self.digits[:-1]
        elif key == CLEAR:
            self.digits = ""
        elif key.isdigit() and len(self.digits) < MAX_DIGITS:
            self.digits += key

    def submit(self) -> bool:
        """Check the digits typed; True when they open maintenance (the pad then closes)."""
        self._last_key = self.clock()
        if len(self.digits) < MIN_DIGITS:
            self.message, self.refused = tech(Tech.PIN_SHORT, low=MIN_DIGITS, high=MAX_DIGITS), True
            return False
        result = self.verify(self.digits)
        self.digits = ""
        if result.ok:
            self.close()
            return True
        self.message, self.refused = pin_refusal(result), True
        return False

    def expired(self) -> bool:
        """Whether the pad has been left alone long enough to close it."""
        return self.is_open and self.clock() - self._last_key >= IDLE_CLOSE_S


def pin_refusal(result: PinResult) -> str:
    """Why a PIN did not open maintenance, in the technician's words."""
    from kiosk.maintenance.pin import PinOutcome

    match result.outcome:
        case PinOutcome.WRONG if result.tries_left:
            return tech(Tech.PIN_WRONG, tries=result.tries_left)
        case PinOutcome.WRONG | PinOutcome.LOCKED:
            wait = max(1, int(result.wait_s + 0.999))
            return tech(Tech.PIN_LOCKED, minutes=wait // 60, seconds=wait % 60)
        case PinOutcome.NOT_SET:
            return tech(Tech.PIN_NOT_SET)
        case _:
            return tech(Tech.PIN_REFUSED)
