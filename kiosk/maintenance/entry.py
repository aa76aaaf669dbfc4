"""Getting into maintenance mode, and out of it.

**The hidden gesture** (``CornerGesture``, pure logic fed touch downs and ups with their
positions and times): hold a finger at least ``HOLD_S`` (2 s) in the *top-left* corner, lift
it, then within ``WINDOW_S`` (5 s) tap the *bottom-right* corner: the PIN pad opens. A
corner is the square of ``corner`` pixels (default 12 % of the shorter side) at that corner
of the window. Positions are Kivy window coordinates (origin bottom-left, y up). Any other
touch in between starts over. Residents do not hold a corner for two seconds and then tap
the far one; a technician can do it without looking for a button.

**The technician code**: a signed code (``contract.qr_codes``) of kind ``technician``, signed
by the technicians' own issuer, whose public keys are ``[maintenance] technician_public_keys``
(not the centre's, not the identity authority's). Scanned at attract it opens maintenance
without the PIN; the code id is the audit actor (``code:<id>``).

**The rules** (``MaintenanceState``): entry only between residents (the session at attract);
leaving, by hand or after ``[maintenance] idle_exit_s`` without a touch, is logged.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from contract import qr_codes
from contract.qr_codes import CentreCode, CodeTrust
from kiosk.config.settings import KioskConfig

HOLD_S = 2.0
WINDOW_S = 5.0
CORNER_SHARE = 0.12


class Corner(enum.Enum):
    TOP_LEFT = "top_left"
    BOTTOM_RIGHT = "bottom_right"


class CornerGesture:
    """Recognises the hidden gesture: a long press top-left, then a tap bottom-right."""

    def __init__(self, width: float, height: float, corner: float | None = None,
                 hold_s: float = HOLD_S, window_s: float = WINDOW_S) -> None:
        self.width = width
        self.height = height
        self.corner = corner if corner is not None else CORNER_SHARE * min(width, height)
        self.hold_s = hold_s
        self.window_s = window_s
        self._press_started: float | None = None  # a touch down in the top-left corner
        self._armed_at: float | None = None  # the long press ended here: waiting for the tap

    def resize(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        self.corner = CORNER_SHARE * min(width, height)

    def corner_of(self, x: float, y: float) -> Corner | None:
        if x <= self.corner and y >= self.height - self.corner:
            return Corner.TOP_LEFT
        if x >= self.width - self.corner and y <= self.corner:
            return Corner.BOTTOM_RIGHT
        return None

    def down(self, x: float, y: float, t: float) -> None:
        """A finger touched the screen at (x, y) at time ``t`` (seconds)."""
        corner = self.corner_of(x, y)
        if self._armed_at is not None and corner is Corner.BOTTOM_RIGHT and t - self._armed_at <= self.window_s:
            return  # the tap: decided when it lifts
        self._armed_at = None
        self._press_started = t if corner is Corner.TOP_LEFT else None

    def up(self, x: float, y: float, t: float) -> bool:
        """The finger lifted; True when the gesture is complete (open the PIN pad)."""
        corner = self.corner_of(x, y)
        if self._armed_at is not None:
            complete = corner is Corner.BOTTOM_RIGHT and t - self._armed_at <= self.window_s
            self._armed_at = None
            return complete
        started, self._press_started = self._press_started, None
        if started is not None and corner is Corner.TOP_LEFT and t - started >= self.hold_s:
            self._armed_at = t
        return False

    def reset(self) -> None:
        self._press_started = None
        self._armed_at = None


def technician_trust(config: KioskConfig) -> CodeTrust:
    """The keys that may sign a technician code here: the technicians' issuer's, and only for that kind."""
    return CodeTrust(
        audience=config.site.code_audience,
        keys={qr_codes.KIND_TECHNICIAN: config.maintenance.technician_public_keys},
    )


def technician_code(text: str, trust: CodeTrust, now: datetime) -> CentreCode | None:
    """The verified technician code ``text`` carries, or None when it is not one (or not valid)."""
    if not trust.all_keys() or not text.strip().startswith(qr_codes.PREFIX):
        return None
    try:
        code = qr_codes.verify_code(text.strip(), trust, now=now)
    except qr_codes.QrCodeError:
        return None
    return code if code.kind == qr_codes.KIND_TECHNICIAN else None


@dataclass
class MaintenanceState:
    """Whether a technician is at the kiosk, who, and when they last touched it."""

    active: bool = False
    actor: str = ""  # "pin" or "code:<id>"
    since: float = 0.0  # the terminal's monotonic clock
    last_activity: float = 0.0

    def enter(self, actor: str, now: float) -> None:
        self.active, self.actor, self.since, self.last_activity = True, actor, now, now

    def touch(self, now: float) -> None:
        if self.active:
            self.last_activity = now

    def idle_for(self, now: float) -> float:
        return now - self.last_activity if self.active else 0.0

    def leave(self) -> None:
        self.active, self.actor = False, ""
